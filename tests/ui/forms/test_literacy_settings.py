"""The literacy settings dialog: keyboard entry, refusals beside fields, nothing half-saved."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from xhht_desktop.core.literacy import Band, LiteracySettings
from xhht_desktop.store import app_settings
from xhht_desktop.ui.forms.literacy_settings import (
    LiteracySettingsDialog,
    format_bands,
    parse_bands,
)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

Key = Qt.Key


@pytest.fixture
def dialog(context, show, qtbot) -> LiteracySettingsDialog:
    opened = LiteracySettingsDialog(context)
    show(opened)
    return opened


def test_bands_are_read_as_officials_type_them():
    assert parse_bands("15-25; 15–35 ,15 - 60") == (Band(15, 25), Band(15, 35), Band(15, 60))
    assert parse_bands("  ") == ()
    assert format_bands((Band(15, 25), Band(15, 60))) == "15–25; 15–60"
    with pytest.raises(ValueError, match="“15 đến 25”"):
        parse_bands("15 đến 25")


def test_it_shows_the_stored_settings_and_what_they_mean(dialog, keyboard):
    assert keyboard.focused() is dialog.difficult_area
    assert not dialog.difficult_area.isChecked()
    assert dialog.upper_age.value() == 60
    assert dialog.bands.text() == "15–25; 15–35; 15–60"
    assert "mức độ 1 đang xét người 15–35 tuổi, mức độ 2 xét người 15–60" in (
        dialog.difficult_help.text()
    )
    keyboard.press(Key.Key_Space)
    assert dialog.difficult_area.isChecked()
    assert "mức độ 1 xét người 15–25 tuổi (thay cho 15–35)" in dialog.difficult_help.text()
    assert "mức độ 2 xét người 15–35 tuổi (thay cho 15–60)" in dialog.difficult_help.text()


def test_settings_are_entered_from_the_keyboard_and_saved(dialog, context, keyboard, qtbot):
    keyboard.press(Key.Key_Tab)
    assert keyboard.focused() is dialog.upper_age
    keyboard.type("62")
    assert dialog.upper_age.value() == 62
    assert "mức độ 2 xét người 15–62 tuổi" in dialog.difficult_help.text()
    keyboard.press(Key.Key_Tab)
    assert keyboard.focused() is dialog.bands
    dialog.bands.selectAll()
    keyboard.type("15-30; 15-62")
    with qtbot.waitSignal(dialog.settings_saved) as saved:
        keyboard.press(Key.Key_Return)

    expected = LiteracySettings(bands=(Band(15, 30), Band(15, 62)), upper_age=62)
    assert saved.args == [expected]
    assert context.literacy.settings() == expected
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_unreadable_bands_are_refused_beside_the_field(dialog, context, keyboard):
    dialog.bands.setFocus()
    dialog.bands.selectAll()
    keyboard.type("15 den 25")
    keyboard.press(Key.Key_Return)
    assert "Không đọc được nhóm tuổi “15 den 25”" in dialog.fields.message("bands")
    assert dialog.isVisible()
    assert context.literacy.settings() == LiteracySettings()


def test_the_service_refusal_is_shown_beside_the_field(dialog, context, keyboard):
    dialog.bands.setFocus()
    dialog.bands.selectAll()
    keyboard.type("30-20")
    keyboard.press(Key.Key_Return)
    assert "Nhóm tuổi 30–20 không hợp lệ" in dialog.fields.message("bands")
    assert keyboard.focused() is dialog.bands
    assert context.literacy.settings() == LiteracySettings()

    dialog.bands.selectAll()
    keyboard.type("15-60")
    keyboard.press(Key.Key_Return)
    assert context.literacy.settings().bands == (Band(15, 60),)


def test_escape_cancels_without_saving(dialog, context, keyboard):
    keyboard.press(Key.Key_Space)
    keyboard.press(Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert not dialog.isVisible()
    assert context.literacy.settings().difficult_area is False


def test_damaged_settings_are_explained_and_can_be_saved_again(context, show, keyboard, qtbot):
    with context.transaction() as session:
        app_settings.write(session, "literacy", {"upper_age": "sáu mươi"})
    dialog = show(LiteracySettingsDialog(context))
    assert not dialog.banner.isHidden()
    assert "bị hỏng" in dialog.banner.text()
    assert dialog.upper_age.value() == 60
    with qtbot.waitSignal(dialog.settings_saved):
        keyboard.press(Key.Key_Return)
    assert context.literacy.settings() == LiteracySettings()
