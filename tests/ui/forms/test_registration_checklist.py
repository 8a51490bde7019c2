"""Registering a village's households from the checklist, by keyboard only."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from xhht_desktop.core.models_cycle import ClanDraft
from xhht_desktop.core.registers import HouseholdDraft, PersonDraft, VillageDraft
from xhht_desktop.store.model_queries import EntryFilter
from xhht_desktop.ui.forms.registration_checklist import RegistrationChecklist, default_date

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

YEAR = 2026
TODAY = date(2026, 12, 20)
Key = Qt.Key
Ctrl = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def villages(context):
    """Thôn Đức An with four households (one of them empty), Bon Bu Prăng with two."""
    duc_an = context.villages.save(VillageDraft("thon", "Đức An")).id
    bu_prang = context.villages.save(VillageDraft("bon", "Bu Prăng")).id
    for code, village, members in (
        ("H01", duc_an, 2),
        ("H02", duc_an, 1),
        ("H03", duc_an, 1),
        ("H04", duc_an, 0),  # nobody lives there: not a subject of the model
        ("H05", bu_prang, 1),
        ("H06", bu_prang, 3),
    ):
        household = context.households.save(HouseholdDraft(code, village, f"Chủ hộ {code}"))
        for n in range(members):
            context.persons.save(PersonDraft(household.id, f"Người {code} {n}", 1980, "M", "01"))
    return {"duc_an": duc_an, "bu_prang": bu_prang}


def _ids(context, village_id=None) -> dict[str, str]:
    rows = context.learning_models.entries("gdht", YEAR, EntryFilter(village_id=village_id))
    return {row.subject.code: row.subject.id for row in rows}


def _registered(context) -> list[str]:
    rows = context.learning_models.entries("gdht", YEAR, EntryFilter(status="registered"))
    return [row.subject.code for row in rows]


def _ticks(dialog) -> list[tuple[str, bool, bool]]:
    """(text, ticked, can be changed) of every line."""
    checklist = dialog.checklist
    return [
        (
            checklist.item(n).text(),
            checklist.item(n).checkState() == Qt.CheckState.Checked,
            bool(checklist.item(n).flags() & Qt.ItemFlag.ItemIsUserCheckable),
        )
        for n in range(checklist.count())
    ]


def test_a_village_is_registered_with_space_ctrl_a_and_enter(
    context, villages, show, keyboard, qtbot
):
    ids = _ids(context)
    context.learning_models.register("gdht", YEAR, [ids["H02"]], date(2026, 1, 5), today=TODAY)
    dialog = show(RegistrationChecklist(context, "gdht", YEAR, villages["duc_an"], today=TODAY))
    assert keyboard.focused() is dialog.checklist
    # H04 has nobody living in it; H02 is registered already: ticked, and stays so.
    assert _ticks(dialog) == [
        ("H01 – Chủ hộ H01", False, True),
        ("H02 – Chủ hộ H02", True, False),
        ("H03 – Chủ hộ H03", False, True),
    ]
    assert dialog.summary.text() == "Đã đăng ký 1/3; đánh dấu thêm 0."

    keyboard.press(Key.Key_Space)  # H01 ticked
    assert dialog.ticked_ids() == [ids["H01"]]
    keyboard.press(Key.Key_Space)  # and unticked again
    assert dialog.ticked_ids() == []
    keyboard.press(Key.Key_A, Ctrl)
    assert dialog.ticked_ids() == [ids["H01"], ids["H03"]]
    assert dialog.summary.text() == "Đã đăng ký 1/3; đánh dấu thêm 2."

    with qtbot.waitSignal(dialog.registered) as done:
        keyboard.press(Key.Key_Return)
    assert (done.args[0].changed, done.args[0].unchanged) == (2, 0)
    assert _registered(context) == ["H01", "H02", "H03"]
    entry = context.learning_models.entry("gdht", YEAR, ids["H01"])
    assert entry.registered_on == TODAY  # the default date: the day of entry
    assert context.learning_models.counts(YEAR).model("gdht").registered == 3
    assert not dialog.isVisible()


def test_another_village_is_chosen_by_typing_its_name(context, villages, show, keyboard):
    dialog = show(RegistrationChecklist(context, "gdht", YEAR, villages["duc_an"], today=TODAY))
    keyboard.press(Key.Key_Tab)
    assert keyboard.focused() is dialog.village
    keyboard.type("prang")
    assert dialog.village_id() == villages["bu_prang"]
    assert [text for text, _, _ in _ticks(dialog)] == ["H05 – Chủ hộ H05", "H06 – Chủ hộ H06"]


def test_a_wrong_date_is_shown_beside_the_field_and_nothing_is_stored(
    context, villages, show, keyboard
):
    dialog = show(RegistrationChecklist(context, "gdht", YEAR, villages["duc_an"], today=TODAY))
    keyboard.press(Key.Key_A, Ctrl)
    dialog.registered_on.setFocus()
    dialog.registered_on.selectAll()
    keyboard.type("05/01/2024")
    keyboard.press(Key.Key_Return)
    assert dialog.fields.message("registered_on") == (
        "Ngày đăng ký cho năm 2026 phải trong năm 2025 hoặc 2026."
    )
    dialog.registered_on.selectAll()
    keyboard.type("31/02/2026")
    keyboard.press(Key.Key_Return)
    assert "không có thật" in dialog.fields.message("registered_on")
    assert _registered(context) == []
    assert dialog.isVisible()


def test_enter_with_nothing_ticked_says_how_to_tick(context, villages, show, keyboard):
    dialog = show(RegistrationChecklist(context, "gdht", YEAR, villages["bu_prang"], today=TODAY))
    keyboard.press(Key.Key_Return)
    assert "dấu cách" in dialog.message.text() and dialog.message.isVisible()
    assert _registered(context) == []


def test_clans_are_listed_for_the_whole_commune(context, villages, show, keyboard, qtbot):
    clan = context.clans.save(ClanDraft("Họ Nguyễn", "Nguyễn Văn An")).id
    dialog = show(RegistrationChecklist(context, "dhht", YEAR, villages["duc_an"], today=TODAY))
    assert dialog.village.isHidden()
    assert _ticks(dialog) == [("Họ Nguyễn", False, True)]
    keyboard.press(Key.Key_Space)
    with qtbot.waitSignal(dialog.registered):
        keyboard.press(Key.Key_Enter)
    assert context.learning_models.entry("dhht", YEAR, clan).registered_on == TODAY


def test_the_default_date_falls_in_the_years_allowed():
    assert default_date(date(2026, 11, 23), 2025, 2026) == date(2026, 11, 23)
    assert default_date(date(2027, 1, 10), 2025, 2026) == date(2026, 12, 31)
    assert default_date(date(2024, 6, 1), 2025, 2026) == date(2025, 1, 1)
