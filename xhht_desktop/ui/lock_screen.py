"""The idle lock: after a while without keyboard or mouse, the app hides behind a password.

:class:`IdleLock` watches every input event of the application (an event
filter) and restarts a timer on each; when the timer runs out it covers
every window of the app and shows :class:`LockScreen` above them. Nothing is
closed or reset: the forms beneath keep what was typed, and get it back when
the same user (or another, who then takes over) logs in again. While
locked, no key or click reaches anything but the lock screen.

Wrong passwords are slowed down exactly as at login (the user service counts
them per name; :func:`~xhht_desktop.ui.login_dialog.pause_button`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.context import Actor
from xhht_desktop.errors import LoginFailed, LoginThrottled
from xhht_desktop.ui import style
from xhht_desktop.ui.login_dialog import credentials_form, pause_button, refusal_label

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext
    from xhht_desktop.services.users import UserInfo

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.Shortcut,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
        QEvent.Type.ContextMenu,
        QEvent.Type.InputMethod,
    }
)
COVER_STYLE = "background-color: #37474f;"
# Windows whose content is hidden while locked; popups and tooltips close by themselves.
COVERED_WINDOWS = frozenset({Qt.WindowType.Window, Qt.WindowType.Dialog})


class LockScreen(QDialog):
    """The password asked to go back to work; it cannot be closed otherwise.

    Signals:
        unlocked(object): the user who logged in again (``UserInfo``).

    Attributes:
        username: The user name, filled in with the locked user's.
        password: The password.
        message: Why the last try was refused (and how long to wait).
    """

    unlocked = Signal(object)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(self.tr("Đã khóa — XHHT Desktop"))
        self.setModal(True)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        # No close button: Esc and the title bar must not get past the lock.
        self.setWindowFlags(
            Qt.WindowType.Dialog
            | Qt.WindowType.CustomizeWindowHint
            | Qt.WindowType.WindowTitleHint
            | Qt.WindowType.WindowStaysOnTopHint
        )
        title = QLabel(self.tr("Màn hình đã khóa"))
        title.setStyleSheet(style.PAGE_TITLE)
        note = QLabel(
            self.tr(
                "Ứng dụng đã khóa vì lâu không dùng. Các biểu mẫu đang mở vẫn giữ nguyên; hãy "
                "nhập mật khẩu để làm tiếp, hoặc đăng nhập bằng tài khoản khác."
            )
        )
        note.setWordWrap(True)
        self.username = QLineEdit(context.actor.name)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = refusal_label()
        self.unlock_button = QPushButton(self.tr("Mở &khóa"))
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.try_unlock)

        form = credentials_form(self.username, self.password, self.message)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(note)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.unlock_button, alignment=Qt.AlignmentFlag.AlignRight)
        self.setMinimumWidth(440)
        self.password.setFocus()

    def reject(self) -> None:
        """Esc does not unlock."""

    def accept(self) -> None:
        """Enter tries the password; only a right one closes the lock."""
        self.try_unlock()

    def try_unlock(self) -> UserInfo | None:
        """Check the name and password; close and emit ``unlocked`` when they are right."""
        if not self.unlock_button.isEnabled():
            return None
        username = self.username.text().strip()
        if not username:
            self.message.setText(self.tr("Hãy nhập tên đăng nhập."))
            self.username.setFocus()
            return None
        try:
            user = self.context.users.authenticate(username, self.password.text())
        except LoginThrottled as waiting:
            self._refused(username, waiting.message)
            return None
        except LoginFailed:
            self._refused(username, self.tr("Sai tên đăng nhập hoặc mật khẩu."))
            return None
        self.password.clear()
        self.message.clear()
        self.unlocked.emit(user)
        super().accept()
        return user

    def _refused(self, username: str, message: str) -> None:
        self.message.setText(message)
        self.password.clear()
        self.password.setFocus()
        pause_button(self.unlock_button, self.context.users.login_wait(username), self._resume)

    def _resume(self) -> None:
        self.unlock_button.setEnabled(True)
        self.password.setFocus()


class IdleLock(QObject):
    """Lock the app after ``interval_ms`` without input; unlock with a password.

    Installed on the application by the main window when a real user is
    logged in (not the demo, not the command line's OS user).

    Signals:
        locked(): the lock screen came up.
        unlocked(object): work goes on, by this user (``UserInfo``); another
            user than before means the actor changed.

    Attributes:
        screen: The lock screen while locked, else ``None``.
    """

    locked = Signal()
    unlocked = Signal(object)

    def __init__(self, context: AppContext, window: QWidget, interval_ms: int) -> None:
        super().__init__(window)
        self.context = context
        self.window = window
        self.screen: LockScreen | None = None
        self._covers: list[QWidget] = []
        self._focus: QWidget | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.set_interval(interval_ms)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        window.destroyed.connect(lambda _obj=None: self._uninstall())

    def _uninstall(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    @property
    def is_locked(self) -> bool:
        return self.screen is not None

    def set_interval(self, interval_ms: int) -> None:
        """Change the idle time (0: never lock) and start counting afresh."""
        self.interval_ms = interval_ms
        self.timer.stop()
        if interval_ms > 0 and not self.is_locked:
            self.timer.start(interval_ms)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() not in INPUT_EVENTS:
            return False
        if self.screen is not None:
            # Locked: input goes to the lock screen and nowhere else.
            return not self._inside_lock(watched)
        if self.interval_ms > 0:
            self.timer.start(self.interval_ms)
        return False

    def _inside_lock(self, watched: QObject) -> bool:
        screen = self.screen
        assert screen is not None
        if isinstance(watched, QWidget):
            return watched is screen or screen.isAncestorOf(watched)
        # Input from the system reaches a window before its widgets.
        if isinstance(watched, QWindow):
            return watched == screen.windowHandle()
        return False

    def lock(self) -> LockScreen | None:
        """Cover every window and ask for the password (nothing is closed or reset)."""
        if self.screen is not None:
            return self.screen
        self.timer.stop()
        self._focus = QApplication.focusWidget()
        for top in QApplication.topLevelWidgets():
            if top.isVisible() and top.windowType() in COVERED_WINDOWS:
                cover = QFrame(top)
                cover.setObjectName("lockCover")
                cover.setStyleSheet(COVER_STYLE)
                cover.setGeometry(top.rect())
                cover.show()
                cover.raise_()
                self._covers.append(cover)
        screen = LockScreen(self.context, self.window)
        screen.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        screen.unlocked.connect(self._unlocked)
        self.screen = screen
        screen.open()
        screen.password.setFocus()
        self.locked.emit()
        return screen

    def _unlocked(self, user: UserInfo) -> None:
        if user.id != self.context.actor.user_id:
            self.context.actor = Actor(user.username, user.role, user.id)
        self.screen = None
        for cover in self._covers:
            cover.deleteLater()
        self._covers.clear()
        focus, self._focus = self._focus, None
        if focus is not None:
            try:
                focus.activateWindow()
                focus.setFocus()
            except RuntimeError:
                pass  # the widget went away while locked (a page was rebuilt)
        if self.interval_ms > 0:
            self.timer.start(self.interval_ms)
        self.unlocked.emit(user)
