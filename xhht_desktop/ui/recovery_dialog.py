"""Open encrypted data with the recovery key and give an administrator a new password.

Reached from the login dialog when every password is forgotten. The key is
checked group by group as it is typed back from the sheet, so a typo is
pointed at before anything is tried.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.context import Actor
from xhht_desktop.errors import ValidationFailed, XhhtError
from xhht_desktop.services import encryption
from xhht_desktop.ui.login_dialog import refusal_label

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext
    from xhht_desktop.services.users import UserInfo
    from xhht_desktop.settings import Settings


class RecoveryDialog(QDialog):
    """Recovery key, administrator, new password twice; Enter opens, Esc cancels.

    Attributes:
        context: The opened (unlocked) context once accepted, else ``None``.
        user: The administrator, logged in with the new password.
    """

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.context: AppContext | None = None
        self.user: UserInfo | None = None
        self.setWindowTitle(self.tr("Mở dữ liệu bằng khóa khôi phục"))
        intro = QLabel(
            self.tr(
                "Gõ khóa khôi phục in trên tờ giấy cất trong tủ của đơn vị (10 nhóm, mỗi nhóm "
                "5 ký tự; không phân biệt chữ hoa, chữ thường) — hoặc 64 chữ số khóa do cơ quan "
                "nhận đọc lại từ tệp khóa gửi giữ —, rồi đặt mật khẩu mới cho người quản trị."
            )
        )
        intro.setWordWrap(True)
        self.key = QLineEdit()
        self.key.setPlaceholderText("XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX")
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.key.setFont(mono)
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("ít nhất 8 ký tự"))
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = refusal_label(3)

        form = QFormLayout()
        for text, field in (
            (self.tr("&Khóa khôi phục:"), self.key),
            (self.tr("&Tên đăng nhập quản trị:"), self.username),
            (self.tr("&Mật khẩu mới:"), self.password),
            (self.tr("Nhập &lại mật khẩu:"), self.confirm),
        ):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)
            field.textEdited.connect(self.message.clear)

        buttons = QDialogButtonBox()
        self.open_button = QPushButton(self.tr("Mở dữ liệu"))
        self.open_button.setDefault(True)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Hủy"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(760)
        self.key.setFocus()

    def accept(self) -> None:
        """Open the data; stay open and say why when it cannot."""
        if self.password.text() != self.confirm.text():
            self.message.setText(self.tr("Mật khẩu nhập lại không khớp."))
            self.confirm.setFocus()
            self.confirm.selectAll()
            return
        username = self.username.text().strip()
        try:
            context, user = encryption.recover(
                self.settings, self.key.text(), username, self.password.text(), Actor(username)
            )
        except ValidationFailed as exc:
            self.message.setText("\n".join(issue.message for issue in exc.issues))
            return
        except XhhtError as exc:
            self.message.setText(exc.message)
            self.key.setFocus()
            return
        self.context, self.user = context, user
        super().accept()
