"""The Excel renderer: the PDF's blocks, totals by formula, print set-up for the same paper."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from xml.etree import ElementTree

import openpyxl
import pytest

from xhht_desktop.reports import xlsx
from xhht_desktop.reports.document import (
    MOTTO,
    NATIONAL_TITLE,
    Closing,
    Column,
    Document,
    GroupRow,
    HeaderCell,
    Heading,
    Letterhead,
    Paragraph,
    Row,
    Signer,
    Table,
)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEAD = Letterhead(("ỦY BAN NHÂN DÂN", "XÃ ĐỨC AN"), "Đức An", date(2026, 1, 5), "Số:      /BC-UBND")
CLOSING = Closing(
    (Signer(("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), "Nguyễn Văn Minh"),),
    ("Sở GD&ĐT Lâm Đồng", "Lưu: VT."),
)


def _main_table(rows: int = 30) -> Table:
    return Table(
        columns=(
            Column("STT", 12, "center"),
            Column("Thôn", 60),
            Column("Số người", 40, "count", total=True),
            Column("Biết chữ", 40, "count", total=True),
            Column("Tỷ lệ (%)", 40, "percent"),
            Column("Ghi chú", 50),
        ),
        rows=[
            GroupRow("Nhóm đầu"),
            *((i, f"Thôn {i}", i * 10, i * 9, 90.0, "") for i in range(1, rows + 1)),
            Row(("", "Dòng nhấn", 1, 1, None, "x"), bold=True),
        ],
        header=(
            (
                HeaderCell("STT", rowspan=2),
                HeaderCell("Thôn", rowspan=2),
                HeaderCell("Kết quả", colspan=3),
                HeaderCell("Ghi chú", rowspan=2),
            ),
            (HeaderCell("Số người"), HeaderCell("Biết chữ"), HeaderCell("Tỷ lệ (%)")),
        ),
        total=("", "Cộng", sum(i * 10 for i in range(1, rows + 1)) + 1, 4186, 93.02, ""),
        numbered=True,
    )


def _small_table() -> Table:
    return Table(
        (Column("Chuẩn", 100), Column("Kết quả", 60, "center"), Column("Cần thêm", 60, "count")),
        [("Mức độ 1", "Đạt", 0)],
    )


def _document(*body: object) -> Document:
    return Document(HEAD, "BIỂU THỐNG KÊ", "Thử Excel", tuple(body), CLOSING)  # type: ignore[arg-type]


def _load(document: Document, data_only: bool = False):
    out = io.BytesIO()
    xlsx.render(document, out)
    out.seek(0)
    return openpyxl.load_workbook(out, data_only=data_only), out


@pytest.fixture
def sheet():
    workbook, _ = _load(
        _document(Paragraph("Mở đầu."), Heading("I. Bảng"), _main_table(), _small_table())
    )
    yield workbook.worksheets[0]
    workbook.close()


def _find(ws, value):
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == value:
                return cell
    raise AssertionError(f"{value!r} not in the sheet")


def test_one_sheet_with_the_letterhead_title_and_closing(sheet):
    assert sheet.parent.sheetnames == ["Biểu thống kê"]
    values = [v for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    for text in (
        "ỦY BAN NHÂN DÂN",
        "XÃ ĐỨC AN",
        NATIONAL_TITLE,
        MOTTO,
        "Số:      /BC-UBND",
        "Đức An, ngày 05 tháng 01 năm 2026",
        "BIỂU THỐNG KÊ",
        "Thử Excel",
        "Mở đầu.",
        "I. Bảng",
        "Nơi nhận:",
        "- Sở GD&ĐT Lâm Đồng;",
        "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Nguyễn Văn Minh",
    ):
        assert text in values
    assert _find(sheet, MOTTO).font.underline == "single"
    assert _find(sheet, "XÃ ĐỨC AN").font.b
    assert _find(sheet, "Đức An, ngày 05 tháng 01 năm 2026").font.i
    assert _find(sheet, "Nơi nhận:").font.b and _find(sheet, "Nơi nhận:").font.i
    assert _find(sheet, "Nơi nhận:").font.sz == 12
    assert _find(sheet, "- Lưu: VT.").font.sz == 11
    # The short rule under the issuing body: a bottom border under part of its columns.
    issuer = _find(sheet, "XÃ ĐỨC AN")
    ruled = [c for c in sheet[issuer.row + 1] if c.border.bottom.style == "thin"]
    assert 0 < len(ruled) < 3
    assert all(c.font.name == "Times New Roman" for c in (issuer, _find(sheet, "Cộng")))


def test_total_row_sums_by_formula_with_the_given_totals_cached(sheet):
    total = _find(sheet, "Cộng")
    first = _find(sheet, "Thôn 1").row
    cells = sheet[total.row]
    assert cells[2].value == f"=SUM(C{first - 1}:C{total.row - 1})"
    assert cells[3].value == f"=SUM(D{first - 1}:D{total.row - 1})"
    assert cells[4].value == pytest.approx(0.9302)
    assert cells[2].font.b
    above = [sheet.cell(row=r, column=3).value for r in range(first - 1, total.row)]
    assert sum(v for v in above if isinstance(v, int)) == 4651
    workbook, _ = _load(_document(_main_table()), data_only=True)
    cached = workbook.worksheets[0]
    row = _find(cached, "Cộng").row
    assert cached.cell(row=row, column=3).value == 4651
    assert cached.cell(row=row, column=4).value == 4186


def test_number_formats_and_alignment(sheet):
    row = _find(sheet, "Thôn 3").row
    count, rate = sheet.cell(row=row, column=3), sheet.cell(row=row, column=5)
    assert (count.value, count.number_format) == (30, "#,##0")
    assert (rate.value, rate.number_format) == (pytest.approx(0.9), "0.00%")
    assert count.alignment.horizontal == "right"
    assert sheet.cell(row=row, column=1).alignment.horizontal == "center"
    assert all(
        getattr(count.border, side).style == "thin" for side in ("left", "right", "top", "bottom")
    )
    blank_rate = sheet.cell(row=_find(sheet, "Dòng nhấn").row, column=5)
    assert blank_rate.value == "—"
    assert _find(sheet, "Dòng nhấn").font.b


def test_header_spans_are_merged_and_group_rows_span_the_table(sheet):
    merged = {str(r) for r in sheet.merged_cells.ranges}
    stt = _find(sheet, "STT")
    assert f"A{stt.row}:A{stt.row + 1}" in merged
    assert f"C{stt.row}:E{stt.row}" in merged
    group = _find(sheet, "Nhóm đầu")
    assert f"A{group.row}:F{group.row}" in merged
    assert group.font.b
    numbered = sheet.cell(row=stt.row + 2, column=6)
    assert numbered.value == "(6)"


def test_a_narrower_table_spans_the_sheet_columns_in_proportion(sheet):
    merged = {str(r) for r in sheet.merged_cells.ranges}
    row = _find(sheet, "Mức độ 1").row
    # Sheet column edges (the main table's 12, 60, 40, 40, 40, 50 mm) at 0, 5, 30, 46,
    # 63, 79, 100 % of the width; this table's (100, 60, 60 mm) at 45 % and 73 %
    # snap to 46 % and 79 %: columns A–C, D–E and F.
    assert {r for r in merged if r.endswith(f"{row}") and r.startswith(tuple("ABCDEF"))} >= {
        f"A{row}:C{row}",
        f"D{row}:E{row}",
    }
    assert f"F{row}:F{row}" not in merged
    values = [c.value for c in sheet[row] if c.value is not None]
    assert values == ["Mức độ 1", "Đạt", 0]


def test_print_setup_gives_the_same_paper(sheet):
    setup = sheet.page_setup
    assert int(setup.paperSize) == 9  # A4
    assert setup.orientation == "landscape"  # 242 mm of columns: wider than a portrait page
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    margins = sheet.page_margins
    assert (margins.left, margins.right) == pytest.approx((30 / 25.4, 15 / 25.4))
    assert (margins.top, margins.bottom) == pytest.approx((20 / 25.4, 20 / 25.4))
    stt = _find(sheet, "STT").row
    assert sheet.print_title_rows == f"${stt}:${stt + 2}"
    assert sheet.freeze_panes == f"A{stt + 3}"
    assert sheet.HeaderFooter.differentFirst
    assert "&P" in sheet.oddHeader.center.text
    assert not sheet.firstHeader.center.text
    assert not sheet.sheet_view.showGridLines
    widths = [sheet.column_dimensions[c].width for c in "ABCDEF"]
    assert widths[1] > widths[0]
    assert widths[2] == widths[3] == widths[4]


def test_a_portrait_document_prints_portrait():
    table = Table((Column("Chuẩn", 100), Column("Kết quả", 60)), [("Mức độ 1", "Đạt")])
    workbook, _ = _load(_document(table))
    assert workbook.worksheets[0].page_setup.orientation == "portrait"


def test_text_is_cleaned_of_characters_xml_cannot_hold():
    table = Table((Column("Tên", 60),), [("Lò\x00 Thị\x0b Ửng & <b>",)])
    workbook, out = _load(_document(table))
    assert _find(workbook.worksheets[0], "Lò Thị Ửng & <b>")
    with zipfile.ZipFile(out) as archive:
        assert "Lò Thị Ửng &amp; &lt;b&gt;" in archive.read("xl/worksheets/sheet1.xml").decode()


def test_progress_and_cancelling():
    seen = []
    xlsx.render(_document(_main_table(1200)), io.BytesIO(), lambda d, t: seen.append((d, t)))
    assert seen[0] == (500, 1202)
    assert seen[-1] == (1203, 1202)  # the total row comes last

    def stop(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        xlsx.render(_document(_main_table(1200)), io.BytesIO(), stop)


def test_empty_table_shows_its_text():
    table = Table((Column("Tên", 60), Column("Số", 20, "count")), [], empty_text="Không có ai.")
    workbook, _ = _load(_document(table))
    ws = workbook.worksheets[0]
    cell = _find(ws, "Không có ai.")
    assert f"A{cell.row}:B{cell.row}" in {str(r) for r in ws.merged_cells.ranges}


def test_the_sheet_is_what_excel_accepts():
    """Rows ascending, cells in column order within their row, merges disjoint."""
    document = _document(
        Paragraph("Mở đầu."), Heading("I."), _main_table(), _small_table(), Paragraph("Hết./.")
    )
    workbook, out = _load(document)
    with zipfile.ZipFile(out) as archive:
        root = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    rows = root.findall(f".//{{{MAIN}}}row")
    numbers = [int(row.get("r")) for row in rows]
    assert numbers == sorted(set(numbers))
    for row in rows:
        refs = [cell.get("r") for cell in row.findall(f"{{{MAIN}}}c")]
        assert all(re.fullmatch(rf"[A-Z]+{row.get('r')}", ref) for ref in refs)
        columns = [re.match(r"[A-Z]+", ref).group() for ref in refs]
        assert columns == sorted(columns, key=lambda c: (len(c), c))
    covered: set[tuple[int, int]] = set()
    for merged in workbook.worksheets[0].merged_cells.ranges:
        cells = set(merged.cells)
        assert not cells & covered, merged
        covered |= cells
