"""The "Kiểm tra dữ liệu" page: ``context.data_checks.run``'s problems, each opened to be fixed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QThreadPool

from xhht_desktop.core.registers import HouseholdDraft, PersonDraft, VillageDraft
from xhht_desktop.services.data_checks import CHECKS
from xhht_desktop.ui.forms.household_form import HouseholdDialog
from xhht_desktop.ui.forms.person_form import PersonDialog
from xhht_desktop.ui.main_window import PAGES, MainWindow, page_shortcut
from xhht_desktop.ui.pages.data_checks import DataChecksPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

YEAR = 2026
Key = Qt.Key
Ctrl = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def commune(context):
    """Two households without members, one sound household, a contradictory person.

    Nguyễn Văn An finished grade 9 *and* a literacy class: a literacy-survey
    warning. H003 and H004 have nobody in them.
    """
    village = context.villages.save(VillageDraft("thon", "Thôn 1")).id
    sound = context.households.save(HouseholdDraft("H001", village, "Nguyễn Văn An"))
    an = context.persons.save(
        PersonDraft(sound.id, "Nguyễn Văn An", 2006, "M", "01", grade=9, literacy_stage=1)
    )
    empty = context.households.save(HouseholdDraft("H003", village, "Trần Văn Ba"))
    other = context.households.save(HouseholdDraft("H004", village, "Lê Thị Tư"))
    return context, {"H001": sound.id, "H003": empty.id, "H004": other.id, "An": an.id}


@pytest.fixture
def open_page(qtbot, show):
    def _open(context) -> DataChecksPage:
        page = DataChecksPage(context)
        page.resize(1100, 650)
        with qtbot.waitSignal(page.checked, timeout=10_000):
            show(page)
        return page

    yield _open
    QThreadPool.globalInstance().waitForDone()


def _keys(page: DataChecksPage) -> list[tuple[str, str]]:
    return [(p.check, p.record_id) for p in page.problems()]


def _select(page: DataChecksPage, check: str, record_id: str) -> None:
    problem = next(p for p in page.problems() if (p.check, p.record_id) == (check, record_id))
    assert page.select(problem)
    page.table.setFocus()


def test_the_list_is_the_services_with_its_severity_and_count(commune, open_page):
    context, ids = commune
    page = open_page(context)
    report = context.data_checks.run(YEAR)
    assert _keys(page) == [(p.check, p.record_id) for p in report.problems]
    assert ("household_without_members", ids["H003"]) in _keys(page)
    assert ("household_without_members", ids["H004"]) in _keys(page)
    assert ("schooling_contradiction", ids["An"]) in _keys(page)

    model = page.model
    texts = [[model.index(r, c).data() for c in range(4)] for r in range(model.rowCount())]
    empty = next(t for t in texts if "H003" in t[2])
    assert empty[0] == "Lỗi"
    assert empty[1] == CHECKS["household_without_members"]
    assert empty[2].startswith("Hộ H003 (Trần Văn Ba), Thôn 1: chưa có nhân khẩu nào.")
    assert empty[3] == "Hộ gia đình"
    person = next(t for t in texts if t[3] == "Nhân khẩu")
    assert person[0] == "Cảnh báo"
    assert person[2].startswith("Nguyễn Văn An (hộ H001, sinh năm 2006): ")

    errors = sum(1 for p in report.problems if p.severity == "error")
    warnings = sum(1 for p in report.problems if p.severity == "warning")
    assert page.count_label.text() == (
        f"{len(report.problems)} vấn đề: {errors} lỗi, {warnings} cảnh báo"
    )


def test_the_list_is_filtered_by_kind(commune, open_page, keyboard):
    context, ids = commune
    page = open_page(context)
    page.kind.setFocus()
    keyboard.type("ho khong")
    assert page.kind.value() == "household_without_members"
    assert page.kind.currentText() == "Hộ không có nhân khẩu (2)"
    assert sorted(_keys(page)) == sorted(
        [("household_without_members", ids["H003"]), ("household_without_members", ids["H004"])]
    )
    assert page.count_label.text() == "2 vấn đề: 2 lỗi"


def test_enter_opens_an_empty_household_and_a_member_added_there_ends_the_problem(
    commune, open_page, keyboard, qtbot
):
    context, ids = commune
    page = open_page(context)
    _select(page, "household_without_members", ids["H003"])
    assert "Hộ H003" in page.detail.text()
    keyboard.press(Key.Key_Return)
    qtbot.waitUntil(lambda: page.findChild(HouseholdDialog) is not None)
    household = page.findChild(HouseholdDialog)
    qtbot.waitUntil(household.isActiveWindow)
    assert household.household_id == ids["H003"]

    # Ctrl+M adds the head as the first member: name and relationship are
    # filled in from the household, the birth year and sex are typed.
    keyboard.press(Key.Key_M, Ctrl)
    qtbot.waitUntil(lambda: household.findChild(PersonDialog) is not None)
    person = household.findChild(PersonDialog)
    qtbot.waitUntil(person.isActiveWindow)
    keyboard.type("1975")
    person.form.sex.setFocus()
    keyboard.type("nam")
    with qtbot.waitSignal(page.checked, timeout=10_000):
        keyboard.press(Key.Key_Return)

    assert [p.full_name for p in context.persons.members(ids["H003"])] == ["Trần Văn Ba"]
    assert ("household_without_members", ids["H003"]) not in _keys(page)
    assert ("household_without_members", ids["H004"]) in _keys(page)
    assert not any(p.record_id == ids["H003"] for p in context.data_checks.run(YEAR).problems)


def test_a_deleted_household_leaves_the_list_after_f5(commune, open_page, keyboard, qtbot):
    context, ids = commune
    page = open_page(context)
    context.households.delete(ids["H004"])
    page.table.setFocus()
    with qtbot.waitSignal(page.checked, timeout=10_000):
        keyboard.press(Key.Key_F5)
    assert ("household_without_members", ids["H004"]) not in _keys(page)
    assert ("household_without_members", ids["H003"]) in _keys(page)


def test_a_persons_problem_opens_the_person(commune, open_page, keyboard, qtbot):
    context, ids = commune
    page = open_page(context)
    _select(page, "schooling_contradiction", ids["An"])
    keyboard.press(Key.Key_Return)
    qtbot.waitUntil(lambda: page.findChild(PersonDialog) is not None)
    dialog = page.findChild(PersonDialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    assert dialog.form.person_id == ids["An"]
    assert dialog.form.full_name.text() == "Nguyễn Văn An"
    # Grade 9 makes the literacy class pointless: the stage is cleared.
    dialog.form.literacy_stage.setFocus()
    keyboard.type("0")
    with qtbot.waitSignal(page.checked, timeout=10_000):
        keyboard.press(Key.Key_Return)
    assert context.persons.get(ids["An"]).literacy_stage == 0
    assert ("schooling_contradiction", ids["An"]) not in _keys(page)


def test_an_aggregate_problem_says_where_it_is_fixed(context, open_page, keyboard):
    village = context.villages.save(VillageDraft("thon", "Thôn 1")).id
    household = context.households.save(HouseholdDraft("H001", village, "Nguyễn Văn An"))
    context.persons.save(PersonDraft(household.id, "Nguyễn Văn An", 1980, "M", "01"))
    context.aggregates.save(
        "phu-nu-sau-xoa-mu-chu",
        YEAR,
        {"phu_nu_duoi_40_da_xmc": 4, "phu_nu_duoi_40_hoc_sau_xmc": 3},
    )
    page = open_page(context)
    assert [p.check for p in page.problems()] == ["aggregate_register_mismatch"]
    page.table.setFocus()
    keyboard.press(Key.Key_Return)
    assert page.message.isVisible()
    assert "«Số liệu tổng hợp»" in page.message.text()


def test_a_commune_without_problems_says_so(context, open_page):
    page = open_page(context)
    assert page.problems() == []
    assert page.count_label.text() == "Không phát hiện vấn đề nào trong năm 2026."
    assert page.kind.currentText() == "Tất cả (0)"


def test_the_page_is_in_the_navigation_without_a_shortcut(context, show, keyboard, qtbot):
    window = show(MainWindow(context))
    try:
        index = next(n for n, spec in enumerate(PAGES) if spec.key == "data_checks")
        assert page_shortcut(index) == ""
        texts = [window.navigation.item(r).text() for r in range(window.navigation.count())]
        assert texts.index("Kiểm tra dữ liệu") == texts.index("Số liệu tổng hợp") + 1
        window.navigation.setCurrentRow(texts.index("Kiểm tra dữ liệu"))
        page = window.page(index)
        assert isinstance(page, DataChecksPage)
        assert window.stack.currentWidget().isAncestorOf(page)
        qtbot.waitUntil(lambda: not page.is_busy())
    finally:
        QThreadPool.globalInstance().waitForDone()
