"""Tests of xhht_desktop.ui.forms.household_form: fields, refusals and members."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from xhht_desktop.context import AppContext
from xhht_desktop.core.registers import HouseholdDraft, PersonDraft, VillageDraft
from xhht_desktop.store.repositories import HouseholdFilter, HouseholdRow, PersonFilter
from xhht_desktop.ui.forms.household_form import HouseholdDialog
from xhht_desktop.ui.forms.person_form import PersonDialog

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


def _open(qtbot, dialog: HouseholdDialog) -> HouseholdDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _household(context: AppContext, code: str, head: str, village: str = "Đức An") -> HouseholdRow:
    found = next((v for v in context.villages.list() if v.name == village), None)
    village_id = (found or context.villages.save(VillageDraft("thon", village))).id
    return context.households.save(HouseholdDraft(code, village_id, head))


def test_a_duplicate_code_is_refused_and_nothing_is_stored(qtbot, context):
    existing = _household(context, "H001", "Nguyễn Văn An")
    dialog = _open(qtbot, HouseholdDialog(context))
    saved: list[str] = []
    dialog.record_saved.connect(saved.append)

    _type(qtbot, "h001")
    _press(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "duc")
    _press(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "Lê Thị Mai")
    _press(qtbot, Qt.Key.Key_Return)

    assert dialog.fields.message("code") == "Mã hộ 'H001' đã dùng cho hộ Nguyễn Văn An."
    assert dialog.fields.message("head_name") == ""
    assert _focused() is dialog.code
    assert dialog.household_id is None
    assert saved == []
    assert context.households.count(HouseholdFilter()) == 1
    assert context.households.get(existing.id) == existing

    # Another code goes through, and the message is gone.
    dialog.code.selectAll()
    _type(qtbot, "H002")
    with qtbot.waitSignal(dialog.record_saved):
        _press(qtbot, Qt.Key.Key_Return)
    assert dialog.fields.message("code") == ""
    assert context.households.count(HouseholdFilter()) == 2


def test_changing_a_code_to_one_in_use_is_refused(qtbot, context):
    _household(context, "H001", "Nguyễn Văn An")
    other = _household(context, "H002", "Trần Văn Bình")
    dialog = _open(qtbot, HouseholdDialog(context, other.id))
    assert _focused() is dialog.code

    dialog.code.selectAll()
    _type(qtbot, "H001")
    _press(qtbot, Qt.Key.Key_Return)

    assert dialog.isVisible()
    assert dialog.fields.message("code") == "Mã hộ 'H001' đã dùng cho hộ Nguyễn Văn An."
    assert context.households.get(other.id) == other


def test_empty_fields_are_named_beside_each_field(qtbot, context):
    _household(context, "H001", "Nguyễn Văn An")
    dialog = _open(qtbot, HouseholdDialog(context))

    _press(qtbot, Qt.Key.Key_Return)

    assert dialog.fields.message("code") == "Mã hộ không được để trống."
    assert dialog.fields.message("village_id") == "Hãy chọn thôn/tổ dân phố của hộ."
    assert dialog.fields.message("head_name") == "Họ tên chủ hộ không được để trống."
    assert dialog.fields.message("address") == ""
    assert context.households.count(HouseholdFilter()) == 1


def test_the_village_is_found_by_typing_part_of_its_name(qtbot, context):
    for kind, name in (("thon", "Đức An"), ("bon", "Bu Prăng"), ("to_dan_pho", "Tổ dân phố 3")):
        context.villages.save(VillageDraft(kind, name))
    dialog = _open(qtbot, HouseholdDialog(context))
    dialog.village.setFocus()
    labels = [dialog.village.itemText(i) for i in range(dialog.village.count())]
    # A name that already says its kind is not doubled.
    assert labels == ["Bon Bu Prăng", "Thôn Đức An", "Tổ dân phố 3"]

    _type(qtbot, "prang")
    assert dialog.village.currentText() == "Bon Bu Prăng"
    assert dialog.village.value() == context.villages.list()[0].id
    for typed, label in (
        ("Đức", "Thôn Đức An"),
        ("duc an", "Thôn Đức An"),
        ("to dan", "Tổ dân phố 3"),
        ("3", "Tổ dân phố 3"),
        ("thon", "Thôn Đức An"),  # the kind still finds the first village of that kind
    ):
        assert dialog.village.itemText(dialog.village.find_typed(typed)) == label
    assert dialog.village.find_typed("xyz") == -1


def test_ctrl_n_starts_the_next_household_in_the_same_village(qtbot, context):
    _household(context, "H001", "Nguyễn Văn An", village="Bu Prăng")
    context.villages.save(VillageDraft("thon", "Đức An"))
    dialog = _open(qtbot, HouseholdDialog(context))
    _type(qtbot, "H010")
    _press(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "duc")
    _press(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "Phạm Văn Cường")
    with qtbot.waitSignal(dialog.record_saved):
        _press(qtbot, Qt.Key.Key_Return)
    assert dialog.windowTitle() == "Hộ H010 – Phạm Văn Cường"

    _press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)

    assert dialog.household_id is None
    assert dialog.windowTitle() == "Thêm hộ gia đình"
    assert (dialog.code.text(), dialog.head_name.text()) == ("", "")
    assert dialog.village.currentText() == "Thôn Đức An"
    assert not dialog.members_box.isVisible()
    assert _focused() is dialog.code
    _type(qtbot, "H011")
    _press(qtbot, Qt.Key.Key_Tab)
    _press(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "Phạm Thị Dung")
    with qtbot.waitSignal(dialog.record_saved):
        _press(qtbot, Qt.Key.Key_Return)
    rows = context.households.page(HouseholdFilter(village_id=dialog.village.value()), 0, 10)
    assert sorted((h.code, h.head_name) for h in rows) == [
        ("H010", "Phạm Văn Cường"),
        ("H011", "Phạm Thị Dung"),
    ]


def test_enter_after_saving_a_new_household_adds_its_first_member(qtbot, context):
    _household(context, "H001", "Nguyễn Văn An")
    dialog = _open(qtbot, HouseholdDialog(context))
    _type(qtbot, "H002")
    _press(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "duc")
    _press(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "Hoàng Văn Em")
    with qtbot.waitSignal(dialog.record_saved):
        _press(qtbot, Qt.Key.Key_Return)
    assert dialog.status.text().startswith("Đã lưu hộ H002.")
    assert _focused() is dialog.add_member_button

    _press(qtbot, Qt.Key.Key_Return)

    person = dialog.findChild(PersonDialog)
    assert person is not None
    assert person.form.household.household_id() == dialog.household_id
    assert person.form.full_name.text() == "Hoàng Văn Em"
    assert context.households.count(HouseholdFilter()) == 2


def test_members_are_edited_with_enter_and_deleted_after_confirmation(qtbot, context, monkeypatch):
    household = _household(context, "H001", "Nguyễn Văn An")
    for name, relationship, year in (
        ("Nguyễn Văn An", "Chủ hộ", 1970),
        ("Nguyễn Văn Bé", "Con", 2001),
    ):
        context.persons.save(
            PersonDraft(household.id, name, year, "M", "01", relationship_to_head=relationship)
        )
    dialog = _open(qtbot, HouseholdDialog(context, household.id))
    assert dialog.members_count.text() == "2 thành viên"
    assert dialog.members_model.index(1, 2).data() == "2001"

    dialog.members.setFocus()
    _press(qtbot, Qt.Key.Key_Down)
    _press(qtbot, Qt.Key.Key_Return)
    person = dialog.findChild(PersonDialog)
    assert person is not None
    qtbot.waitUntil(person.isActiveWindow)
    assert person.form.full_name.text() == "Nguyễn Văn Bé"
    # Enter on the members list opened the member, it did not save the household.
    assert dialog.isVisible()
    assert context.households.get(household.id).revision == household.revision
    person.form.full_name.setFocus()
    person.form.full_name.selectAll()
    _type(qtbot, "Nguyễn Văn Bảo")
    with qtbot.waitSignal(person.finished):
        _press(qtbot, Qt.Key.Key_Return)
    assert [m.full_name for m in context.persons.members(household.id)] == [
        "Nguyễn Văn An",
        "Nguyễn Văn Bảo",
    ]
    assert dialog.members_model.index(1, 0).data() == "Nguyễn Văn Bảo"

    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert _focused() is dialog.members
    assert dialog.selected_member_id() == context.persons.members(household.id)[1].id
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        staticmethod(
            lambda _p, _t, text, *_a: asked.append(text) or QMessageBox.StandardButton.Yes
        ),
    )
    with qtbot.waitSignal(dialog.members_changed):
        _press(qtbot, Qt.Key.Key_Delete)
    assert asked == ["Xóa Nguyễn Văn Bảo khỏi hộ H001?"]
    assert [m.full_name for m in context.persons.members(household.id)] == ["Nguyễn Văn An"]
    assert context.persons.count(PersonFilter()) == 1
    assert dialog.members_count.text() == "1 thành viên"


def test_the_head_is_offered_only_while_the_household_has_none(qtbot, context):
    household = _household(context, "H001", "Nguyễn Văn An")
    dialog = _open(qtbot, HouseholdDialog(context, household.id))

    first = dialog.add_member()
    assert first is not None
    assert first.form.full_name.text() == "Nguyễn Văn An"
    assert first.form.relationship.currentText() == "Chủ hộ"
    first.reject()

    context.persons.save(
        PersonDraft(household.id, "Nguyễn Văn An", 1970, "M", "01", relationship_to_head="Chủ hộ")
    )
    dialog.reload_members()
    second = dialog.add_member()
    assert second is not None
    assert second.form.full_name.text() == ""
    assert second.form.relationship.currentText() == ""


def test_a_household_changed_elsewhere_is_not_overwritten(qtbot, context):
    household = _household(context, "H001", "Nguyễn Văn An")
    dialog = _open(qtbot, HouseholdDialog(context, household.id))
    context.households.save(
        HouseholdDraft("H001", household.village_id, "Nguyễn Văn Ân"), household.id
    )

    dialog.address.setFocus()
    _type(qtbot, "Xóm 2")
    _press(qtbot, Qt.Key.Key_Return)

    assert dialog.isVisible()
    assert dialog.status.text().startswith("Bản ghi đã được người khác sửa")
    stored = context.households.get(household.id)
    assert (stored.head_name, stored.address) == ("Nguyễn Văn Ân", "")
