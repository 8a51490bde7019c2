"""The dashboard shows the active plan's check exactly as the indicator service computes it.

Two communes: the demo commune (about 1,500 persons, the Đăk Song plan active
by default), whose figures are compared with ``context.indicators.evaluate``
and ``behind``; and a small commune built here, whose household-registration
target is counted by hand.
"""

from __future__ import annotations

import threading
from datetime import date

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QColor

from xhht_desktop.core.indicators import GROUPS
from xhht_desktop.core.registers import HouseholdDraft, PersonDraft, VillageDraft
from xhht_desktop.core.targets import Status, format_percent
from xhht_desktop.services.demo_setup import ensure_demo
from xhht_desktop.ui.charts import chart_bars, chart_categories
from xhht_desktop.ui.drilldown import STATUS_COLOURS, DrilldownDialog
from xhht_desktop.ui.forms.household_form import HouseholdDialog
from xhht_desktop.ui.main_window import MainWindow
from xhht_desktop.ui.pages.dashboard import (
    COLUMN_DEADLINE,
    COLUMN_FIGURE,
    COLUMN_GAP,
    COLUMN_LABEL,
    COLUMN_POSITION,
    COLUMN_STATUS,
    RANK_FIXED_COLUMNS,
    STATUS_ROLE,
    TARGET_ROLE,
    VILLAGE_ROLE,
    DashboardPage,
)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

YEAR = 2026
DAK_SONG = "dak-song-138-2020"
NATIONAL = "qd-387-2025"
Key = Qt.Key


@pytest.fixture
def demo(empty_context):
    """The demo commune with about 1,500 persons, reporting year 2026."""
    ensure_demo(empty_context, persons=1500, year=YEAR)
    return empty_context


@pytest.fixture
def open_page(qtbot, show):
    """Build, show and wait for a dashboard; its workers end before the database closes."""

    def _open(context) -> DashboardPage:
        page = DashboardPage(context)
        page.resize(1200, 760)
        with qtbot.waitSignal(page.evaluated, timeout=10_000):
            show(page)
        return page

    yield _open
    QThreadPool.globalInstance().waitForDone()


def _texts(page: DashboardPage, position: int) -> tuple[str, ...]:
    return tuple(
        page.target_index(position, column).data()
        for column in (
            COLUMN_POSITION,
            COLUMN_LABEL,
            COLUMN_FIGURE,
            COLUMN_STATUS,
            COLUMN_GAP,
            COLUMN_DEADLINE,
        )
    )


def _figure(row) -> str:
    value = row.check.value
    shown = "—" if value is None else f"{format_percent(value)}%"
    return f"{shown} / {row.target.target.describe()}"


def _wait_drilldown(qtbot, page: DashboardPage) -> DrilldownDialog:
    qtbot.waitUntil(lambda: page.findChild(DrilldownDialog) is not None)
    dialog = page.findChild(DrilldownDialog)
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_the_demo_commune_shows_the_dak_song_plan_as_the_service_checks_it(demo, open_page):
    page = open_page(demo)
    expected = demo.indicators.evaluate(YEAR, DAK_SONG)

    assert page.plan_id() == DAK_SONG
    assert page.plan.currentText() == "Kế hoạch 138/KH-UBND của UBND huyện Đăk Song (2020)"
    assert page.year.value() == YEAR
    assert "138/KH-UBND ngày 15/6/2020" in page.document.text()

    # Every target, in the groups of the registry, each group in plan order.
    shown = page.target_rows()
    assert len(shown) == len(expected.rows) == 16
    wanted_groups = [
        (group, [r.position for r in expected.rows_of_group(group)])
        for group in GROUPS
        if expected.rows_of_group(group)
    ]
    got_groups: dict[str, list[int]] = {}
    for group, row in shown:
        got_groups.setdefault(group, []).append(row.position)
    assert list(got_groups.items()) == wanted_groups

    # Each row says what the service says, in words and in colour.
    for row in expected.rows:
        position, label, figure, status, gap, deadline = _texts(page, row.position)
        assert position == str(row.position)
        assert label == row.indicator.label
        assert figure == _figure(row)
        assert status == row.check.status.label
        assert gap == row.gap_text
        assert deadline == str(row.target.deadline)
        cell = page.target_index(row.position, COLUMN_STATUS)
        assert cell.data(STATUS_ROLE) is row.check.status
        colour, background = STATUS_COLOURS[row.check.status]
        assert cell.data(Qt.ItemDataRole.ForegroundRole).color() == QColor(colour)
        assert cell.data(Qt.ItemDataRole.BackgroundRole).color() == QColor(background)

    # Hand-checked against the demo: the literacy target of 98.5% is missed.
    literacy = next(r for r in expected.rows if r.indicator.code == "biet-chu-15-60")
    assert _texts(page, literacy.position)[3] == "Chưa đạt"
    assert _texts(page, literacy.position)[4].startswith("cần thêm ")
    assert _texts(page, literacy.position)[4].endswith(" người 15–60 tuổi biết chữ")

    counts = expected.summary()
    reached = sum(n for status, n in counts.items() if status.reached)
    assert page.summary.text() == "16 chỉ tiêu:"
    assert page.summary_counts["reached"].text() == f"Đạt: {reached}"
    assert page.summary_counts["not_met"].text() == f"Chưa đạt: {counts[Status.NOT_MET]}"
    assert page.summary_counts["no_data"].text() == f"Chưa có số liệu: {counts[Status.NO_DATA]}"
    assert reached + counts[Status.NOT_MET] + counts[Status.NO_DATA] == 16


