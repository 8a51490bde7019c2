"""The login dialog: who is working on this copy.

A refused login is said inside the dialog, never in a popup, and without
telling whether the name or the password was wrong. From the third refusal
on, the button rests a little longer after each try, so guessing by hand is
slow while a typo costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
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

from xhht_desktop.errors import LoginFailed
from xhht_desktop.services.users import UserInfo
from xhht_desktop.ui import style

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext

FAILURES_BEFORE_PAUSE = 3
PAUSE_MS = 1000
MAX_PAUSE_MS = 10_000


class LoginDialog(QDialog):
    """Ask for a user name and password; Enter logs in, Esc cancels.

    Signals:
        logged_in(object): the authenticated user (``UserInfo``).

    Attributes:
        user: The authenticated user once the dialog is accepted, else ``None``.
        failures: Refused attempts in this dialog.
    """

    logged_in = Signal(object)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.user: UserInfo | None = None
        self.failures = 0
        self.setWindowTitle(self.tr("Đăng nhập — XHHT Desktop"))

        info = context.setup.installation()
        self.unit = QLabel(info.display_name if info is not None else "")
        self.unit.setStyleSheet(style.PAGE_TITLE)
        self.unit.setWordWrap(True)
        self.year = QLabel(
            self.tr("Năm báo cáo: {year}").format(year=info.year) if info is not None else ""
        )
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setStyleSheet(style.FIELD_MESSAGE)
        self.message.setWordWrap(True)
        # Space for the message is kept from the start: the dialog does not
        # jump when a refusal is shown.
        self.message.setMinimumHeight(self.message.fontMetrics().lineSpacing() * 2)

        buttons = QDialogButtonBox()
        self.login_button = QPushButton(self.tr("Đăng nhập"))
        self.login_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Thoát"))
        buttons.addButton(self.login_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        form = QFormLayout()
        user_label = QLabel(self.tr("&Tên đăng nhập:"))
        user_label.setBuddy(self.username)
        password_label = QLabel(self.tr("&Mật khẩu:"))
        password_label.setBuddy(self.password)
        form.addRow(user_label, self.username)
        form.addRow(password_label, self.password)

        layout = QVBoxLayout(self)
        layout.addWidget(self.unit)
        layout.addWidget(self.year)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumSize(420, 240)
        self.username.setFocus()
        self.username.textEdited.connect(self._clear_message)
        self.password.textEdited.connect(self._clear_message)

    def _clear_message(self) -> None:
        self.message.clear()

    def accept(self) -> None:
        """Try the login; close only when it succeeds."""
        if not self.login_button.isEnabled():
            return
        username = self.username.text().strip()
        if not username:
            self.message.setText(self.tr("Hãy nhập tên đăng nhập."))
            self.username.setFocus()
            return
        try:
            user = self.context.users.authenticate(username, self.password.text())
        except LoginFailed:
            self._refused()
            return
        self.user = user
        self.logged_in.emit(user)
        super().accept()

    def _refused(self) -> None:
        self.failures += 1
        self.message.setText(self.tr("Sai tên đăng nhập hoặc mật khẩu."))
        self.password.clear()
        self.password.setFocus()
        if self.failures >= FAILURES_BEFORE_PAUSE:
            pause = min(PAUSE_MS * (self.failures - FAILURES_BEFORE_PAUSE + 1), MAX_PAUSE_MS)
            self.login_button.setEnabled(False)
            QTimer.singleShot(pause, self, self._resume)

    def _resume(self) -> None:
        self.login_button.setEnabled(True)
        # The pause may have taken the focus away with the disabled button.
        if self.focusWidget() is None or not self.focusWidget().isEnabled():
            self.password.setFocus()
