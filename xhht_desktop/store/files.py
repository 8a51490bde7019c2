"""Files the app hands to the user (templates, reports, error lists), written safely.

A file is written under a temporary name in the target folder, flushed to
disk and only then renamed over the target, so a file that carries the final
name is always complete: a full disk or a crash leaves the old file (or none),
never half of a new one.

A failed write becomes a :class:`~xhht_desktop.errors.FileWriteFailed` whose
Vietnamese message says what happened (disk full, read-only folder, stick
removed, file open in another program) and what to do. Tests reach those
faults through :func:`injected`, a seam at the same steps a real disk fails.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from xhht_desktop.errors import (
    DeviceRemoved,
    DiskFull,
    FileLocked,
    FileWriteFailed,
    FolderReadOnly,
)

Step = Literal["open", "write", "sync", "rename"]

# What a temporary file of this module (".report.pdf.1a2b3c4d.partial") or of
# the backup writer ("….xhht-backup.sqlite.partial") is called.
LEFTOVER = re.compile(r"^(\..+\.[0-9a-f]{8}|.+\.xhht-backup\.sqlite)\.partial$")

# Windows: "the process cannot access the file because it is being used by
# another process" (sharing violation) and its lock twin.
_SHARING_VIOLATIONS = frozenset({32, 33})
_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
_READ_ONLY = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})
_GONE = frozenset(
    {errno.EIO, errno.ENOENT, errno.ENODEV, errno.ENXIO, getattr(errno, "ESTALE", errno.EIO)}
)


@dataclass
class Fault:
    """A failure to inject at one step of the next writes (tests and drills).

    Attributes:
        step: Where the write fails: creating the temporary file (``open``),
            after the content went into it (``write``), flushing it to the
            disk (``sync``) or renaming it over the target (``rename``).
        error: What the operating system would raise there.
        action: Done first, with the file being written: e.g. remove the
            folder, as a stick pulled out of its port.
        times: How many writes it hits; then it is spent.
    """

    step: Step
    error: OSError
    action: Callable[[Path], None] | None = None
    times: int = 1


_faults: list[Fault] = []


@contextlib.contextmanager
def injected(fault: Fault) -> Iterator[Fault]:
    """Make the writes inside the block fail as ``fault`` says."""
    _faults.append(fault)
    try:
        yield fault
    finally:
        with contextlib.suppress(ValueError):
            _faults.remove(fault)


def checkpoint(step: Step, path: Path) -> None:
    """Raise the injected fault of ``step``, if any (a no-op in normal runs)."""
    for fault in _faults:
        if fault.step == step and fault.times > 0:
            fault.times -= 1
            if fault.action is not None:
                fault.action(path)
            raise fault.error


def explain(exc: OSError, path: Path) -> FileWriteFailed:
    """Turn an operating-system error while writing ``path`` into a message for the user.

    Args:
        exc: What the write raised.
        path: The file that was being written (its final name).

    Returns:
        The error to raise: it says what happened and what to do, and that
        the previous file, if any, is as it was.
    """
    if isinstance(exc, FileWriteFailed):
        return exc
    path = Path(path)
    name, folder = path.name, str(path.parent)
    kept = "Tệp cũ (nếu có) vẫn giữ nguyên, không có tệp dở dang nào được để lại."
    code = exc.errno
    if getattr(exc, "winerror", None) in _SHARING_VIOLATIONS:
        return FileLocked(
            f"Tệp «{name}» đang được mở trong một chương trình khác (Excel, trình đọc PDF…) "
            f"nên không ghi được. Hãy đóng tệp đó rồi làm lại. {kept}",
            errno=code,
            filename=str(path),
        )
    if code in _FULL:
        return DiskFull(
            f"Ổ đĩa hoặc USB chứa thư mục «{folder}» đã đầy, không ghi được «{name}». Hãy xóa "
            f"bớt tệp không cần hoặc chọn nơi khác còn chỗ trống rồi làm lại. {kept}",
            errno=code,
            filename=str(path),
        )
    if code in _READ_ONLY:
        return FolderReadOnly(
            f"Không có quyền ghi vào thư mục «{folder}» (thư mục chỉ cho đọc, hoặc USB đang "
            f"gạt khóa chống ghi), nên chưa ghi được «{name}». Hãy chọn thư mục khác hoặc mở "
            f"khóa USB rồi làm lại. {kept}",
            errno=code,
            filename=str(path),
        )
    if code in _GONE:
        return DeviceRemoved(
            f"USB hoặc ổ đĩa chứa thư mục «{folder}» đã bị rút ra hoặc bị lỗi trong lúc ghi "
            f"«{name}». Hãy cắm lại USB (kiểm tra đèn, thử cổng khác) rồi làm lại. {kept}",
            errno=code,
            filename=str(path),
        )
    if code in (errno.EISDIR, errno.ENOTDIR):
        return FileWriteFailed(
            f"«{name}» trong «{folder}» là một thư mục, không phải tệp, nên không ghi đè được. "
            f"Hãy đặt tên khác cho tệp hoặc chọn nơi khác rồi làm lại. {kept}",
            errno=code,
            filename=str(path),
        )
    # The system's own words stay as a detail for the office: there is no
    # Vietnamese text for every errno of every platform.
    return FileWriteFailed(
        f"Không ghi được «{name}» vào thư mục «{folder}». Hãy kiểm tra ổ đĩa hoặc chọn nơi "
        f"khác rồi làm lại. {kept} (Chi tiết: {exc.strerror or exc})",
        errno=code,
        filename=str(path),
    )


def explain_database_error(exc: Exception, path: Path) -> FileWriteFailed | None:
    """The disk fault behind an SQLite error while writing the file ``path``, if it is one.

    SQLite (and SQLCipher) report a full disk, a read-only folder or a
    failing device in words of their own, not with an errno.
    """
    text = str(exc).lower()
    if "disk is full" in text:
        return explain(OSError(errno.ENOSPC, str(exc)), path)
    if "readonly database" in text or "unable to open database" in text:
        return explain(OSError(errno.EACCES, str(exc)), path)
    if "disk i/o error" in text:
        return explain(OSError(errno.EIO, str(exc)), path)
    return None


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
        FileWriteFailed: The folder cannot be written, the disk is full, the
            stick was removed, the file is open in another program (a
            subclass says which); the temporary file is removed and ``path``
            is as it was. It is also an ``OSError`` with the original errno.
    """
    path = Path(path)
    folder = path.parent
    temporary = folder / f".{path.name}.{uuid.uuid4().hex[:8]}.partial"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        checkpoint("open", path)
        # O_EXCL: never write into someone else's file; 0o666 lets the umask
        # decide the permissions, as for any file the user saves.
        fd = os.open(
            temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666
        )
    except OSError as exc:
        raise explain(exc, path) from exc
    try:
        with os.fdopen(fd, "w+b") as handle:
            write_fn(handle)
            handle.flush()
            checkpoint("write", path)
            checkpoint("sync", path)
            os.fsync(handle.fileno())
        checkpoint("rename", path)
        os.replace(temporary, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise explain(exc, path) from exc
        raise
    # The file is complete under its name; a folder that cannot be synced
    # (stick pulled just now) at worst loses the rename, never the content.
    with contextlib.suppress(OSError):
        _fsync_dir(folder)
    return path


def clean_leftovers(folder: Path, *, depth: int = 4) -> list[Path]:
    """Remove the temporary files a crash left in ``folder`` (and its subfolders).

    Only names this module and the backup writer give their temporary files
    are touched; they never carry a final name, so nothing the user keeps
    goes. The caller holds the writer lock, so no other copy of the app is
    writing them.

    Returns:
        The files removed.
    """
    removed: list[Path] = []
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return removed
    for entry in entries:
        try:
            if entry.is_dir() and not entry.is_symlink():
                if depth > 0:
                    removed += clean_leftovers(entry, depth=depth - 1)
            elif LEFTOVER.match(entry.name):
                entry.unlink()
                removed.append(entry)
        except OSError:
            continue
    return removed