def test_a_chart_per_group_holds_each_targets_actual_and_target(demo, open_page):
    page = open_page(demo)
    expected = demo.indicators.evaluate(YEAR, DAK_SONG)
    groups = [g for g in GROUPS if expected.rows_of_group(g)]
    assert list(page.charts) == groups
    for group in groups:
        rows = expected.rows_of_group(group)
        chart = page.charts[group]
        assert chart.title() == GROUPS[group]
        assert len(chart.series()) == 1
        (series,) = chart.series()
        assert [s.label() for s in series.barSets()] == ["Chỉ tiêu", "Thực hiện"]
        categories = chart_categories(chart)
        assert len(categories) == len(rows)
        assert [c.split(". ", 1)[0] for c in categories] == [str(r.position) for r in rows]
        bars = chart_bars(chart)
        assert [b.actual for b in bars] == [round(float(r.check.value), 1) for r in rows]
        assert [b.target for b in bars] == [float(r.target.target.value) for r in rows]
        assert [b.reached for b in bars] == [r.check.status.reached for r in rows]
        assert page.chart_views[group].chart() is chart


def test_choosing_another_plan_activates_it_and_shows_its_targets(demo, open_page, qtbot, keyboard):
    page = open_page(demo)
    page.plan.setFocus()
    # The presets are listed Đăk Song, Đông Triều, then the national programme.
    keyboard.press(Key.Key_Down)
    with qtbot.waitSignal(page.evaluated, timeout=10_000) as shown:
        keyboard.press(Key.Key_Down)
    assert page.plan_id() == NATIONAL
    assert shown.args[0].plan.id == NATIONAL
    assert demo.plans.active_id() == NATIONAL

    expected = demo.indicators.evaluate(YEAR, NATIONAL)
    rows = page.target_rows()
    assert [(g, r.position) for g, r in rows] == [("learning_models", n) for n in (1, 2, 3, 4)]
    for row in expected.rows:
        assert _texts(page, row.position)[2:4] == (_figure(row), row.check.status.label)
    assert list(page.charts) == ["learning_models"]
    assert len(chart_categories(page.charts["learning_models"])) == 4


def test_enter_on_a_target_not_met_lists_exactly_the_records_behind_it(
    demo, open_page, qtbot, keyboard
):
    page = open_page(demo)
    expected = demo.indicators.evaluate(YEAR, DAK_SONG)
    row = next(r for r in expected.rows if r.indicator.code == "biet-chu-15-60")
    assert row.check.status is Status.NOT_MET
    page.targets.setFocus()
    page.targets.setCurrentIndex(page.target_index(row.position))
    keyboard.press(Key.Key_Return)

    dialog = _wait_drilldown(qtbot, page)
    behind = demo.indicators.behind("biet-chu-15-60", YEAR)
    assert behind.total == len(behind.persons) > 0
    assert [p.id for p in dialog.rows()] == [p.id for p in behind.persons]
    assert dialog.village_id() is None
    assert dialog.figure.text() == (f"Toàn xã: {_figure(row)} — Chưa đạt: {row.gap_text}")
    assert dialog.explanation.text().startswith(f"{behind.total} người")
    keyboard.press(Key.Key_Escape)
    qtbot.waitUntil(lambda: page.findChild(DrilldownDialog) is None)
    # A later check no longer reaches the closed dialog.
    with qtbot.waitSignal(page.evaluated, timeout=10_000):
        page.refresh()
    assert page.targets.currentIndex().siblingAtColumn(0).data(TARGET_ROLE).position == (
        row.position
    )


