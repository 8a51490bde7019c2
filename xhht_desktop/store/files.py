"""Files the app hands to the user (templates, reports, error lists), written safely.

A file is written under a temporary name in the target folder, flushed to
disk and only then renamed over the target, so a file that carries the final
name is always complete: a full disk or a crash leaves the old file (or none),
never half of a new one.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def _fsync_dir(folder: Path) -> None:
    # Directory fsync makes the rename itself durable; Windows cannot open
    # a folder for that and does not need it.
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, write_fn: Callable[[BinaryIO], None]) -> Path:
    """Write ``path`` through ``write_fn`` so that it is either complete or untouched.

    Args:
        path: The file to create or replace; its folder is created if needed.
        write_fn: Writes the content into the binary file object it is given
            (e.g. ``workbook.save``). It must not close the file.

    Returns:
        ``path``.

    Raises:
        OSError: The folder cannot be written, the disk is full…; the
            temporary file is removed and ``path`` is as it was.
    """
    path = Path(path)
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{path.name}.{uuid.uuid4().hex[:8]}.partial"
    # O_EXCL: never write into someone else's file; 0o666 lets the umask decide
    # the permissions, as for any file the user saves.
    fd = os.open(
        temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666
    )
    try:
        with os.fdopen(fd, "w+b") as handle:
            write_fn(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_dir(folder)
    return path
