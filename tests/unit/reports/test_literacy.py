"""The literacy reports, read back from the PDF text and the Excel cells.

Every figure printed must be the literacy service's figure for the same data:
the hand-counted commune of ``conftest.py`` first (whose figures are also
checked against the hand counts), then a generated demo commune.
"""

from __future__ import annotations

import re

import pytest

from xhht_desktop.core import ethnicity
from xhht_desktop.core.literacy import ALL, LEVEL_1, LEVEL_2, Band
from xhht_desktop.reports.document import MOTTO, NATIONAL_TITLE
from xhht_desktop.services.demo import DemoService

YEAR = 2026
ISSUED_LINE = "Đức An, ngày 23 tháng 11 năm 2026"
TONE_NAMES = ["Nguyễn Thị Ngọc Ánh", "Đặng Văn Hưởng", "Lò Thị Ửng", "H'Nhi Adrơng", "Điểu Ũy"]
SEXES = {ALL: None, "male": "- Nam", "female": "- Nữ"}


def _write(context, kind, path, fmt):
    from datetime import date

    return context.reports.write(kind, path, fmt, YEAR, issued=date(2026, 11, 23))


def _band_cells(fmt, figures_list):
    cells = []
    for f in figures_list:
        cells += [
            fmt.count(f.counted),
            fmt.count(f.level_1),
            fmt.percent(f.percent(LEVEL_1)),
            fmt.count(f.level_2),
            fmt.percent(f.percent(LEVEL_2)),
        ]
    return cells


def _expected_pdf_lines(context, fmt):
    """Every table line of the statistical sheet, as the service's figures say."""
    table = context.literacy.by_village(YEAR)
    report = context.literacy.rates(YEAR)
    lines = []
    for i, line in enumerate(table.lines, start=1):
        lines.append(" ".join([str(i), line.village_name, *_band_cells(fmt, line.figures)]))
    lines.append(" ".join([table.total.village_name, *_band_cells(fmt, table.total.figures)]))
    for number, code in enumerate((None, *report.ethnicities)):
        name = "Tất cả các dân tộc" if code is None else ethnicity.by_code(code).name
        for sex, label in SEXES.items():
            cells = [str(number)] if number and sex == ALL else []
            cells.append(name if label is None else label)
            for band in table.bands:
                one = report.rate(band, LEVEL_1, sex, code)
                two = report.rate(band, LEVEL_2, sex, code)
                cells += [
                    fmt.count(one.counted),
                    fmt.count(one.literate),
                    fmt.percent(one.percent),
                    fmt.count(two.literate),
                    fmt.percent(two.percent),
                ]
            lines.append(" ".join(cells))
    for verdict, article in ((report.standards.level_1, 20), (report.standards.level_2, 21)):
        lines.append(
            " ".join(
                [
                    f"Mức độ {verdict.level} (Điều {article})",
                    verdict.band.label,
                    fmt.count(verdict.counted),
                    fmt.count(verdict.literate),
                    fmt.percent(verdict.percent),
                    str(verdict.threshold_percent),
                    "Đạt" if verdict.met else "Chưa đạt",
                    fmt.count(verdict.needed),
                ]
            )
        )
    return lines


# --- the hand-counted commune --------------------------------------------------------


def test_the_service_agrees_with_the_hand_counts(commune):
    table = commune.literacy.by_village(YEAR)
    assert [line.village_name for line in table.lines] == [
        "Bon Bu Prăng",
        "Thôn Đồng Tâm",
        "Tổ dân phố 3",
    ]
    counts = [[(f.counted, f.level_1, f.level_2) for f in line.figures] for line in table.lines]
    assert counts == [
        [(2, 1, 1), (3, 2, 2), (5, 3, 2)],
        [(2, 2, 2), (3, 3, 2), (5, 4, 2)],
        [(0, 0, 0), (0, 0, 0), (0, 0, 0)],
    ]
    total = [(f.counted, f.level_1, f.level_2, f.exempt) for f in table.total.figures]
    assert total == [(4, 3, 3, 0), (6, 5, 4, 1), (10, 7, 4, 1)]
    standards = commune.literacy.standards(YEAR)
    assert (standards.level_1.percent, standards.level_1.met, standards.level_1.needed) == (
        83.33,
        False,
        1,
    )
    assert (standards.level_2.percent, standards.level_2.needed) == (40.0, 5)


