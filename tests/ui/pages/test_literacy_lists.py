"""The lists for action hold exactly the right people, and fixing a record updates them.

The commune is ``literacy_commune`` (tests/ui/pages/conftest.py).
"""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt, QThreadPool

from xhht_desktop.services.literacy import LiteracyService
from xhht_desktop.ui.forms.person_form import PersonDialog
from xhht_desktop.ui.pages.literacy_lists import (
    EXEMPT_TAB,
    NOT_LITERATE_TAB,
    WARNINGS_TAB,
    ListTab,
    LiteracyListsPage,
)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

Key = Qt.Key
# Not literate, aged 15–60 in 2026, counted, not exempt: Cúc (26) and Phúc (60)
# in Thôn 1, Mai (45, tạm trú) in Bon Bu Bir. Not Giang (61), Khải (exempt),
# Lan (moved away).
NOT_LITERATE = {"Nguyễn Thị Cúc": "Thôn 1", "Giàng A Phúc": "Thôn 1", "Trần Thị Mai": "Bon Bu Bir"}


def _names(tab: ListTab) -> list[str]:
    while tab.model.canFetchMore():
        tab.model.fetchMore()
    return [tab.model.row_at(n).full_name for n in range(tab.model.rowCount())]


@pytest.fixture
def page(qtbot, literacy_commune, show) -> LiteracyListsPage:
    shown = show(LiteracyListsPage(literacy_commune.context))
    shown.resize(1100, 600)
    # The lists are read off the GUI thread.
    qtbot.waitUntil(lambda: not shown.is_busy(), timeout=10_000)
    return shown


def test_the_not_literate_list_holds_exactly_the_people_to_invite(
    page, literacy_commune, keyboard, qtbot
):
    context = literacy_commune.context
    tab = page.not_literate
    assert page.tabs.currentWidget() is tab
    assert page.tabs.tabText(NOT_LITERATE_TAB) == "Người chưa biết chữ 15–60 (3)"
    # By village, then by given name as Vietnamese registers sort them.
    assert _names(tab) == ["Trần Thị Mai", "Nguyễn Thị Cúc", "Giàng A Phúc"]
    assert _names(tab) == [p.full_name for p in context.literacy.not_literate()]
    assert tab.count_label.text() == "3 người"
    row = tab.model.row_at(0)
    cells = [tab.model.index(0, c).data() for c in range(tab.model.columnCount())]
    assert cells == ["Trần Thị Mai", "1981", "Nữ", "Kinh", "0", "Chưa học", "H004", "Bon Bu Bir"]
    assert row.village_name == "Bon Bu Bir"

    # The village filter, from the keyboard: "th" finds "Thôn 1".
    tab.village.setFocus()
    with qtbot.waitSignal(tab.rows_shown):
        keyboard.type("th")
    assert tab.village_id() == literacy_commune.villages["Thôn 1"]
    assert set(_names(tab)) == {n for n, v in NOT_LITERATE.items() if v == "Thôn 1"}
    assert tab.count_label.text() == "2 người"
    assert context.literacy.not_literate_count(village_id=tab.village_id()) == 2


def test_the_exempt_list_holds_the_disabled_of_the_target_group(page, literacy_commune):
    assert page.tabs.tabText(EXEMPT_TAB) == "Người khuyết tật không có khả năng học (1)"
    assert _names(page.exempt) == ["Điểu Khải"]
    assert [p.full_name for p in literacy_commune.context.literacy.exempt()] == ["Điểu Khải"]


