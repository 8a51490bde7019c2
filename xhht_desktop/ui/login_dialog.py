"""The login dialog: who is working on this copy.

A refused login is said inside the dialog, never in a popup, and without
telling whether the name or the password was wrong. From the third refusal
in a row on, the button rests for as long as the user service says the name
must wait (:mod:`xhht_desktop.core.login_delay`: longer after each try, and
counted in the database so that restarting the app does not reset it): guessing
by hand is slow while a typo costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer, Signal
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

from xhht_desktop.errors import DatabaseDamaged, LoginFailed, LoginThrottled, XhhtError
from xhht_desktop.services.users import UserInfo
from xhht_desktop.ui import style
from xhht_desktop.ui.recovery_question import offer_recovery

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext
    from xhht_desktop.settings import Settings
    from xhht_desktop.ui.recovery_dialog import RecoveryDialog


def pause_button(button: QPushButton, seconds: int, resumed: Callable[[], None]) -> None:
    """Disable ``button`` for ``seconds`` (the login slowdown), then call ``resumed``."""
    if seconds <= 0:
        return
    button.setEnabled(False)
    QTimer.singleShot(seconds * 1000, button, resumed)


def refusal_label(lines: int = 2) -> QLabel:
    """The label that says why the last try was refused.

    Room for ``lines`` lines is kept from the start: the dialog does not jump
    when a refusal is shown.
    """
    label = QLabel()
    label.setStyleSheet(style.FIELD_MESSAGE)
    label.setWordWrap(True)
    label.setMinimumHeight(label.fontMetrics().lineSpacing() * lines)
    return label


def credentials_form(username: QLineEdit, password: QLineEdit, message: QLabel) -> QFormLayout:
    """The user name and password rows (Alt+T, Alt+M); typing in either clears ``message``."""
    form = QFormLayout()
    user_label = QLabel(QCoreApplication.translate("LoginDialog", "&Tên đăng nhập:"))
    user_label.setBuddy(username)
    password_label = QLabel(QCoreApplication.translate("LoginDialog", "&Mật khẩu:"))
    password_label.setBuddy(password)
    form.addRow(user_label, username)
    form.addRow(password_label, password)
    username.textEdited.connect(message.clear)
    password.textEdited.connect(message.clear)
    return form


class LoginDialog(QDialog):
    """Ask for a user name and password; Enter logs in, Esc cancels.

    Signals:
        logged_in(object): the authenticated user (``UserInfo``).

    On encrypted data the dialog opens before the data does (``context`` is
    ``None``, ``settings`` says where the data is): the login unlocks the
    data, then is checked against it, and "Mở bằng khóa khôi phục…" is offered.

    Attributes:
        context: The data's context; on encrypted data, the one the login
            opened (``None`` until then).
        user: The authenticated user once the dialog is accepted, else ``None``.
        failures: Refused attempts in this dialog.
    """

    logged_in = Signal(object)

    def __init__(
        self,
        context: AppContext | None,
        parent: QWidget | None = None,
        *,
        settings: Settings | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.settings = settings
        self.user: UserInfo | None = None
        self.failures = 0
        self.setWindowTitle(self.tr("Đăng nhập — XHHT Desktop"))

        info = context.setup.installation() if context is not None else None
        if context is None:
            from xhht_desktop.services import encryption

            assert settings is not None, "a locked login needs the settings of its data"
            unit_name = encryption.label(settings)
        else:
            unit_name = info.display_name if info is not None else ""
        self.unit = QLabel(unit_name)
        self.unit.setStyleSheet(style.PAGE_TITLE)
        self.unit.setWordWrap(True)
        self.year = QLabel(
            self.tr("Năm báo cáo: {year}").format(year=info.year) if info is not None else ""
        )
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = refusal_label()

        buttons = QDialogButtonBox()
        self.login_button = QPushButton(self.tr("Đăng nhập"))
        self.login_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Thoát"))
        buttons.addButton(self.login_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.recovery_button = QPushButton(self.tr("Quên mật khẩu? Mở bằng &khóa khôi phục…"))
        self.recovery_button.setAutoDefault(False)
        self.recovery_button.setVisible(context is None)
        self.recovery_button.clicked.connect(self.open_recovery)
        self.recovery_dialog: RecoveryDialog | None = None

        form = credentials_form(self.username, self.password, self.message)

        layout = QVBoxLayout(self)
        layout.addWidget(self.unit)
        layout.addWidget(self.year)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.recovery_button)
        layout.addWidget(buttons)
        self.setMinimumSize(420, 240)
        self.username.setFocus()

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
            if self.context is None:
                user = self._unlock(username)
            else:
                user = self.context.users.authenticate(username, self.password.text())
        except LoginThrottled as waiting:
            self._refused(username, waiting.message)
            return
        except LoginFailed:
            self._refused(username, self.tr("Sai tên đăng nhập hoặc mật khẩu."))
            return
        except XhhtError as exc:
            # Encrypted data: a lost or altered key file, a damaged file.
            self.message.setText(exc.message)
            return
        self.user = user
        self.logged_in.emit(user)
        super().accept()

    def _refused(self, username: str, message: str) -> None:
        self.failures += 1
        self.message.setText(message)
        self.password.clear()
        self.password.setFocus()
        if self.context is not None:
            pause_button(self.login_button, self.context.users.login_wait(username), self._resume)

    def _unlock(self, username: str) -> UserInfo:
        from xhht_desktop.context import Actor
        from xhht_desktop.services import encryption

        assert self.settings is not None
        password = self.password.text()
        try:
            context, user = encryption.open_unlocked(
                self.settings, username, password, Actor(username)
            )
        except DatabaseDamaged as damaged:
            # The password did unlock the key (the check comes after): with
            # it the backups can be checked and the newest good one restored.
            unlocked = encryption.unlock(self.settings, password, username)
            if not offer_recovery(unlocked, damaged, self):
                raise
            context, user = encryption.open_unlocked(
                self.settings, username, password, Actor(username)
            )
        self.context = context
        return user

    def open_recovery(self) -> None:
        """Ask for the recovery key and a new administrator password; log in with it."""
        from xhht_desktop.ui.recovery_dialog import RecoveryDialog

        assert self.settings is not None
        dialog = RecoveryDialog(self.settings, self)
        dialog.accepted.connect(lambda: self._recovered(dialog))
        dialog.open()
        self.recovery_dialog = dialog

    def _recovered(self, dialog: RecoveryDialog) -> None:
        self.context, self.user = dialog.context, dialog.user
        self.logged_in.emit(self.user)
        super().accept()

    def _resume(self) -> None:
        self.login_button.setEnabled(True)
        # The pause may have taken the focus away with the disabled button.
        if self.focusWidget() is None or not self.focusWidget().isEnabled():
            self.password.setFocus()
