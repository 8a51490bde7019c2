"""The document model: header grids, dates and numbers as the decree writes them, orientation."""

from __future__ import annotations

from datetime import date

import pytest

from xhht_desktop.reports.document import (
    Closing,
    Column,
    Document,
    HeaderCell,
    Letterhead,
    PlacedCell,
    Signer,
    Table,
    format_count,
    format_percent,
    format_value,
    frame_width_mm,
    number_line,
    place_header,
    vietnamese_date,
)

HEAD = Letterhead(("ỦY BAN NHÂN DÂN", "XÃ ĐỨC AN"), "Đức An", date(2026, 1, 5), "Số: /BC")
CLOSING = Closing((Signer(("CHỦ TỊCH",), "Nguyễn Văn Minh"),), ("Sở GD&ĐT", "Lưu: VT."))


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
        (date(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
        (date(2026, 3, 9), "ngày 09 tháng 3 năm 2026"),
        (date(2026, 11, 23), "ngày 23 tháng 11 năm 2026"),
    ],
)
def test_dates_take_a_zero_below_day_10_and_month_3(day, text):
    assert vietnamese_date(day) == text


def test_date_line_and_number_line():
    assert HEAD.date_line == "Đức An, ngày 05 tháng 01 năm 2026"
    assert number_line("BC-UBND") == "Số:      /BC-UBND"


def test_vietnamese_numbers():
    assert format_count(0) == "0"
    assert format_count(1977) == "1.977"
    assert format_count(1234567) == "1.234.567"
    assert format_percent(94.94) == "94,94"
    assert format_percent(100.0) == "100,00"
    assert format_percent(1234.5) == "1.234,50"
    assert format_percent(None) == "—"
    assert format_value(None, "percent") == "—"
    assert format_value(None, "text") == ""
    assert format_value(12, "text") == "12"
    assert format_value(5000, "count") == "5.000"


def test_header_cells_are_placed_around_the_cells_above():
    placed = place_header(
        [
            [HeaderCell("TT", rowspan=2), HeaderCell("Độ tuổi", colspan=2)],
            [HeaderCell("Số"), HeaderCell("Tỷ lệ")],
        ],
        3,
    )
    assert placed == [
        PlacedCell(0, 0, 2, 1, "TT"),
        PlacedCell(0, 1, 1, 2, "Độ tuổi"),
        PlacedCell(1, 1, 1, 1, "Số"),
        PlacedCell(1, 2, 1, 1, "Tỷ lệ"),
    ]


@pytest.mark.parametrize(
    "header",
    [
        [[HeaderCell("a"), HeaderCell("b")]],  # a column left uncovered
        [[HeaderCell("a", colspan=4)]],  # past the table
        [[HeaderCell("a", rowspan=2), HeaderCell("b"), HeaderCell("c")]],  # past the last row
        [
            [HeaderCell("a", rowspan=2), HeaderCell("b", colspan=2)],
            [HeaderCell("c"), HeaderCell("d"), HeaderCell("e")],  # one cell too many
        ],
    ],
)
def test_a_header_that_does_not_fit_the_columns_is_refused(header):
    with pytest.raises(ValueError, match="header"):
        place_header(header, 3)


def test_without_a_header_the_column_titles_are_the_header():
    table = Table((Column("A", 10), Column("B", 20)), [])
    assert [c.text for c in table.header_cells()] == ["A", "B"]
    assert table.header_rows == 1
    assert table.row_count == 0


def test_recipients_take_dashes_semicolons_and_a_final_full_stop():
    closing = Closing((Signer(("CHỦ TỊCH",)),), ("Sở GD&ĐT Lâm Đồng;", "Như trên", "Lưu: VT"))
    assert closing.recipient_lines() == ["- Sở GD&ĐT Lâm Đồng;", "- Như trên;", "- Lưu: VT."]


def test_a_closing_has_one_or_two_signers_and_no_recipients_beside_two():
    with pytest.raises(ValueError):
        Closing(())
    with pytest.raises(ValueError):
        Closing((Signer(("A",)), Signer(("B",))), ("Sở",))


def _document(width: float, orientation="auto") -> Document:
    return Document(
        HEAD,
        "BÁO CÁO",
        "Thử",
        (Table((Column("A", width / 2), Column("B", width / 2)), []),),
        CLOSING,
        orientation=orientation,
    )


def test_a_table_wider_than_a_portrait_page_turns_the_document_landscape():
    portrait = frame_width_mm(landscape=False)
    assert portrait == 165
    assert frame_width_mm(landscape=True) == 252
    assert not _document(portrait).landscape
    assert _document(portrait + 1).landscape
    assert not _document(portrait + 1, "portrait").landscape
    assert _document(10, "landscape").landscape


def test_the_title_joins_type_and_summary():
    assert _document(10).title == "Báo cáo thử"