def test_statistical_sheet_pdf_prints_every_figure_of_the_service(
    commune, tmp_path, pdf_pages, fmt
):
    made = _write(commune, "xoa-mu-chu", tmp_path / "bieu.pdf", "pdf")
    pages = pdf_pages(made.path)
    assert made.pages == len(pages)
    lines = [line for page in pages for line in page]
    assert fmt.in_order(_expected_pdf_lines(commune, fmt), lines) == []
    # The hand counts themselves, as printed.
    assert "Toàn xã 4 3 75,00 3 75,00 6 5 83,33 4 66,67 10 7 70,00 4 40,00" in lines
    assert "3 Tổ dân phố 3 0 0 — 0 — 0 0 — 0 — 0 0 — 0 —" in lines
    assert "Mức độ 1 (Điều 20) 15–35 6 5 83,33 90 Chưa đạt 1" in lines
    text = " ".join(lines)
    assert (
        "Kết luận: xã Đức An chưa đạt chuẩn xóa mù chữ mức độ 1 (cần thêm 1 người trong độ "
        "tuổi 15–35 đạt mức độ 1); chưa đạt chuẩn xóa mù chữ mức độ 2 (cần thêm 5 người "
        "trong độ tuổi 15–60 đạt mức độ 2)./."
    ) in text
    assert "không tính 1 người khuyết tật" in text


def test_statistical_sheet_pdf_has_the_official_layout(commune, tmp_path, pdf_pages):
    made = _write(commune, "xoa-mu-chu", tmp_path / "bieu.pdf", "pdf")
    pages = pdf_pages(made.path)
    first = pages[0]
    assert first[:8] == [
        "ỦY BAN NHÂN DÂN",
        "XÃ ĐỨC AN",
        NATIONAL_TITLE,
        MOTTO,
        "Số: /BC-UBND",
        ISSUED_LINE,
        "BIỂU THỐNG KÊ",
        "Kết quả điều tra xóa mù chữ năm 2026",
    ]
    last = pages[-1]
    for line in (
        "NGƯỜI LẬP BIỂU",
        "TM. BAN CHỈ ĐẠO PHỔ CẬP GIÁO DỤC,",
        "XÓA MÙ CHỮ",
        "TRƯỞNG BAN",
        "Nguyễn Văn Minh",
    ):
        assert line in last
    # Pages from 2 on start with their number, page 1 with the issuing body.
    for number, page in enumerate(pages[1:], start=2):
        assert page[0] == str(number)


def test_statistical_sheet_xlsx_holds_every_figure_and_sums_by_formula(
    commune, tmp_path, sheet_rows
):
    made = _write(commune, "xoa-mu-chu", tmp_path / "bieu.xlsx", "xlsx")
    assert made.pages is None
    rows = sheet_rows(made.path)
    cached = sheet_rows(made.path, data_only=True)
    table = commune.literacy.by_village(YEAR)
    first = next(i for i, row in enumerate(rows) if row[:2] == (1, "Bon Bu Prăng"))
    total_at = first + len(table.lines)
    assert rows[total_at][1] == "Toàn xã"
    for offset, line in enumerate(table.lines):
        row = rows[first + offset]
        assert row[:2] == (offset + 1, line.village_name)
        _assert_band_cells(row[2:], line.figures)
    total = rows[total_at]
    columns = "CDEFGHIJKLMNOPQ"
    for band, figures in enumerate(table.total.figures):
        for slot, value in ((0, figures.counted), (1, figures.level_1), (3, figures.level_2)):
            col = band * 5 + slot
            letter = columns[col]
            excel_first, excel_last = first + 1, total_at
            assert total[2 + col] == f"=SUM({letter}{excel_first}:{letter}{excel_last})"
            # The formula evaluates right: the cells above add up to the service's total…
            assert sum(rows[r][2 + col] for r in range(first, total_at)) == value
            # …and the value cached with it is that total.
            assert cached[total_at][2 + col] == value
        for slot, lv in ((2, LEVEL_1), (4, LEVEL_2)):
            assert total[2 + band * 5 + slot] == pytest.approx(figures.percent(lv) / 100)
    verdict_row = next(row for row in rows if row[0] == "Mức độ 2 (Điều 21)")
    values = [v for v in verdict_row if v is not None]
    assert values == ["Mức độ 2 (Điều 21)", "15–60", 10, 4, pytest.approx(0.4), 90, "Chưa đạt", 5]


