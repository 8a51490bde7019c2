"""The literacy summary page shows the service's figures, which match hand counts.

The commune is ``literacy_commune`` (tests/ui/pages/conftest.py): its table
of twelve residents gives every count asserted here.
"""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication

from xhht_desktop.core.literacy import ALL, SEX_ORDER, Band
from xhht_desktop.store import app_settings
from xhht_desktop.ui.figure_tables import NO_RATE, FigureTableModel, format_percent
from xhht_desktop.ui.forms.literacy_settings import LiteracySettingsDialog
from xhht_desktop.ui.main_window import MainWindow
from xhht_desktop.ui.pages import literacy as literacy_page
from xhht_desktop.ui.pages.literacy import LiteracyPage
from xhht_desktop.ui.pages.literacy_lists import LiteracyListsPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

Key = Qt.Key
B15_25, B15_35, B15_60 = Band(15, 25), Band(15, 35), Band(15, 60)

# (counted, level 1, level 2) by band and sex, counted by hand from the
# table in conftest.py: exempt Khải, moved Lan, Giang (61) and Inh (14) out.
BY_BAND = {
    B15_25: {"all": (3, 3, 2), "male": (2, 2, 2), "female": (1, 1, 0)},
    B15_35: {"all": (5, 4, 3), "male": (3, 3, 3), "female": (2, 1, 0)},
    B15_60: {"all": (8, 5, 3), "male": (4, 3, 3), "female": (4, 2, 0)},
}
# Aged 15–60, all sexes, by ethnicity: Kinh An, Bình, Cúc, Mai; Mông Dũng, Én,
# Phúc; Mnông Hùng (Khải exempt).
BY_ETHNICITY_15_60 = {"Kinh": (4, 2, 1), "Mông": (3, 2, 1), "Mnông": (1, 1, 1)}
BY_ETHNICITY_15_25 = {"Kinh": (2, 2, 1), "Mông": (0, 0, 0), "Mnông": (1, 1, 1)}
# The statistical table: village → band → (counted, level 1, level 2).
BY_VILLAGE = {
    "Bon Bu Bir": {B15_25: (1, 1, 1), B15_35: (1, 1, 1), B15_60: (2, 1, 1)},
    "Thôn 1": {B15_25: (2, 2, 1), B15_35: (4, 3, 2), B15_60: (6, 4, 2)},
    "Toàn xã": {B15_25: (3, 3, 2), B15_35: (5, 4, 3), B15_60: (8, 5, 3)},
}


def _rate_text(literate: int, counted: int) -> str:
    if not counted:
        return NO_RATE
    return format_percent(round(literate * 100 / counted, 2))


def _figures(model: FigureTableModel, row: int, first: int) -> tuple[int, int, int]:
    """(counted, level 1, level 2) of the five columns from ``first``; checks the rates."""
    counted, level_1, level_2 = (model.figure(row, first + n) for n in (0, 1, 3))
    assert model.text(row, first + 2) == _rate_text(level_1, counted)
    assert model.text(row, first + 4) == _rate_text(level_2, counted)
    for column in (first, first + 1, first + 3):
        assert model.text(row, column) == str(model.figure(row, column))
    return counted, level_1, level_2


@pytest.fixture
def open_page(qtbot, context):
    """Build and show a page, wait for its figures; wait for its workers at the end."""
    pages: list[LiteracyPage] = []

    def _open() -> LiteracyPage:
        page = LiteracyPage(context)
        qtbot.addWidget(page)
        page.resize(1100, 700)
        with qtbot.waitSignal(page.figures_shown, timeout=10_000):
            page.show()
        pages.append(page)
        return page

    yield _open
    # The workers read the database: they must end before the context closes.
    QThreadPool.globalInstance().waitForDone()


