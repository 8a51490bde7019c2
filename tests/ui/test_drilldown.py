"""The records behind a figure: the list is ``behind``'s, and each record opens to be fixed.

A small commune, counted by hand (reporting year 2026, age = 2026 − birth year):

=========  ==========  =====  =====  =====  ===========================
person     village     birth  sex    grade  15–60, literate (level ≥ 1)?
=========  ==========  =====  =====  =====  ===========================
Lò Văn A   Thôn 1      1990   M      0      no
Lò Thị B   Thôn 1      1985   F      9      yes
Lò Thị C   Thôn 1      2000   F      1      no
Điểu D     Bon Bu Bir  1970   M      2      no
Thị E      Bon Bu Bir  1995   F      5      yes
=========  ==========  =====  =====  =====  ===========================
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from xhht_desktop.core.registers import HouseholdDraft, PersonDraft, VillageDraft
from xhht_desktop.ui.drilldown import DrilldownDialog, edit_dialog, entry_state
from xhht_desktop.ui.forms.clan_form import ClanDialog
from xhht_desktop.ui.forms.household_form import HouseholdDialog
from xhht_desktop.ui.forms.person_form import PersonDialog
from xhht_desktop.ui.forms.unit_form import UnitDialog
from xhht_desktop.ui.forms.village_form import VillageDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

YEAR = 2026
Key = Qt.Key


@pytest.fixture
def commune(context):
    villages = {
        "Thôn 1": context.villages.save(VillageDraft("thon", "Thôn 1")).id,
        "Bon Bu Bir": context.villages.save(VillageDraft("bon", "Bon Bu Bir")).id,
    }
    households = {
        "H01": context.households.save(HouseholdDraft("H01", villages["Thôn 1"], "Lò Văn A")).id,
        "H02": context.households.save(HouseholdDraft("H02", villages["Bon Bu Bir"], "Điểu D")).id,
    }
    persons = {}
    for name, household, birth, sex, grade in (
        ("Lò Văn A", "H01", 1990, "M", 0),
        ("Lò Thị B", "H01", 1985, "F", 9),
        ("Lò Thị C", "H01", 2000, "F", 1),
        ("Điểu D", "H02", 1970, "M", 2),
        ("Thị E", "H02", 1995, "F", 5),
    ):
        persons[name] = context.persons.save(
            PersonDraft(households[household], name, birth, sex, "01", grade=grade)
        ).id
    return context, villages, households, persons


@pytest.fixture
def open_dialog(qtbot, show):
    def _open(context, code, village_id=None, **kwargs) -> DrilldownDialog:
        dialog = DrilldownDialog(context, code, YEAR, village_id, **kwargs)
        show(dialog)
        return dialog

    return _open


def _names(dialog: DrilldownDialog) -> list[str]:
    return [p.full_name for p in dialog.rows()]


def test_the_list_is_the_services_and_follows_the_village_chosen(
    commune, open_dialog, keyboard, qtbot
):
    context, villages, _households, _persons = commune
    dialog = open_dialog(context, "biet-chu-15-60")
    assert dialog.heading.text() == "Người từ 15 đến 60 tuổi biết chữ"
    behind = context.indicators.behind("biet-chu-15-60", YEAR)
    assert [p.id for p in dialog.rows()] == [p.id for p in behind.persons]
    assert sorted(_names(dialog)) == ["Lò Thị C", "Lò Văn A", "Điểu D"]
    assert dialog.explanation.text().startswith("3 người ")
    # Without a plan check, no figure is shown above the list.
    assert not dialog.figure.isVisible()
    assert dialog.table.hasFocus()

    # Tab to the village chooser, type a word of the name.
    keyboard.press(Key.Key_Tab)
    assert keyboard.focused() is dialog.village
    with qtbot.waitSignal(dialog.records_shown):
        keyboard.type("bon")
    assert dialog.village_id() == villages["Bon Bu Bir"]
    assert _names(dialog) == ["Điểu D"]
    assert dialog.explanation.text().endswith(
        "— Bon Bu Bir; người khuyết tật không có khả năng học không được tính."
    )


def test_enter_opens_the_person_and_a_fix_takes_them_off_the_list(
    commune, open_dialog, keyboard, qtbot
):
    context, _villages, _households, persons = commune
    dialog = open_dialog(context, "biet-chu-15-60")
    changed: list[bool] = []
    dialog.records_changed.connect(lambda: changed.append(True))
    row = next(n for n, p in enumerate(dialog.rows()) if p.full_name == "Lò Văn A")
    dialog.table.setCurrentIndex(dialog.model.index(row, 0))
    keyboard.press(Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.findChild(PersonDialog) is not None)
    person = dialog.findChild(PersonDialog)
    qtbot.waitUntil(person.isActiveWindow)
    assert person.form.full_name.text() == "Lò Văn A"

    # He finished grade 3: literate at level 1 (Nghị định 20/2014, Art. 19).
    person.form.grade.setFocus()
    person.form.grade.selectAll()
    keyboard.type("3")
    keyboard.press(Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.findChild(PersonDialog) is None)

    assert context.persons.get(persons["Lò Văn A"]).grade == 3
    assert changed == [True]
    assert sorted(_names(dialog)) == ["Lò Thị C", "Điểu D"]
    assert dialog.explanation.text().startswith("2 người ")


def test_a_composite_target_lists_each_part_and_an_aggregate_part_is_edited_elsewhere(
    commune, open_dialog, keyboard, qtbot
):
    context, *_ = commune
    context.aggregates.save(
        "phu-nu-sau-xoa-mu-chu",
        YEAR,
        {"phu_nu_duoi_40_da_xmc": 4, "phu_nu_duoi_40_hoc_sau_xmc": 3},
    )
    dialog = open_dialog(context, "phu-nu-duoi-40-xmc")
    assert dialog.part.isVisible()
    assert [dialog.part.itemData(n) for n in range(dialog.part.count())] == [
        "biet-chu-nu-15-39",
        "phu-nu-duoi-40-sau-xmc",
    ]
    # Women 15–39 not literate: Lò Thị C (26, grade 1).
    assert dialog.shown_code() == "biet-chu-nu-15-39"
    assert _names(dialog) == ["Lò Thị C"]

    dialog.part.setFocus()
    with qtbot.waitSignal(dialog.records_shown):
        keyboard.press(Key.Key_Down)
    assert dialog.shown_code() == "phu-nu-duoi-40-sau-xmc"
    behind = context.indicators.behind("phu-nu-duoi-40-sau-xmc", YEAR)
    assert [r.entry_id for r in dialog.rows()] == [r.entry_id for r in behind.aggregates]
    # The scope, the numerator (studying after literacy), the denominator.
    assert [dialog.model.index(0, c).data() for c in range(dialog.model.columnCount())] == [
        "Toàn xã",
        "3",
        "4",
        "Đã nhập",
    ]
    assert not dialog.open_button.isVisible()
    dialog.table.setFocus()
    keyboard.press(Key.Key_Return)
    assert dialog.message.isVisible()
    assert "Số liệu tổng hợp" in dialog.message.text()
    assert dialog.isVisible()


def test_learning_model_subjects_not_registered_open_in_their_own_dialogs(
    commune, open_dialog, keyboard, qtbot
):
    context, _villages, households, _persons = commune
    dialog = open_dialog(context, "gdht-dang-ky")
    assert [e.subject.code for e in dialog.rows()] == ["H01", "H02"]
    assert [entry_state(e) for e in dialog.rows()] == ["Chưa đăng ký", "Chưa đăng ký"]
    assert dialog.explanation.text() == "2 hộ chưa đăng ký Gia đình học tập năm 2026."
    keyboard.press(Key.Key_Down)
    keyboard.press(Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.findChild(HouseholdDialog) is not None)
    household = dialog.findChild(HouseholdDialog)
    assert household.household_id == households["H02"]
    household.reject()


def test_each_register_entity_has_its_edit_dialog(commune, qtbot):
    context, villages, households, persons = commune
    from xhht_desktop.core.models_cycle import ClanDraft, UnitDraft

    clan = context.clans.save(ClanDraft("Họ Lò"))
    unit = context.units.save(UnitDraft("Trường Tiểu học Đức An", "truong_hoc"))
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    for entity, record_id, dialog_class in (
        ("household", households["H01"], HouseholdDialog),
        ("person", persons["Lò Thị B"], PersonDialog),
        ("clan", clan.id, ClanDialog),
        ("village", villages["Thôn 1"], VillageDialog),
        ("unit", unit.id, UnitDialog),
    ):
        dialog = edit_dialog(context, entity, record_id, parent)
        assert isinstance(dialog, dialog_class), entity
        dialog.deleteLater()
    assert edit_dialog(context, "aggregate", "x", parent) is None
    assert edit_dialog(context, "model_entry", "x", parent) is None
