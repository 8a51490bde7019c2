"""The database's health: the start-up check, what SQLite's failures mean, recovery.

At start (:func:`check`) SQLite's ``quick_check`` runs on the file; a damaged
file raises :class:`~xhht_desktop.errors.DatabaseDamaged` before anything
is written to it. :func:`recover` then moves it (with its ``-wal`` and
``-shm``) aside into a ``hong/`` ("damaged") folder for the office and puts
the newest backup that verifies in its place.

While the app runs, :func:`install` turns SQLite's "database or disk is
full" and "readonly database" into Vietnamese errors, and makes a read-only
copy of the app (another copy holds the writer lock) refuse every write:
ORM flushes at once, Core statements through SQLite's ``query_only``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from xhht_desktop.errors import (
    BackupError,
    DatabaseDamaged,
    DatabaseFull,
    DatabaseNotWritable,
    ReadOnlyDatabase,
)
from xhht_desktop.store import backup, files
from xhht_desktop.store.audit import AuditedSession
from xhht_desktop.store.lock import WriterLock

DAMAGED_FOLDER = "hong"
READ_ONLY = "health.read_only"
_SIDE_FILES = ("-wal", "-shm", "-journal")


def check(engine: Engine, database: Path) -> None:
    """Run ``PRAGMA quick_check`` on the database; raise if it is damaged.

    Args:
        engine: The app's engine on ``database`` (its connect hook unlocks
            an encrypted file, so the check reads what the app reads).
        database: The file, for the message.

    Raises:
        DatabaseDamaged: the check found damage, or SQLite cannot read the
            file as a database at all.
    """
    try:
        with engine.connect() as connection:
            rows = connection.exec_driver_sql("PRAGMA quick_check").fetchall()
    except DBAPIError as exc:
        text = str(exc.orig).lower()
        if "not a database" in text or "malformed" in text or "corrupt" in text:
            raise DatabaseDamaged(str(database), str(exc.orig)) from exc
        raise
    found = [str(row[0]) for row in rows]
    if found != ["ok"]:
        raise DatabaseDamaged(str(database), "; ".join(found[:20]))


def _translate(read_only: bool) -> Callable[[ExceptionContext], None]:
    def translate(context: ExceptionContext) -> None:
        text = str(context.original_exception).lower()
        # sqlite3 and sqlcipher3 raise classes of their own; the messages are SQLite's.
        if "database or disk is full" in text:
            raise DatabaseFull() from context.original_exception
        if "readonly database" in text:
            if read_only:
                raise ReadOnlyDatabase() from context.original_exception
            raise DatabaseNotWritable() from context.original_exception

    return translate


def _query_only(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=ON")
    cursor.close()


def _refuse_flush(session: Session, _context: object, _instances: object) -> None:
    if session.info.get(READ_ONLY) and (session.new or session.dirty or session.deleted):
        raise ReadOnlyDatabase()


def install(engine: Engine, sessions: sessionmaker[Session], *, read_only: bool) -> None:
    """Hook the error translation (and, read-only, the refusal of writes) into ``engine``."""
    event.listen(engine, "handle_error", _translate(read_only))
    if not event.contains(AuditedSession, "before_flush", _refuse_flush):
        event.listen(AuditedSession, "before_flush", _refuse_flush)
    if read_only:
        # Registered after the engine's own connect hook (pragmas, key), so
        # the connection is set up before it stops accepting writes.
        event.listen(engine, "connect", _query_only)
        sessions.configure(info={READ_ONLY: True})


@dataclass(frozen=True)
class Recovery:
    """What :func:`recover` did.

    Attributes:
        restored: The backup now in the database's place.
        damaged: The folder the damaged file (and its side files) went to.
    """

    restored: backup.BackupFile
    damaged: Path


def newest_good_backup(database: Path, folder: Path, key: bytes | None = None) -> backup.BackupFile:
    """The newest backup of ``database`` in ``folder`` that verifies (with ``key``, if encrypted).

    Raises:
        BackupError: there is none.
    """
    for candidate in backup.list_backups(database, folder):
        try:
            backup.verify(candidate.path, key)
        except BackupError:
            continue
        return candidate
    raise BackupError(
        f"Không có bản sao lưu tốt nào trong thư mục «{folder}». Hãy giữ nguyên tệp dữ liệu "
        "và liên hệ cơ quan cấp trên hoặc người hỗ trợ kỹ thuật; có thể chép bản sao lưu "
        "từ USB vào thư mục đó rồi chạy lại 'xhht restore --newest'."
    )


def set_aside(database: Path, now: datetime | None = None) -> Path:
    """Move ``database`` and its side files into ``hong/<time>/`` beside it.

    Returns:
        The folder they went to.
    """
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = database.parent / DAMAGED_FOLDER / stamp
    target.mkdir(parents=True, exist_ok=True)
    for suffix in ("", *_SIDE_FILES):
        source = database.with_name(database.name + suffix)
        if source.exists():
            # os.replace: a rename on the same disk, so nothing is copied half.
            os.replace(source, target / source.name)
    files._fsync_dir(database.parent)
    return target


def recover(database: Path, backup_folder: Path, key: bytes | None = None) -> Recovery:
    """Set a damaged ``database`` aside and put its newest good backup in its place.

    The writer lock is taken first (no other copy of the app may be using
    the file). The backup is copied under a temporary name and renamed, so
    the database's name carries either nothing or a complete copy.

    Raises:
        ReadOnlyDatabase: another copy of the app has the database open.
        BackupError: no backup verifies (nothing was moved).
    """
    lock = WriterLock(database)
    try:
        if not lock.acquired:
            raise ReadOnlyDatabase()
        return _recover(database, backup_folder, key)
    finally:
        lock.release()


def _recover(database: Path, backup_folder: Path, key: bytes | None) -> Recovery:
    chosen = newest_good_backup(database, backup_folder, key)
    aside = set_aside(database)

    def copy(handle: Any) -> None:
        with chosen.path.open("rb") as source:
            shutil.copyfileobj(source, handle, 1 << 20)

    try:
        files.write_atomically(database, copy)
    except OSError:
        # Put the damaged file back rather than leave no database at all.
        with contextlib.suppress(OSError):
            os.replace(aside / database.name, database)
        raise
    return Recovery(chosen, aside)