def test_the_tables_show_the_service_figures_and_the_hand_counts(literacy_commune, open_page):
    context = literacy_commune.context
    page = open_page()
    report = context.literacy.rates()
    assert page.figures is not None and page.figures.year == 2026

    bands = page.bands_model
    assert [bands.text(row, 0) for row in range(bands.rowCount())] == ["15–25", "15–35", "15–60"]
    assert [bands.heading(c).group for c in (1, 6, 11)] == ["Nam và nữ", "Nam", "Nữ"]
    assert [bands.heading(c).text for c in range(1, 6)] == [
        "Số người",
        "Mức độ 1",
        "Tỷ lệ",
        "Mức độ 2",
        "Tỷ lệ",
    ]
    for row, band in enumerate((B15_25, B15_35, B15_60)):
        for number, sex in enumerate(SEX_ORDER):
            shown = _figures(bands, row, 1 + 5 * number)
            assert shown == BY_BAND[band][sex], (band, sex)
            level_1 = report.rate(band, 1, sex)
            level_2 = report.rate(band, 2, sex)
            assert shown == (level_1.counted, level_1.literate, level_2.literate)
            assert bands.figure(row, 3 + 5 * number) == level_1.percent
            assert bands.figure(row, 5 + 5 * number) == level_2.percent
    # Exact rates a reader can check: 5 of 8, 2 of 3.
    assert bands.text(2, 3) == "62,5%"
    assert bands.text(0, 5) == "66,67%"
    assert bands.text(0, 3) == "100%"
    assert page.exempt_note.text().startswith("Không tính vào tỷ lệ: 1 người 15–60 tuổi")


def test_the_statistical_table_has_a_row_per_village_and_the_total(literacy_commune, open_page):
    context = literacy_commune.context
    page = open_page()
    table = context.literacy.by_village()
    villages = page.villages_model
    names = [villages.text(row, 0) for row in range(villages.rowCount())]
    assert names == ["Bon Bu Bir", "Thôn 1", "Toàn xã"]
    assert villages.row(2).total
    assert [villages.heading(c).group for c in (1, 6, 11)] == [
        "15–25 tuổi",
        "15–35 tuổi",
        "15–60 tuổi",
    ]
    lines = {line.village_name: line for line in table.lines}
    for row, name in enumerate(names):
        line = table.total if name == "Toàn xã" else lines[name]
        for number, band in enumerate(table.bands):
            shown = _figures(villages, row, 1 + 5 * number)
            assert shown == BY_VILLAGE[name][band], (name, band)
            figures = line.figures[number]
            assert shown == (figures.counted, figures.level_1, figures.level_2)


def test_the_ethnicity_table_follows_the_chosen_band(literacy_commune, open_page, keyboard):
    context = literacy_commune.context
    page = open_page()
    report = context.literacy.rates()
    page.tabs.setCurrentIndex(1)
    assert page.ethnicity_band_chosen() == B15_60, "the target group comes first"

    def shown() -> dict[str, tuple[int, int, int]]:
        model = page.ethnicity_model
        return {model.text(r, 0): _figures(model, r, 1) for r in range(model.rowCount())}

    assert shown() == {**BY_ETHNICITY_15_60, "Tất cả dân tộc": BY_BAND[B15_60]["all"]}
    for code, name in (("01", "Kinh"), ("08", "Mông"), ("20", "Mnông")):
        rate = report.rate(B15_60, 1, ALL, code)
        assert shown()[name][:2] == (rate.counted, rate.literate)

    page.ethnicity_band.setFocus()
    keyboard.type("15-25")
    assert page.ethnicity_band_chosen() == B15_25
    assert shown() == {**BY_ETHNICITY_15_25, "Tất cả dân tộc": BY_BAND[B15_25]["all"]}
    mong = page.ethnicity_model.find_row("08")
    assert page.ethnicity_model.text(mong, 3) == NO_RATE, "nobody counted: no rate, not 0%"
    assert page.ethnicity_model.figure(mong, 3) is None


def test_the_standards_verdict_in_words_and_colour(literacy_commune, open_page):
    page = open_page()
    level_1, level_2 = page.standards[1], page.standards[2]
    standards = literacy_commune.context.literacy.standards()
    # 15–35: 4 of 5 literate; 90% of 5 is 4.5, so 5 are needed: one more.
    assert standards.level_1.needed == 1
    assert level_1.verdict.text() == "Chưa đạt: cần thêm 1 người biết chữ"
    assert "Nhóm 15–35 tuổi: 4 trên 5 người" in level_1.detail.text()
    assert "tỷ lệ 80%" in level_1.detail.text()
    assert level_1.met is False
    # 15–60: 3 of 8 at level 2; 90% of 8 is 7.2, so 8 are needed: five more.
    assert level_2.verdict.text() == "Chưa đạt: cần thêm 5 người đạt mức độ 2"
    assert "Nhóm 15–60 tuổi: 3 trên 8 người" in level_2.detail.text()
    assert "37,5%" in level_2.detail.text()
    assert "#c62828" in level_2.verdict.styleSheet()
    assert "không thuộc diện đặc biệt khó khăn" in page.area_note.text()


