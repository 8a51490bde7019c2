from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from xhht_desktop.context import Actor, open_context
from xhht_desktop.core import login_delay
from xhht_desktop.errors import LoginFailed, LoginThrottled, ValidationFailed
from xhht_desktop.services.users import (
    DEFAULT_IDLE_LOCK_MINUTES,
    MAX_IDLE_LOCK_MINUTES,
    NewUser,
    UserService,
)
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


class _Clock:
    """A clock the test moves by hand: the slowdown is checked without sleeping."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def _fail(users, username="nhaplieu"):
    with pytest.raises(LoginFailed) as refused:
        users.authenticate(username, "sai mật khẩu")
    return refused.value


def test_failed_logins_wait_longer_each_time_and_survive_a_restart(context, settings):
    context.users.create(NewUser("nhaplieu", "Hà Văn Tú", "data_entry", "mật khẩu tốt"))
    clock = _Clock()
    users = UserService(context, clock=clock)
    # Two typos cost nothing.
    for _ in range(2):
        assert not isinstance(_fail(users), LoginThrottled)
        assert users.login_wait("nhaplieu") == 0
    waits = []
    for _ in range(4):
        assert not isinstance(_fail(users), LoginThrottled)
        waits.append(users.login_wait("nhaplieu"))
        # During the wait even the right password is not checked.
        with pytest.raises(LoginThrottled) as throttled:
            users.authenticate("nhaplieu", "mật khẩu tốt")
        assert throttled.value.seconds == waits[-1]
        assert f"Hãy chờ {waits[-1]} giây" in throttled.value.message
        clock.advance(waits[-1])
    assert waits == [1, 2, 4, 8]

    # Another copy of the app (a restart) still knows the count.
    _fail(users)
    context.close()
    reopened = open_context(settings, Actor("test:admin"))
    try:
        again = UserService(reopened, clock=clock)
        assert again.login_wait("nhaplieu") == 16
        clock.advance(16)
        assert again.authenticate("nhaplieu", "mật khẩu tốt").username == "nhaplieu"
        # A success clears the count: the next typo is free again.
        _fail(again)
        assert again.login_wait("nhaplieu") == 0
    finally:
        reopened.close()


def test_the_wait_is_per_name_and_unknown_names_wait_alike(context):
    context.users.create(NewUser("nhaplieu", "Hà Văn Tú", "data_entry", "mật khẩu tốt"))
    clock = _Clock()
    users = UserService(context, clock=clock)
    for _ in range(4):
        _fail(users, "khongco")
        clock.advance(60)
    for _ in range(4):
        _fail(users, "nhaplieu")
        clock.advance(60)
    assert users.login_wait("khongco") == users.login_wait("nhaplieu") == 0
    _fail(users, "khongco")
    _fail(users, "nhaplieu")
    assert users.login_wait("khongco") == users.login_wait("nhaplieu") == 4
    assert users.login_wait("pheduyet") == 0


def test_the_wait_is_capped_and_a_clock_set_back_does_not_lock_for_long():
    assert login_delay.wait_after(2) == timedelta(0)
    assert login_delay.wait_after(3) == timedelta(seconds=1)
    assert login_delay.wait_after(100) == timedelta(seconds=login_delay.MAX_WAIT_SECONDS)
    then = datetime(2026, 11, 23, tzinfo=UTC)
    assert login_delay.remaining(5, then, then - timedelta(days=3)) == timedelta(seconds=4)


def test_the_idle_lock_setting_defaults_is_checked_and_kept(context, settings):
    assert context.users.idle_lock_minutes() == DEFAULT_IDLE_LOCK_MINUTES
    assert context.users.set_idle_lock_minutes(0) == 0
    for wrong in (-1, MAX_IDLE_LOCK_MINUTES + 1, True):
        with pytest.raises(ValidationFailed, match="số phút từ 0"):
            context.users.set_idle_lock_minutes(wrong)
    context.users.set_idle_lock_minutes(15)
    context.close()
    reopened = open_context(settings, Actor("test:admin"))
    try:
        assert reopened.users.idle_lock_minutes() == 15
    finally:
        reopened.close()
