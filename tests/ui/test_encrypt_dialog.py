"""The main window on plain data: the banner, and encrypting from it."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from xhht_desktop.context import Actor, AppContext
from xhht_desktop.core.recovery import parse
from xhht_desktop.core.registers import VillageDraft
from xhht_desktop.services import encryption
from xhht_desktop.services.users import NewUser
from xhht_desktop.ui.encrypt_dialog import EncryptDialog
from xhht_desktop.ui.main_window import MainWindow

Key = Qt.Key
PASSWORD = "matkhau-2026"
VILLAGE = "Thôn Khuổi Bốc"


@pytest.fixture
def admin_context(context: AppContext) -> AppContext:
    user = context.users.create(NewUser("quantri", "Lê Văn Quản", "admin", PASSWORD))
    context.villages.save(VillageDraft("thon", VILLAGE))
    context.actor = Actor(user.username, user.role, user.id)
    return context


def test_a_clerk_sees_the_warning_without_the_button(context, show):
    clerk = context.users.create(NewUser("nhaplieu", "Trần Nhập", "data_entry", PASSWORD))
    context.actor = Actor(clerk.username, clerk.role, clerk.id)
    window = show(MainWindow(context))
    assert window.encryption_banner.isVisible()
    assert "chưa được mã hóa" in window.encryption_banner.text.text()
    assert not window.encryption_banner.button.isVisible()
    assert not window.encrypt_action.isEnabled()


def test_the_admin_encrypts_from_the_banner(
    admin_context, show, keyboard, qtbot, settings, tmp_path
):
    window = show(MainWindow(admin_context))
    assert window.encryption_banner.isVisible() and window.encryption_banner.button.isVisible()
    assert window.encrypt_action.isEnabled()
    window.grab().save(str(tmp_path / "banner.png"))
    dialog = window.open_encrypt_dialog()
    assert isinstance(dialog, EncryptDialog)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert keyboard.focused() is dialog.password

    keyboard.type("sai-mat-khau")
    with qtbot.waitSignal(dialog.failed, timeout=30_000):
        keyboard.press(Key.Key_Return)
    assert dialog.message.text() == "Sai mật khẩu."
    assert keyboard.focused() is dialog.password
    assert not admin_context.encryption.encrypted

    keyboard.type(PASSWORD)
    with qtbot.waitSignal(dialog.encrypted, timeout=60_000):
        keyboard.press(Key.Key_Return)
    assert admin_context.encryption.encrypted
    assert not window.encryption_banner.isVisible()
    assert not window.encrypt_action.isVisible()
    # The window goes on with the encrypted data.
    assert [v.name for v in admin_context.villages.list()] == [VILLAGE]
    database = settings.database_file
    assert VILLAGE.encode() not in database.read_bytes()

    # The key must be kept before the dialog closes: Esc and Enter wait.
    keyboard.press(Key.Key_Escape)
    keyboard.press(Key.Key_Return)
    assert dialog.isVisible()
    sheet = tmp_path / "to-khoa.pdf"
    dialog.panel.choose_path = lambda _parent, _suggested: sheet
    keyboard.press(Key.Key_Space)  # the focus is on "save the sheet"
    dialog.grab().save(str(tmp_path / "encrypt-dialog.png"))
    text = PdfReader(sheet).pages[0].extract_text()
    key = parse(" ".join(re.findall(r"\b[0-9A-Z]{5}\b", text)[-10:]))
    assert encryption.unlock_with_recovery(settings, key.text).database_key == (
        admin_context.settings.database_key
    )
    keyboard.press(Key.Key_Space)  # the focus moved to "I have kept it"
    keyboard.press(Key.Key_Return)
    assert not dialog.isVisible()
