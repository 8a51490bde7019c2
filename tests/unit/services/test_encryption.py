"""Encryption at rest: encrypting a database, unlocking it, its backups and keys."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest

from xhht_desktop.context import Actor, AppContext, open_context
from xhht_desktop.core.recovery import RecoveryKey
from xhht_desktop.core.registers import HouseholdDraft, PersonDraft, VillageDraft
from xhht_desktop.errors import (
    BackupError,
    DatabaseLocked,
    KeystoreDamaged,
    LoginFailed,
    PermissionDenied,
    RecoveryKeyInvalid,
    UnlockFailed,
    ValidationFailed,
)
from xhht_desktop.services import encryption
from xhht_desktop.services.users import NewUser
from xhht_desktop.settings import Settings
from xhht_desktop.store import cipher, keystore
from xhht_desktop.store.engine import database_url

# Names that must never be readable in a file copied off the laptop.
PERSON = "Hoàng Thị Xuân Quỳnh"
VILLAGE = "Thôn Khuổi Bốc"
ADMIN = NewUser("quantri", "Lê Văn Quản", "admin", "mật-khẩu-quản-trị")
CLERK = NewUser("nhaplieu", "Trần Thị Nhập", "data_entry", "mat-khau-nhap-lieu")


def _fill(context: AppContext) -> None:
    village = context.villages.save(VillageDraft("thon", VILLAGE))
    household = context.households.save(HouseholdDraft("H001", village.id, PERSON))
    context.persons.save(PersonDraft(household.id, PERSON, 1980, "F", "01"))


def _people(context: AppContext) -> list[str]:
    return [p.full_name for p in context.persons.in_register_order()]


def _files(database: Path) -> list[Path]:
    """The database, its WAL and journal, and every backup beside it."""
    found = [database.with_name(database.name + s) for s in ("", "-wal", "-journal")]
    found += list((database.parent / "backups").glob("*"))
    return [f for f in found if f.is_file()]


def _leaks(database: Path) -> list[str]:
    needles = [text.encode("utf-8") for text in (PERSON, VILLAGE)]
    return [
        f"{path.name}: {needle.decode()}"
        for path in _files(database)
        for needle in needles
        if needle in path.read_bytes()
    ]


@pytest.fixture
def plain(context: AppContext) -> AppContext:
    """A set-up commune with an administrator, a clerk and one person, not encrypted."""
    context.users.create(ADMIN)
    context.users.create(CLERK)
    _fill(context)
    context.backups.automatic("khoi-dong")
    return context


def test_encrypting_keeps_every_record_and_leaves_no_name_readable(plain: AppContext) -> None:
    database = plain.settings.database_file
    assert database is not None
    assert _leaks(database)  # the plain data, and its backup, show the names
    before = cipher.content_digest(database)
    recovery = plain.encryption.encrypt(ADMIN.username, ADMIN.password)
    assert plain.encryption.encrypted
    key = plain.settings.database_key
    assert key == recovery.database_key()
    # Same rows in every table, same content.
    assert cipher.content_digest(database, key) == before
    # The context goes on, on the encrypted file.
    added = plain.villages.save(VillageDraft("thon", "Thôn Mới"))
    assert added.name == "Thôn Mới"
    plain.backups.create()
    plain.backups.automatic("thoat")
    # The WAL is there (the engine is open) and is checked too.
    assert database.with_name(database.name + "-wal").stat().st_size > 0
    assert _leaks(database) == []
    assert not list(database.parent.glob("*.encrypting")) and not list(
        database.parent.glob("*.plain-old")
    )
    # Nothing of a plain SQLite file is left: not even its header.
    for path in _files(database):
        assert not path.read_bytes().startswith(b"SQLite format 3"), path


def test_encrypted_data_opens_only_with_a_password(plain: AppContext, settings: Settings) -> None:
    plain.encryption.encrypt(ADMIN.username, ADMIN.password)
    plain.close()
    assert encryption.is_encrypted(settings)
    with pytest.raises(DatabaseLocked, match=r"đã được mã hóa.*XHHT_PASSWORD"):
        open_context(settings, Actor("test"))
    with pytest.raises(UnlockFailed, match="Sai mật khẩu"):
        encryption.unlock(settings, "đoán thử mật khẩu")
    # The clerk was not in the key file when the data was encrypted: only
    # a password set afterwards (by the administrator) gives them a key.
    with pytest.raises(UnlockFailed):
        encryption.unlock(settings, CLERK.password, CLERK.username)
    unlocked = encryption.unlock(settings, ADMIN.password)
    reopened = open_context(unlocked, Actor("test"))
    try:
        assert _people(reopened) == [PERSON]
    finally:
        reopened.close()


def test_new_user_gets_a_key_and_login_opens_the_data(
    plain: AppContext, settings: Settings
) -> None:
    plain.encryption.encrypt(ADMIN.username, ADMIN.password)
    plain.users.create(NewUser("phongduyet", "Phạm Văn Duyệt", "approver", "mat-khau-duyet"))
    plain.close()
    context, user = encryption.open_unlocked(
        settings, "phongduyet", "mat-khau-duyet", Actor("test")
    )
    try:
        assert user.role == "approver"
        assert context.actor.name == "phongduyet"
    finally:
        context.close()
    with pytest.raises(LoginFailed):
        encryption.open_unlocked(settings, "phongduyet", ADMIN.password, Actor("test"))


def test_recovery_key_sets_a_new_admin_password(plain: AppContext, settings: Settings) -> None:
    recovery = plain.encryption.encrypt(ADMIN.username, ADMIN.password)
    plain.close()
    # Even the key file lost: the recovery key alone opens the data.
    keystore.keystore_path(settings.database_file).unlink()  # type: ignore[arg-type]
    with pytest.raises(KeystoreDamaged, match="Thiếu tệp khóa"):
        encryption.unlock(settings, ADMIN.password)
    groups = recovery.groups
    groups[4] = groups[4][:2] + ("X" if groups[4][2] != "X" else "Y") + groups[4][3:]
    with pytest.raises(RecoveryKeyInvalid, match="nhóm thứ 5"):
        encryption.recover(settings, " ".join(groups), "quantri", "mật khẩu mới", Actor("t"))
    with pytest.raises(RecoveryKeyInvalid, match="dữ liệu khác"):
        encryption.recover(
            settings, RecoveryKey.generate().text, "quantri", "mật khẩu mới", Actor("t")
        )
    with pytest.raises(ValidationFailed, match="Không có người quản trị"):
        encryption.recover(settings, recovery.text, "nhaplieu", "mật khẩu mới", Actor("t"))
    context, user = encryption.recover(
        settings, recovery.text.lower(), "quantri", "mật khẩu mới", Actor("t")
    )
    context.close()
    assert user.username == "quantri"
    # A new key file with the new password; the old password is gone.
    assert encryption.unlock(settings, "mật khẩu mới").database_key == recovery.database_key()
    with pytest.raises(UnlockFailed):
        encryption.unlock(settings, ADMIN.password)


def test_only_an_admin_with_the_right_password_encrypts(plain: AppContext) -> None:
    database = plain.settings.database_file
    assert database is not None
    with pytest.raises(LoginFailed):
        plain.encryption.encrypt(ADMIN.username, "sai mật khẩu")
    with pytest.raises(PermissionDenied):
        plain.encryption.encrypt(CLERK.username, CLERK.password)
    assert not plain.encryption.encrypted and not keystore.exists(database)
    assert sqlite3.connect(database).execute("SELECT count(*) FROM persons").fetchone() == (1,)


def test_encrypted_backups_restore_and_refuse_other_keys(
    plain: AppContext, settings: Settings, tmp_path: Path
) -> None:
    old_plain_backup = plain.backups.list()[0].path
    plain.encryption.encrypt(ADMIN.username, ADMIN.password)
    # The plain backup made before was encrypted in place: it still restores.
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(old_plain_backup).execute("SELECT 1 FROM persons").fetchall()
    made = plain.backups.create(tmp_path / "ban-sao.sqlite")
    plain.persons.delete(next(plain.persons.in_register_order()).id)
    assert _people(plain) == []
    plain.backups.restore(made.path)
    assert _people(plain) == [PERSON]
    plain.backups.restore(old_plain_backup)
    assert _people(plain) == [PERSON]
    # A backup of other data (another key) is refused, and so is a plain one.
    other = dataclasses.replace(plain.settings, database_key=RecoveryKey.generate().database_key())
    with pytest.raises(BackupError, match="không mở được bằng khóa"):
        from xhht_desktop.store import backup

        backup.verify(made.path, other.database_key)
    foreign = tmp_path / "plain.sqlite"
    sqlite3.connect(foreign).close()
    foreign.write_bytes(b"SQLite format 3\0" + bytes(4080))
    with pytest.raises(BackupError, match="chưa mã hóa"):
        plain.backups.restore(foreign)


def test_a_new_password_set_by_the_admin_lets_the_clerk_back_in(
    plain: AppContext, settings: Settings
) -> None:
    plain.encryption.encrypt(ADMIN.username, ADMIN.password)
    assert plain.encryption.keyless_users() == [CLERK.username]
    with pytest.raises(ValidationFailed, match="ít nhất 8"):
        plain.users.set_password(CLERK.username, "ngan")
    plain.users.set_password(CLERK.username, "mat-khau-moi-nhap-lieu")
    assert plain.encryption.keyless_users() == []
    plain.close()
    context, user = encryption.open_unlocked(
        settings, CLERK.username, "mat-khau-moi-nhap-lieu", Actor("test")
    )
    context.close()
    assert user.role == "data_entry"


def test_a_crash_before_the_swap_leaves_plain_data_that_opens(
    plain: AppContext, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = settings.database_file
    assert database is not None
    before = cipher.content_digest(database)

    def power_cut(_plain: Path, _encrypted: Path) -> None:
        raise KeyboardInterrupt  # stands for the process dying here

    monkeypatch.setattr(cipher, "replace_with_encrypted", power_cut)
    with pytest.raises(KeyboardInterrupt):
        plain.encryption.encrypt(ADMIN.username, ADMIN.password)
    plain.close()
    # The key file was written, the swap was not: the data is still plain and opens as such.
    assert keystore.exists(database)
    assert not encryption.is_encrypted(settings)
    reopened = open_context(settings, Actor("test"))
    try:
        assert cipher.content_digest(database) == before
        monkeypatch.undo()
        reopened.encryption.encrypt(ADMIN.username, ADMIN.password)
        assert encryption.is_encrypted(settings)
    finally:
        reopened.close()


def test_an_encrypted_backup_is_refused_by_plain_data(
    plain: AppContext, tmp_path: Path, data_dir: Path
) -> None:
    made = plain.backups.create(tmp_path / "ban-sao.sqlite")
    plain.encryption.encrypt(ADMIN.username, ADMIN.password)
    encrypted_copy = plain.backups.create(tmp_path / "ban-sao-ma-hoa.sqlite")
    plain.close()
    other = open_context(
        Settings(data_dir, database_url(tmp_path / "khac" / "xhht.sqlite")), Actor("test")
    )
    try:
        with pytest.raises(BackupError, match="là bản sao lưu đã mã hóa"):
            other.backups.restore(encrypted_copy.path)
        assert made.path.exists()
    finally:
        other.close()
