"""Tests of xhht_desktop.ui.pages.units and its dialog, driven by the keyboard."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from xhht_desktop.context import AppContext
from xhht_desktop.core.models_cycle import UnitDraft
from xhht_desktop.core.registers import VillageDraft
from xhht_desktop.store.models import AuditEntry
from xhht_desktop.ui.forms.unit_form import UnitDialog
from xhht_desktop.ui.pages.units import UnitsPage

Key = Qt.Key
Ctrl = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def villages(context: AppContext) -> dict[str, str]:
    return {
        name: context.villages.save(VillageDraft(kind, name)).id
        for kind, name in (("thon", "Thôn 1"), ("bon", "Bon Bu Bir"))
    }


@pytest.fixture
def page(context: AppContext, villages, show, qtbot) -> UnitsPage:
    widget = UnitsPage(context)
    widget.resize(1000, 500)
    show(widget)
    widget.table.setFocus()
    qtbot.waitUntil(widget.table.hasFocus)
    return widget


def _rows(page: UnitsPage) -> list[tuple[str, ...]]:
    model = page.model
    return [
        tuple(model.index(r, c).data() for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]


def test_a_unit_is_added_changed_and_deleted_by_keyboard(
    qtbot, keyboard, dialogs, page, context, villages, answer
):
    dialog = dialogs.open(page, UnitDialog, Key.Key_N, Ctrl)
    assert keyboard.focused() is dialog.name
    keyboard.type("Trường THCS Đức An")
    keyboard.press(Key.Key_Tab)
    keyboard.type("truong")  # "Trường học", diacritics optional
    keyboard.press(Key.Key_Tab)
    keyboard.type("Thôn 1, xã Đức An")
    keyboard.press(Key.Key_Tab)
    keyboard.type("Lê Thị Hoa")
    keyboard.press(Key.Key_Tab)
    keyboard.type("35")
    keyboard.press(Key.Key_Tab)
    assert keyboard.focused() is dialog.village
    keyboard.type("thon")
    with qtbot.waitSignal(dialog.record_saved):
        keyboard.press(Key.Key_Return)

    (unit,) = context.units.list()
    assert (
        unit.name,
        unit.kind,
        unit.address,
        unit.head_name,
        unit.staff_count,
        unit.village_id,
    ) == (
        "Trường THCS Đức An",
        "truong_hoc",
        "Thôn 1, xã Đức An",
        "Lê Thị Hoa",
        35,
        villages["Thôn 1"],
    )
    # Blank for the next unit; the kind and the village are kept.
    assert dialog.name.text() == "" and dialog.staff_count.value() == 0
    assert dialog.kind.value() == "truong_hoc"
    assert dialog.village.value() == villages["Thôn 1"]
    assert keyboard.focused() is dialog.name
    with qtbot.waitSignal(dialog.finished):
        keyboard.press(Key.Key_Escape)
    dialogs.back_to(page, UnitDialog)
    assert _rows(page) == [("Trường THCS Đức An", "Trường học", "Thôn 1", "Lê Thị Hoa", "35")]
    assert page.count_label.text() == "1 cơ quan, đơn vị"

    # Enter opens it; the staff count is four fields down; Enter saves and closes.
    editor = dialogs.open(page, UnitDialog, Key.Key_Return)
    assert editor.name.text() == "Trường THCS Đức An"
    for _field in ("kind", "address", "head_name", "staff_count"):
        keyboard.press(Key.Key_Tab)
    assert keyboard.focused() is editor.staff_count
    keyboard.type("40")
    with qtbot.waitSignal(editor.finished):
        keyboard.press(Key.Key_Return)
    assert context.units.get(unit.id).staff_count == 40
    assert _rows(page)[0][4] == "40"

    dialogs.back_to(page, UnitDialog)
    asked = answer(QMessageBox.StandardButton.Yes)
    keyboard.press(Key.Key_Delete)
    assert asked == ["Xóa Trường THCS Đức An?"]
    assert context.units.list() == []
    assert _rows(page) == []

    with context.reading() as session:
        audit = [
            tuple(row)
            for row in session.execute(
                select(
                    AuditEntry.action,
                    AuditEntry.field,
                    AuditEntry.old_value,
                    AuditEntry.new_value,
                    AuditEntry.actor,
                )
                .where(AuditEntry.record_id == unit.id)
                .order_by(AuditEntry.id)
            )
        ]
    actor = context.actor.name
    assert ("create", "name", None, "Trường THCS Đức An", actor) in audit
    assert ("create", "staff_count", None, "35", actor) in audit
    assert audit[-2:] == [
        ("update", "staff_count", "35", "40", actor),
        ("delete", None, None, None, actor),
    ]


def test_a_duplicate_name_and_a_missing_kind_are_refused_beside_their_fields(
    qtbot, keyboard, dialogs, page, context
):
    context.units.save(UnitDraft("Trường THCS Đức An", "truong_hoc"))
    page.refresh()
    dialog = dialogs.open(page, UnitDialog, Key.Key_Insert)

    keyboard.type("truong thcs duc an")
    keyboard.press(Key.Key_Return)

    assert dialog.isVisible()
    assert dialog.fields.message("name") == "Xã đã có đơn vị tên «truong thcs duc an»."
    assert dialog.fields.message("kind").startswith("Hãy chọn loại đơn vị: cơ quan, trường học")
    assert dialog.fields.message("staff_count") == ""
    assert keyboard.focused() is dialog.name
    assert [u.name for u in context.units.list()] == ["Trường THCS Đức An"]


def test_a_unit_deleted_meanwhile_is_said_in_the_page(
    qtbot, keyboard, dialogs, page, context, answer
):
    unit = context.units.save(UnitDraft("Hợp tác xã Đức An", "hop_tac_xa", staff_count=12))
    context.units.save(UnitDraft("Trạm Y tế xã", "co_quan"))
    page.refresh()
    context.units.delete(unit.id)
    answer(QMessageBox.StandardButton.Yes)

    keyboard.press(Key.Key_Delete)

    assert page.message.text() == "Không tìm thấy đơn vị này (có thể đã bị xóa)."
    assert not page.message.isHidden()
    assert [row[0] for row in _rows(page)] == ["Trạm Y tế xã"]
    # The next dialog opened clears the message.
    dialog = dialogs.open(page, UnitDialog, Key.Key_Return)
    assert page.message.isHidden()
    assert dialog.kind.value() == "co_quan"


def test_the_search_ignores_diacritics(qtbot, keyboard, page, context):
    for name, kind in (
        ("Trường Tiểu học Đức An", "truong_hoc"),
        ("Hợp tác xã Đức An", "hop_tac_xa"),
    ):
        context.units.save(UnitDraft(name, kind))
    page.refresh()
    keyboard.press(Key.Key_F, Ctrl)
    with qtbot.waitSignal(page.results_shown):
        keyboard.type("hop tac")
    assert _rows(page) == [("Hợp tác xã Đức An", "Hợp tác xã", "", "", "0")]
    assert page.count_label.text() == "1 / 2 cơ quan, đơn vị"


def test_a_unit_in_the_learning_model_is_not_deleted(qtbot, keyboard, page, context, answer):
    unit = context.units.save(UnitDraft("Trường THCS Đức An", "truong_hoc"))
    context.learning_models.register(
        "dvht", 2026, [unit.id], date(2026, 1, 10), today=date(2026, 12, 20)
    )
    page.refresh()
    asked = answer(QMessageBox.StandardButton.Yes)

    keyboard.press(Key.Key_Delete)

    assert asked == []
    assert page.message.text() == (
        "Không xóa được đơn vị «Trường THCS Đức An»: đơn vị có 1 lượt đăng ký/công nhận "
        "«Đơn vị học tập» (năm 2026); hãy hủy các lượt đăng ký đó trước rồi xóa lại."
    )
    assert [row[0] for row in _rows(page)] == ["Trường THCS Đức An"]

    # Once the registration is withdrawn, Delete asks and deletes.
    context.learning_models.unregister("dvht", 2026, [unit.id])
    keyboard.press(Key.Key_Delete)
    assert asked == ["Xóa Trường THCS Đức An?"]
    assert page.message.isHidden()
    assert context.units.list() == []
