import pytest
from sqlalchemy import select

from xhht_desktop.errors import LoginFailed, ValidationFailed
from xhht_desktop.services.users import NewUser
from xhht_desktop.store.models import User


def test_password_is_stored_with_a_kdf_never_in_clear(context):
    context.users.create(NewUser("nhaplieu", "Hà Văn Tú", "data_entry", "mật khẩu tốt"))
    with context.reading() as session:
        stored = session.scalars(select(User.password_hash)).one()
    assert stored.startswith("scrypt$")
    assert "mật khẩu" not in stored
    assert context.users.authenticate("nhaplieu", "mật khẩu tốt").role == "data_entry"


def test_wrong_password_and_unknown_user_fail_alike(context):
    context.users.create(NewUser("nhaplieu", "Hà Văn Tú", "data_entry", "mật khẩu tốt"))
    with pytest.raises(LoginFailed) as wrong:
        context.users.authenticate("nhaplieu", "sai")
    with pytest.raises(LoginFailed) as unknown:
        context.users.authenticate("khongco", "sai")
    assert wrong.value.message == unknown.value.message
    with context.reading() as session:
        assert session.scalars(select(User.failed_logins)).one() == 1


def test_usernames_are_unique_and_roles_known(context):
    context.users.create(NewUser("pheduyet", "Lò Văn Sáu", "approver", "12345678"))
    with pytest.raises(ValidationFailed) as refused:
        context.users.create(NewUser("pheduyet", "Khác", "boss", "12345678"))
    assert refused.value.for_field("username")
    assert refused.value.for_field("role")
    assert [u.username for u in context.users.list()] == ["pheduyet"]


def test_create_returns_the_stored_user_with_its_id(context):
    created = context.users.create(NewUser("lan.le", "Lê Thị Lan", "approver", "matkhau-2026"))
    assert created.id is not None
    assert created.active is True
    assert context.users.list() == [created]
