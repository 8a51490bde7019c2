"""Tests of xhht_desktop.ui.charts: what a target chart holds, read back from QtCharts."""

from __future__ import annotations

import pytest
from PySide6.QtCharts import QBarCategoryAxis, QHorizontalBarSeries, QValueAxis
from PySide6.QtCore import Qt

from xhht_desktop.ui.charts import (
    ChartBar,
    chart_bars,
    chart_categories,
    chart_height,
    chart_view,
    short_label,
    target_chart,
)

BARS = [
    ChartBar("4. Hộ gia đình đăng ký", 72.09, 60.0, True),
    ChartBar("5. Dòng họ đăng ký", 68.97, 70.0, False),
    ChartBar("6. Chi hội khuyến học", None, 95.0, None),
]


def test_a_chart_holds_the_bars_top_first(qapp):
    chart = target_chart("Mô hình học tập", BARS)
    assert chart.title() == "Mô hình học tập"
    (series,) = chart.series()
    assert isinstance(series, QHorizontalBarSeries)
    assert [s.label() for s in series.barSets()] == ["Chỉ tiêu", "Thực hiện"]
    assert chart_categories(chart) == [bar.category for bar in BARS]
    # Values are shown to one decimal; a target without data has no bar.
    assert chart_bars(chart) == [
        ChartBar("4. Hộ gia đình đăng ký", 72.1, 60.0, True),
        ChartBar("5. Dòng họ đăng ký", 69.0, 70.0, False),
        ChartBar("6. Chi hội khuyến học", None, 95.0, None),
    ]
    # Drawn bottom up: the axis lists the last bar first.
    (axis,) = chart.axes(Qt.Orientation.Vertical)
    assert isinstance(axis, QBarCategoryAxis)
    assert axis.categories()[0] == BARS[-1].category
    (values,) = chart.axes(Qt.Orientation.Horizontal)
    assert isinstance(values, QValueAxis)
    assert (values.min(), values.max()) == (0, 120)


def test_the_value_axis_makes_room_for_figures_over_100(qapp):
    chart = target_chart("Đào tạo", [ChartBar("1. A", 131.0, 100.0, True)])
    (values,) = chart.axes(Qt.Orientation.Horizontal)
    assert values.max() == 160
    assert values.tickCount() == 9


def test_categories_must_be_unique(qapp):
    with pytest.raises(ValueError, match="unique"):
        target_chart("X", [ChartBar("1. A", 1, 2, False), ChartBar("1. A", 3, 4, False)])


def test_a_view_is_tall_enough_for_every_category(qtbot):
    view = chart_view(target_chart("X", BARS))
    qtbot.addWidget(view)
    assert view.minimumHeight() == chart_height(3) > chart_height(1)
    assert view.focusPolicy() == Qt.FocusPolicy.NoFocus


def test_long_labels_are_cut_at_a_word():
    assert short_label("Hộ gia đình") == "Hộ gia đình"
    cut = short_label("Cơ quan, tổ chức, trường học, doanh nghiệp đăng ký Đơn vị học tập", 26)
    assert cut == "Cơ quan, tổ chức, trường…"
    assert len(cut) <= 26
