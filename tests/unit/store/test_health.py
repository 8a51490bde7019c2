"""The database's health: the start-up check, a damaged file, SQLite's own faults.

A damaged file is made by overwriting pages in its middle; the app must find
it at start, never write to it, and recover from the newest good backup while
keeping the damaged file aside.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
import time

import pytest
from sqlalchemy import event, func, select

from xhht_desktop.context import Actor, open_context
from xhht_desktop.core.registers import VillageDraft
from xhht_desktop.errors import (
    BackupError,
    DatabaseDamaged,
    DatabaseFull,
    DatabaseNotWritable,
)
from xhht_desktop.services.demo_setup import fill_demo
from xhht_desktop.services.setup import CommuneSetup
from xhht_desktop.settings import Settings
from xhht_desktop.store import health
from xhht_desktop.store.engine import database_url
from xhht_desktop.store.models import AuditEntry, Village


def damage(path, share=0.2):
    """Overwrite pages in the middle of the file with a byte pattern."""
    size = path.stat().st_size
    page = 4096
    pages = size // page
    first = pages // 2 - int(pages * share / 2)
    with path.open("r+b") as handle:
        for number in range(max(first, 2), max(first, 2) + max(int(pages * share), 3)):
            handle.seek(number * page)
            handle.write(bytes([0xA5]) * page)


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def filled(context):
    """A commune with some hundreds of records, closed; returns its settings."""
    fill_demo(context, persons=400, seed=3, year=2026)
    context.close()
    return context.settings


def test_a_sound_database_opens(filled):
    context = open_context(filled, Actor("test"))
    try:
        assert not context.read_only
    finally:
        context.close()


def test_a_damaged_database_is_refused_and_never_written(filled):
    database = filled.database_file
    damage(database)
    before = digest(database)
    with pytest.raises(DatabaseDamaged) as caught:
        open_context(filled, Actor("test"))
    assert "xhht restore --newest" in caught.value.message
    assert "hong" in caught.value.message
    assert caught.value.detail
    assert digest(database) == before


def test_a_database_whose_header_is_garbage_is_damaged_too(filled):
    database = filled.database_file
    # The magic string stays (a file without it looks encrypted); the page
    # size and the rest of the header are gone.
    with database.open("r+b") as handle:
        handle.seek(16)
        handle.write(b"\x00" * 84)
    with pytest.raises(DatabaseDamaged):
        open_context(filled, Actor("test"))


def test_recovery_sets_the_damaged_file_aside_and_restores_the_newest_good_backup(filled):
    context = open_context(filled, Actor("test"))
    older = context.backups.create()
    time.sleep(0.01)
    context.villages.save(VillageDraft("thon", "Thôn Mới Lập"))
    newest = context.backups.create()
    context.close()
    # The newest backup is damaged as well: the one before it is taken.
    time.sleep(0.01)
    context = open_context(filled, Actor("test"))
    try:
        broken = context.backups.create()
    finally:
        context.close()
    damage(broken.path, share=0.6)
    database = filled.database_file
    damage(database)
    damaged_bytes = digest(database)

    recovery = health.recover(database, filled.backup_dir)

    assert recovery.restored.path == newest.path
    assert recovery.restored.path != older.path
    assert recovery.damaged.parent == database.parent / "hong"
    assert digest(recovery.damaged / database.name) == damaged_bytes
    context = open_context(filled, Actor("test"))
    try:
        assert "Thôn Mới Lập" in {v.name for v in context.villages.list()}
    finally:
        context.close()


def test_without_a_good_backup_nothing_is_moved(filled):
    database = filled.database_file
    damage(database)
    with pytest.raises(BackupError, match="Không có bản sao lưu tốt"):
        health.recover(database, filled.backup_dir)
    assert database.exists()
    assert not (database.parent / "hong").exists()


def _villages(context):
    with context.reading() as session:
        return session.scalar(select(func.count()).select_from(Village))


def _audit_rows(context):
    with context.reading() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry))


def test_a_full_disk_during_a_save_stores_nothing_and_says_so(context):
    context.villages.save(VillageDraft("thon", "Thôn 1"))
    with context.engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()

    # SQLite's own limit on the file's size: it fails exactly as a full disk.
    def limit(dbapi_connection, _record):
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    event.listen(context.engine, "connect", limit)
    context.engine.dispose()
    villages, audit = _villages(context), _audit_rows(context)
    with pytest.raises(DatabaseFull) as caught:
        for number in range(2000):
            context.villages.save(VillageDraft("thon", f"Thôn số {number} " + "x" * 80))
    assert "đã đầy" in caught.value.message
    stored = _villages(context)
    # Every save before the failing one is whole; the failing one left nothing.
    assert _audit_rows(context) - audit == (stored - villages) * (audit // villages)
    event.remove(context.engine, "connect", limit)
    context.engine.dispose()
    context.villages.save(VillageDraft("thon", "Thôn sau khi dọn đĩa"))
    assert _villages(context) == stored + 1


def test_a_database_sqlite_may_not_write_says_so(context):
    def read_only(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA query_only=ON")

    event.listen(context.engine, "connect", read_only)
    context.engine.dispose()
    with pytest.raises(DatabaseNotWritable, match="quyền ghi"):
        context.villages.save(VillageDraft("thon", "Thôn 1"))
    event.remove(context.engine, "connect", read_only)
    context.engine.dispose()
    assert _villages(context) == 0


def _mount_small_disk(point, size="1m"):
    """A real disk that fills up: a small tmpfs (needs root or CAP_SYS_ADMIN)."""
    if sys.platform != "linux" or shutil.which("mount") is None:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def test_a_really_full_disk_under_the_database(tmp_path):
    point = tmp_path / "o-dia-nho"
    point.mkdir()
    if not _mount_small_disk(point):
        pytest.skip("mounting a 1 MB tmpfs is not permitted here (needs root)")
    try:
        settings = Settings(data_dir=point, database_url=database_url(point / "xhht.sqlite"))
        context = open_context(settings, Actor("test"))
        context.setup.init_commune(CommuneSetup(commune_code="24717", year=2026))
        saved = 0
        with pytest.raises(DatabaseFull, match="đã đầy"):
            for number in range(20_000):
                context.villages.save(VillageDraft("thon", f"Thôn {number} " + "đ" * 80))
                saved += 1
        assert _villages(context) == saved
        context.close()
        connection = sqlite3.connect(settings.database_file)
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        connection.close()
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)