def _assert_band_cells(cells, figures_list):
    for band, figures in enumerate(figures_list):
        counted, one, one_rate, two, two_rate = cells[band * 5 : band * 5 + 5]
        assert (counted, one, two) == (figures.counted, figures.level_1, figures.level_2)
        for got, lv in ((one_rate, LEVEL_1), (two_rate, LEVEL_2)):
            expected = figures.percent(lv)
            if expected is None:
                assert got == "—"
            else:
                assert got == pytest.approx(expected / 100)


def test_statistical_sheet_xlsx_breakdown_rows_are_the_service_rates(commune, tmp_path, sheet_rows):
    made = _write(commune, "xoa-mu-chu", tmp_path / "bieu.xlsx", "xlsx")
    rows = sheet_rows(made.path)
    report = commune.literacy.rates(YEAR)
    bands = commune.literacy.by_village(YEAR).bands
    start = next(i for i, row in enumerate(rows) if row[1] == "Tất cả các dân tộc")
    position = start
    for number, code in enumerate((None, *report.ethnicities)):
        name = "Tất cả các dân tộc" if code is None else ethnicity.by_code(code).name
        for sex, label in SEXES.items():
            row = rows[position]
            position += 1
            assert row[1] == (name if label is None else label)
            assert row[0] == (number if number and sex == ALL else None)
            for b, band in enumerate(bands):
                one = report.rate(band, LEVEL_1, sex, code)
                two = report.rate(band, LEVEL_2, sex, code)
                cells = row[2 + b * 5 : 7 + b * 5]
                assert cells[0] == one.counted
                assert cells[1] == one.literate
                assert cells[3] == two.literate
                for got, rate in ((cells[2], one), (cells[4], two)):
                    if rate.percent is None:
                        assert got == "—"
                    else:
                        assert got == pytest.approx(rate.percent / 100)
    assert {code for code in report.ethnicities} == {"01", "03", "20"}


def test_vietnamese_text_survives_exactly_in_pdf_and_excel(
    commune, tmp_path, pdf_pages, sheet_rows
):
    for kind in ("chua-biet-chu", "so-theo-doi"):
        pdf = _write(commune, kind, tmp_path / f"{kind}.pdf", "pdf")
        xlsx = _write(commune, kind, tmp_path / f"{kind}.xlsx", "xlsx")
        text = "\n".join(line for page in pdf_pages(pdf.path) for line in page)
        cells = {v for row in sheet_rows(xlsx.path) for v in row if isinstance(v, str)}
        for expected in (NATIONAL_TITLE, MOTTO, "ỦY BAN NHÂN DÂN", "XÃ ĐỨC AN", ISSUED_LINE):
            assert expected in text
            assert expected in cells
        names = TONE_NAMES if kind == "so-theo-doi" else ["Lò Thị Ửng", "Điểu Sơn", "Thị Rớt"]
        for name in names:
            assert re.search(rf"(^|\s){re.escape(name)}(\s|$)", text, re.M), name
            assert name in cells


