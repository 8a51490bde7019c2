"""Tests of xhht_desktop.ui.pages.villages and its form, driven by the keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from xhht_desktop.context import AppContext
from xhht_desktop.core.registers import HouseholdDraft, VillageDraft
from xhht_desktop.ui.forms.village_form import VillageDialog
from xhht_desktop.ui.pages.villages import VillagesPage

# The offscreen platform cannot honour a dialog's size hints and says so; the
# warning is about the test platform, not about the widgets.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _focused() -> QWidget:
    widget = QApplication.activePopupWidget() or QApplication.focusWidget()
    assert widget is not None
    return widget


def _type(qtbot, text: str) -> None:
    """Type ``text`` into the focused widget as a Vietnamese keyboard does.

    QTest types only ASCII; an input method hands Qt key events whose text is
    the composed letter, which is what is sent for the other characters.
    """
    for char in text:
        widget = _focused()
        if char.isascii():
            qtbot.keyClick(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def _press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(_focused(), key, modifier)


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


def _answer(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    """Answer the confirmation with ``button``; return the questions asked."""
    asked: list[str] = []

    def question(_parent, _title, text, *_args, **_kwargs):
        asked.append(text)
        return button

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


def _open_dialog(qtbot, page: VillagesPage, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier):
    _press(qtbot, key, modifier)
    dialog = page.findChild(VillageDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.isActiveWindow())
    return dialog


def test_villages_are_added_one_after_another_by_keyboard(qtbot, page, context):
    dialog = _open_dialog(qtbot, page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert _focused() is dialog.name

    _type(qtbot, "Đức  An ")
    with qtbot.waitSignal(dialog.record_saved):
        _press(qtbot, Qt.Key.Key_Return)
    # The form is blank again for the next village, its kind kept.
    assert dialog.isVisible()
    assert dialog.name.text() == ""
    assert _focused() is dialog.name
    _press(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert _focused() is dialog.kind
    _type(qtbot, "bon")
    _press(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "Bu Prăng")
    with qtbot.waitSignal(dialog.record_saved):
        _press(qtbot, Qt.Key.Key_Return)
    with qtbot.waitSignal(dialog.finished):
        _press(qtbot, Qt.Key.Key_Escape)

    stored = {(v.kind, v.name) for v in context.villages.list()}
    assert stored == {("thon", "Đức An"), ("bon", "Bu Prăng")}
    # Vietnamese order ("B" before "Đ"); the page shows what was stored.
    assert [page.model.index(r, 1).data() for r in range(page.model.rowCount())] == [
        "Bu Prăng",
        "Đức An",
    ]
    assert page.model.index(0, 0).data() == "Bon"


def test_insert_adds_and_enter_edits_the_selected_village(qtbot, page, context):
    context.villages.save(VillageDraft("thon", "Thôn 1"))
    page.refresh()
    dialog = _open_dialog(qtbot, page, Qt.Key.Key_Insert)
    _type(qtbot, "Thôn 2")
    with qtbot.waitSignal(dialog.record_saved):
        _press(qtbot, Qt.Key.Key_Return)
    with qtbot.waitSignal(dialog.finished):
        _press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: page.findChild(VillageDialog) is None)
    # The list has the focus again; the offscreen platform does not give the
    # window back its activation by itself, a desktop does.
    assert page.focusWidget() is page.table
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.table)

    _press(qtbot, Qt.Key.Key_Down)
    assert page.selected_row().name == "Thôn 2"
    editor = _open_dialog(qtbot, page, Qt.Key.Key_Return)
    assert editor.name.text() == "Thôn 2"
    editor.name.selectAll()
    _type(qtbot, "Thôn Hai")
    with qtbot.waitSignal(editor.finished):
        _press(qtbot, Qt.Key.Key_Return)

    assert sorted(v.name for v in context.villages.list()) == ["Thôn 1", "Thôn Hai"]
    assert page.selected_row().name == "Thôn Hai"


def test_a_duplicate_name_is_refused_beside_the_field(qtbot, page, context):
    context.villages.save(VillageDraft("thon", "Đức An"))
    page.refresh()
    dialog = _open_dialog(qtbot, page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)

    _type(qtbot, "duc an")
    _press(qtbot, Qt.Key.Key_Return)

    assert dialog.isVisible()
    assert dialog.fields.message("name") == "Xã đã có thôn/tổ dân phố tên 'duc an'."
    assert dialog.fields.message("kind") == ""
    assert _focused() is dialog.name
    assert [v.name for v in context.villages.list()] == ["Đức An"]

    # An empty name is refused too, with its own message.
    dialog.name.clear()
    _press(qtbot, Qt.Key.Key_Return)
    assert dialog.fields.message("name") == "Tên thôn/tổ dân phố không được để trống."
    assert len(context.villages.list()) == 1


def test_delete_asks_first_and_removes_an_empty_village(qtbot, page, context, monkeypatch):
    context.villages.save(VillageDraft("thon", "Thôn 1"))
    page.refresh()

    asked = _answer(monkeypatch, QMessageBox.StandardButton.No)
    _press(qtbot, Qt.Key.Key_Delete)
    assert asked == ["Xóa Thôn 1?"]
    assert len(context.villages.list()) == 1

    _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    _press(qtbot, Qt.Key.Key_Delete)
    assert context.villages.list() == []
    assert page.model.rowCount() == 0


def test_a_village_with_households_is_not_deleted(qtbot, page, context, monkeypatch):
    village = context.villages.save(VillageDraft("thon", "Đức An"))
    context.households.save(HouseholdDraft("H001", village.id, "Nguyễn Văn An"))
    page.refresh()
    _answer(monkeypatch, QMessageBox.StandardButton.Yes)

    _press(qtbot, Qt.Key.Key_Delete)

    assert not page.message.isHidden()
    assert page.message.text() == (
        "Không xóa được: thôn 'Đức An' còn 1 hộ. Hãy chuyển hoặc xóa các hộ trước."
    )
    assert [(v.name, v.households) for v in context.villages.list()] == [("Đức An", 1)]
    assert page.model.index(0, 2).data() == "1"
