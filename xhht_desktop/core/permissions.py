"""Who may do what: the one table of actions and the roles allowed each.

Services call :func:`require` (through ``AppContext.require``) at the top of
every use case that not every role may run; the UI asks :func:`allowed` to
hide or disable what the user's role cannot do. Hiding is a courtesy, the
check in the service is the rule: the CLI and any other caller meet it too.
"""

from __future__ import annotations

from dataclasses import dataclass

from xhht_desktop.errors import PermissionDenied

DATA_ENTRY = "data_entry"
APPROVER = "approver"
ADMIN = "admin"

# Role names inside a sentence ("vai trò phê duyệt"); the full labels for
# lists and forms are ``services.users.ROLES``.
ROLE_WORDS: dict[str, str] = {
    DATA_ENTRY: "nhập liệu",
    APPROVER: "phê duyệt",
    ADMIN: "quản trị",
}

_EVERYONE = frozenset({DATA_ENTRY, APPROVER, ADMIN})
_APPROVERS = frozenset({APPROVER, ADMIN})
_ADMINS = frozenset({ADMIN})


@dataclass(frozen=True)
class Permission:
    """One action and the roles allowed to do it.

    Attributes:
        action: The action's code (``"sign"``).
        what: What the action does, to finish "mới được …" in a refusal.
        roles: The roles allowed.
        refusal: A message of its own, where an older one is already known to
            users; otherwise one is made from ``what`` and ``roles``.
    """

    action: str
    what: str
    roles: frozenset[str]
    refusal: str | None = None

    def message(self, role: str) -> str:
        """The Vietnamese refusal for ``role``: what is needed and what to do."""
        if self.refusal is not None:
            return self.refusal
        allowed = " hoặc ".join(
            ROLE_WORDS[r] for r in (DATA_ENTRY, APPROVER, ADMIN) if r in self.roles
        )
        current = ROLE_WORDS.get(role, role)
        return (
            f"Chỉ người dùng có vai trò {allowed} mới được {self.what}. Bạn đang làm việc với "
            f"vai trò {current}; hãy nhờ người có quyền làm việc này, hoặc đăng nhập bằng "
            "tài khoản của họ."
        )


PERMISSIONS: dict[str, Permission] = {
    p.action: p
    for p in (
        Permission(
            "edit_registers",
            "thêm, sửa, xóa hồ sơ (thôn, hộ, nhân khẩu, dòng họ, đơn vị, số liệu tổng hợp)",
            _EVERYONE,
        ),
        Permission("import_roster", "nhập danh sách từ tệp Excel", _EVERYONE),
        # Entering a decision the chairman has signed is data entry; deciding
        # against the rule (an override) is not.
        Permission("recognise", "ghi quyết định công nhận, thu hồi công nhận", _EVERYONE),
        Permission(
            "approve_override",
            "công nhận khi chưa đủ điều kiện",
            _APPROVERS,
            refusal=(
                "Chỉ người phê duyệt hoặc quản trị mới được công nhận khi chưa đủ điều kiện "
                "(chưa đăng ký hoặc chưa đạt). Hãy nhờ người phê duyệt xem xét."
            ),
        ),
        Permission("sign", "ký số báo cáo và quản lý chứng thư số", _APPROVERS),
        Permission("export_package", "xuất gói dữ liệu gửi cấp trên", _APPROVERS),
        Permission("import_package", "nhập gói dữ liệu và biên nhận", _APPROVERS),
        Permission("manage_plans", "chọn, sao chép, sửa, xóa kế hoạch và chỉ tiêu", _APPROVERS),
        Permission("manage_users", "thêm, sửa người dùng", _ADMINS),
        Permission("restore_backup", "khôi phục dữ liệu từ bản sao lưu", _ADMINS),
        Permission("change_settings", "thay đổi cài đặt", _ADMINS),
    )
}


def allowed(role: str, action: str) -> bool:
    """Whether ``role`` may do ``action``.

    Raises:
        KeyError: ``action`` is not in the table (a programming error).
    """
    return role in PERMISSIONS[action].roles


def require(role: str, action: str) -> None:
    """Refuse ``action`` unless ``role`` may do it.

    Raises:
        PermissionDenied: with a Vietnamese message saying who may.
        KeyError: ``action`` is not in the table (a programming error).
    """
    permission = PERMISSIONS[action]
    if role not in permission.roles:
        raise PermissionDenied(permission.message(role))
