"""Backups of an SQLite database through SQLite's online backup API.

A backup is written under a temporary name, checked (``integrity_check``),
flushed to disk and only then renamed, so a file that carries the final name
is always complete. Automatic backups rotate; manual ones are kept.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from xhht_desktop.errors import BackupError

SUFFIX = ".xhht-backup.sqlite"
_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})-(?P<reason>[a-z-]+)" + re.escape(SUFFIX) + "$"
)
MANUAL = "thu-cong"


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


def _check(path: Path) -> None:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        raise BackupError(
            f"Tệp '{path.name}' không phải cơ sở dữ liệu SQLite hợp lệ ({exc})."
        ) from exc
    finally:
        connection.close()
    if not result or result[0] != "ok":
        raise BackupError(f"Tệp '{path.name}' bị hỏng (kiểm tra toàn vẹn: {result}).")
    if "alembic_version" not in tables or "installation" not in tables:
        raise BackupError(f"Tệp '{path.name}' không phải dữ liệu của XHHT Desktop.")


def copy_database(source: Path, target: Path) -> None:
    """Copy a live database into ``target`` atomically, then verify the copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
            # A backup is a single file: no WAL beside it.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"Không sao lưu được cơ sở dữ liệu: {exc}") from exc
    finally:
        src.close()
    try:
        _check(partial)
        with partial.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
        _fsync_dir(target.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def make_backup(database: Path, folder: Path, reason: str, keep: int | None) -> BackupFile:
    """Back up ``database`` into ``folder``; keep the newest ``keep`` of this reason."""
    now = datetime.now()
    stamp = now.strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{database.stem}-{stamp}-{reason}{SUFFIX}"
    try:
        copy_database(database, target)
    except OSError as exc:
        raise BackupError(
            f"Không ghi được bản sao lưu vào '{folder}': {exc.strerror or exc}"
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


def verify(path: Path) -> None:
    """Refuse (``BackupError``) a file that is missing, damaged or not ours."""
    if not path.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu '{path}'.")
    _check(path)


def schema_revision(path: Path) -> str | None:
    """The Alembic revision recorded in a database file (after ``verify``)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        connection.close()
    return row[0] if row else None


def restore_into(backup: Path, database: Path) -> None:
    """Replace the content of the live ``database`` with ``backup``.

    The caller verifies the backup first; the copy goes through the backup
    API into the open database, so other connections see the restored data.
    """
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(database)
        try:
            src.backup(dst)
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise BackupError(f"Không khôi phục được từ '{backup.name}': {exc}") from exc
    finally:
        src.close()
