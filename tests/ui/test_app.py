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
from xhht_desktop.context import Actor, open_context
from xhht_desktop.services import encryption
from xhht_desktop.services.users import NewUser
from xhht_desktop.ui.login_dialog import LoginDialog
from xhht_desktop.ui.main_window import MainWindow
from xhht_desktop.ui.setup_wizard import PAGE_ENCRYPTION, SetupWizard

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
        # A timer object, stopped at teardown, so that it cannot fire into a
        # later test and close that test's windows.
        give_up = QTimer()
        give_up.setSingleShot(True)
        give_up.timeout.connect(_close_all)
        give_up.start(GIVE_UP_MS)
        timers.append(give_up)
        code = run_gui(**kwargs)
        timer.stop()
        assert pending == [], "not every step was reached"
        return code

    yield _drive
    for timer in timers:
        timer.stop()
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
        # The recovery key page: the data of a local file is encrypted.
        assert wizard.currentId() == PAGE_ENCRYPTION
        keyboard.press(Key.Key_Tab)  # from "save the sheet" to "I have kept it"
        keyboard.press(Key.Key_Space)
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
    empty_context.close()
    assert encryption.is_encrypted(settings)
    unlocked = open_context(encryption.unlock(settings, PASSWORD, "admin"), Actor("test"))
    try:
        assert unlocked.setup.require().commune_code == "24717"
    finally:
        unlocked.close()


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


def test_the_first_start_on_an_empty_data_folder_opens_the_set_up_wizard(
    data_dir, settings, keyboard, drive
):
    # A fresh install: nothing in the data folder, not even a database.
    assert list(data_dir.iterdir()) == []
    seen: dict[str, object] = {}

    def look_then_cancel() -> bool:
        wizard = _active(SetupWizard)
        if wizard is None:
            return False
        seen["title"] = wizard.windowTitle()
        seen["main windows"] = _main_window() is not None
        keyboard.press(Key.Key_Escape)
        return True

    assert drive([look_then_cancel], settings=settings) == 0
    assert seen == {"title": "Thiết lập XHHT Desktop", "main windows": False}
    # The database was created and migrated, the app log started; no backup
    # or window came of a cancelled first start.
    assert (data_dir / "xhht.sqlite").is_file()
    assert (data_dir / "logs" / "xhht.log").is_file()
    assert not (data_dir / "backups").exists()


def test_open_hands_the_package_to_the_main_window_after_login(
    context, settings, keyboard, drive, monkeypatch, tmp_path
):
    context.users.create(NewUser("hoa.tran", "Trần Thị Hoa", "data_entry", PASSWORD))
    package = tmp_path / "xa-duc-an-2026.xhht"
    opened: list[object] = []
    monkeypatch.setattr(
        MainWindow, "open_package_file", lambda self, path: opened.append(path), raising=False
    )

    def log_in() -> bool:
        if _active(LoginDialog) is None:
            return False
        keyboard.type("hoa.tran")
        keyboard.press(Key.Key_Tab)
        keyboard.type(PASSWORD)
        keyboard.press(Key.Key_Return)
        return True

    def quit_once_opened() -> bool:
        window = _main_window()
        if window is None or not opened:
            return False
        window.close()
        return True

    assert drive([log_in, quit_once_opened], settings=settings, open_file=package) == 0
    assert opened == [package]


def test_without_an_import_in_the_window_open_says_how_to_import(
    qtbot, context, monkeypatch, tmp_path
):
    from PySide6.QtWidgets import QMessageBox

    from xhht_desktop.app import open_package
    from xhht_desktop.ui.main_window import PAGES

    monkeypatch.delattr(MainWindow, "open_package_file", raising=False)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    package = tmp_path / "xa-duc-an-2026.xhht"
    open_package(window, package)
    box = window.findChild(QMessageBox)
    assert "xhht import-package" in box.text() and str(package) in box.text()
    keys = [spec.key for spec in PAGES]
    if "exchange" in keys:
        assert window.current_index() == keys.index("exchange")
    box.close()


def test_on_encrypted_data_the_login_unlocks_it_first(context, settings, keyboard, drive):
    context.users.create(NewUser("quantri", "Lê Văn Quản", "admin", PASSWORD))
    context.encryption.encrypt("quantri", PASSWORD)
    context.close()
    seen: dict[str, object] = {}

    def log_in() -> bool:
        dialog = _active(LoginDialog)
        if dialog is None:
            return False
        # Nothing is open yet: the dialog unlocks the data.
        seen["locked"] = dialog.context is None
        keyboard.type("quantri")
        keyboard.press(Key.Key_Tab)
        keyboard.type(PASSWORD)
        keyboard.press(Key.Key_Return)
        return True

    def look_then_quit() -> bool:
        window = _main_window()
        if window is None or "sao lưu tự động" not in window.statusBar().currentMessage():
            return False
        seen["title"] = window.windowTitle()
        seen["banner"] = window.encryption_banner.isVisible()
        window.quit_action.trigger()
        return True

    assert drive([log_in, look_then_quit], settings=settings) == 0
    assert seen == {"locked": True, "title": "XHHT Desktop — Xã Đức An", "banner": False}
    unlocked = open_context(encryption.unlock(settings, PASSWORD), Actor("test"))
    try:
        # The start and exit backups are encrypted with the same key, and listed.
        assert sorted(b.reason for b in unlocked.backups.list()) == ["khoi-dong", "thoat"]
        for made in unlocked.backups.list():
            assert not made.path.read_bytes().startswith(b"SQLite format 3")
    finally:
        unlocked.close()
