"""Tests of xhht_desktop.ui.pages.households: the register of households, by keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from sqlalchemy import select

from xhht_desktop.context import AppContext
from xhht_desktop.core.registers import HouseholdDraft, PersonDraft, VillageDraft
from xhht_desktop.store.models import AuditEntry
from xhht_desktop.store.repositories import HouseholdFilter, PersonFilter
from xhht_desktop.ui.forms.household_form import HouseholdDialog
from xhht_desktop.ui.forms.person_form import PersonDialog
from xhht_desktop.ui.pages.households import HouseholdsPage

# The offscreen platform cannot honour a dialog's size hints and says so; the
# warning is about the test platform, not about the widgets.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _activate(qtbot, window: QWidget) -> None:
    # A desktop gives the window under a closed dialog its activation back;
    # the offscreen platform does not, so the test does.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


@pytest.fixture
def page(qtbot, context: AppContext) -> HouseholdsPage:
    widget = HouseholdsPage(context)
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    widget.show()
    qtbot.waitExposed(widget)
    _activate(qtbot, widget)
    widget.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget.table)
    return widget


def _rows(page: HouseholdsPage) -> list[tuple[str, ...]]:
    model = page.model
    return [
        tuple(model.index(r, c).data() for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]


def test_a_household_and_its_members_are_entered_changed_and_deleted(
    qtbot, page, context, keyboard, answer
):
    context.villages.save(VillageDraft("thon", "Đức An"))
    context.villages.save(VillageDraft("bon", "Bu Prăng"))
    page.refresh()

    # Add the household: Ctrl+N, then the fields in Tab order, Enter saves.
    keyboard.press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = page.findChild(HouseholdDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow)
    assert keyboard.focused() is dialog.code
    keyboard.type("h001")
    keyboard.press(Qt.Key.Key_Tab)
    keyboard.type("duc")  # finds "Thôn Đức An" without diacritics
    keyboard.press(Qt.Key.Key_Tab)
    keyboard.type("Nguyễn Văn An")
    keyboard.press(Qt.Key.Key_Tab)
    keyboard.type("Số 5, đường Trần Phú")
    with qtbot.waitSignal(dialog.record_saved):
        keyboard.press(Qt.Key.Key_Return)

    (household,) = context.households.page(HouseholdFilter(), 0, 10)
    assert (household.code, household.village_name, household.head_name, household.address) == (
        "H001",
        "Đức An",
        "Nguyễn Văn An",
        "Số 5, đường Trần Phú",
    )
    assert _rows(page) == [("H001", "Nguyễn Văn An", "Đức An", "Số 5, đường Trần Phú", "0")]
    # The dialog stays on the new household, ready for its members.
    assert dialog.isVisible()
    assert dialog.household_id == household.id
    assert dialog.members_box.isVisible()
    assert keyboard.focused() is dialog.add_member_button

    # First member: the head, with name and relationship already filled in.
    keyboard.press(Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    person = dialog.findChild(PersonDialog)
    assert person is not None
    qtbot.waitUntil(person.isActiveWindow)
    assert keyboard.focused() is person.form.birth
    keyboard.type("1970")
    keyboard.press(Qt.Key.Key_Tab)
    keyboard.type("n")  # Nam
    with qtbot.waitSignal(person.record_saved):
        keyboard.press(Qt.Key.Key_Return)
    # Second member: the form is blank for the next one of the same household.
    assert keyboard.focused() is person.form.full_name
    keyboard.type("Trần Thị Hoa")
    keyboard.press(Qt.Key.Key_Tab)
    keyboard.type("Vợ")
    keyboard.press(Qt.Key.Key_Tab)
    keyboard.type("12/03/1975")
    keyboard.press(Qt.Key.Key_Tab)
    keyboard.type("nu")  # Nữ
    with qtbot.waitSignal(person.record_saved):
        keyboard.press(Qt.Key.Key_Return)
    with qtbot.waitSignal(person.finished):
        keyboard.press(Qt.Key.Key_Escape)

    members = context.persons.members(household.id)
    assert [(m.full_name, m.relationship_to_head, m.birth_year, m.sex) for m in members] == [
        ("Nguyễn Văn An", "Chủ hộ", 1970, "M"),
        ("Trần Thị Hoa", "Vợ", 1975, "F"),
    ]
    assert dialog.members_model.rowCount() == 2
    assert dialog.members_count.text() == "2 thành viên"
    assert _rows(page)[0][4] == "2"

    # Change the head's name; Enter saves and closes the dialog.
    _activate(qtbot, dialog)
    dialog.head_name.setFocus()
    dialog.head_name.selectAll()
    keyboard.type("Nguyễn Văn Anh")
    with qtbot.waitSignal(dialog.finished):
        keyboard.press(Qt.Key.Key_Return)
    assert context.households.get(household.id).head_name == "Nguyễn Văn Anh"
    with context.reading() as session:
        audit = session.execute(
            select(AuditEntry.action, AuditEntry.field, AuditEntry.old_value, AuditEntry.new_value)
            .where(AuditEntry.record_id == household.id)
            .order_by(AuditEntry.id)
        ).all()
    assert ("create", "code", None, "H001") in audit
    assert ("update", "head_name", "Nguyễn Văn An", "Nguyễn Văn Anh") in audit

    # Delete it from the page: the question says how many members go with it.
    qtbot.waitUntil(lambda: page.findChild(HouseholdDialog) is None)
    _activate(qtbot, page)
    assert keyboard.focused() is page.table
    asked = answer(QMessageBox.StandardButton.Yes)
    keyboard.press(Qt.Key.Key_Delete)
    assert asked == ["Xóa hộ H001 (chủ hộ Nguyễn Văn Anh) cùng 2 thành viên của hộ?"]
    assert context.households.count(HouseholdFilter()) == 0
    assert context.persons.count(PersonFilter()) == 0
    assert _rows(page) == []
    assert page.count_label.text() == "0 hộ"


def test_delete_is_cancelled_when_not_confirmed(page, context, keyboard, answer):
    village = context.villages.save(VillageDraft("thon", "Thôn 1"))
    context.households.save(HouseholdDraft("H001", village.id, "Lê Văn Tám"))
    page.refresh()

    asked = answer(QMessageBox.StandardButton.No)
    keyboard.press(Qt.Key.Key_Delete)

    assert asked == ["Xóa hộ H001 (chủ hộ Lê Văn Tám)? Hộ chưa có thành viên."]
    assert context.households.count(HouseholdFilter()) == 1


def test_search_ignores_diacritics_and_the_village_filter_narrows(qtbot, page, context, keyboard):
    duc_an = context.villages.save(VillageDraft("thon", "Đức An"))
    bu_prang = context.villages.save(VillageDraft("bon", "Bu Prăng"))
    for code, village, head, address in (
        ("H001", duc_an, "Nguyễn Văn An", ""),
        ("H002", duc_an, "Trần Thị Bích", "Gần nhà văn hóa"),
        ("H003", bu_prang, "Nguyễn Thị Hồng", ""),
        ("H004", bu_prang, "Điểu K'Lơ", "Đường Nguyễn Du"),
    ):
        context.households.save(HouseholdDraft(code, village.id, head, address))
    context.persons.save(
        PersonDraft(
            context.households.page(HouseholdFilter(), 0, 1)[0].id, "Nguyễn Văn An", 1970, "M", "01"
        )
    )
    page.refresh()
    assert page.count_label.text() == "4 hộ"

    keyboard.press(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert keyboard.focused() is page.search
    keyboard.type("nguyen")
    # The search runs once typing pauses.
    qtbot.waitUntil(lambda: page.count_label.text() == "3 / 4 hộ")
    assert sorted(row[0] for row in _rows(page)) == ["H001", "H003", "H004"]

    keyboard.press(Qt.Key.Key_Tab)
    assert keyboard.focused() is page.village
    keyboard.type("bu")
    assert page.count_label.text() == "2 / 4 hộ"
    assert sorted(row[0] for row in _rows(page)) == ["H003", "H004"]

    page.search.clear()
    page.apply_filter()
    assert sorted(row[0] for row in _rows(page)) == ["H003", "H004"]
    page.search.setText("h00 du")  # every word must match: code and address
    page.apply_filter()
    assert [row[0] for row in _rows(page)] == ["H004"]


def test_enter_opens_the_selected_household(page, context, keyboard):
    village = context.villages.save(VillageDraft("thon", "Thôn 1"))
    for code, head in (("H001", "An"), ("H002", "Bình")):
        context.households.save(HouseholdDraft(code, village.id, head))
    page.refresh()

    keyboard.press(Qt.Key.Key_Down)
    keyboard.press(Qt.Key.Key_Return)

    dialog = page.findChild(HouseholdDialog)
    assert dialog is not None
    assert dialog.code.text() == "H002"
    assert dialog.head_name.text() == "Bình"
