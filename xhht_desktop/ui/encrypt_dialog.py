"""Encrypting data that is not encrypted yet: the banner that asks, the dialog that does.

The banner stands above the pages of the main window while the data of a local
file is plain; its button (administrators only) opens the dialog. The dialog
asks for the administrator's password (it becomes the key to the data),
encrypts, then shows the recovery key once, with its printable sheet.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.core.recovery import RecoveryKey
from xhht_desktop.errors import LoginFailed, XhhtError
from xhht_desktop.ui import style
from xhht_desktop.ui.recovery_panel import RecoveryPanel
from xhht_desktop.ui.tasks import BackgroundTask

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext


class EncryptionBanner(QWidget):
    """ "Dữ liệu trên máy này chưa được mã hóa…" with a button for administrators.

    Signals:
        encrypt_requested(): the button was pressed.
    """

    encrypt_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("encryptionBanner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(f"#encryptionBanner {{ {style.DEMO_BANNER} }}")
        self.text = QLabel(
            self.tr(
                "Dữ liệu trên máy này chưa được mã hóa: ai chép được tệp dữ liệu là đọc được "
                "họ tên, ngày sinh của người dân."
            )
        )
        self.text.setWordWrap(True)
        self.button = QPushButton(self.tr("&Mã hóa dữ liệu…"))
        self.button.clicked.connect(self.encrypt_requested)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 2, 8, 2)
        row.addWidget(self.text, 1)
        row.addWidget(self.button)


class EncryptDialog(QDialog):
    """Password, encrypt, recovery key; Esc cancels before, Enter closes after.

    Signals:
        encrypted(): the data is encrypted now.
        failed(): encrypting was refused (wrong password…); nothing changed.
    """

    encrypted = Signal()
    failed = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._task: BackgroundTask | None = None
        self.setWindowTitle(self.tr("Mã hóa dữ liệu"))
        self.pages = QStackedWidget()

        ask = QWidget()
        intro = QLabel(
            self.tr(
                "Sau khi mã hóa, chỉ ai có mật khẩu (hoặc tờ khóa khôi phục) mới mở được dữ "
                "liệu và các bản sao lưu. Bản chưa mã hóa được ghi đè rồi xóa.\n\n"
                "Người dùng khác cần được người quản trị đặt lại mật khẩu trước khi đăng nhập "
                "lại. Nhập mật khẩu của bạn ({name}) để bắt đầu."
            ).format(name=context.actor.name)
        )
        intro.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setStyleSheet(style.FIELD_MESSAGE)
        self.message.setWordWrap(True)
        form = QFormLayout()
        label = QLabel(self.tr("&Mật khẩu của bạn:"))
        label.setBuddy(self.password)
        form.addRow(label, self.password)
        ask_layout = QVBoxLayout(ask)
        ask_layout.addWidget(intro)
        ask_layout.addLayout(form)
        ask_layout.addWidget(self.message)
        ask_layout.addStretch(1)

        self.panel = RecoveryPanel(Path.home())
        self.pages.addWidget(ask)
        self.pages.addWidget(self.panel)

        self.buttons = QDialogButtonBox()
        self.go_button = QPushButton(self.tr("Mã hóa"))
        self.go_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Hủy"))
        self.buttons.addButton(self.go_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.panel.confirmed_changed.connect(self._confirmed)

        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        layout.addWidget(self.buttons)
        self.setMinimumSize(700, 500)
        self.password.setFocus()

    def _confirmed(self, checked: bool) -> None:
        self.go_button.setEnabled(checked)
        # Disabling took the default away; Enter closes once the key is kept.
        self.go_button.setDefault(checked)

    def accept(self) -> None:
        """First Enter: encrypt. Second (once the key is kept): close."""
        if self.pages.currentIndex() == 1:
            if self.panel.is_confirmed():
                super().accept()
            return
        if self._task is not None:
            return
        info = self.context.setup.installation()
        self.panel.unit_name = info.display_name if info is not None else ""
        password, recovery = self.password.text(), self.panel.recovery
        # Minutes on a large commune: off the GUI thread, the dialog says so.
        self._task = BackgroundTask(
            lambda: self.context.encryption.encrypt(self.context.actor.name, password, recovery),
            self,
        )
        self._task.finished.connect(self._done)
        self._task.failed.connect(self._failed)
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Đang mã hóa dữ liệu, xin chờ… Đừng tắt máy."))
        self.password.setEnabled(False)
        self.go_button.setEnabled(False)
        self.cancel_button.setEnabled(False)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        self._task.start()

    def _failed(self, error: BaseException) -> None:
        QApplication.restoreOverrideCursor()
        self._task = None
        self.password.setEnabled(True)
        self.go_button.setEnabled(True)
        self.go_button.setDefault(True)
        self.cancel_button.setEnabled(True)
        self.message.setStyleSheet(style.FIELD_MESSAGE)
        if isinstance(error, LoginFailed):
            self.message.setText(self.tr("Sai mật khẩu."))
            self.password.clear()
        elif isinstance(error, XhhtError):
            self.message.setText(error.message)
        else:
            self.message.setText(str(error))
        self.password.setFocus()
        self.failed.emit()

    def _done(self, recovery: RecoveryKey) -> None:
        QApplication.restoreOverrideCursor()
        self._task = None
        self.panel.set_recovery(recovery)
        self.pages.setCurrentIndex(1)
        self.go_button.setText(self.tr("Đóng"))
        self.go_button.setEnabled(False)
        # No way back: the data is encrypted, only the key is left to keep.
        self.cancel_button.setVisible(False)
        self.panel.save_button.setFocus()
        self.encrypted.emit()

    def reject(self) -> None:
        """Esc cancels before encrypting; afterwards the key must be confirmed first."""
        if self._task is not None:
            return
        if self.pages.currentIndex() == 1 and not self.panel.is_confirmed():
            return
        super().reject()