def test_a_double_click_on_a_learning_model_target_lists_the_subjects_not_registered(
    demo, open_page, qtbot
):
    page = open_page(demo)
    expected = demo.indicators.evaluate(YEAR, DAK_SONG)
    row = next(r for r in expected.rows if r.indicator.code == "dhht-dang-ky")
    assert row.check.status is Status.NOT_MET
    index = page.target_index(row.position)
    page.targets.scrollTo(index)
    rect = page.targets.visualRect(index)
    qtbot.mouseClick(page.targets.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.targets.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    dialog = _wait_drilldown(qtbot, page)
    behind = demo.indicators.behind("dhht-dang-ky", YEAR)
    assert [e.subject.id for e in dialog.rows()] == [e.subject.id for e in behind.entries]
    assert len(dialog.rows()) == row.check.denominator - row.check.numerator
    assert all(e.registered_on is None for e in dialog.rows())


def test_the_villages_are_ranked_and_a_cell_opens_that_villages_records(
    demo, open_page, qtbot, keyboard
):
    page = open_page(demo)
    expected = demo.indicators.evaluate(YEAR, DAK_SONG)
    ranks = expected.village_ranking()
    model = page.ranking_model
    assert [model.item(n, 1).text() for n in range(model.rowCount())] == [
        r.village_name for r in ranks
    ]
    assert [model.item(n, 2).text() for n in range(model.rowCount())] == [
        f"{r.reached}/{r.checked}" for r in ranks
    ]
    village_rows = [r for r in expected.rows if r.villages]
    assert [
        model.horizontalHeaderItem(RANK_FIXED_COLUMNS + n).text() for n in range(len(village_rows))
    ] == [f"CT {r.position}" for r in village_rows]

    # The last village, the household-registration target's cell.
    column = RANK_FIXED_COLUMNS + village_rows.index(
        next(r for r in village_rows if r.indicator.code == "gdht-dang-ky")
    )
    last = model.rowCount() - 1
    cell = model.index(last, column)
    village_id = cell.data(VILLAGE_ROLE)
    assert village_id == ranks[-1].village_id
    gdht = cell.data(TARGET_ROLE)
    assert cell.data() == f"{format_percent(gdht.village(village_id).check.value)}%"
    assert cell.data(STATUS_ROLE) is gdht.village(village_id).check.status

    page.tabs.setCurrentIndex(2)
    page.ranking.setFocus()
    page.ranking.setCurrentIndex(cell)
    assert ranks[-1].village_name in page.ranking_detail.text()
    keyboard.press(Key.Key_Return)
    dialog = _wait_drilldown(qtbot, page)
    behind = demo.indicators.behind("gdht-dang-ky", YEAR, village_id)
    assert dialog.village_id() == village_id
    assert [e.subject.id for e in dialog.rows()] == [e.subject.id for e in behind.entries]
    assert {e.subject.village_id for e in dialog.rows()} == {village_id}


def test_a_result_for_a_year_no_longer_asked_for_is_dropped(demo, open_page, qtbot, monkeypatch):
    page = open_page(demo)
    gate = threading.Event()
    evaluate = demo.indicators.evaluate

    def held(year=None, plan_id=None):
        gate.wait(10)
        return evaluate(year, plan_id)

    monkeypatch.setattr(demo.indicators, "evaluate", held)
    shown: list[int] = []
    page.evaluated.connect(lambda evaluation: shown.append(evaluation.year))
    page.refresh()
    qtbot.waitUntil(lambda: bool(page._jobs.tasks))
    page.year.setValue(2025)
    qtbot.waitUntil(lambda: len(page._jobs.tasks) == 2)
    assert page.is_busy() and page.busy.isVisible()
    with qtbot.waitSignal(page.evaluated, timeout=10_000):
        gate.set()
    QThreadPool.globalInstance().waitForDone()
    qtbot.waitUntil(lambda: not page._jobs.tasks)
    assert shown == [2025]
    assert page.evaluation.year == 2025
    assert not page.busy.isVisible()


# -- a small commune, counted by hand ------------------------------------------------


@pytest.fixture
def small(context):
    """Thôn 1 with two households, Thôn 4 with four (one registered), one household empty.

    Households need a member to be counted (an empty one is not in scope).
    """
    villages = {
        name: context.villages.save(VillageDraft("thon", name)).id for name in ("Thôn 1", "Thôn 4")
    }
    ids = {}
    for code, village in (
        ("H01", "Thôn 1"),
        ("H02", "Thôn 1"),
        ("H41", "Thôn 4"),
        ("H42", "Thôn 4"),
        ("H43", "Thôn 4"),
        ("H44", "Thôn 4"),
    ):
        household = context.households.save(
            HouseholdDraft(code, villages[village], f"Chủ hộ {code}")
        )
        context.persons.save(PersonDraft(household.id, f"Chủ hộ {code}", 1980, "M", "01"))
        ids[code] = household.id
    context.households.save(HouseholdDraft("H45", villages["Thôn 4"], "Hộ chưa có người"))
    context.learning_models.register(
        "gdht", YEAR, [ids["H01"], ids["H41"]], date(2026, 1, 5), today=date(2026, 3, 1)
    )
    context.plans.activate(DAK_SONG)
    return context, villages, ids


def test_a_villages_unregistered_households_are_listed_and_one_is_edited_from_there(
    small, open_page, qtbot, keyboard
):
    context, villages, ids = small
    page = open_page(context)
    # 2 of the 6 households with members registered: 33,33% against "> 60%";
    # 4 of 6 (66,67%) would be more than 60%, so 2 more are needed. The empty
    # household H45 is not counted.
    row = next(r for _g, r in page.target_rows() if r.indicator.code == "gdht-dang-ky")
    assert _texts(page, row.position)[2:5] == (
        "33,33% / > 60%",
        "Chưa đạt",
        "cần thêm 2 hộ đăng ký Gia đình học tập",
    )
    # Thôn 4: 1 of 4; 3 of 4 (75%) would be more than 60%: 2 more.
    thon_4 = row.village(villages["Thôn 4"])
    assert (thon_4.check.numerator, thon_4.check.denominator) == (1, 4)

    # Thôn 4's cell of the registration target, from the ranking.
    page.tabs.setCurrentIndex(2)
    model = page.ranking_model
    line = next(n for n in range(model.rowCount()) if model.item(n, 1).text() == "Thôn 4")
    column = next(
        c
        for c in range(RANK_FIXED_COLUMNS, model.columnCount())
        if model.index(line, c).data(TARGET_ROLE).indicator.code == "gdht-dang-ky"
    )
    assert model.index(line, column).data() == "25%"
    page.ranking.setFocus()
    page.ranking.setCurrentIndex(model.index(line, column))
    keyboard.press(Key.Key_Return)
    dialog = _wait_drilldown(qtbot, page)

    assert dialog.village_id() == villages["Thôn 4"]
    assert [e.subject.code for e in dialog.rows()] == ["H42", "H43", "H44"]
    assert dialog.explanation.text() == ("3 hộ chưa đăng ký Gia đình học tập năm 2026 — Thôn 4.")
    assert dialog.figure.text() == (
        "Thôn 4: 25% / > 60% — Chưa đạt: cần thêm 2 hộ đăng ký Gia đình học tập"
    )

    # Enter on H43 opens the household; its head's name is corrected there.
    keyboard.press(Key.Key_Down)
    assert dialog.current_row().subject.code == "H43"
    keyboard.press(Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.findChild(HouseholdDialog) is not None)
    household = dialog.findChild(HouseholdDialog)
    qtbot.waitUntil(household.isActiveWindow)
    assert household.code.text() == "H43"
    household.head_name.setFocus()
    household.head_name.selectAll()
    keyboard.type("Lê Văn Hòa")
    with qtbot.waitSignal(page.evaluated, timeout=10_000):
        keyboard.press(Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.findChild(HouseholdDialog) is None)

    assert context.households.get(ids["H43"]).head_name == "Lê Văn Hòa"
    # The list is read again, in the service's order (by the head's name).
    behind = context.indicators.behind("gdht-dang-ky", YEAR, villages["Thôn 4"])
    assert [e.subject.name for e in dialog.rows()] == [e.subject.name for e in behind.entries]
    assert {e.subject.name for e in dialog.rows()} == {"Chủ hộ H42", "Lê Văn Hòa", "Chủ hộ H44"}
    assert dialog.current_row().subject.code == "H43"


def test_a_registration_made_elsewhere_shows_when_the_page_is_refreshed(small, open_page, qtbot):
    context, _villages, ids = small
    page = open_page(context)
    context.learning_models.register(
        "gdht", YEAR, [ids["H02"], ids["H42"], ids["H43"]], date(2026, 2, 1), today=date(2026, 3, 1)
    )
    with qtbot.waitSignal(page.evaluated, timeout=10_000):
        page.refresh()
    row = next(r for _g, r in page.target_rows() if r.indicator.code == "gdht-dang-ky")
    assert _texts(page, row.position)[2:5] == ("83,33% / > 60%", "Đạt", "đã đạt")


def test_the_dashboard_is_the_first_page_of_the_window_with_the_overview(demo, show, qtbot):
    window = MainWindow(demo)
    with qtbot.waitSignal(window.dashboard.evaluated, timeout=10_000):
        show(window)
    try:
        assert window.navigation.item(0).text() == "Tổng quan"
        assert window.stack.currentWidget().isAncestorOf(window.dashboard)
        assert window.dashboard.isAncestorOf(window.home)
        assert window.home.counts["persons"].text() == "1.500"
        assert window.dashboard.plan_id() == DAK_SONG
    finally:
        QThreadPool.globalInstance().waitForDone()


def test_a_database_not_set_up_shows_no_plan(empty_context, show, qtbot):
    page = show(DashboardPage(empty_context))
    qtbot.wait(50)
    assert page.overview.not_set_up.isVisible()
    assert not page.tabs.isVisible()
    assert page.evaluation is None
    assert not page.is_busy()