def test_fixing_a_record_from_the_warnings_removes_the_warning(
    page, literacy_commune, keyboard, qtbot
):
    context = literacy_commune.context
    an = literacy_commune.persons["Nguyễn Văn An"]
    keyboard.press(Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    keyboard.press(Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert page.tabs.currentIndex() == WARNINGS_TAB
    assert page.tabs.tabText(WARNINGS_TAB) == "Cảnh báo dữ liệu (1)"
    warnings = page.warnings
    assert warnings.model.rowCount() == 1
    warning = warnings.model.row_at(0)
    assert (warning.full_name, warning.household_code, warning.village_name) == (
        "Nguyễn Văn An",
        "H001",
        "Thôn 1",
    )
    assert "lớp 9" in warning.message and "giai đoạn 1" in warning.message
    assert warnings.model.index(0, 6).data() == warning.message
    # The message is long: the selected row's is shown in full under the list.
    assert warnings.detail_label.text() == f"Nguyễn Văn An: {warning.message}"

    warnings.table.setFocus()
    warnings.table.selectRow(0)
    keyboard.press(Key.Key_Return)
    dialog = page.findChild(PersonDialog)
    assert dialog is not None and dialog.form.person_id == an
    qtbot.waitUntil(dialog.isActiveWindow)
    assert dialog.form.full_name.text() == "Nguyễn Văn An"
    dialog.form.literacy_stage.setFocus()
    keyboard.type("0")  # "0 – Chưa học": grade 9 needs no literacy class
    with qtbot.waitSignal(page.lists_shown):
        keyboard.press(Key.Key_Return)

    assert context.persons.get(an).literacy_stage == 0
    assert context.literacy.quality_warnings() == []
    assert warnings.model.rowCount() == 0
    assert page.tabs.tabText(WARNINGS_TAB) == "Cảnh báo dữ liệu (0)"
    assert warnings.count_label.text() == "0 cảnh báo"
    assert not warnings.empty_label.isHidden()
    assert warnings.detail_label.isHidden()


def test_a_person_who_learns_leaves_the_list(page, literacy_commune, keyboard, qtbot):
    context = literacy_commune.context
    tab = page.not_literate
    tab.table.setFocus()
    number = _names(tab).index("Nguyễn Thị Cúc")
    tab.table.selectRow(number)
    keyboard.press(Key.Key_Return)
    dialog = page.findChild(PersonDialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.form.grade.setFocus()
    dialog.form.grade.selectAll()
    keyboard.type("3")  # grade 3: literacy level 1
    with qtbot.waitSignal(page.lists_shown):
        keyboard.press(Key.Key_Return)

    assert context.persons.get(literacy_commune.persons["Nguyễn Thị Cúc"]).grade == 3
    assert _names(tab) == ["Trần Thị Mai", "Giàng A Phúc"]
    assert page.tabs.tabText(NOT_LITERATE_TAB) == "Người chưa biết chữ 15–60 (2)"
    # Back on the list once the dialog is gone.
    qtbot.waitUntil(lambda: page.focusWidget() is tab.table)


def test_a_list_is_read_off_the_gui_thread_and_the_newest_choice_wins(
    page, literacy_commune, keyboard, qtbot, monkeypatch
):
    tab = page.not_literate
    threads: list[threading.Thread] = []
    count = LiteracyService.not_literate_count

    def counted(*args, **kwargs):
        threads.append(threading.current_thread())
        return count(*args, **kwargs)

    monkeypatch.setattr(LiteracyService, "not_literate_count", counted)
    shown: list[int] = []
    tab.rows_shown.connect(lambda: shown.append(tab.total()))
    tab.village.setFocus()

    # Two villages chosen in a row: the first read is superseded, never shown.
    tab.village.set_value(literacy_commune.villages["Thôn 1"])
    assert tab.is_busy()
    assert tab.total() == 3  # the list still shows what it showed
    tab.village.set_value(literacy_commune.villages["Bon Bu Bir"])
    qtbot.waitUntil(lambda: not tab.is_busy(), timeout=10_000)
    QThreadPool.globalInstance().waitForDone()
    qtbot.wait(50)  # any late result of the superseded read would arrive now

    assert shown == [1]
    assert _names(tab) == ["Trần Thị Mai"]
    assert tab.count_label.text() == "1 người"
    assert page.tabs.tabText(NOT_LITERATE_TAB) == "Người chưa biết chữ 15–60 (1)"
    assert len(threads) == 2 and threading.main_thread() not in threads
    # The keyboard never left the village box; Tab goes on to the list.
    assert keyboard.focused() is tab.village
    keyboard.press(Key.Key_Tab)
    assert keyboard.focused() is tab.table
    assert tab.selected().full_name == "Trần Thị Mai"
