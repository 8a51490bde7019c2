"""Tests of xhht_desktop.ui.login_dialog."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from xhht_desktop.services.users import NewUser
from xhht_desktop.ui.login_dialog import LoginDialog

Key = Qt.Key
PASSWORD = "matkhau-2026"


@pytest.fixture
def user(context):
    return context.users.create(NewUser("hoa.tran", "Trần Thị Hoa", "data_entry", PASSWORD))


@pytest.fixture
def dialog(context, user, show) -> LoginDialog:
    return show(LoginDialog(context))


def _log_in(keyboard, dialog: LoginDialog, username: str, password: str) -> None:
    if username:
        dialog.username.setFocus()
        dialog.username.selectAll()
        keyboard.type(username)
        keyboard.press(Key.Key_Tab)
    keyboard.type(password)
    keyboard.press(Key.Key_Return)


def test_it_names_the_commune(dialog):
    assert dialog.unit.text() == "Xã Đức An, Lâm Đồng"
    assert "2026" in dialog.year.text()


def test_a_wrong_password_is_said_in_the_dialog_then_the_right_one_logs_in(
    dialog, keyboard, qtbot, user
):
    assert keyboard.focused() is dialog.username
    _log_in(keyboard, dialog, "hoa.tran", "sai-mat-khau")

    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.message.text() == "Sai tên đăng nhập hoặc mật khẩu."
    assert dialog.password.text() == ""
    assert keyboard.focused() is dialog.password
    assert dialog.user is None

    with qtbot.waitSignal(dialog.logged_in) as signal:
        _log_in(keyboard, dialog, "", PASSWORD)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert not dialog.isVisible()
    assert dialog.user == signal.args[0]
    assert (dialog.user.id, dialog.user.role) == (user.id, "data_entry")


def test_an_unknown_user_gets_the_same_message(dialog, keyboard):
    _log_in(keyboard, dialog, "khong.co", PASSWORD)
    assert dialog.message.text() == "Sai tên đăng nhập hoặc mật khẩu."
    assert dialog.isVisible()


def test_typing_again_clears_the_message(dialog, keyboard):
    _log_in(keyboard, dialog, "hoa.tran", "sai-mat-khau")
    keyboard.type("m")
    assert dialog.message.text() == ""


def test_the_third_failure_pauses_the_button(dialog, keyboard, qtbot):
    # The third refusal in a row waits one second (core.login_delay).
    for attempt in range(3):
        _log_in(keyboard, dialog, "hoa.tran" if attempt == 0 else "", "sai-mat-khau")
    assert dialog.failures == 3
    assert not dialog.login_button.isEnabled()

    # During the pause even the right password is not tried.
    _log_in(keyboard, dialog, "", PASSWORD)
    assert dialog.isVisible()
    assert dialog.user is None

    qtbot.waitUntil(dialog.login_button.isEnabled, timeout=3000)
    assert keyboard.focused() is dialog.password
    with qtbot.waitSignal(dialog.logged_in):
        keyboard.press(Key.Key_Return)
    assert dialog.user is not None


def test_an_empty_name_is_asked_for(dialog, keyboard):
    dialog.password.setFocus()
    keyboard.type(PASSWORD)
    keyboard.press(Key.Key_Return)
    assert dialog.message.text() == "Hãy nhập tên đăng nhập."
    assert keyboard.focused() is dialog.username
    assert dialog.failures == 0


def test_escape_cancels(dialog, keyboard):
    keyboard.type("hoa.tran")
    keyboard.press(Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.user is None


def test_screenshot(dialog, keyboard, tmp_path):
    _log_in(keyboard, dialog, "hoa.tran", "sai-mat-khau")
    assert dialog.grab().save(str(tmp_path / "login.png"))
