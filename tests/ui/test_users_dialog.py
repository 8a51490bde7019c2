"""Tệp → Người dùng…: the administrator manages users from the keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from xhht_desktop.context import Actor
from xhht_desktop.errors import LoginFailed
from xhht_desktop.services import encryption
from xhht_desktop.services.users import NewUser
from xhht_desktop.ui.main_window import MainWindow
from xhht_desktop.ui.password_dialog import ResetPasswordDialog
from xhht_desktop.ui.users_dialog import AddUserDialog, RoleDialog, UsersDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

Key = Qt.Key
Alt = Qt.KeyboardModifier.AltModifier
ADMIN = NewUser("quantri", "Lê Văn Quản", "admin", "mật-khẩu-quản-trị")
CLERK = NewUser("nhaplieu", "Trần Thị Nhập", "data_entry", "mat-khau-nhap-lieu")


@pytest.fixture
def admin_context(context):
    """The context of a logged-in administrator, with a clerk beside them."""
    admin = context.users.create(ADMIN)
    context.users.create(CLERK)
    context.actor = Actor(admin.username, admin.role, admin.id)
    return context


def _modal(qtbot, kind: type[QDialog]) -> QDialog:
    """Wait until a dialog of ``kind`` is on top with the focus inside it."""
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), kind), timeout=3000)
    dialog = QApplication.activeModalWidget()
    dialog.activateWindow()
    qtbot.waitUntil(
        lambda: (
            QApplication.focusWidget() is not None
            and dialog.isAncestorOf(QApplication.focusWidget())
        ),
        timeout=3000,
    )
    return dialog


def _cells(dialog: UsersDialog) -> list[list[str]]:
    table = dialog.table
    return [
        [table.item(row, column).text() for column in range(table.columnCount())]
        for row in range(table.rowCount())
    ]


def test_the_menu_opens_the_users_for_an_administrator_only(admin_context, show, qtbot):
    window = show(MainWindow(admin_context))
    assert window.users_action.isEnabled()
    assert window.password_action.isEnabled()
    dialog = window.open_users_dialog()
    assert _cells(dialog) == [
        ["nhaplieu", "Trần Thị Nhập", "Nhập liệu", "Đang dùng"],
        ["quantri", "Lê Văn Quản", "Quản trị", "Đang dùng"],
    ]
    dialog.close()
    clerk = admin_context.users.by_username(CLERK.username)
    admin_context.actor = Actor(clerk.username, clerk.role, clerk.id)
    window.refresh_installation()
    assert not window.users_action.isEnabled()
    assert window.password_action.isEnabled()


def test_add_a_user_with_the_keyboard_and_see_messages_beside_fields(
    admin_context, show, keyboard, qtbot
):
    dialog = show(UsersDialog(admin_context))
    assert keyboard.focused() is dialog.table
    keyboard.press(Key.Key_T, Alt)
    form = _modal(qtbot, AddUserDialog)
    assert keyboard.focused() is form.username
    keyboard.type("Pheduyet")  # a capital letter is refused
    keyboard.press(Key.Key_Tab)
    keyboard.type("Phạm Văn Duyệt")
    keyboard.press(Key.Key_Tab)
    keyboard.type("phe")
    keyboard.press(Key.Key_Tab)
    keyboard.type("ngan")
    keyboard.press(Key.Key_Tab)
    keyboard.type("ngan")
    keyboard.press(Key.Key_Return)
    assert form.isVisible()
    assert "chữ thường không dấu" in form.fields.message("username")
    assert form.fields.message("password") == "Mật khẩu cần ít nhất 8 ký tự."
    assert keyboard.focused() is form.username
    form.username.selectAll()
    keyboard.type("pheduyet")
    for _ in range(3):
        keyboard.press(Key.Key_Tab)
    keyboard.press(Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    keyboard.type("mat-khau-duyet")
    keyboard.press(Key.Key_Tab)
    keyboard.press(Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    keyboard.type("mat-khau-khac")
    keyboard.press(Key.Key_Return)
    assert form.fields.message("confirm") == "Hai lần nhập mật khẩu không giống nhau."
    form.confirm.setFocus()
    keyboard.press(Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    keyboard.type("mat-khau-duyet")
    with qtbot.waitSignal(dialog.users_changed):
        keyboard.press(Key.Key_Return)
    added = admin_context.users.authenticate("pheduyet", "mat-khau-duyet")
    assert (added.full_name, added.role) == ("Phạm Văn Duyệt", "approver")
    assert ["pheduyet", "Phạm Văn Duyệt", "Phê duyệt, ký báo cáo", "Đang dùng"] in _cells(dialog)
    assert dialog.selected().username == "pheduyet"


def test_lock_unlock_role_and_the_last_administrator(admin_context, show, keyboard, qtbot):
    dialog = show(UsersDialog(admin_context))
    assert dialog.selected().username == "nhaplieu"
    # Alt shortcuts are delivered through the event loop: wait for what they do.
    with qtbot.waitSignal(dialog.users_changed):
        keyboard.press(Key.Key_K, Alt)
    assert _cells(dialog)[0][3] == "Đã khóa"
    assert dialog.lock_button.text().replace("&", "") == "Mở khóa tài khoản"
    assert not dialog.password_button.isEnabled()
    with pytest.raises(LoginFailed):
        admin_context.users.authenticate(CLERK.username, CLERK.password)
    with qtbot.waitSignal(dialog.users_changed):
        keyboard.press(Key.Key_K, Alt)
    assert _cells(dialog)[0][3] == "Đang dùng"
    assert admin_context.users.authenticate(CLERK.username, CLERK.password).active

    # The administrator may not lock their own account, nor demote the last administrator.
    keyboard.press(Key.Key_Down)
    assert dialog.selected().username == "quantri"
    keyboard.press(Key.Key_K, Alt)
    qtbot.waitUntil(lambda: "Không tự khóa" in dialog.message.text(), timeout=3000)
    assert dialog.message.isVisible()
    keyboard.press(Key.Key_V, Alt)
    role = _modal(qtbot, RoleDialog)
    assert keyboard.focused() is role.role
    keyboard.type("phe")
    keyboard.press(Key.Key_Return)
    assert "quản trị cuối cùng" in role.fields.message("role")
    keyboard.press(Key.Key_Escape)
    qtbot.waitUntil(lambda: not role.isVisible(), timeout=3000)
    # The offscreen platform does not give the focus back to the window below.
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.table, timeout=3000)
    assert admin_context.users.by_username("quantri").role == "admin"

    # Promote the clerk with the keyboard.
    keyboard.press(Key.Key_Up)
    keyboard.press(Key.Key_V, Alt)
    role = _modal(qtbot, RoleDialog)
    keyboard.type("quan")
    with qtbot.waitSignal(dialog.users_changed):
        keyboard.press(Key.Key_Return)
    assert admin_context.users.by_username(CLERK.username).role == "admin"
    assert _cells(dialog)[0][2] == "Quản trị"


def test_reset_a_password_on_encrypted_data_marks_and_clears_the_keyless(
    admin_context, show, keyboard, qtbot, settings
):
    admin_context.encryption.encrypt(ADMIN.username, ADMIN.password)
    dialog = show(UsersDialog(admin_context))
    assert _cells(dialog)[0][3] == "Đang dùng — chưa đặt mật khẩu mới sau khi mã hóa"
    assert "chưa đặt mật khẩu mới sau khi mã hóa" in dialog.note.text()
    assert dialog.note.isVisible()
    dialog.resize(820, 440)
    dialog.grab().save("/tmp/shots/users_dialog.png")
    keyboard.press(Key.Key_M, Alt)
    reset = _modal(qtbot, ResetPasswordDialog)
    assert keyboard.focused() is reset.password
    keyboard.type("mat-khau-moi-nhap-lieu")
    keyboard.press(Key.Key_Tab)
    keyboard.type("mat-khau-moi-nhap-lieu")
    reset.grab().save("/tmp/shots/reset_password_dialog.png")
    with qtbot.waitSignal(dialog.users_changed):
        keyboard.press(Key.Key_Return)
    assert _cells(dialog)[0][3] == "Đang dùng"
    assert not dialog.note.isVisible()
    assert admin_context.encryption.keyless_users() == []
    admin_context.close()
    opened, user = encryption.open_unlocked(
        settings, CLERK.username, "mat-khau-moi-nhap-lieu", Actor("test")
    )
    opened.close()
    assert user.role == "data_entry"


def test_esc_closes_the_dialog_without_changes(admin_context, show, keyboard, qtbot):
    dialog = show(UsersDialog(admin_context))
    before = admin_context.users.list()
    keyboard.press(Key.Key_Escape)
    assert not dialog.isVisible()
    assert admin_context.users.list() == before
