"""The set-up wizard's encryption page: the warning, the recovery sheet, the encrypted result."""

from __future__ import annotations

import re
import subprocess

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from xhht_desktop.context import Actor, open_context
from xhht_desktop.core.recovery import parse
from xhht_desktop.services import encryption
from xhht_desktop.ui.setup_wizard import (
    PAGE_ADMIN,
    PAGE_ENCRYPTION,
    PAGE_SUMMARY,
    SetupWizard,
)

Key = Qt.Key
PASSWORD = "matkhau-2026"


@pytest.fixture
def wizard(empty_context, show) -> SetupWizard:
    return show(SetupWizard(empty_context, encrypt=True))


def _through_admin_page(wizard, keyboard) -> None:
    keyboard.press(Key.Key_Return)
    keyboard.type("lam dong")
    keyboard.press(Key.Key_Tab)
    keyboard.type("duc an")
    keyboard.press(Key.Key_Return)
    keyboard.press(Key.Key_Return)
    assert wizard.currentId() == PAGE_ADMIN
    keyboard.type("quantri")
    keyboard.press(Key.Key_Tab)
    keyboard.type("Phạm Văn Quản")
    keyboard.press(Key.Key_Tab)
    keyboard.type(PASSWORD)
    keyboard.press(Key.Key_Tab)
    keyboard.type(PASSWORD)
    keyboard.press(Key.Key_Return)


def test_the_page_warns_and_writes_the_sheet_then_finish_encrypts(
    wizard, keyboard, qtbot, empty_context, settings, tmp_path
):
    _through_admin_page(wizard, keyboard)
    assert wizard.currentId() == PAGE_ENCRYPTION
    panel = wizard.encryption_page.panel
    assert "KHÔNG THỂ đọc lại được" in panel.danger.text()
    assert "mật khẩu" in panel.warning.text()
    # Enter does nothing until the user says the key is kept.
    keyboard.press(Key.Key_Return)
    assert wizard.currentId() == PAGE_ENCRYPTION
    sheet = tmp_path / "to-khoa.pdf"
    asked = []
    panel.choose_path = lambda _parent, suggested: asked.append(suggested) or sheet
    assert keyboard.focused() is panel.save_button
    keyboard.press(Key.Key_Space)
    assert asked and asked[0].suffix == ".pdf"
    assert str(sheet) in panel.saved.text()
    wizard.grab().save(str(tmp_path / "wizard-encryption.png"))

    text = PdfReader(sheet).pages[0].extract_text()
    assert "Xã Đức An, Lâm Đồng" in text
    assert "không thể đọc lại" in text
    printed = re.findall(r"\b[0-9A-Z]{5}\b", text)
    assert parse(" ".join(printed[-10:])) == panel.recovery
    # The page renders (pdftoppm) without trouble.
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(sheet), str(tmp_path / "sheet")], check=True
    )
    assert (tmp_path / "sheet-1.png").stat().st_size > 1000

    assert keyboard.focused() is panel.confirm
    keyboard.press(Key.Key_Space)
    keyboard.press(Key.Key_Return)
    assert wizard.currentId() == PAGE_SUMMARY
    assert "mã hóa" in wizard.summary_page.summary.text()
    with qtbot.waitSignal(wizard.setup_completed, timeout=30_000):
        keyboard.press(Key.Key_Return)

    assert empty_context.encryption.encrypted
    assert empty_context.setup.require().commune_code == "24717"
    database = settings.database_file
    assert not database.read_bytes().startswith(b"SQLite format 3")
    assert "Phạm Văn Quản".encode() not in database.read_bytes()
    # The administrator's password, and the printed key, each open the data.
    for unlocked in (
        encryption.unlock(settings, PASSWORD, "quantri"),
        encryption.unlock_with_recovery(settings, panel.recovery.text),
    ):
        other = open_context(unlocked, Actor("test"))
        try:
            assert other.setup.require().commune_code == "24717"
        finally:
            other.close()


def test_without_encryption_the_page_is_not_shown(empty_context, show, keyboard):
    wizard = show(SetupWizard(empty_context))
    _through_admin_page(wizard, keyboard)
    assert wizard.currentId() == PAGE_SUMMARY
    assert "mã hóa" not in wizard.summary_page.summary.text()
