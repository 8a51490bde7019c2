"""The persons page: search without diacritics, filters, add, edit, delete."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from xhht_desktop.context import AppContext
from xhht_desktop.core.registers import HouseholdDraft, PersonDraft, VillageDraft
from xhht_desktop.store.repositories import PersonFilter
from xhht_desktop.ui.forms.person_form import PersonDialog
from xhht_desktop.ui.pages import persons as persons_page
from xhht_desktop.ui.pages.persons import PersonsPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

YEAR = 2026  # the reporting year of the `context` fixture


@dataclass(frozen=True)
class Someone:
    name: str
    birth_year: int
    sex: str
    household: str
    ethnicity_code: str = "01"
    residence: str = "thuong_tru"


PEOPLE = [
    Someone("Nguyễn Văn An", 1980, "M", "H001"),
    Someone("Trần Thị Bình", 1985, "F", "H002"),
    Someone("Nguyễn Văn Bảo", 2005, "M", "H001"),
    Someone("Nguyễn Thị Cúc", 2010, "F", "H001"),
    Someone("Lê Văn Dũng", 1995, "M", "H002"),
    Someone("Hoàng Thị Én", 1970, "F", "H002", ethnicity_code="08"),
    Someone("Đỗ Văn Phúc", 1940, "M", "H003", residence="da_mat"),
    Someone("Nguyễn Văn Giang", 2020, "M", "H003"),
    Someone("Phạm Thị Hằng", 2001, "F", "H003"),
]
HOUSEHOLD_VILLAGE = {"H001": "Thôn 1", "H002": "Thôn 2", "H003": "Thôn 2"}


@pytest.fixture
def people(context: AppContext) -> dict[str, str]:
    """The persons of ``PEOPLE`` in three households of two villages; name → id."""
    villages = {
        name: context.villages.save(VillageDraft("thon", name)).id
        for name in sorted(set(HOUSEHOLD_VILLAGE.values()))
    }
    households = {
        code: context.households.save(HouseholdDraft(code, villages[village], f"Chủ hộ {code}")).id
        for code, village in HOUSEHOLD_VILLAGE.items()
    }
    return {
        p.name: context.persons.save(
            PersonDraft(
                households[p.household],
                p.name,
                p.birth_year,
                p.sex,
                p.ethnicity_code,
                residence=p.residence,
            )
        ).id
        for p in PEOPLE
    }


def _page(qtbot, context: AppContext) -> PersonsPage:
    page = PersonsPage(context)
    qtbot.addWidget(page)
    page.resize(1100, 500)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    # Other windows may still be open; keys must reach this one.
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    return page


def _names(page: PersonsPage) -> set[str]:
    while page.model.canFetchMore():
        page.model.fetchMore()
    return {page.model.row_at(n).full_name for n in range(page.model.rowCount())}


def test_search_ignores_diacritics_and_case(qtbot, context, people):
    page = _page(qtbot, context)
    assert page.count_label.text() == f"{len(PEOPLE)} người"

    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is page.search
    with qtbot.waitSignal(page.results_shown) as shown:
        qtbot.keyClicks(page.search, "nguyen VAN")
    expected = {p.name for p in PEOPLE if p.name.startswith("Nguyễn Văn")}
    assert "Nguyễn Văn An" in _names(page)
    assert "Trần Thị Bình" not in _names(page)
    assert _names(page) == expected
    assert shown.args == [len(expected)]
    assert page.count_label.text() == f"{len(expected)} người"

    # Down goes to the list, Enter there opens the selected person.
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is page.table
    assert page.selected_row() is not None


def test_filters_narrow_the_list(qtbot, context, people):
    page = _page(qtbot, context)
    village_2 = next(v.id for v in context.villages.list() if v.name == "Thôn 2")

    page.village.set_value(village_2)
    in_village = [p for p in PEOPLE if HOUSEHOLD_VILLAGE[p.household] == "Thôn 2"]
    assert _names(page) == {p.name for p in in_village}

    page.sex.set_value("F")
    assert _names(page) == {p.name for p in in_village if p.sex == "F"}

    page.village.set_value("")
    page.sex.set_value("")
    for band, oldest in (("15-25", 25), ("15-35", 35), ("15-60", 60)):
        page.age_band.set_value(band)
        expected = {p.name for p in PEOPLE if 15 <= YEAR - p.birth_year <= oldest}
        assert _names(page) == expected, band
        assert page.model.total() == len(expected)
    assert "Nguyễn Thị Cúc" in _names(page), "16 years old in the reporting year"
    assert "Nguyễn Văn Giang" not in _names(page), "6 years old"

    page.age_band.set_value("")
    page.ethnicity.set_value("08")
    assert _names(page) == {"Hoàng Thị Én"}
    page.ethnicity.set_value("")
    page.residence.set_value("da_mat")
    assert _names(page) == {"Đỗ Văn Phúc"}


def test_filters_are_chosen_from_the_keyboard(qtbot, context, people):
    page = _page(qtbot, context)
    page.sex.setFocus()
    with qtbot.waitSignal(page.results_shown) as shown:
        qtbot.keyClicks(page.sex, "nu")  # Nữ, without diacritics
    women = {p.name for p in PEOPLE if p.sex == "F"}
    assert shown.args == [len(women)]
    assert _names(page) == women
    assert context.persons.count(PersonFilter(sex="F")) == len(women)


def test_delete_asks_then_removes_the_person(qtbot, context, people, monkeypatch):
    page = _page(qtbot, context)
    qtbot.keyClicks(page.search, "binh")
    qtbot.waitUntil(lambda: page.model.total() == 1)
    page.table.setFocus()
    page.table.selectRow(0)
    questions: list[str] = []

    def answer(reply):
        def question(_parent, _title, text, *_args):
            questions.append(text)
            return reply

        return question

    monkeypatch.setattr(persons_page.QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert questions and "Trần Thị Bình" in questions[0]
    assert context.persons.count(PersonFilter()) == len(PEOPLE)

    monkeypatch.setattr(
        persons_page.QMessageBox, "question", answer(QMessageBox.StandardButton.Yes)
    )
    with qtbot.waitSignal(page.results_shown):
        qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert context.persons.count(PersonFilter()) == len(PEOPLE) - 1
    assert page.model.total() == 0
    page.search.clear()
    qtbot.waitUntil(lambda: page.model.total() == len(PEOPLE) - 1)
    assert "Trần Thị Bình" not in _names(page)
    assert page.count_label.text() == f"{len(PEOPLE) - 1} người"


def test_delete_keeps_the_selection_on_the_next_row(qtbot, context, people, monkeypatch):
    page = _page(qtbot, context)
    monkeypatch.setattr(
        persons_page.QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes
    )
    page.table.setFocus()
    page.table.selectRow(2)
    following = page.model.row_at(3).id
    assert page.delete_selected()
    assert page.selected_row() is not None and page.selected_row().id == following


def test_ctrl_n_adds_persons_and_the_list_follows(qtbot, context, people):
    page = _page(qtbot, context)
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = page.findChild(PersonDialog)
    assert dialog is not None and dialog.isVisible() and dialog.form.is_new
    form = dialog.form
    qtbot.keyClicks(form.household, "H002")
    form.full_name.setFocus()
    qtbot.keyClicks(form.full_name, "Vo Van Khanh")
    form.birth.setText("12/03/1999")
    form.sex.set_value("M")
    with qtbot.waitSignal(page.results_shown) as shown:
        qtbot.keyClick(form.full_name, Qt.Key.Key_Return)
    assert shown.args == [len(PEOPLE) + 1]
    assert context.persons.count(PersonFilter()) == len(PEOPLE) + 1
    added = page.selected_row()
    assert added is not None and added.full_name == "Vo Van Khanh"
    assert added.household_code == "H002"


def test_enter_on_a_row_edits_it(qtbot, context, people):
    page = _page(qtbot, context)
    qtbot.keyClicks(page.search, "le van dung")
    qtbot.waitUntil(lambda: page.model.total() == 1)
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is page.table
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    dialog = page.findChild(PersonDialog)
    assert dialog is not None and not dialog.form.is_new
    assert dialog.form.full_name.text() == "Lê Văn Dũng"
    dialog.form.grade.setValue(7)
    with qtbot.waitSignal(page.results_shown):
        qtbot.keyClick(dialog.form.grade, Qt.Key.Key_Return)
    assert context.persons.get(people["Lê Văn Dũng"]).grade == 7
    assert page.selected_row().grade == 7
    assert page.model.data(page.model.index(0, 4)) == "7"


def test_screenshot(qtbot, context, people):
    """Saved for a look at the layout and the Vietnamese text."""
    page = _page(qtbot, context)
    page.grab().save("/tmp/shots/persons_page.png")


def test_a_double_click_on_a_row_edits_it(qtbot, context, people):
    page = _page(qtbot, context)
    rect = page.table.visualRect(page.model.index(1, 0))
    # A real double click is a click, then a press that the system calls double.
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dialog = page.findChild(PersonDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.form.person_id == page.model.row_id(1)


def test_the_literacy_level_filter_narrows_the_list(qtbot, literacy_commune, keyboard):
    """Levels of the twelve residents of ``literacy_commune`` (tests/ui/pages/conftest.py).

    Every person is listed, whatever their age or residence: the filter
    narrows the register, it does not count a rate.
    """
    page = _page(qtbot, literacy_commune.context)
    assert page.model.total() == 12
    page.level.setFocus()
    not_literate = {"Nguyễn Thị Cúc", "Giàng A Phúc", "Vàng Thị Giang", "Điểu Khải", "Thị Lan"}
    not_literate.add("Trần Thị Mai")
    level_2 = {"Nguyễn Văn An", "Giàng A Dũng", "Điểu Hùng", "Thị Inh"}
    level_1_up = level_2 | {"Nguyễn Thị Bình", "Giàng Thị Én"}
    for typed, expected in (("chua", not_literate), ("muc 1", level_1_up), ("muc 2", level_2)):
        with qtbot.waitSignal(page.results_shown) as shown:
            keyboard.type(typed)
        assert _names(page) == expected, typed
        assert shown.args == [len(expected)]
        assert page.count_label.text() == f"{len(expected)} người"
    page.age_band.set_value("15-35")
    assert _names(page) == {"Nguyễn Văn An", "Giàng A Dũng", "Điểu Hùng"}
    page.level.set_value("")
    page.age_band.set_value("")
    assert page.model.total() == 12
