"""Users of this copy: who may enter data, approve and sign, or administer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xhht_desktop.core import passwords
from xhht_desktop.core import text as vntext
from xhht_desktop.errors import FieldIssue, LoginFailed, ValidationFailed
from xhht_desktop.store.models import User, utcnow

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext

ROLES: dict[str, str] = {
    "data_entry": "Nhập liệu",
    "approver": "Phê duyệt, ký báo cáo",
    "admin": "Quản trị",
}
MIN_PASSWORD_LENGTH = 8
_USERNAME = re.compile(r"^[a-z0-9._-]{3,64}$")


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


class UserService:
    def __init__(self, context: AppContext) -> None:
        self.context = context

    def create(self, user: NewUser) -> UserInfo:
        with self.context.transaction() as session:
            row = add_user(session, user)
            # The id and the defaults are filled in by the flush, not before.
            session.flush()
            return _info(row)

    def list(self) -> list[UserInfo]:
        with self.context.reading() as session:
            return [_info(u) for u in session.scalars(select(User).order_by(User.username))]

    def authenticate(self, username: str, password: str) -> UserInfo:
        """Check a login; raises ``LoginFailed`` without saying which part was wrong."""
        with self.context.transaction() as session:
            row = session.scalars(select(User).where(User.username == username.strip())).first()
            if row is None or not row.active:
                # Spend the same time as a real check, so a wrong name is not
                # told apart from a wrong password by the clock.
                passwords.verify_password(password, _dummy_hash())
                raise LoginFailed()
            if not passwords.verify_password(password, row.password_hash):
                row.failed_logins += 1
                session.commit()
                raise LoginFailed()
            row.failed_logins = 0
            row.last_login_at = utcnow()
            return _info(row)


@cache
def _dummy_hash() -> str:
    return passwords.hash_password("not a password of anybody")
