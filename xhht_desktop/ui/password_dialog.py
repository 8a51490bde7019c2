"""Passwords: Tệp → Đổi mật khẩu… (one's own), and the administrator's reset of another's.

Both ask for the new password twice; a refusal (too short, the current
password wrong, the two not alike) is shown in red beside its field and the
dialog stays open. On encrypted data the services wrap the database key under
the new password, so it opens the data from the next login on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.errors import FieldIssue, ValidationFailed, XhhtError
from xhht_desktop.services.users import MIN_PASSWORD_LENGTH
from xhht_desktop.ui import style
from xhht_desktop.ui.forms.field_row import FieldLayout

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext
    from xhht_desktop.services.users import UserInfo


def password_edit() -> QLineEdit:
    """A line edit that hides what is typed."""
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class _PasswordDialog(QDialog):
    """New password twice (and, for one's own, the current one); Enter saves, Esc cancels.

    Signals:
        password_changed(): the new password is stored.
    """

    password_changed = Signal()

    def __init__(self, context: AppContext, ask_current: bool, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.context = context
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.fields = FieldLayout()
        self.old_password: QLineEdit | None = None
        if ask_current:
            self.old_password = password_edit()
            self.fields.add_field("old_password", self.tr("Mật khẩu &hiện tại:"), self.old_password)
        self.password = password_edit()
        self.password.setPlaceholderText(
            self.tr("ít nhất {count} ký tự").format(count=MIN_PASSWORD_LENGTH)
        )
        self.fields.add_field("password", self.tr("Mật khẩu &mới:"), self.password)
        self.confirm = password_edit()
        self.fields.add_field("confirm", self.tr("&Nhập lại mật khẩu mới:"), self.confirm)
        self.message = QLabel()
        self.message.setStyleSheet(style.FIELD_MESSAGE)
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("&Lưu"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("&Hủy"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.fields)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.fields.chain_tab_order(
            [
                buttons.button(QDialogButtonBox.StandardButton.Save),
                buttons.button(QDialogButtonBox.StandardButton.Cancel),
            ]
        )
        self.setMinimumWidth(480)
        self.fields.editors()[0].setFocus()

    def _store(self) -> None:
        raise NotImplementedError

    def accept(self) -> None:
        """Store the new password; stay open and say why when it is refused."""
        self.message.setVisible(False)
        try:
            if self.password.text() != self.confirm.text():
                raise ValidationFailed(
                    [FieldIssue("confirm", self.tr("Hai lần nhập mật khẩu mới không giống nhau."))]
                )
            self._store()
        except ValidationFailed as refused:
            leftover = self.fields.show_issues(refused)
            if leftover:
                self.message.setText("\n".join(leftover))
                self.message.setVisible(True)
            return
        except XhhtError as error:
            self.fields.clear_issues()
            self.message.setText(error.message)
            self.message.setVisible(True)
            return
        self.password_changed.emit()
        super().accept()


class ChangePasswordDialog(_PasswordDialog):
    """Tệp → Đổi mật khẩu…: the logged-in user changes their own password."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, ask_current=True, parent=parent)
        self.setWindowTitle(self.tr("Đổi mật khẩu"))
        self.intro.setText(
            self.tr(
                "Nhập mật khẩu đang dùng, rồi mật khẩu mới hai lần. Từ lần đăng nhập sau (và "
                "khi mở khóa màn hình), hãy dùng mật khẩu mới; mật khẩu cũ không còn dùng được."
            )
        )

    def _store(self) -> None:
        assert self.old_password is not None
        self.context.users.change_own_password(self.old_password.text(), self.password.text())


class ResetPasswordDialog(_PasswordDialog):
    """The administrator gives ``user`` a new password (forgotten, or after encrypting)."""

    def __init__(self, context: AppContext, user: UserInfo, parent: QWidget | None = None) -> None:
        super().__init__(context, ask_current=False, parent=parent)
        self.user = user
        self.setWindowTitle(self.tr("Đặt lại mật khẩu"))
        self.intro.setText(
            self.tr(
                "Mật khẩu mới cho {name} ({username}). Hãy báo mật khẩu này cho người dùng "
                "(trực tiếp, không qua tin nhắn) và nhắc họ đổi lại bằng Tệp → Đổi mật khẩu… "
                "sau khi đăng nhập."
            ).format(name=user.full_name, username=user.username)
        )

    def _store(self) -> None:
        self.context.users.reset_password(self.user.id, self.password.text())
