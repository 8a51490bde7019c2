"""Managing users: lock, unlock, roles, passwords set by the admin or by oneself."""

from __future__ import annotations

import pytest

from xhht_desktop.context import Actor, AppContext, open_context
from xhht_desktop.errors import LoginFailed, PermissionDenied, UnlockFailed, ValidationFailed
from xhht_desktop.services import encryption
from xhht_desktop.services.users import NewUser, UserInfo
from xhht_desktop.settings import Settings
from xhht_desktop.store import keystore

ADMIN = NewUser("quantri", "Lê Văn Quản", "admin", "mật-khẩu-quản-trị")
CLERK = NewUser("nhaplieu", "Trần Thị Nhập", "data_entry", "mat-khau-nhap-lieu")


@pytest.fixture
def users(context: AppContext) -> tuple[UserInfo, UserInfo]:
    """An administrator and a clerk; the context acts as the administrator, logged in."""
    admin = context.users.create(ADMIN)
    clerk = context.users.create(CLERK)
    context.actor = Actor(admin.username, "admin", admin.id)
    return admin, clerk


def _audit(context: AppContext, record_id: str) -> list[tuple[str | None, str | None, str | None]]:
    return [(row.field, row.old_value, row.new_value) for row in context.audit.history(record_id)]


def test_a_locked_user_cannot_log_in_until_unlocked(context, users) -> None:
    _admin, clerk = users
    locked = context.users.deactivate(clerk.id)
    assert locked.active is False
    with pytest.raises(LoginFailed):
        context.users.authenticate(CLERK.username, CLERK.password)
    context.users.reactivate(clerk.id)
    assert context.users.authenticate(CLERK.username, CLERK.password).active
    assert ("role", None, "data_entry") in _audit(context, clerk.id)  # created
    assert ("active", "1", "0") in _audit(context, clerk.id)
    assert ("active", "0", "1") in _audit(context, clerk.id)


def test_the_last_active_admin_is_never_locked_nor_demoted(context, users) -> None:
    admin, clerk = users
    context.actor = Actor("cli")  # the command line: not the admin's own account
    with pytest.raises(ValidationFailed, match="quản trị cuối cùng") as refused:
        context.users.deactivate(admin.id)
    assert refused.value.for_field("active")
    with pytest.raises(ValidationFailed, match="quản trị cuối cùng") as refused:
        context.users.change_role(admin.id, "approver")
    assert refused.value.for_field("role")
    # With a second administrator the first may step down.
    context.users.change_role(clerk.id, "admin")
    assert context.users.change_role(admin.id, "approver").role == "approver"
    # Now the clerk is the only one; a locked admin does not count.
    with pytest.raises(ValidationFailed, match="quản trị cuối cùng"):
        context.users.deactivate(clerk.id)
    assert ("role", "data_entry", "admin") in _audit(context, clerk.id)
    assert ("role", "admin", "approver") in _audit(context, admin.id)
    assert [(u.username, u.role) for u in context.users.list()] == [
        (CLERK.username, "admin"),
        (ADMIN.username, "approver"),
    ]


def test_an_admin_cannot_lock_their_own_account(context, users) -> None:
    admin, clerk = users
    context.users.change_role(clerk.id, "admin")
    with pytest.raises(ValidationFailed, match="Không tự khóa"):
        context.users.deactivate(admin.id)
    assert {u.username: u.active for u in context.users.list()}[ADMIN.username]


