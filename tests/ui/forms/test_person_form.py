"""The person form: keyboard-only entry, refusals beside fields, edits audited."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import select

from xhht_desktop.context import AppContext
from xhht_desktop.core.registers import HouseholdDraft, PersonDraft, VillageDraft
from xhht_desktop.store.models import AuditEntry
from xhht_desktop.store.repositories import HouseholdRow, PersonFilter
from xhht_desktop.ui.forms.person_form import PersonDialog, PersonForm

# The offscreen platform warns that it cannot resize or raise windows; that is
# the test platform talking, not the widgets.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _household(
    context: AppContext, code: str = "H001", head: str = "Nguyễn Văn An"
) -> HouseholdRow:
    villages = context.villages.list()
    village = villages[0] if villages else context.villages.save(VillageDraft("thon", "Thôn 1"))
    return context.households.save(HouseholdDraft(code, village.id, head))


def _focused() -> QWidget:
    # Keys go to an open popup (a completer's list) before the focused field.
    widget = QApplication.activePopupWidget() or QApplication.focusWidget()
    assert widget is not None
    return widget


def _type(qtbot, text: str) -> None:
    """Type ``text`` into the focused widget as a Vietnamese keyboard does.

    QTest only types ASCII; an input method (Unikey, the OS's Telex) hands Qt
    key events whose text is the composed letter, which is what is sent here.
    """
    for char in text:
        widget = _focused()
        if char.isascii():
            qtbot.keyClick(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def _press(qtbot, key: Qt.Key) -> None:
    qtbot.keyClick(_focused(), key)


def _open(qtbot, dialog: PersonDialog) -> PersonDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    # Other windows may still be open; keys must reach this one.
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def test_a_household_is_entered_with_the_keyboard_only(qtbot, context):
    household = _household(context)
    dialog = _open(qtbot, PersonDialog(context, household_id=household.id))
    form = dialog.form
    assert _focused() is form.full_name

    saved: list[str] = []
    dialog.record_saved.connect(saved.append)
    _type(qtbot, "Nguyễn Văn An")
    _press(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "Chủ hộ")
    _press(qtbot, Qt.Key.Key_Tab)
    assert _focused() is form.birth
    _type(qtbot, "05/09/1987")
    _press(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "n")  # Nam
    _press(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "mong")  # 08 – Mông
    _press(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "9")  # grade
    _press(qtbot, Qt.Key.Key_Tab)
    _press(qtbot, Qt.Key.Key_Return)

    assert len(saved) == 1
    first = context.persons.get(saved[0])
    assert (first.full_name, first.relationship_to_head) == ("Nguyễn Văn An", "Chủ hộ")
    assert (first.birth_date.isoformat(), first.birth_year) == ("1987-09-05", 1987)
    assert (first.sex, first.ethnicity_code, first.grade) == ("M", "08", 9)
    assert first.household_id == household.id
    assert dialog.isVisible(), "adding keeps the dialog open for the next member"

    # The next blank record is ready, for the same household.
    assert _focused() is form.full_name
    assert form.full_name.text() == "" and form.birth.text() == ""
    assert form.household.household_id() == household.id
    _type(qtbot, "Lê Thị Hoa")
    _press(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "Vợ")
    _press(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "1990")
    _press(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "nu")  # Nữ, typed without diacritics
    _press(qtbot, Qt.Key.Key_Return)

    assert len(saved) == 2
    second = context.persons.get(saved[1])
    assert (second.full_name, second.birth_date, second.birth_year) == ("Lê Thị Hoa", None, 1990)
    assert (second.sex, second.relationship_to_head) == ("F", "Vợ")
    assert second.ethnicity_code == "08", "the household's ethnicity carries over"
    members = context.persons.members(household.id)
    assert sorted(p.full_name for p in members) == ["Lê Thị Hoa", "Nguyễn Văn An"]

    _press(qtbot, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert context.persons.count(PersonFilter()) == 2


def test_the_household_is_found_by_typing_its_head_without_diacritics(qtbot, context):
    _household(context, "H001", "Nguyễn Văn An")
    wanted = _household(context, "H002", "Trần Thị Bình")
    dialog = _open(qtbot, PersonDialog(context))
    form = dialog.form
    assert _focused() is form.household

    _type(qtbot, "tran binh")
    assert [row.code for row in form.household.offers()] == ["H002"]
    qtbot.waitUntil(form.household.popup_visible)
    _press(qtbot, Qt.Key.Key_Tab)
    assert form.household.household_id() == wanted.id
    assert "Trần Thị Bình" in form.household.text()


def test_a_household_code_then_tab_picks_it(qtbot, context):
    _household(context, "H001", "Nguyễn Văn An")
    wanted = _household(context, "H010", "Nguyễn Văn Ba")
    form = PersonForm(context)
    qtbot.addWidget(form)
    form.show()
    qtbot.keyClicks(form.household, "h010")
    form.household.editingFinished.emit()  # what leaving the field does
    assert form.household.household_id() == wanted.id


def test_a_refused_save_shows_messages_beside_fields_and_stores_nothing(qtbot, context):
    household = _household(context)
    dialog = _open(qtbot, PersonDialog(context, household_id=household.id))
    form = dialog.form
    saved: list[str] = []
    form.record_saved.connect(saved.append)

    # Empty name, a birth year in the future, no sex chosen.
    form.birth.setFocus()
    _type(qtbot, "2999")
    _press(qtbot, Qt.Key.Key_Return)

    assert saved == []
    assert context.persons.count(PersonFilter()) == 0
    assert form.fields.message("full_name") == "Họ và tên không được để trống."
    assert form.fields.message("birth") == "Năm sinh không được ở tương lai."
    assert form.fields.message("sex") == "Giới tính phải là Nam hoặc Nữ."
    assert form.fields.message("household_id") == ""
    assert _focused() is form.full_name, "focus goes to the first field to fix"

    # A date that is not on the calendar is explained too, with the others.
    form.birth.clear()
    form.birth.setFocus()
    _type(qtbot, "31/02/1990")
    _press(qtbot, Qt.Key.Key_Return)
    assert form.fields.message("birth") == "Ngày sinh '31/02/1990' không có thật trên lịch."
    assert form.fields.message("full_name") == "Họ và tên không được để trống."
    assert context.persons.count(PersonFilter()) == 0

    # Fixing them clears the messages and saves.
    form.full_name.setFocus()
    _type(qtbot, "Phạm Văn Cường")
    form.birth.setText("1990")
    form.sex.set_value("M")
    _press(qtbot, Qt.Key.Key_Return)
    assert len(saved) == 1
    assert form.fields.message("birth") == ""
    assert context.persons.count(PersonFilter()) == 1


def test_the_grade_box_cannot_hold_more_than_twelve(qtbot, context):
    form = PersonForm(context, household_id=_household(context).id)
    qtbot.addWidget(form)
    form.show()
    form.grade.setFocus()
    form.grade.selectAll()
    qtbot.keyClicks(form.grade, "13")
    assert form.grade.value() <= 12
    assert form.draft().grade <= 12


def test_an_unreadable_birth_is_explained_when_leaving_the_field(qtbot, context):
    form = PersonForm(context, household_id=_household(context).id)
    qtbot.addWidget(form)
    form.show()
    qtbot.keyClicks(form.birth, "5/9/87")
    form.birth.editingFinished.emit()
    assert form.fields.message("birth").startswith("Ngày sinh phải là ngày/tháng/năm")


def test_editing_changes_the_record_and_leaves_an_audit_trail(qtbot, context):
    household = _household(context)
    person = context.persons.save(
        PersonDraft(household.id, "Nguyễn Văn An", 1987, "M", "01", grade=5)
    )
    dialog = _open(qtbot, PersonDialog(context, person_id=person.id))
    form = dialog.form
    assert form.full_name.text() == "Nguyễn Văn An"
    assert form.birth.text() == "1987"
    saved: list[str] = []
    dialog.record_saved.connect(saved.append)

    form.full_name.selectAll()
    form.full_name.setFocus()
    _type(qtbot, "Nguyễn Văn Ân")
    form.grade.setFocus()
    form.grade.selectAll()
    _type(qtbot, "9")
    _press(qtbot, Qt.Key.Key_Return)

    assert saved == [person.id]
    assert not dialog.isVisible(), "editing closes the dialog after the save"
    changed = context.persons.get(person.id)
    assert (changed.full_name, changed.grade) == ("Nguyễn Văn Ân", 9)
    assert changed.revision == person.revision + 1
    with context.reading() as session:
        updates = session.scalars(
            select(AuditEntry).where(
                AuditEntry.record_id == person.id, AuditEntry.action == "update"
            )
        ).all()
    assert {(u.field, u.old_value, u.new_value) for u in updates} == {
        ("full_name", "Nguyễn Văn An", "Nguyễn Văn Ân"),
        ("grade", "5", "9"),
    }


def test_a_stale_edit_is_refused_with_a_message(qtbot, context):
    household = _household(context)
    person = context.persons.save(PersonDraft(household.id, "Nguyễn Văn An", 1987, "M", "01"))
    form = PersonForm(context, person_id=person.id)
    qtbot.addWidget(form)
    form.show()
    # Someone else changes the person while the form is open.
    context.persons.save(
        PersonDraft(household.id, "Nguyễn Văn Anh", 1987, "M", "01"), person_id=person.id
    )
    form.grade.setValue(3)
    assert form.save() is False
    assert "đã được người khác sửa" in form.banner.text()
    assert form.banner.isVisibleTo(form)
    assert context.persons.get(person.id).grade == 0


def test_editing_a_deleted_person_says_so(qtbot, context):
    household = _household(context)
    person = context.persons.save(PersonDraft(household.id, "Nguyễn Văn An", 1987, "M", "01"))
    form = PersonForm(context, person_id=person.id)
    qtbot.addWidget(form)
    context.persons.delete(person.id)
    assert form.save() is False
    assert "Không tìm thấy" in form.banner.text()


def test_screenshot(qtbot, context, tmp_path):
    household = _household(context)
    dialog = _open(qtbot, PersonDialog(context, household_id=household.id))
    dialog.form.birth.setText("2999")
    dialog.form.save()
    dialog.grab().save("/tmp/shots/person_dialog.png")
