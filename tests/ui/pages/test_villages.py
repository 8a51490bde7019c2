"""Tests of xhht_desktop.ui.pages.villages and its form, driven by the keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from xhht_desktop.context import AppContext
from xhht_desktop.core.registers import HouseholdDraft, VillageDraft
from xhht_desktop.ui.forms.village_form import VillageDialog
from xhht_desktop.ui.pages.villages import VillagesPage

# The offscreen platform cannot honour a dialog's size hints and says so; the
# warning is about the test platform, not about the widgets.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def page(qtbot, context: AppContext) -> VillagesPage:
    widget = VillagesPage(context)
    qtbot.addWidget(widget)
    widget.resize(800, 500)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    widget.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget.table)
    return widget


def test_villages_are_added_one_after_another_by_keyboard(qtbot, page, context, keyboard, dialogs):
    dialog = dialogs.open(page, VillageDialog, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert keyboard.focused() is dialog.name

    keyboard.type("Đức  An ")
    with qtbot.waitSignal(dialog.record_saved):
        keyboard.press(Qt.Key.Key_Return)
    # The form is blank again for the next village, its kind kept.
    assert dialog.isVisible()
    assert dialog.name.text() == ""
    assert keyboard.focused() is dialog.name
    keyboard.press(Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert keyboard.focused() is dialog.kind
    keyboard.type("bon")
    keyboard.press(Qt.Key.Key_Tab)
    keyboard.type("Bu Prăng")
    with qtbot.waitSignal(dialog.record_saved):
        keyboard.press(Qt.Key.Key_Return)
    with qtbot.waitSignal(dialog.finished):
        keyboard.press(Qt.Key.Key_Escape)

    stored = {(v.kind, v.name) for v in context.villages.list()}
    assert stored == {("thon", "Đức An"), ("bon", "Bu Prăng")}
    # Vietnamese order ("B" before "Đ"); the page shows what was stored.
    assert [page.model.index(r, 1).data() for r in range(page.model.rowCount())] == [
        "Bu Prăng",
        "Đức An",
    ]
    assert page.model.index(0, 0).data() == "Bon"


def test_insert_adds_and_enter_edits_the_selected_village(qtbot, page, context, keyboard, dialogs):
    context.villages.save(VillageDraft("thon", "Thôn 1"))
    page.refresh()
    dialog = dialogs.open(page, VillageDialog, Qt.Key.Key_Insert)
    keyboard.type("Thôn 2")
    with qtbot.waitSignal(dialog.record_saved):
        keyboard.press(Qt.Key.Key_Return)
    with qtbot.waitSignal(dialog.finished):
        keyboard.press(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: page.findChild(VillageDialog) is None)
    # The list has the focus again; the offscreen platform does not give the
    # window back its activation by itself, a desktop does.
    assert page.focusWidget() is page.table
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.table)

    keyboard.press(Qt.Key.Key_Down)
    assert page.selected_row().name == "Thôn 2"
    editor = dialogs.open(page, VillageDialog, Qt.Key.Key_Return)
    assert editor.name.text() == "Thôn 2"
    editor.name.selectAll()
    keyboard.type("Thôn Hai")
    with qtbot.waitSignal(editor.finished):
        keyboard.press(Qt.Key.Key_Return)

    assert sorted(v.name for v in context.villages.list()) == ["Thôn 1", "Thôn Hai"]
    assert page.selected_row().name == "Thôn Hai"


def test_a_duplicate_name_is_refused_beside_the_field(page, context, keyboard, dialogs):
    context.villages.save(VillageDraft("thon", "Đức An"))
    page.refresh()
    dialog = dialogs.open(page, VillageDialog, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)

    keyboard.type("duc an")
    keyboard.press(Qt.Key.Key_Return)

    assert dialog.isVisible()
    assert dialog.fields.message("name") == "Xã đã có thôn/tổ dân phố tên 'duc an'."
    assert dialog.fields.message("kind") == ""
    assert keyboard.focused() is dialog.name
    assert [v.name for v in context.villages.list()] == ["Đức An"]

    # An empty name is refused too, with its own message.
    dialog.name.clear()
    keyboard.press(Qt.Key.Key_Return)
    assert dialog.fields.message("name") == "Tên thôn/tổ dân phố không được để trống."
    assert len(context.villages.list()) == 1


def test_delete_asks_first_and_removes_an_empty_village(page, context, keyboard, answer):
    context.villages.save(VillageDraft("thon", "Thôn 1"))
    page.refresh()

    asked = answer(QMessageBox.StandardButton.No)
    keyboard.press(Qt.Key.Key_Delete)
    assert asked == ["Xóa Thôn 1?"]
    assert len(context.villages.list()) == 1

    answer(QMessageBox.StandardButton.Yes)
    keyboard.press(Qt.Key.Key_Delete)
    assert context.villages.list() == []
    assert page.model.rowCount() == 0


def test_a_village_with_households_is_not_deleted(page, context, keyboard, answer):
    village = context.villages.save(VillageDraft("thon", "Đức An"))
    context.households.save(HouseholdDraft("H001", village.id, "Nguyễn Văn An"))
    page.refresh()
    answer(QMessageBox.StandardButton.Yes)

    keyboard.press(Qt.Key.Key_Delete)

    assert not page.message.isHidden()
    assert page.message.text() == (
        "Không xóa được: thôn 'Đức An' còn 1 hộ. Hãy chuyển hoặc xóa các hộ trước."
    )
    assert [(v.name, v.households) for v in context.villages.list()] == [("Đức An", 1)]
    assert page.model.index(0, 2).data() == "1"