def test_only_an_admin_manages_users(context, users) -> None:
    _admin, clerk = users
    context.actor = Actor(clerk.username, "approver", clerk.id)
    for attempt in (
        lambda: context.users.deactivate(clerk.id),
        lambda: context.users.reactivate(clerk.id),
        lambda: context.users.change_role(clerk.id, "admin"),
        lambda: context.users.reset_password(clerk.id, "mat-khau-bat-ky"),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert context.users.by_username(CLERK.username).role == "data_entry"


def test_unknown_role_short_password_and_locked_account_are_refused(context, users) -> None:
    _admin, clerk = users
    with pytest.raises(ValidationFailed) as refused:
        context.users.change_role(clerk.id, "boss")
    assert refused.value.for_field("role")
    with pytest.raises(ValidationFailed) as refused:
        context.users.reset_password(clerk.id, "ngan")
    assert refused.value.for_field("password") == "Mật khẩu cần ít nhất 8 ký tự."
    context.users.deactivate(clerk.id)
    with pytest.raises(ValidationFailed, match="đang bị khóa"):
        context.users.reset_password(clerk.id, "mat-khau-moi-du-dai")
    with pytest.raises(ValidationFailed, match="Không có người dùng"):
        context.users.by_username("khongco")


def test_a_reset_password_works_at_once_and_clears_the_login_slowdown(context, users) -> None:
    _admin, clerk = users
    for _ in range(5):
        with pytest.raises(LoginFailed):
            context.users.authenticate(CLERK.username, "đoán sai")
    assert context.users.login_wait(CLERK.username) > 0
    context.users.reset_password(clerk.id, "mat-khau-moi-du-dai")
    assert context.users.login_wait(CLERK.username) == 0
    assert context.users.authenticate(CLERK.username, "mat-khau-moi-du-dai").id == clerk.id
    with pytest.raises(LoginFailed):
        context.users.authenticate(CLERK.username, CLERK.password)
    # The audit says a password was set, never what it is.
    assert ("password", None, "đặt lại") in _audit(context, clerk.id)
    assert all("mat-khau" not in str(entry) for entry in _audit(context, clerk.id))


def test_everyone_changes_their_own_password_knowing_the_old_one(context, users) -> None:
    _admin, clerk = users
    context.actor = Actor(clerk.username, clerk.role, clerk.id)
    with pytest.raises(ValidationFailed) as refused:
        context.users.change_own_password("sai-mat-khau", "mat-khau-cua-toi")
    assert refused.value.for_field("old_password") == "Mật khẩu hiện tại không đúng."
    with pytest.raises(ValidationFailed) as refused:
        context.users.change_own_password(CLERK.password, "ngan")
    assert refused.value.for_field("password")
    context.users.change_own_password(CLERK.password, "mat-khau-cua-toi")
    assert context.users.authenticate(CLERK.username, "mat-khau-cua-toi").id == clerk.id
    context.actor = Actor("cli")
    with pytest.raises(ValidationFailed, match="đã đăng nhập"):
        context.users.change_own_password("x", "mat-khau-cua-toi")


def test_on_encrypted_data_reset_lock_and_own_change_follow_the_key_file(
    context: AppContext, users, settings: Settings
) -> None:
    admin, clerk = users
    context.encryption.encrypt(ADMIN.username, ADMIN.password)
    assert context.encryption.keyless_users() == [CLERK.username]
    context.users.reset_password(clerk.id, "mat-khau-moi-du-dai")
    assert context.encryption.keyless_users() == []
    # Locking takes the clerk's copy of the key away; unlocking does not give it back.
    context.users.deactivate(clerk.id)
    database = settings.database_file
    assert database is not None
    assert CLERK.username not in keystore.load(database).users
    context.users.reactivate(clerk.id)
    assert context.encryption.keyless_users() == [CLERK.username]
    context.users.reset_password(clerk.id, "mat-khau-lan-hai")
    context.actor = Actor(admin.username, "admin", admin.id)
    context.users.change_own_password(ADMIN.password, "quan-tri-mat-khau-moi")
    context.close()

    with pytest.raises(UnlockFailed):
        encryption.unlock(settings, "mat-khau-moi-du-dai", CLERK.username)
    with pytest.raises(UnlockFailed):
        encryption.unlock(settings, ADMIN.password, ADMIN.username)
    opened, user = encryption.open_unlocked(
        settings, CLERK.username, "mat-khau-lan-hai", Actor("test")
    )
    opened.close()
    assert user.id == clerk.id
    opened, user = encryption.open_unlocked(
        settings, ADMIN.username, "quan-tri-mat-khau-moi", Actor("test")
    )
    try:
        assert user.role == "admin"
        assert [u.username for u in opened.users.list()] == [CLERK.username, ADMIN.username]
    finally:
        opened.close()
    # A plain reopen is refused: the data is still encrypted.
    with pytest.raises(Exception, match="mã hóa"):
        open_context(settings, Actor("test"))


def test_the_audit_log_names_the_user_and_says_what_changed(context) -> None:
    from xhht_desktop.reports.audit_log import entity_label, field_label, value_text

    clerk = context.users.create(NewUser("thuky", "Lê Thị Thư Ký", "data_entry", "mat-khau-1"))
    context.users.change_role(clerk.id, "approver")
    assert context.audit.record_name(clerk.id) == "Lê Thị Thư Ký (thuky)"
    history = context.audit.history(clerk.id)
    assert {entity_label(row.entity) for row in history} == {"Người dùng"}
    changed = [
        (
            field_label(row.field),
            value_text(row.field, row.old_value),
            value_text(row.field, row.new_value),
        )
        for row in history
        if row.field == "role" and row.old_value
    ]
    assert changed == [("Vai trò", "Nhập liệu", "Phê duyệt")]