def test_illiterate_list_by_village_and_the_exempt(commune, tmp_path, pdf_pages, sheet_rows, fmt):
    pdf = _write(commune, "chua-biet-chu", tmp_path / "ds.pdf", "pdf")
    lines = [line for page in pdf_pages(pdf.path) for line in page]
    service = commune.literacy
    illiterate = service.not_literate(YEAR)
    exempt = service.exempt(YEAR)
    # By village, then as registers order names (given name first).
    assert [p.full_name for p in illiterate] == ["Thị Rớt", "Điểu Sơn", "Lò Thị Ửng"]
    assert [p.full_name for p in exempt] == ["Phạm Văn Dũng"]
    expected = [
        "DANH SÁCH",
        "Người chưa biết chữ trong độ tuổi 15–60 năm 2026",
        f"I. Người chưa biết chữ ({service.not_literate_count(YEAR)} người)",
        "Bon Bu Prăng (2 người)",
        "1 Thị Rớt 2002 Nữ Mnông 1 H02 Thường trú",
        "2 Điểu Sơn 1981 Nam Mnông 0 H02 Thường trú",
        "Thôn Đồng Tâm (1 người)",
        "3 Lò Thị Ửng 1986 Nữ Thái 0 H01 Thường trú",
        f"II. Người khuyết tật không có khả năng học tập ({service.exempt_count(YEAR)} người)",
        "Thôn Đồng Tâm (1 người)",
        "1 Phạm Văn Dũng 1993 Nam Kinh 0 H01 Thường trú",
    ]
    assert fmt.in_order(expected, lines) == []
    text = " ".join(lines)
    assert "3 người trong độ tuổi 15–60 chưa biết chữ" in text
    assert "Danh sách có 3 người chưa biết chữ và 1 người khuyết tật" in text
    # Nơi nhận: the receiving office from the settings, and the archive.
    closing = ["Nơi nhận:", "- Sở GD&ĐT Lâm Đồng;", "- Lưu: VT."]
    signer = ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn Minh"]
    assert fmt.in_order(closing, lines) == []
    assert fmt.in_order(signer, lines) == []

    xlsx = _write(commune, "chua-biet-chu", tmp_path / "ds.xlsx", "xlsx")
    rows = [tuple(v for v in row if v is not None) for row in sheet_rows(xlsx.path)]
    assert ("Bon Bu Prăng (2 người)",) in rows
    assert (2, "Điểu Sơn", "1981", "Nam", "Mnông", 0, "H02", "Thường trú") in rows
    assert (1, "Phạm Văn Dũng", "1993", "Nam", "Kinh", 0, "H01", "Thường trú") in rows


