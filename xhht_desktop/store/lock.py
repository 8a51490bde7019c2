"""One writer per database: an operating-system lock on a file beside it.

The first copy of the app that opens an SQLite database takes an exclusive
lock on ``<database>.lock`` and holds it until its context closes; any other
copy (a second window, a command run meanwhile) finds the lock taken and
works read-only. The operating system drops the lock when the process ends,
even when it is killed or the power fails, so a stale lock never blocks.

Within one process the lock is shared (counted), since two contexts of one
process are one copy of the app.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO

LOCK_SUFFIX = ".lock"


def lock_path(database: Path) -> Path:
    """The lock file of ``database``."""
    return database.with_name(database.name + LOCK_SUFFIX)


def _try_lock(handle: IO[bytes]) -> bool:
    if os.name == "nt":
        import msvcrt

        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(handle: IO[bytes]) -> None:
    if os.name == "nt":
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@dataclass
class _Held:
    handle: IO[bytes]
    users: int


_held: dict[Path, _Held] = {}
_guard = threading.Lock()


class WriterLock:
    """The writer lock of one database, taken if free.

    Attributes:
        path: The lock file.
        acquired: Whether this copy of the app is the writer.
    """

    def __init__(self, database: Path) -> None:
        self.path = lock_path(Path(database).resolve())
        self.acquired = False
        self._released = False
        with _guard:
            held = _held.get(self.path)
            if held is not None:
                held.users += 1
                self.acquired = True
                return
            self.acquired = self._take()

    def _take(self) -> bool:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # "a+b": never truncate a lock another process holds; on Windows
            # the locked byte must exist for msvcrt.locking.
            handle = open(self.path, "a+b")  # noqa: SIM115 - held for the context's life
        except OSError:
            # A folder we cannot write is no place to write the database
            # either: read-only, and the database says why when asked to save.
            return False
        if os.name == "nt" and handle.seek(0, os.SEEK_END) == 0:
            handle.write(b"\0")
            handle.flush()
        if not _try_lock(handle):
            handle.close()
            return False
        _held[self.path] = _Held(handle, 1)
        return True

    def release(self) -> None:
        """Give the lock up (once); the last user in the process unlocks the file."""
        if self._released or not self.acquired:
            self._released = True
            return
        self._released = True
        with _guard:
            held = _held.get(self.path)
            if held is None:
                return
            held.users -= 1
            if held.users > 0:
                return
            del _held[self.path]
            try:
                _unlock(held.handle)
            finally:
                held.handle.close()
