"""Users of this copy: who may enter data, approve and sign, or administer."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xhht_desktop.core import login_delay, passwords
from xhht_desktop.core import text as vntext
from xhht_desktop.errors import FieldIssue, LoginFailed, LoginThrottled, ValidationFailed
from xhht_desktop.store import app_settings
from xhht_desktop.store.models import AuditEntry, LoginFailure, User, utcnow

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext

ROLES: dict[str, str] = {
    "data_entry": "Nhập liệu",
    "approver": "Phê duyệt, ký báo cáo",
    "admin": "Quản trị",
}
MIN_PASSWORD_LENGTH = 8
IDLE_LOCK_KEY = "idle_lock_minutes"
DEFAULT_IDLE_LOCK_MINUTES = 10
MAX_IDLE_LOCK_MINUTES = 240
_USERNAME = re.compile(r"^[a-z0-9._-]{3,64}$")
#: The audit log's entity for changes of users (role, lock, password).
USER_ENTITY = "users"
LAST_ADMIN = (
    "Đây là người quản trị cuối cùng còn hoạt động: hãy cho một người dùng khác vai trò quản "
    "trị trước, nếu không sẽ không còn ai quản lý được người dùng."
)


@dataclass(frozen=True)
class NewUser:
    username: str
    full_name: str
    role: str
    password: str


@dataclass(frozen=True)
class UserInfo:
    id: str
    username: str
    full_name: str
    role: str
    active: bool


def validate_new_user(user: NewUser) -> list[FieldIssue]:
    issues = []
    if not _USERNAME.match(user.username):
        issues.append(
            FieldIssue(
                "username",
                "Tên đăng nhập gồm 3–64 chữ thường không dấu, "
                "chữ số, dấu chấm, gạch dưới hoặc gạch ngang.",
            )
        )
    if not vntext.clean(user.full_name):
        issues.append(FieldIssue("full_name", "Họ tên người dùng không được để trống."))
    if user.role not in ROLES:
        issues.append(FieldIssue("role", "Vai trò phải là nhập liệu, phê duyệt hoặc quản trị."))
    if len(user.password) < MIN_PASSWORD_LENGTH:
        issues.append(FieldIssue("password", f"Mật khẩu cần ít nhất {MIN_PASSWORD_LENGTH} ký tự."))
    return issues


def add_user(session: Session, user: NewUser) -> User:
    """Add a user inside the caller's transaction (the set-up wizard's, say)."""
    issues = validate_new_user(user)
    taken = session.scalar(
        select(func.count()).select_from(User).where(User.username == user.username)
    )
    if taken:
        issues.append(FieldIssue("username", f"Tên đăng nhập '{user.username}' đã có người dùng."))
    if issues:
        raise ValidationFailed(issues)
    row = User(
        username=user.username,
        full_name=vntext.clean(user.full_name),
        role=user.role,
        password_hash=passwords.hash_password(user.password),
    )
    session.add(row)
    return row


def _info(row: User) -> UserInfo:
    return UserInfo(row.id, row.username, row.full_name, row.role, row.active)


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive times; they were stored in UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class UserService:
    def __init__(self, context: AppContext, clock: Callable[[], datetime] = utcnow) -> None:
        """Build the service.

        Args:
            context: The application context.
            clock: The time now (UTC); tests pass their own to step through
                the login slowdown without sleeping.
        """
        self.context = context
        self.clock = clock

    def create(self, user: NewUser) -> UserInfo:
        self.context.require("manage_users")
        with self.context.transaction() as session:
            row = add_user(session, user)
            # The id and the defaults are filled in by the flush, not before.
            session.flush()
            self._audit(session, row, "role", None, row.role, action="create")
            info = _info(row)
        # On encrypted data the new user's password unwraps the database key too.
        self.context.encryption.set_user_key(user.username, user.password)
        return info

    def set_password(self, username: str, password: str) -> None:
        """Give a user a new password (an administrator's task).

        On encrypted data the user's copy of the database key is wrapped again
        under it: after a migration this is how the other users get back in.

        Raises:
            PermissionDenied: the actor is not an administrator.
            ValidationFailed: no such user, or the password is too short.
        """
        self.context.require("manage_users")
        issues = []
        if len(password) < MIN_PASSWORD_LENGTH:
            issues.append(
                FieldIssue("password", f"Mật khẩu cần ít nhất {MIN_PASSWORD_LENGTH} ký tự.")
            )
        with self.context.transaction() as session:
            row = session.scalars(select(User).where(User.username == username.strip())).first()
            if row is None:
                issues.append(FieldIssue("username", f"Không có người dùng '{username}'."))
            if issues:
                raise ValidationFailed(issues)
            assert row is not None
            row.password_hash = passwords.hash_password(password)
            name = row.username
        self.context.encryption.set_user_key(name, password)

    # --- managing users (an administrator's tasks) -------------------------

    def _audit(
        self,
        session: Session,
        row: User,
        field: str,
        old: str | None,
        new: str | None,
        action: str = "update",
    ) -> None:
        # Users are not register records, so the flush hook does not see
        # them: each change is logged here, a password only as the fact.
        session.add(
            AuditEntry(
                actor=str(session.info.get("actor") or self.context.actor.name),
                action=action,
                entity=USER_ENTITY,
                record_id=row.id,
                field=field,
                old_value=old,
                new_value=new,
            )
        )

    @staticmethod
    def _row(session: Session, user_id: str) -> User:
        row = session.get(User, user_id)
        if row is None:
            raise ValidationFailed([FieldIssue("user", "Không có người dùng này.")])
        return row

    @staticmethod
    def _other_active_admins(session: Session, user_id: str) -> int:
        return (
            session.scalar(
                select(func.count())
                .select_from(User)
                .where(User.role == "admin", User.active.is_(True), User.id != user_id)
            )
            or 0
        )

    def by_username(self, username: str) -> UserInfo:
        """The user called ``username``.

        Raises:
            ValidationFailed: there is no such user.
        """
        with self.context.reading() as session:
            row = session.scalars(select(User).where(User.username == username.strip())).first()
            if row is None:
                raise ValidationFailed(
                    [FieldIssue("username", f"Không có người dùng '{username.strip()}'.")]
                )
            return _info(row)

    def deactivate(self, user_id: str) -> UserInfo:
        """Lock a user's account: no login, and no copy of the database key any more.

        Raises:
            PermissionDenied: the actor is not an administrator.
            ValidationFailed: no such user, the last active administrator, or
                the actor's own account.
        """
        self.context.require("manage_users")
        with self.context.transaction() as session:
            row = self._row(session, user_id)
            if row.id == self.context.actor.user_id:
                raise ValidationFailed(
                    [
                        FieldIssue(
                            "active",
                            "Không tự khóa tài khoản đang đăng nhập; hãy nhờ một người quản "
                            "trị khác.",
                        )
                    ]
                )
            if (
                row.active
                and row.role == "admin"
                and not self._other_active_admins(session, row.id)
            ):
                raise ValidationFailed([FieldIssue("active", LAST_ADMIN)])
            if row.active:
                row.active = False
                self._audit(session, row, "active", "1", "0")
            info = _info(row)
        # A locked account's password must not open the encrypted file either.
        self.context.encryption.remove_user_key(info.username)
        return info

    def reactivate(self, user_id: str) -> UserInfo:
        """Unlock a user's account.

        On encrypted data the user has no copy of the key until the
        administrator sets a new password (:meth:`reset_password`).

        Raises:
            PermissionDenied: the actor is not an administrator.
            ValidationFailed: no such user.
        """
        self.context.require("manage_users")
        with self.context.transaction() as session:
            row = self._row(session, user_id)
            if not row.active:
                row.active = True
                self._audit(session, row, "active", "0", "1")
            return _info(row)

    def change_role(self, user_id: str, role: str) -> UserInfo:
        """Give a user another role (a code of :data:`ROLES`).

        Raises:
            PermissionDenied: the actor is not an administrator.
            ValidationFailed: an unknown role, no such user, or the last active
                administrator would be demoted.
        """
        self.context.require("manage_users")
        if role not in ROLES:
            raise ValidationFailed(
                [FieldIssue("role", "Vai trò phải là nhập liệu, phê duyệt hoặc quản trị.")]
            )
        with self.context.transaction() as session:
            row = self._row(session, user_id)
            if row.role == role:
                return _info(row)
            if (
                row.role == "admin"
                and row.active
                and not self._other_active_admins(session, row.id)
            ):
                raise ValidationFailed([FieldIssue("role", LAST_ADMIN)])
            self._audit(session, row, "role", row.role, role)
            row.role = role
            return _info(row)

    def reset_password(self, user_id: str, new_password: str) -> UserInfo:
        """Set a user's password (they forgot it, or the data was just encrypted).

        On encrypted data the database key (open in the administrator's
        session) is wrapped again under the new password; the user's refused
        logins are forgotten, so they may log in at once.

        Raises:
            PermissionDenied: the actor is not an administrator.
            ValidationFailed: no such user, a locked account, or a password
                shorter than :data:`MIN_PASSWORD_LENGTH`.
        """
        self.context.require("manage_users")
        issues = _password_issues(new_password)
        with self.context.transaction() as session:
            row = self._row(session, user_id)
            if not row.active:
                issues.append(
                    FieldIssue(
                        "user",
                        f"Tài khoản '{row.username}' đang bị khóa; hãy mở khóa trước khi đặt "
                        "lại mật khẩu.",
                    )
                )
            if issues:
                raise ValidationFailed(issues)
            row.password_hash = passwords.hash_password(new_password)
            row.failed_logins = 0
            failed = session.get(LoginFailure, row.username)
            if failed is not None:
                session.delete(failed)
            self._audit(session, row, "password", None, "đặt lại")
            info = _info(row)
        self.context.encryption.set_user_key(info.username, new_password)
        return info

    def change_own_password(self, old_password: str, new_password: str) -> UserInfo:
        """The logged-in user changes their own password (any role).

        Raises:
            ValidationFailed: the old password is wrong (field ``old_password``),
                the new one too short (``password``), or nobody is logged in.
        """
        actor = self.context.actor
        with self.context.transaction() as session:
            row = session.get(User, actor.user_id) if actor.user_id is not None else None
            if row is None or not row.active:
                raise ValidationFailed(
                    [FieldIssue("user", "Chỉ người dùng đã đăng nhập mới đổi được mật khẩu.")]
                )
            issues = []
            if not passwords.verify_password(old_password, row.password_hash):
                issues.append(FieldIssue("old_password", "Mật khẩu hiện tại không đúng."))
            issues += _password_issues(new_password)
            if new_password and new_password == old_password:
                issues.append(FieldIssue("password", "Mật khẩu mới phải khác mật khẩu hiện tại."))
            if issues:
                raise ValidationFailed(issues)
            row.password_hash = passwords.hash_password(new_password)
            self._audit(session, row, "password", None, "tự đổi")
            info = _info(row)
        self.context.encryption.set_user_key(info.username, new_password)
        return info

    def idle_lock_minutes(self) -> int:
        """Minutes without keyboard or mouse before the screen locks (0: never)."""
        with self.context.reading() as session:
            stored = app_settings.read(session, IDLE_LOCK_KEY)
        # A value edited by hand into nonsense falls back to the default,
        # never to "never lock".
        if isinstance(stored, int) and 0 <= stored <= MAX_IDLE_LOCK_MINUTES:
            return stored
        return DEFAULT_IDLE_LOCK_MINUTES

    def set_idle_lock_minutes(self, minutes: int) -> int:
        """Store the idle time after which the screen locks (an administrator's setting).

        Raises:
            PermissionDenied: the user is not an administrator.
            ValidationFailed: not a whole number of minutes from 0 to
                :data:`MAX_IDLE_LOCK_MINUTES`.
        """
        self.context.require("change_settings")
        if isinstance(minutes, bool) or not isinstance(minutes, int):
            minutes = -1
        if not 0 <= minutes <= MAX_IDLE_LOCK_MINUTES:
            raise ValidationFailed(
                [
                    FieldIssue(
                        "idle_lock_minutes",
                        f"Thời gian khóa màn hình là số phút từ 0 (không khóa) đến "
                        f"{MAX_IDLE_LOCK_MINUTES}.",
                    )
                ]
            )
        with self.context.transaction() as session:
            app_settings.write(session, IDLE_LOCK_KEY, minutes)
        return minutes

    def list(self) -> list[UserInfo]:
        with self.context.reading() as session:
            return [_info(u) for u in session.scalars(select(User).order_by(User.username))]

    def login_wait(self, username: str) -> int:
        """Whole seconds ``username`` must still wait before the next login try (0: none)."""
        with self.context.reading() as session:
            failed = session.get(LoginFailure, username.strip()[:64])
            if failed is None:
                return 0
            left = login_delay.remaining(
                failed.failures, _aware(failed.last_failed_at), self.clock()
            )
        return math.ceil(left.total_seconds())

    def authenticate(self, username: str, password: str) -> UserInfo:
        """Check a login; raises ``LoginFailed`` without saying which part was wrong.

        Refusals in a row are counted per user name in the database (so a
        restart does not reset them) and slow the next tries down
        (:mod:`xhht_desktop.core.login_delay`); a success clears the count.

        Raises:
            LoginThrottled: the name must still wait; the password was not checked.
            LoginFailed: wrong name or password.
        """
        name = username.strip()[:64]
        now = self.clock()
        with self.context.transaction() as session:
            failed = session.get(LoginFailure, name)
            if failed is not None:
                left = login_delay.remaining(failed.failures, _aware(failed.last_failed_at), now)
                if left > timedelta(0):
                    raise LoginThrottled(math.ceil(left.total_seconds()))
            row = session.scalars(select(User).where(User.username == name)).first()
            if row is None or not row.active:
                # Spend the same time as a real check, so a wrong name is not
                # told apart from a wrong password by the clock.
                passwords.verify_password(password, _dummy_hash())
                ok = False
            else:
                ok = passwords.verify_password(password, row.password_hash)
            if not ok:
                if failed is None:
                    failed = LoginFailure(username=name, failures=0, last_failed_at=now)
                    session.add(failed)
                failed.failures += 1
                failed.last_failed_at = now
                if row is not None:
                    row.failed_logins += 1
                session.commit()
                raise LoginFailed()
            if failed is not None:
                session.delete(failed)
            row.failed_logins = 0
            row.last_login_at = now
            return _info(row)


def _password_issues(password: str) -> list[FieldIssue]:
    if len(password) < MIN_PASSWORD_LENGTH:
        return [FieldIssue("password", f"Mật khẩu cần ít nhất {MIN_PASSWORD_LENGTH} ký tự.")]
    return []


@cache
def _dummy_hash() -> str:
    return passwords.hash_password("not a password of anybody")
