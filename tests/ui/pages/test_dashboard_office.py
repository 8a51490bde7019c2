"""The dashboard at an office: the total check, every commune against every target, literacy shares.

Three communes (demo data, different seeds; one made to fail the literacy
level 1 standard) export their packages and one office imports them. The
office's dashboard must show each commune's figures exactly as the commune
computes them itself, the office's total, and how many communes meet each
literacy level; it opens no records (the office never edits a commune's).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QColor

from xhht_desktop.context import AppContext
from xhht_desktop.ui.drilldown import STATUS_COLOURS, check_text, percent_text
from xhht_desktop.ui.pages.communes_panel import (
    COLUMN_LEVEL_1,
    COLUMN_NAME,
    COLUMN_REACHED,
    DETAIL_FIGURE,
    DETAIL_GAP,
    STATUS_ROLE,
    TOTAL,
)
from xhht_desktop.ui.pages.dashboard import COLUMN_FIGURE, DashboardPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

YEAR = 2026
CODES = {"24717": 1, "23842": 2, "24823": 3}
FAILING = "24823"
Key = Qt.Key


@pytest.fixture(scope="module")
def units(communes_and_office) -> Iterator[dict[str, AppContext]]:
    """Three communes and the office that imported their packages."""
    with communes_and_office(CODES, year=YEAR, failing=FAILING) as opened:
        yield opened


@pytest.fixture
def page(qtbot, show, units) -> Iterator[DashboardPage]:
    page = DashboardPage(units["office"])
    page.resize(1400, 900)
    with qtbot.waitSignal(page.evaluated, timeout=20_000):
        show(page)
    yield page
    QThreadPool.globalInstance().waitForDone()


def test_the_office_sees_each_commune_as_the_commune_sees_itself(page, units):
    tabs = page.tabs
    assert tabs.isTabVisible(tabs.indexOf(page.communes))
    assert not tabs.isTabVisible(tabs.indexOf(page.ranking_tab))
    panel = page.communes
    model = panel.communes_model
    assert sorted(panel.commune_codes()) == sorted(CODES)
    assert panel.row_of(TOTAL) == len(CODES)  # the total comes last
    plan_id = page.evaluation.plan.id
    for code in CODES:
        own = units[code].indicators.evaluate(YEAR, plan_id)
        row = panel.row_of(code)
        assert model.index(row, COLUMN_NAME).data() == units[code].setup.require().commune_name
        reached = sum(1 for r in own.rows if r.check.status.reached)
        assert model.index(row, COLUMN_REACHED).data() == f"{reached}/{len(own.rows)}"
        for target in own.rows:
            cell = panel.cell(code, target.position)
            assert cell.data() == percent_text(target.check.value), (code, target.position)
            assert cell.data(STATUS_ROLE) is target.check.status
            background = cell.data(Qt.ItemDataRole.BackgroundRole).color()
            assert background == QColor(STATUS_COLOURS[target.check.status][1])
        level_1 = model.index(row, COLUMN_LEVEL_1).data()
        expected = units[code].literacy.standards(YEAR).level_1.met
        assert level_1 == ("Đạt" if expected else "Chưa đạt")
    assert model.index(panel.row_of(FAILING), COLUMN_LEVEL_1).data() == "Chưa đạt"


def test_the_office_total_is_on_the_targets_tab_and_in_the_last_row(page, units):
    total = units["office"].consolidation.evaluations(YEAR, page.evaluation.plan.id).total
    assert page.evaluation.as_dict() == total.as_dict()
    for row in total.rows:
        shown = page.target_index(row.position, COLUMN_FIGURE).data()
        assert shown == check_text(row.check, row.target.target.describe())
        assert page.communes.cell(TOTAL, row.position).data() == percent_text(row.check.value)


def test_the_literacy_verdict_counts_the_communes_meeting_each_level(page, units):
    text = page.communes.verdict.text()
    met_2 = sum(units[c].literacy.standards(YEAR).level_2.met for c in CODES)
    assert "Mức độ 1 (Điều 20): 2/3 xã đạt" in text
    assert "cần thêm 1 xã đạt chuẩn" in text
    assert f"Mức độ 2 (Điều 21): {met_2}/3 xã đạt" in text


def test_choosing_a_commune_shows_its_targets_and_gaps(page, units, keyboard, qtbot):
    panel = page.communes
    page.show_communes()
    assert page.tabs.currentWidget() is panel
    first, second = panel.commune_codes()[:2]
    assert panel.current_code() == first
    with qtbot.waitSignal(panel.commune_selected) as selected:
        keyboard.press(Key.Key_Down)
    assert selected.args == [second]
    own = units[second].indicators.evaluate(YEAR, page.evaluation.plan.id)
    name = units[second].setup.require().commune_name
    assert panel.detail_title.text().startswith(name)
    detail = panel.detail_model
    assert detail.rowCount() == len(own.rows)
    for number, row in enumerate(own.rows):
        assert detail.index(number, DETAIL_GAP).data() == row.gap_text
        expected = check_text(row.check, row.target.target.describe())
        assert detail.index(number, DETAIL_FIGURE).data() == expected
    keyboard.press(Key.Key_Tab)
    assert panel.detail.hasFocus()


def test_a_target_opens_its_column_of_communes_not_the_records(page, keyboard, qtbot):
    opened = []
    page.drilldown_opened.connect(opened.append)
    page.tabs.setCurrentWidget(page.targets)
    target = page.evaluation.rows[2]
    page.targets.setCurrentIndex(page.target_index(target.position))
    page.targets.setFocus()
    keyboard.press(Key.Key_Return)
    assert page.tabs.currentWidget() is page.communes
    current = page.communes.communes.currentIndex()
    assert current == page.communes.cell(page.communes.current_code(), target.position)
    assert page.open_drilldown(target) is None
    assert opened == []


def test_screenshot_of_the_office_dashboard(page, qtbot):
    with qtbot.waitSignal(page.evaluated, timeout=20_000):
        page.plan.set_value("dak-song-138-2020")
    assert page.evaluation.plan.id == "dak-song-138-2020"
    assert page.communes.consolidated.plan_id == "dak-song-138-2020"
    page.show_communes()
    Path("/tmp/shots").mkdir(parents=True, exist_ok=True)
    assert page.grab().save("/tmp/shots/office_dashboard.png")
    page.tabs.setCurrentWidget(page.targets)
    assert page.grab().save("/tmp/shots/office_dashboard_total.png")
