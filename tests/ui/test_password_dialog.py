"""Tệp → Đổi mật khẩu…: every logged-in user changes their own password by keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from xhht_desktop.context import Actor
from xhht_desktop.errors import LoginFailed
from xhht_desktop.services import encryption
from xhht_desktop.services.users import NewUser
from xhht_desktop.ui.main_window import MainWindow
from xhht_desktop.ui.password_dialog import ChangePasswordDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

Key = Qt.Key
ADMIN = NewUser("quantri", "Lê Văn Quản", "admin", "mật-khẩu-quản-trị")
CLERK = NewUser("nhaplieu", "Trần Thị Nhập", "data_entry", "mat-khau-nhap-lieu")


@pytest.fixture
def clerk_context(context):
    """The context of a logged-in clerk (not an administrator)."""
    context.users.create(ADMIN)
    clerk = context.users.create(CLERK)
    context.actor = Actor(clerk.username, clerk.role, clerk.id)
    return context


def _type_all(keyboard, old: str, new: str, again: str) -> None:
    for text in (old, new, again):
        keyboard.press(Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        keyboard.type(text)
        keyboard.press(Key.Key_Tab)


def test_a_clerk_changes_their_password_from_the_file_menu(clerk_context, show, keyboard, qtbot):
    window = show(MainWindow(clerk_context))
    assert window.password_action.isEnabled()
    assert not window.users_action.isEnabled()
    dialog = window.open_password_dialog()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: keyboard.focused() is dialog.old_password, timeout=3000)

    _type_all(keyboard, "sai-mat-khau", "moi", "moi")
    dialog.old_password.setFocus()
    keyboard.press(Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.fields.message("old_password") == "Mật khẩu hiện tại không đúng."
    assert dialog.fields.message("password") == "Mật khẩu cần ít nhất 8 ký tự."
    assert keyboard.focused() is dialog.old_password

    _type_all(keyboard, CLERK.password, "mat-khau-cua-toi", "mat-khau-cua-ban")
    dialog.confirm.setFocus()
    keyboard.press(Key.Key_Return)
    assert dialog.fields.message("confirm") == "Hai lần nhập mật khẩu mới không giống nhau."
    assert dialog.fields.message("old_password") == ""
    dialog.grab().save("/tmp/shots/password_dialog.png")

    keyboard.press(Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    keyboard.type("mat-khau-cua-toi")
    with qtbot.waitSignal(dialog.password_changed):
        keyboard.press(Key.Key_Return)
    assert not dialog.isVisible()
    assert window.statusBar().currentMessage() == "Đã đổi mật khẩu."
    assert clerk_context.users.authenticate(CLERK.username, "mat-khau-cua-toi").role == "data_entry"
    with pytest.raises(LoginFailed):
        clerk_context.users.authenticate(CLERK.username, CLERK.password)


def test_on_encrypted_data_the_new_password_opens_the_data(
    context, show, keyboard, qtbot, settings
):
    admin = context.users.create(ADMIN)
    context.actor = Actor(admin.username, admin.role, admin.id)
    context.encryption.encrypt(ADMIN.username, ADMIN.password)
    dialog = show(ChangePasswordDialog(context))
    assert keyboard.focused() is dialog.old_password
    _type_all(keyboard, ADMIN.password, "quan-tri-moi-2026", "quan-tri-moi-2026")
    # Tab went on to «Lưu»: Enter presses it.
    assert keyboard.focused().text().replace("&", "") == "Lưu"
    with qtbot.waitSignal(dialog.password_changed):
        keyboard.press(Key.Key_Return)
    context.close()
    opened, user = encryption.open_unlocked(
        settings, ADMIN.username, "quan-tri-moi-2026", Actor("test")
    )
    opened.close()
    assert user.role == "admin"
    with pytest.raises(LoginFailed):
        encryption.open_unlocked(settings, ADMIN.username, ADMIN.password, Actor("test"))


def test_esc_keeps_the_old_password(clerk_context, show, keyboard):
    dialog = show(ChangePasswordDialog(clerk_context))
    _type_all(keyboard, CLERK.password, "mat-khau-cua-toi", "mat-khau-cua-toi")
    keyboard.press(Key.Key_Escape)
    assert not dialog.isVisible()
    assert clerk_context.users.authenticate(CLERK.username, CLERK.password)