def test_register_book_lists_everyone_by_village_household_head_first(
    commune, tmp_path, pdf_pages, sheet_rows, fmt
):
    pdf = _write(commune, "so-theo-doi", tmp_path / "so.pdf", "pdf")
    lines = [line for page in pdf_pages(pdf.path) for line in page]
    expected = [
        "1 Điểu Sơn 1981 Nam Mnông 0 Chưa biết chữ Thường trú H02 Bon Bu Prăng",
        "2 Thị Ỹ 1965 Nữ Mnông 0 Chưa biết chữ Thường trú H02 Bon Bu Prăng",
        "3 Điểu Ũy 1966 Nam Mnông 3 Mức độ 1 Thường trú H02 Bon Bu Prăng",
        "4 Y Đỗ Kpă 1991 Nam Mnông 5 Mức độ 2 Thường trú H02 Bon Bu Prăng",
        "5 Thị Rớt 2002 Nữ Mnông 1 Chưa biết chữ Thường trú H02 Bon Bu Prăng",
        "6 H'Nhi Adrơng 2008 Nữ Mnông 0 2 Mức độ 2 Tạm trú H02 Bon Bu Prăng",
        "7 Nguyễn Văn Hùng 1971 Nam Kinh 4 Mức độ 1 Thường trú H01 Thôn Đồng Tâm",
        "8 Lê Thị Mỹ 1956 Nữ Kinh 0 Chưa biết chữ Thường trú H01 Thôn Đồng Tâm",
        "9 Lò Thị Ửng 1986 Nữ Thái 0 Chưa biết chữ Thường trú H01 Thôn Đồng Tâm",
        "10 Phạm Văn Dũng 1993 Nam Kinh 0 Chưa biết chữ Có Thường trú H01 Thôn Đồng Tâm",
        "11 Đặng Văn Hưởng 1996 Nam Kinh 2 1 Mức độ 1 Thường trú H01 Thôn Đồng Tâm",
        "12 Hà Văn Tỏa 2001 Nam Kinh 0 Chưa biết chữ Chuyển đi H01 Thôn Đồng Tâm",
        "13 Nguyễn Thị Ngọc Ánh 05/09/2006 Nữ Kinh 12 Mức độ 2 Thường trú H01 Thôn Đồng Tâm",
        "14 Trần Thị Bẩy 2010 Nữ Kinh 9 Mức độ 2 Thường trú H01 Thôn Đồng Tâm",
    ]
    assert fmt.in_order(expected, lines) == []
    assert commune.persons.register_count() == 14
    assert "Sổ có 14 nhân khẩu./." in lines

    xlsx = _write(commune, "so-theo-doi", tmp_path / "so.xlsx", "xlsx")
    rows = sheet_rows(xlsx.path)
    first = next(i for i, row in enumerate(rows) if row[0] == 1)
    names = [rows[first + i][1] for i in range(14)]
    assert names == [re.match(r"\d+ (.+?) (\d{4}|\d\d/)", line).group(1) for line in expected]
    assert rows[first + 12][:4] == (13, "Nguyễn Thị Ngọc Ánh", "05/09/2006", "Nữ")


# --- a generated commune ---------------------------------------------------------------


@pytest.fixture
def demo(context):
    DemoService(context).generate(persons=1500, seed=7, year=YEAR)
    return context


def test_demo_commune_every_figure_in_pdf_and_excel(demo, tmp_path, pdf_pages, sheet_rows, fmt):
    pdf = _write(demo, "xoa-mu-chu", tmp_path / "bieu.pdf", "pdf")
    lines = [line for page in pdf_pages(pdf.path) for line in page]
    expected = _expected_pdf_lines(demo, fmt)
    assert len(expected) > 20
    assert fmt.in_order(expected, lines) == []

    xlsx = _write(demo, "xoa-mu-chu", tmp_path / "bieu.xlsx", "xlsx")
    rows = sheet_rows(xlsx.path)
    cached = sheet_rows(xlsx.path, data_only=True)
    table = demo.literacy.by_village(YEAR)
    first = next(i for i, row in enumerate(rows) if row[0] == 1)
    for offset, line in enumerate(table.lines):
        assert rows[first + offset][1] == line.village_name
        _assert_band_cells(rows[first + offset][2:], line.figures)
    total_at = first + len(table.lines)
    for band, figures in enumerate(table.total.figures):
        for slot, value in ((0, figures.counted), (1, figures.level_1), (3, figures.level_2)):
            col = 2 + band * 5 + slot
            assert str(rows[total_at][col]).startswith("=SUM(")
            assert sum(rows[r][col] for r in range(first, total_at)) == value
            assert cached[total_at][col] == value


def test_a_year_without_people_prints_dashes_not_zeros(context, tmp_path, pdf_pages):
    made = _write(context, "xoa-mu-chu", tmp_path / "empty.pdf", "pdf")
    lines = [line for page in pdf_pages(made.path) for line in page]
    assert "Chưa có thôn, tổ dân phố nào." in lines
    assert "Toàn xã 0 0 — 0 — 0 0 — 0 — 0 0 — 0 —" in lines
    assert Band(15, 25).label == "15–25"
