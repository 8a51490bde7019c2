"""Tests of xhht_desktop.ui.forms.clan_form: the household checklist of a clan."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from xhht_desktop.context import AppContext
from xhht_desktop.core.models_cycle import ClanDraft
from xhht_desktop.core.registers import HouseholdDraft, VillageDraft
from xhht_desktop.ui.forms.clan_form import ClanDialog

Key = Qt.Key
Alt = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def homes(context: AppContext) -> dict[str, str]:
    """Households in two villages; code → id."""
    thon = context.villages.save(VillageDraft("thon", "Thôn 1")).id
    bon = context.villages.save(VillageDraft("bon", "Bon Bu Bir")).id
    return {
        code: context.households.save(HouseholdDraft(code, village, head)).id
        for code, village, head in (
            ("H001", thon, "Nguyễn Văn An"),
            ("H002", bon, "Điểu K'Lơ"),
            ("H003", bon, "Nguyễn Thị Hồng"),
            ("H004", thon, "Lê Văn Dũng"),
        )
    }


def _dialog(show, context: AppContext, clan_id: str | None = None) -> ClanDialog:
    dialog = ClanDialog(context, clan_id)
    show(dialog)
    return dialog


def _listed(dialog: ClanDialog) -> list[tuple[str, bool, str]]:
    """(code, ticked, current clan) of each household in the checklist."""
    model = dialog.members.model
    return [
        (
            model.row_at(row).code,
            model.index(row, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked,
            model.index(row, 4).data(),
        )
        for row in range(model.rowCount())
    ]


def test_the_village_filter_and_the_search_keep_the_ticks(qtbot, keyboard, show, context, homes):
    dialog = _dialog(show, context)
    checklist = dialog.members
    checklist.village.setFocus()
    keyboard.type("bu")  # Bon Bu Bir, by a word of its name
    # Households are listed by the head's given name: Hồng, then Lơ.
    assert [code for code, _ticked, _clan in _listed(dialog)] == ["H003", "H002"]
    keyboard.press(Key.Key_Tab)
    keyboard.press(Key.Key_Tab)
    assert keyboard.focused() is checklist.table
    keyboard.press(Key.Key_Space)
    keyboard.press(Key.Key_Down)
    keyboard.press(Key.Key_Space)
    keyboard.press(Key.Key_Space)  # a second Space clears the tick again
    assert checklist.value() == [homes["H003"]]

    checklist.village.set_value("")
    checklist.search.setFocus()
    keyboard.type("nguyen")
    qtbot.waitUntil(lambda: checklist.model.total() == 2)
    assert _listed(dialog) == [("H001", False, ""), ("H003", True, "")]
    keyboard.press(Key.Key_Down)
    keyboard.press(Key.Key_Space)
    assert checklist.value() == sorted([homes["H001"], homes["H003"]])

    # Alt+C: only what is ticked, whatever the search said.
    keyboard.press(Key.Key_C, Alt)
    qtbot.waitUntil(checklist.only_ticked.isChecked)
    assert [code for code, ticked, _clan in _listed(dialog) if ticked] == ["H001", "H003"]
    assert not checklist.search.isEnabled() and not checklist.village.isEnabled()
    assert checklist.count_label.text() == "Đã chọn 2 hộ · danh sách có 2 hộ"


def test_ticking_a_household_of_another_clan_moves_it(qtbot, keyboard, show, context, homes):
    le = context.clans.save(ClanDraft("Họ Lê"))
    context.clans.add_households(le.id, [homes["H004"]])
    nguyen = context.clans.save(ClanDraft("Họ Nguyễn"))
    context.clans.add_households(nguyen.id, [homes["H001"]])

    dialog = _dialog(show, context, nguyen.id)
    checklist = dialog.members
    assert _listed(dialog) == [("H001", True, "Họ Nguyễn")]
    keyboard.press(Key.Key_C, Alt)
    qtbot.waitUntil(lambda: not checklist.only_ticked.isChecked())
    assert ("H004", False, "Họ Lê") in _listed(dialog)
    checklist.search.setFocus()
    keyboard.type("H004")
    qtbot.waitUntil(lambda: checklist.model.total() == 1)
    keyboard.press(Key.Key_Down)
    keyboard.press(Key.Key_Space)
    with qtbot.waitSignal(dialog.finished):
        keyboard.press(Key.Key_Return)

    assert context.clans.clan_of(homes["H004"]) == nguyen.id
    assert [c.households for c in context.clans.list()] == [0, 2]


def test_a_household_gone_meanwhile_stores_nothing_and_keeps_the_form(
    qtbot, keyboard, show, context, homes
):
    dialog = _dialog(show, context)
    keyboard.type("Họ Nguyễn")
    keyboard.press(Key.Key_Tab)
    keyboard.type("Nguyễn Văn An")
    checklist = dialog.members
    checklist.search.setFocus()
    keyboard.type("nguyen")
    qtbot.waitUntil(lambda: checklist.model.total() == 2)
    keyboard.press(Key.Key_Return)
    keyboard.press(Key.Key_Space)  # H001
    keyboard.press(Key.Key_Down)
    keyboard.press(Key.Key_Space)  # H003
    assert checklist.value() == sorted([homes["H001"], homes["H003"]])
    context.households.delete(homes["H001"])
    saved: list[str] = []
    dialog.record_saved.connect(saved.append)

    keyboard.press(Key.Key_Return)

    # Nothing stored: no clan, and H003 joined none.
    assert context.clans.list() == []
    assert context.clans.clan_of(homes["H003"]) is None
    assert saved == []
    assert dialog.isVisible() and dialog.record_id is None
    assert dialog.windowTitle() == "Thêm dòng họ"
    assert not dialog.status.isHidden()
    assert dialog.status.text() == (
        "Các hộ thuộc dòng họ: hộ H001 (Nguyễn Văn An) không còn tồn tại (đã bị xóa khỏi sổ "
        "hộ gia đình); chưa lưu gì.\n"
        "Đã bỏ chọn 1 hộ đó; nhấn Lưu để lưu dòng họ với các hộ còn lại."
    )
    # The form keeps what was typed and ticked, less the household that is gone.
    assert (dialog.name.text(), dialog.contact_person.text()) == ("Họ Nguyễn", "Nguyễn Văn An")
    assert checklist.value() == [homes["H003"]]
    assert [code for code, ticked, _clan in _listed(dialog) if ticked] == ["H003"]

    with qtbot.waitSignal(dialog.record_saved) as stored:
        keyboard.press(Key.Key_Return)
    (clan,) = context.clans.list()
    assert (stored.args, clan.name, clan.contact_person) == (
        [clan.id],
        "Họ Nguyễn",
        "Nguyễn Văn An",
    )
    assert [h.code for h in context.clans.households(clan.id)] == ["H003"]


def test_a_change_whose_households_fail_leaves_the_clan_as_it_was(
    qtbot, keyboard, show, context, homes
):
    clan = context.clans.save(ClanDraft("Họ Lê", "Lê Văn Dũng"), household_ids=[homes["H004"]])
    dialog = _dialog(show, context, clan.id)
    checklist = dialog.members
    dialog.name.setFocus()
    dialog.name.selectAll()
    keyboard.type("Họ Lê Văn")
    keyboard.press(Key.Key_C, Alt)  # every household, not only the clan's
    qtbot.waitUntil(lambda: not checklist.only_ticked.isChecked())
    checklist.search.setFocus()
    keyboard.type("H002")
    qtbot.waitUntil(lambda: checklist.model.total() == 1)
    keyboard.press(Key.Key_Return)
    keyboard.press(Key.Key_Space)
    context.households.delete(homes["H002"])

    keyboard.press(Key.Key_Return)

    assert dialog.isVisible()
    assert dialog.status.text().startswith(
        "Các hộ thuộc dòng họ: hộ H002 (Điểu K'Lơ) không còn tồn tại"
    )
    stored = context.clans.get(clan.id)
    assert (stored.name, stored.revision, stored.households) == ("Họ Lê", 1, 1)
    assert dialog.name.text() == "Họ Lê Văn"
    assert checklist.value() == [homes["H004"]]

    # Someone else changes the clan meanwhile: the form says so and keeps its contents.
    context.clans.save(ClanDraft("Họ Lê", "Lê Thị Hoa"), clan.id, expected_revision=1)
    keyboard.press(Key.Key_Return)
    assert dialog.status.text().startswith("Bản ghi đã được người khác sửa")
    assert dialog.name.text() == "Họ Lê Văn"
    assert context.clans.get(clan.id).name == "Họ Lê"