def test_the_settings_dialog_changes_the_band_of_the_standards(
    literacy_commune, open_page, keyboard, qtbot
):
    context = literacy_commune.context
    page = open_page()
    page.settings_button.setFocus()
    keyboard.press(Key.Key_Space)
    dialog = page.findChild(LiteracySettingsDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow)
    assert keyboard.focused() is dialog.difficult_area
    keyboard.press(Key.Key_Space)  # especially difficult conditions
    with qtbot.waitSignal(page.figures_shown, timeout=10_000):
        keyboard.press(Key.Key_Return)

    assert context.literacy.settings().difficult_area is True
    level_1, level_2 = page.standards[1], page.standards[2]
    # 15–25: An, Bình, Hùng all literate.
    assert level_1.verdict.text() == "Đạt chuẩn mức độ 1"
    assert "Nhóm 15–25 tuổi: 3 trên 3 người" in level_1.detail.text()
    assert level_1.met is True
    assert "#1b5e20" in level_1.verdict.styleSheet()
    # 15–35: 3 of 5 at level 2; 5 needed.
    assert level_2.verdict.text() == "Chưa đạt: cần thêm 2 người đạt mức độ 2"
    assert "Nhóm 15–35 tuổi" in level_2.detail.text()
    assert "đặc biệt khó khăn: chuẩn mức độ 1 xét nhóm 15–25" in page.area_note.text()
    assert page.figures.report.standards.level_1.band == B15_25


def test_a_result_for_a_year_no_longer_asked_for_is_dropped(
    literacy_commune, open_page, qtbot, monkeypatch
):
    page = open_page()
    entered, release = threading.Event(), threading.Event()
    real = literacy_page.read_figures

    def slow_for_2025(context, year):
        if year == 2025:
            entered.set()
            release.wait(10)
        return real(context, year)

    monkeypatch.setattr(literacy_page, "read_figures", slow_for_2025)
    shown: list[int] = []
    page.figures_shown.connect(shown.append)

    page.year.setFocus()
    qtbot.keyClick(page.year, Key.Key_Down)  # 2025
    qtbot.waitUntil(entered.is_set)
    assert page.is_busy() and page.busy.isVisible()
    qtbot.keyClick(page.year, Key.Key_Up)  # back to 2026, while 2025 still runs
    qtbot.waitUntil(lambda: shown == [2026], timeout=10_000)
    release.set()
    QThreadPool.globalInstance().waitForDone()
    qtbot.wait(50)  # let the late 2025 result arrive, and be ignored
    assert shown == [2026]
    assert page.figures.year == 2026
    assert "Số liệu năm 2026" in page.heading.text()
    assert not page.is_busy() and page.busy.isHidden()


def test_other_years_count_ages_in_that_year(literacy_commune, open_page, qtbot):
    page = open_page()
    with qtbot.waitSignal(page.figures_shown, timeout=10_000) as shown:
        page.year.setValue(2030)
    assert shown.args == [2030]
    expected = literacy_commune.context.literacy.rates(2030)
    # In 2030 Giang is 65 (gone), Inh 18 (in), Phúc 64 (gone): 15–60 counts
    # An, Bình, Cúc, Dũng, Én, Hùng, Inh, Mai.
    assert expected.rate(B15_60, 1).counted == 8
    assert page.bands_model.figure(2, 1) == 8
    assert page.bands_model.figure(2, 2) == expected.rate(B15_60, 1).literate == 6


def test_damaged_settings_are_reported_not_crashed_on(context, open_page, qtbot):
    with context.transaction() as session:
        app_settings.write(session, "literacy", {"bands": "15-60"})
    page = LiteracyPage(context)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: not page.error.isHidden(), timeout=10_000)
    assert page.error.text().startswith("Cài đặt xóa mù chữ lưu trong cơ sở dữ liệu bị hỏng")
    assert page.error.text().endswith("Hãy lưu lại cài đặt xóa mù chữ.")
    assert not page.is_busy()


def test_the_main_window_opens_both_pages_from_the_keyboard(literacy_commune, show, keyboard):
    window = show(MainWindow(literacy_commune.context))
    keyboard.press(Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    page = window.page(4)
    assert isinstance(page, LiteracyPage)
    assert window.navigation.currentItem().text() == "Xóa mù chữ"
    assert page.isAncestorOf(QApplication.focusWidget())
    keyboard.press(Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(window.page(5), LiteracyListsPage)
    assert window.navigation.currentItem().text() == "Danh sách cần xử lý"
    QThreadPool.globalInstance().waitForDone()
