import sqlite3

import pytest

from xhht_desktop.core.registers import VillageDraft
from xhht_desktop.errors import BackupError
from xhht_desktop.store import backup


def _names(context):
    return [v.name for v in context.villages.list()]


def test_a_manual_backup_restores_what_was_deleted(context):
    village = context.villages.save(VillageDraft("thon", "Thôn Thuận Hòa"))
    made = context.backups.create()
    context.villages.delete(village.id)
    assert _names(context) == []
    safety = context.backups.restore(made.path)
    assert _names(context) == ["Thôn Thuận Hòa"]
    # The state before the restore was kept, and is itself restorable.
    assert safety is not None and safety.path.exists()
    context.backups.restore(safety.path)
    assert _names(context) == []


def test_a_backup_is_one_complete_verified_file(context):
    context.villages.save(VillageDraft("thon", "Thôn 1"))
    made = context.backups.create()
    assert made.path.name.endswith(backup.SUFFIX)
    assert not list(made.path.parent.glob("*.partial"))
    with sqlite3.connect(made.path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert connection.execute("SELECT name FROM villages").fetchall() == [("Thôn 1",)]


def test_automatic_backups_rotate_and_manual_ones_stay(context):
    manual = context.backups.create()
    for _ in range(context.settings.backups_kept + 3):
        context.backups.automatic("khoi-dong")
    kept = context.backups.list()
    assert len([b for b in kept if b.reason == "khoi-dong"]) == context.settings.backups_kept
    assert manual.path in [b.path for b in kept]
    assert kept == sorted(kept, key=lambda b: b.created, reverse=True)


@pytest.mark.parametrize(
    "content",
    [b"", b"this is not a database at all", b"SQLite format 3\x00" + b"\x00" * 200],
)
def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(context, tmp_path, content):
    context.villages.save(VillageDraft("thon", "Thôn 1"))
    bogus = tmp_path / "bogus.sqlite"
    bogus.write_bytes(content)
    with pytest.raises(BackupError):
        context.backups.restore(bogus)
    assert _names(context) == ["Thôn 1"]


def test_a_foreign_sqlite_database_is_refused(context, tmp_path):
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE t (x)")
    with pytest.raises(BackupError, match="không phải dữ liệu của XHHT"):
        context.backups.restore(other)


def test_a_backup_from_a_newer_version_is_refused(context):
    made = context.backups.create()
    with sqlite3.connect(made.path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    with pytest.raises(BackupError, match="phiên bản mới hơn"):
        context.backups.restore(made.path)


def test_missing_backup_file(context, tmp_path):
    with pytest.raises(BackupError, match="Không tìm thấy"):
        context.backups.restore(tmp_path / "missing.sqlite")
