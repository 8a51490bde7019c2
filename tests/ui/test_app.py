"""Tests of xhht_desktop.app: the whole start, from the first window to exit.

``run_gui`` blocks in the dialogs' and the application's event loops, so the
test acts through a timer: each tick looks at what is on screen and takes the
next step once its window is up, as a user would.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from xhht_desktop.app import run_gui
from xhht_desktop.services.users import NewUser
from xhht_desktop.ui.login_dialog import LoginDialog
from xhht_desktop.ui.main_window import MainWindow
from xhht_desktop.ui.setup_wizard import SetupWizard

Key = Qt.Key
PASSWORD = "matkhau-2026"
GIVE_UP_MS = 30_000

Step = Callable[[], bool]


@pytest.fixture
def drive(qapp):
    """Run ``run_gui`` while ``steps`` act on its windows; return its exit code."""
    timers: list[QTimer] = []

    def _drive(steps: list[Step], **kwargs) -> int:
        pending = list(steps)

        def tick() -> None:
            if pending and pending[0]():
                pending.pop(0)

        timer = QTimer()
        timer.setInterval(20)
        timer.timeout.connect(tick)
        timer.start()
        timers.append(timer)
        # Never hang the test run: close everything if a step never comes.
        QTimer.singleShot(GIVE_UP_MS, _close_all)
        code = run_gui(**kwargs)
        timer.stop()
        assert pending == [], "not every step was reached"
        return code

    yield _drive
    qapp.setStyleSheet("")


def _close_all() -> None:
    for widget in QApplication.topLevelWidgets():
        widget.close()


def _active(kind: type[QWidget]) -> QWidget | None:
    widget = QApplication.activeModalWidget() or QApplication.activeWindow()
    return widget if isinstance(widget, kind) and widget.isActiveWindow() else None


def _main_window() -> MainWindow | None:
    return next(
        (w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()),
        None,
    )


def test_login_opens_the_main_window_and_backups_are_made(context, settings, keyboard, drive):
    context.users.create(NewUser("hoa.tran", "Trần Thị Hoa", "data_entry", PASSWORD))
    seen: dict[str, str] = {}

    def log_in() -> bool:
        dialog = _active(LoginDialog)
        if dialog is None:
            return False
        keyboard.type("hoa.tran")
        keyboard.press(Key.Key_Tab)
        keyboard.type(PASSWORD)
        keyboard.press(Key.Key_Return)
        return True

    def look_then_quit() -> bool:
        window = _main_window()
        # The start-up backup runs in the background and reports back.
        if window is None or "sao lưu tự động" not in window.statusBar().currentMessage():
            return False
        seen["title"] = window.windowTitle()
        seen["user"] = window.user_status.text()
        seen["icon"] = str(QApplication.windowIcon().isNull())
        seen["name"] = QApplication.applicationName()
        window.quit_action.trigger()
        return True

    assert drive([log_in, look_then_quit], settings=settings) == 0

    assert seen == {
        "title": "XHHT Desktop — Xã Đức An",
        "user": "Người dùng: Trần Thị Hoa (Nhập liệu)",
        "icon": "False",
        "name": "XHHT Desktop",
    }
    reasons = sorted(b.reason for b in context.backups.list())
    assert reasons == ["khoi-dong", "thoat"]


def test_escape_at_login_exits_without_a_window(context, settings, keyboard, drive):
    def cancel() -> bool:
        if _active(LoginDialog) is None:
            return False
        keyboard.press(Key.Key_Escape)
        return True

    assert drive([cancel], settings=settings) == 0
    assert context.backups.list() == []


def test_the_wizard_logs_its_administrator_in(empty_context, settings, keyboard, drive):
    seen: dict[str, str] = {}

    def set_up() -> bool:
        wizard = _active(SetupWizard)
        if wizard is None:
            return False
        keyboard.press(Key.Key_Return)
        keyboard.type("lam dong")
        keyboard.press(Key.Key_Tab)
        keyboard.type("duc an")
        keyboard.press(Key.Key_Return)
        keyboard.press(Key.Key_Return)
        keyboard.type("admin")
        keyboard.press(Key.Key_Tab)
        keyboard.type("Phạm Văn Quản")
        keyboard.press(Key.Key_Tab)
        keyboard.type(PASSWORD)
        keyboard.press(Key.Key_Tab)
        keyboard.type(PASSWORD)
        keyboard.press(Key.Key_Return)
        keyboard.press(Key.Key_Return)
        return True

    def look_then_quit() -> bool:
        window = _main_window()
        if window is None:
            return False
        seen["title"] = window.windowTitle()
        seen["user"] = window.user_status.text()
        window.close()
        return True

    assert drive([set_up, look_then_quit], settings=settings) == 0
    assert seen == {
        "title": "XHHT Desktop — Xã Đức An",
        "user": "Người dùng: Phạm Văn Quản (Quản trị)",
    }
    assert empty_context.setup.require().commune_code == "24717"


def test_demo_fills_the_commune_and_shows_the_banner(empty_context, settings, drive):
    seen: dict[str, object] = {}

    def look_then_quit() -> bool:
        window = _main_window()
        if window is None:
            return False
        seen["banner"] = window.banner.isVisible() and window.banner.text()
        seen["user"] = window.user_status.text()
        seen["persons"] = window.home.counts["persons"].text()
        window.close()
        return True

    assert drive([look_then_quit], settings=settings, demo=True) == 0
    assert seen == {
        "banner": "Dữ liệu mẫu — không dùng cho báo cáo thật",
        "user": "Người dùng: demo (Quản trị)",
        "persons": "3.000",
    }
    assert empty_context.setup.require().is_demo
