"""Tests of xhht_desktop.ui.figure_tables: number formats, the model, the grouped header."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from xhht_desktop.ui.figure_tables import (
    FIGURE_ROLE,
    GROUP_ROLE,
    FigureRow,
    FigureTableModel,
    GroupedHeader,
    Heading,
    count_cell,
    figure_view,
    format_count,
    format_percent,
    rate_cell,
    text_cell,
)
from xhht_desktop.ui.table_models import LEFT


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (98.5, "98,5%"),
        (94.92, "94,92%"),
        (100.0, "100%"),
        (0.0, "0%"),
        (66.67, "66,67%"),
        (89.99, "89,99%"),
        (None, "—"),
    ],
)
def test_rates_read_the_vietnamese_way(value, text):
    assert format_percent(value) == text


def test_counts_group_thousands_with_dots():
    assert format_count(12345) == "12.345"
    assert format_count(1234567) == "1.234.567"
    assert format_count(0) == "0"


def _model() -> FigureTableModel:
    model = FigureTableModel()
    model.set_table(
        [
            Heading("Thôn", alignment=LEFT),
            Heading("Số người", "15–25 tuổi"),
            Heading("Tỷ lệ", "15–25 tuổi"),
            Heading("Số người", "15–35 tuổi"),
        ],
        [
            FigureRow(
                (text_cell("Thôn 1"), count_cell(12345), rate_cell(98.5), count_cell(0)), key="a"
            ),
            FigureRow(
                (text_cell("Toàn xã"), count_cell(0), rate_cell(None), count_cell(3)), total=True
            ),
        ],
    )
    return model


def test_the_model_hands_out_text_figures_groups_and_bold_totals(qtmodeltester):
    model = _model()
    qtmodeltester.check(model)
    assert model.index(0, 1).data() == "12.345"
    assert model.index(0, 1).data(FIGURE_ROLE) == 12345
    assert model.index(0, 2).data() == "98,5%"
    assert model.index(1, 2).data() == "—"
    assert model.index(1, 2).data(FIGURE_ROLE) is None
    assert model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert model.index(0, 0).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignLeft
    assert model.index(1, 0).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole) is None
    horizontal = Qt.Orientation.Horizontal
    assert model.headerData(2, horizontal) == "Tỷ lệ"
    assert model.headerData(2, horizontal, GROUP_ROLE) == "15–25 tuổi"
    assert model.headerData(2, horizontal, Qt.ItemDataRole.ToolTipRole) == "15–25 tuổi — Tỷ lệ"
    assert model.find_row("a") == 0 and model.find_row("b") is None


def test_a_row_must_fill_every_column():
    with pytest.raises(ValueError, match="2 cells for 3 columns"):
        FigureTableModel().set_table(
            [Heading("a"), Heading("b"), Heading("c")],
            [FigureRow((text_cell("x"), text_cell("y")))],
        )


def test_the_header_groups_neighbouring_columns_and_is_twice_as_tall(qtbot):
    model = _model()
    view = figure_view(model, 120)
    qtbot.addWidget(view)
    view.resize(700, 200)
    view.show()
    qtbot.waitExposed(view)
    header = view.horizontalHeader()
    assert isinstance(header, GroupedHeader)
    assert [header.span(c) for c in range(4)] == [(0, 0), (1, 2), (1, 2), (3, 3)]
    assert header.group(0) == "" and header.group(3) == "15–35 tuổi"
    plain = FigureTableModel()
    plain.set_table([Heading("Thôn")], [FigureRow((text_cell("Thôn 1"),))])
    plain_view = figure_view(plain)
    qtbot.addWidget(plain_view)
    assert header.sizeHint().height() >= 2 * plain_view.horizontalHeader().sizeHint().height() - 2
    assert view.columnWidth(0) == 120
    # Painting runs the header's paintSection; an error there fails the test.
    assert not view.grab().isNull()
