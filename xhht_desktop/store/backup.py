"""Backups of an SQLite database through SQLite's online backup API.

A backup is written under a temporary name, checked (``integrity_check``),
flushed to disk and only then renamed, so a file that carries the final name
is always complete. Automatic backups rotate; manual ones are kept.

A backup of an encrypted database is encrypted with the same database key
(SQLCipher's backup API between two connections keyed alike), so the key
file beside the live database, or the recovery sheet, opens every backup;
no key file travels with a backup, and a backup copied off the laptop reveals
nothing without a password or the recovery key.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from xhht_desktop.errors import BackupError
from xhht_desktop.store import files

SUFFIX = ".xhht-backup.sqlite"
_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})-(?P<reason>[a-z-]+)" + re.escape(SUFFIX) + "$"
)
MANUAL = "thu-cong"
# The two drivers share no base class for their errors.
DATABASE_ERRORS = (sqlite3.Error, sqlcipher.Error)


@dataclass(frozen=True)
class BackupFile:
    path: Path
    created: datetime
    reason: str
    size: int


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


_PLAIN_HEADER = b"SQLite format 3\x00"


def is_plain_sqlite(path: Path) -> bool:
    """Whether ``path`` is an unencrypted SQLite file (an encrypted one has no header)."""
    with path.open("rb") as handle:
        return handle.read(len(_PLAIN_HEADER)) == _PLAIN_HEADER


def _looks_encrypted(path: Path) -> bool:
    # An SQLCipher file is whole pages of what reads as noise; anything else
    # (a text file, a cut-off copy) is just not a database.
    size = path.stat().st_size
    return size >= 4096 and size % 1024 == 0 and not is_plain_sqlite(path)


def _connect(path: Path, key: bytes | None, *, read_only: bool) -> Any:
    if key is None:
        if read_only:
            return sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        return sqlite3.connect(path)
    from xhht_desktop.store.engine import connect_sqlcipher

    return connect_sqlcipher(path, key, read_only=read_only)


def _check(path: Path, key: bytes | None = None) -> None:
    if key is not None and is_plain_sqlite(path):
        raise BackupError(
            f"Tệp '{path.name}' là bản sao lưu chưa mã hóa, không dùng được cho dữ liệu đã mã hóa "
            "trên máy này."
        )
    connection = _connect(path, key, read_only=True)
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
    except DATABASE_ERRORS as exc:
        if key is None and _looks_encrypted(path):
            raise BackupError(
                f"Tệp '{path.name}' là bản sao lưu đã mã hóa; hãy mở dữ liệu của máy này "
                "bằng mật khẩu trước khi khôi phục."
            ) from exc
        if key is not None:
            raise BackupError(
                f"Tệp '{path.name}' không mở được bằng khóa của dữ liệu trên máy này "
                "(bản sao lưu của dữ liệu khác, hoặc bị hỏng)."
            ) from exc
        raise BackupError(
            f"Tệp '{path.name}' không phải cơ sở dữ liệu SQLite hợp lệ ({exc})."
        ) from exc
    finally:
        connection.close()
    if not result or result[0] != "ok":
        raise BackupError(f"Tệp '{path.name}' bị hỏng (kiểm tra toàn vẹn: {result}).")
    if "alembic_version" not in tables or "installation" not in tables:
        raise BackupError(f"Tệp '{path.name}' không phải dữ liệu của XHHT Desktop.")


def copy_database(source: Path, target: Path, key: bytes | None = None) -> None:
    """Copy a live database into ``target`` atomically, then verify the copy.

    Args:
        source: The live database.
        target: The backup to write.
        key: The database key when ``source`` is encrypted; the copy is
            encrypted with it too.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        files.checkpoint("open", target)
    except OSError as exc:
        raise files.explain(exc, target) from exc
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = _connect(source, key, read_only=True)
    try:
        dst = _connect(partial, key, read_only=False)
        try:
            src.backup(dst)
            # A backup is a single file: no WAL beside it.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    except DATABASE_ERRORS as exc:
        partial.unlink(missing_ok=True)
        fault = files.explain_database_error(exc, target)
        if fault is not None:
            raise fault from exc
        raise BackupError(f"Không sao lưu được cơ sở dữ liệu: {exc}") from exc
    finally:
        src.close()
    try:
        files.checkpoint("write", target)
        _check(partial, key)
        files.checkpoint("sync", target)
        with partial.open("rb+") as handle:
            os.fsync(handle.fileno())
        files.checkpoint("rename", target)
        os.replace(partial, target)
        _fsync_dir(target.parent)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise files.explain(exc, target) from exc
        raise


def make_backup(
    database: Path, folder: Path, reason: str, keep: int | None, key: bytes | None = None
) -> BackupFile:
    """Back up ``database`` into ``folder``; keep the newest ``keep`` of this reason.

    ``key`` is the database key of an encrypted database (the backup is encrypted too).
    """
    now = datetime.now()
    stamp = now.strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{database.stem}-{stamp}-{reason}{SUFFIX}"
    try:
        copy_database(database, target, key)
    except OSError as exc:
        raise BackupError(
            f"Không ghi được bản sao lưu vào '{folder}': {exc.strerror or exc}"
            if not isinstance(exc, files.FileWriteFailed)
            else exc.message
        ) from exc
    if keep is not None:
        _rotate(database, folder, keep)
    return BackupFile(target, now, reason, target.stat().st_size)


def list_backups(database: Path, folder: Path) -> list[BackupFile]:
    """Backups of ``database`` in ``folder``, newest first."""
    found = []
    if not folder.is_dir():
        return found
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if not match or match["stem"] != database.stem:
            continue
        created = datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S-%f")
        found.append(BackupFile(path, created, match["reason"], path.stat().st_size))
    return sorted(found, key=lambda b: b.created, reverse=True)


def _rotate(database: Path, folder: Path, keep: int) -> None:
    automatic = [b for b in list_backups(database, folder) if b.reason != MANUAL]
    for old in automatic[keep:]:
        with contextlib.suppress(OSError):
            old.path.unlink()


def verify(path: Path, key: bytes | None = None) -> None:
    """Refuse (``BackupError``) a file that is missing, damaged or not ours.

    ``key`` is the database key when the data (and so its backups) is encrypted.
    """
    if not path.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu '{path}'.")
    _check(path, key)


def schema_revision(path: Path, key: bytes | None = None) -> str | None:
    """The Alembic revision recorded in a database file (after ``verify``)."""
    connection = _connect(path, key, read_only=True)
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        connection.close()
    return row[0] if row else None


def restore_into(backup: Path, database: Path, key: bytes | None = None) -> None:
    """Replace the content of the live ``database`` with ``backup``.

    The caller verifies the backup first; the copy goes through the backup
    API into the open database, so other connections see the restored data.
    ``key`` keys both files when the data is encrypted.
    """
    src = _connect(backup, key, read_only=True)
    try:
        dst = _connect(database, key, read_only=False)
        try:
            src.backup(dst)
        finally:
            dst.close()
    except DATABASE_ERRORS as exc:
        raise BackupError(f"Không khôi phục được từ '{backup.name}': {exc}") from exc
    finally:
        src.close()
