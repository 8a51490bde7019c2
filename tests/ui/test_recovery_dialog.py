"""The login on encrypted data: the password unlocks it; the recovery key resets a password."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from xhht_desktop.context import AppContext
from xhht_desktop.services import encryption
from xhht_desktop.services.users import NewUser
from xhht_desktop.settings import Settings
from xhht_desktop.ui.login_dialog import LoginDialog
from xhht_desktop.ui.recovery_dialog import RecoveryDialog

Key = Qt.Key
PASSWORD = "matkhau-2026"


@pytest.fixture
def locked(context: AppContext, settings: Settings) -> str:
    """Encrypted data with one administrator; returns the recovery key. Nothing is open."""
    context.users.create(NewUser("quantri", "Lê Văn Quản", "admin", PASSWORD))
    recovery = context.encryption.encrypt("quantri", PASSWORD)
    context.close()
    return recovery.text


@pytest.fixture
def login(locked, settings, show) -> LoginDialog:
    dialog = show(LoginDialog(None, settings=settings))
    yield dialog
    if dialog.context is not None:
        dialog.context.close()


def _type_login(keyboard, username: str, password: str) -> None:
    keyboard.type(username)
    keyboard.press(Key.Key_Tab)
    keyboard.type(password)
    keyboard.press(Key.Key_Return)


def test_the_password_unlocks_the_data(login, keyboard, qtbot, tmp_path):
    # The unit is named before anything is unlocked (from the key file).
    assert login.unit.text() == "Xã Đức An, Lâm Đồng"
    assert login.recovery_button.isVisible()
    _type_login(keyboard, "quantri", "sai-mat-khau")
    assert login.isVisible() and login.context is None
    assert login.message.text() == "Sai tên đăng nhập hoặc mật khẩu."
    login.grab().save(str(tmp_path / "login.png"))
    login.username.setFocus()
    with qtbot.waitSignal(login.logged_in, timeout=30_000):
        _type_login(keyboard, "", PASSWORD)
    assert login.result() == QDialog.DialogCode.Accepted
    assert login.user.username == "quantri"
    assert login.context is not None and login.context.encryption.encrypted
    assert login.context.setup.require().commune_code == "24717"
    assert login.context.actor.user_id == login.user.id


def test_the_recovery_key_sets_a_new_admin_password(
    login, locked, keyboard, qtbot, settings, tmp_path
):
    login.recovery_button.click()
    dialog = login.recovery_dialog
    assert isinstance(dialog, RecoveryDialog)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert keyboard.focused() is dialog.key
    groups = locked.split("-")
    typo = groups[:]
    typo[6] = typo[6][:4] + ("A" if typo[6][4] != "A" else "B")
    keyboard.type(" ".join(typo).lower())
    keyboard.press(Key.Key_Tab)
    keyboard.type("quantri")
    keyboard.press(Key.Key_Tab)
    keyboard.type("mat-khau-moi-2027")
    keyboard.press(Key.Key_Tab)
    keyboard.type("mat-khau-moi-2027")
    keyboard.press(Key.Key_Return)
    assert dialog.isVisible()
    assert "nhóm thứ 7" in dialog.message.text()
    dialog.grab().save(str(tmp_path / "recovery.png"))
    dialog.key.setText(" ".join(groups).lower())
    dialog.password.setFocus()
    with qtbot.waitSignal(login.logged_in, timeout=30_000):
        keyboard.press(Key.Key_Return)
    assert login.result() == QDialog.DialogCode.Accepted
    assert login.user.username == "quantri"
    assert login.context is not None and login.context.encryption.encrypted
    # The new password opens the data from now on; the old one does not.
    assert encryption.unlock(settings, "mat-khau-moi-2027", "quantri").database_key
    with pytest.raises(Exception, match="Sai mật khẩu"):
        encryption.unlock(settings, PASSWORD, "quantri")
