"""Charts of plan targets, through QtCharts: the actual figure against the target.

One chart per indicator group (learning models, literacy, training…): a
horizontal bar chart with one category per target of the group, read top
to bottom in the plan's order, and two bar sets: the actual percentage
(green where the target is reached, red where it is not) and the target's
percentage (grey). The figures come from a plan evaluation; nothing here
computes one. :func:`chart_bars` reads a chart back from its series and axis,
so tests (and a later export) look at what the chart holds, not at pixels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QCoreApplication, QLocale, QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QWidget

REACHED_COLOUR = "#2e7d32"
NOT_REACHED_COLOUR = "#c62828"
TARGET_COLOUR = "#9e9e9e"
LABEL_COLOUR = "#212121"
TICK_STEP = 20
"""Percent between two ticks of the value axis."""

CATEGORY_LENGTH = 26
"""Longest category label: the full wording is in the targets table beside it."""
ROW_HEIGHT = 34
"""Height of one category (two bars) in pixels."""
FRAME_HEIGHT = 110
"""Title, axis and legend around the bars, in pixels."""
NO_DATA_PROPERTY = "noDataBars"
"""Dynamic property of a chart: the bars (bottom first) that have no data."""


def _tr(text: str) -> str:
    return QCoreApplication.translate("Charts", text)


def actual_set_name() -> str:
    return _tr("Thực hiện")


def target_set_name() -> str:
    return _tr("Chỉ tiêu")


@dataclass(frozen=True)
class ChartBar:
    """One category of a target chart.

    Attributes:
        category: Its label on the axis (unique within the chart).
        actual: The actual percentage; ``None`` without data (no bar).
        target: The target's percentage (the minimum of a range).
        reached: Whether the target is reached; ``None`` without data.
    """

    category: str
    actual: float | None
    target: float
    reached: bool | None


def short_label(text: str, length: int = CATEGORY_LENGTH) -> str:
    """``text`` cut at a word boundary to at most ``length`` characters, with "…"."""
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(",;:– ") + "…"


def chart_locale() -> QLocale:
    """Vietnamese numbers on the axes and bars: a decimal comma."""
    return QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)


def target_chart(title: str, bars: Sequence[ChartBar]) -> QChart:
    """A horizontal bar chart of ``bars``, the first at the top.

    Raises:
        ValueError: when two bars share a category (the axis would merge them).
    """
    categories = [bar.category for bar in bars]
    if len(set(categories)) != len(categories):
        raise ValueError("the categories of a chart must be unique")
    # A horizontal chart draws its first category at the bottom.
    shown = list(reversed(bars))
    actual = QBarSet(actual_set_name())
    actual.setColor(QColor(REACHED_COLOUR))
    actual.setBorderColor(QColor(REACHED_COLOUR))
    # Bars of targets not reached are "selected": QtCharts colours them apart.
    actual.setSelectedColor(QColor(NOT_REACHED_COLOUR))
    target = QBarSet(target_set_name())
    target.setColor(QColor(TARGET_COLOUR))
    target.setBorderColor(QColor(TARGET_COLOUR))
    for bar_set in (actual, target):
        # The labels sit beside the bars, on the chart's white: dark text.
        bar_set.setLabelColor(QColor(LABEL_COLOUR))
    for number, bar in enumerate(shown):
        actual.append(0.0 if bar.actual is None else round(bar.actual, 1))
        target.append(round(bar.target, 1))
        if bar.reached is False:
            actual.selectBar(number)
    no_data = [number for number, bar in enumerate(shown) if bar.actual is None]

    series = QHorizontalBarSeries()
    # Within a category the set appended last is drawn on top: the actual
    # figure over its target, as the table reads "actual / target".
    series.append(target)
    series.append(actual)
    series.setLabelsVisible(True)
    series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
    series.setLabelsFormat("@value%")
    series.setLabelsPrecision(4)
    series.setBarWidth(0.8)

    chart = QChart()
    chart.setTitle(title)
    title_font = QFont(chart.titleFont())
    title_font.setBold(True)
    chart.setTitleFont(title_font)
    chart.setLocale(chart_locale())
    chart.setLocalizeNumbers(True)
    chart.addSeries(series)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setBackgroundRoundness(0)
    chart.setProperty(NO_DATA_PROPERTY, no_data)

    axis_categories = QBarCategoryAxis()
    axis_categories.append([bar.category for bar in shown])
    chart.addAxis(axis_categories, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis_categories)

    highest = max(
        [100.0, *(b.actual for b in bars if b.actual is not None), *(b.target for b in bars)]
    )
    axis_values = QValueAxis()
    # Room for the labels after the longest bar; a tick every 20%.
    top = math.ceil(highest * 1.15 / TICK_STEP) * TICK_STEP
    axis_values.setRange(0, top)
    axis_values.setTickCount(top // TICK_STEP + 1)
    # Localised labels need a floating-point format ("%d" shows nothing);
    # a single "%" after it is kept as text.
    axis_values.setLabelFormat("%.0f%")
    chart.addAxis(axis_values, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(axis_values)

    legend = chart.legend()
    legend.setVisible(True)
    legend.setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart


def chart_height(bars: int) -> int:
    """The height a chart of ``bars`` categories needs to show every label."""
    return FRAME_HEIGHT + ROW_HEIGHT * max(bars, 1)


def chart_view(chart: QChart, parent: QWidget | None = None) -> QChartView:
    """A view of ``chart`` (which it takes over), tall enough for every category."""
    view = QChartView(chart, parent)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    # The chart only shows; the keyboard works in the tables.
    view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    categories = chart_categories(chart)
    view.setMinimumHeight(chart_height(len(categories)))
    return view


def _series(chart: QChart) -> QHorizontalBarSeries:
    found = [s for s in chart.series() if isinstance(s, QHorizontalBarSeries)]
    if len(found) != 1:
        raise ValueError("not a target chart")
    return found[0]


def chart_categories(chart: QChart) -> list[str]:
    """The categories of a target chart, top first."""
    axes = [a for a in chart.axes(Qt.Orientation.Vertical) if isinstance(a, QBarCategoryAxis)]
    if not axes:
        return []
    return list(reversed(axes[0].categories()))


def chart_bars(chart: QChart) -> list[ChartBar]:
    """What a target chart shows, top first, read back from its bar sets."""
    series = _series(chart)
    sets = {bar_set.label(): bar_set for bar_set in series.barSets()}
    actual, target = sets[actual_set_name()], sets[target_set_name()]
    not_reached = set(actual.selectedBars())
    no_data = set(chart.property(NO_DATA_PROPERTY) or ())
    categories = list(reversed(chart_categories(chart)))
    bars = [
        ChartBar(
            category,
            None if number in no_data else actual.at(number),
            target.at(number),
            None if number in no_data else number not in not_reached,
        )
        for number, category in enumerate(categories)
    ]
    return list(reversed(bars))
