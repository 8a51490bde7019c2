"""The PDF renderer: paper, page numbers, repeated table headers, wrapping, the signature space."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from xhht_desktop.reports import fonts, pdf
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

HEAD = Letterhead(("ỦY BAN NHÂN DÂN", "XÃ ĐỨC AN"), "Đức An", date(2026, 1, 5), "Số:      /BC-UBND")
CLOSING = Closing(
    (Signer(("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), "Nguyễn Văn Minh"),),
    ("Sở GD&ĐT Lâm Đồng", "Lưu: VT."),
)
A4 = (595.28, 841.89)


def _render(document: Document) -> tuple[pdf.RenderedPdf, list[list[str]], PdfReader]:
    out = io.BytesIO()
    rendered = pdf.render(document, out)
    reader = PdfReader(out)
    pages = [
        [" ".join(line.replace("\u00a0", " ").split()) for line in p.extract_text().splitlines()]
        for p in reader.pages
    ]
    return rendered, [[line for line in page if line] for page in pages], reader


def _long_table(rows: int, width: float = 160) -> Table:
    return Table(
        columns=(
            Column("STT", 15, "center"),
            Column("Họ và tên", width - 55),
            Column("Số người", 20, "count", total=True),
            Column("Tỷ lệ (%)", 20, "percent"),
        ),
        rows=[(i, f"Người thứ {i}", i * 1000, i / 3) for i in range(1, rows + 1)],
        header=(
            (
                HeaderCell("STT", rowspan=2),
                HeaderCell("Họ và tên", rowspan=2),
                HeaderCell("Kết quả", colspan=2),
            ),
            (HeaderCell("Số người"), HeaderCell("Tỷ lệ (%)")),
        ),
        total=("", "Cộng", sum(i * 1000 for i in range(1, rows + 1)), None),
        numbered=True,
    )


def _document(*body, orientation="auto") -> Document:
    return Document(HEAD, "BÁO CÁO", "Kết quả thử nghiệm", tuple(body), CLOSING, orientation)


def test_first_page_carries_the_letterhead_in_order_and_no_number():
    rendered, pages, reader = _render(_document(Paragraph("Nội dung báo cáo.")))
    assert rendered.pages == len(reader.pages) == 1
    assert pages[0][:8] == [
        "ỦY BAN NHÂN DÂN",
        "XÃ ĐỨC AN",
        NATIONAL_TITLE,
        MOTTO,
        "Số: /BC-UBND",
        "Đức An, ngày 05 tháng 01 năm 2026",
        "BÁO CÁO",
        "Kết quả thử nghiệm",
    ]
    # The blank of the number keeps its width (six spaces, unbroken).
    assert re.search(r"Số:\s{6}/BC-UBND", reader.pages[0].extract_text())
    assert reader.metadata.title == "Báo cáo kết quả thử nghiệm"


def _header_block(lines: list[str], after: str) -> list[str]:
    """The lines between ``after`` and the first data row."""
    start = lines.index(after) + 1
    end = next(i for i, line in enumerate(lines) if " Người thứ " in line)
    return lines[start:end]


def test_a_long_table_repeats_its_header_and_pages_are_numbered_from_2():
    rendered, pages, _ = _render(_document(Heading("I. Danh sách"), _long_table(120)))
    assert rendered.pages >= 3
    header = _header_block(pages[0], "I. Danh sách")
    words = " ".join(header).split()
    for word in ("STT", "Họ", "tên", "Kết", "quả", "Số", "người", "Tỷ", "lệ", "(%)", "(4)"):
        assert word in words
    for number, page in enumerate(pages[1:], start=2):
        assert page[0] == str(number)
        if any(" Người thứ " in line for line in page):
            assert _header_block(page, str(number)) == header, number
    lines = [line for page in pages for line in page]
    assert "1 Người thứ 1 1.000 0,33" in lines
    assert "120 Người thứ 120 120.000 40,00" in lines
    assert "Cộng 7.260.000 —" in lines
    # Every row printed once, in order.
    numbers = [int(line.split()[0]) for line in lines if " Người thứ " in line]
    assert numbers == list(range(1, 121))


@pytest.mark.parametrize("paragraphs", range(8, 20))
def test_a_heading_never_stays_alone_at_the_foot_of_a_page(paragraphs):
    # Some of these fillers bring the heading down to the foot of page 1.
    filler = [Paragraph("Đoạn văn ngắn " * 12) for _ in range(paragraphs)]
    _, pages, _ = _render(_document(*filler, Heading("II. Bảng"), _long_table(40)))
    (page,) = [page for page in pages if "II. Bảng" in page]
    header = _header_block(page, "II. Bảng")
    assert header and header[-1] == "(1) (2) (3) (4)"
    assert page[page.index("II. Bảng") + len(header) + 1].startswith("1 Người thứ 1 ")
    assert page[page.index("II. Bảng") + len(header) + 2].startswith("2 Người thứ 2 ")


def test_portrait_for_narrow_tables_landscape_for_wide_ones():
    _, _, narrow = _render(_document(_long_table(3, width=160)))
    box = narrow.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4, abs=0.1)
    _, _, wide = _render(_document(_long_table(3, width=240)))
    box = wide.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4[::-1], abs=0.1)
    _, _, forced = _render(_document(_long_table(3, width=100), orientation="landscape"))
    assert float(forced.pages[0].mediabox.width) > float(forced.pages[0].mediabox.height)


def test_group_rows_bold_rows_and_an_empty_table():
    table = Table(
        (Column("TT", 10, "center"), Column("Tên", 60), Column("Số", 20, "count")),
        [
            GroupRow("Thôn Đồng Tâm (2 người)"),
            (1, "Lò Thị Ửng", 5),
            Row(("", "Cộng", 5), bold=True),
        ],
    )
    empty = Table((Column("TT", 10), Column("Tên", 60)), [], empty_text="Không có ai.")
    _, pages, _ = _render(_document(table, empty))
    lines = pages[0]
    at = lines.index("Thôn Đồng Tâm (2 người)")
    assert lines[at + 1 : at + 3] == ["1 Lò Thị Ửng 5", "Cộng 5"]
    assert "Không có ai." in lines


def test_long_text_wraps_inside_its_column_and_a_long_word_is_cut():
    room = 30 * mm
    lines = pdf._wrap("Nguyễn Thị Ngọc Ánh Đặng Văn Hưởng Lò Thị Ửng", "LiberationSerif", 12, room)
    assert len(lines) > 1
    word = pdf._wrap("HGĐ-0001-0002-0003-0004-0005", fonts.registered().regular, 12, room)
    assert len(word) > 1
    assert "".join(word) == "HGĐ-0001-0002-0003-0004-0005"
    for line in lines + word:
        assert fonts.text_width(line, 12) <= room


def test_the_signature_space_is_on_the_last_page_between_title_and_name():
    rendered, pages, reader = _render(_document(_long_table(60)))
    space = rendered.signature
    assert space is not None
    assert space.page == rendered.pages - 1
    x1, y1, x2, y2 = space.box
    width = float(reader.pages[space.page].mediabox.width)
    assert width / 2 < (x1 + x2) / 2 < width  # the right half
    assert y2 - y1 == pytest.approx(pdf.SIGNATURE_SPACE)
    last = pages[-1]
    assert last.index("CHỦ TỊCH") < last.index("Nguyễn Văn Minh")


def test_two_signers_share_the_bottom_with_no_recipients():
    closing = Closing((Signer(("NGƯỜI LẬP BIỂU",)), Signer(("TRƯỞNG BAN",), "Hà Văn Bốn")))
    document = Document(HEAD, "BIỂU THỐNG KÊ", "Thử", (Paragraph("Kết luận./."),), closing)
    _, pages, _ = _render(document)
    text = " ".join(pages[-1])
    assert "NGƯỜI LẬP BIỂU" in text
    assert "TRƯỞNG BAN" in text
    assert "Hà Văn Bốn" in text
    assert "Nơi nhận" not in text


def test_progress_counts_rows_and_raising_stops_the_rendering():
    seen = []
    out = io.BytesIO()
    pdf.render(_document(_long_table(100)), out, lambda done, total: seen.append((done, total)))
    assert seen[-1] == (101, 100)  # the total row is the 101st
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)

    class Stop(Exception):
        pass

    def stop(done, total):
        raise Stop

    with pytest.raises(Stop):
        pdf.render(_document(_long_table(100)), io.BytesIO(), stop)


def test_rows_are_read_as_pages_need_them():
    read = []

    class Source:
        def __iter__(self):
            for i in range(1, 2001):
                read.append(i)
                yield (i, f"Người thứ {i}", i, None)

    seen_when = []
    table = _long_table(1)
    lazy = Table(table.columns, Source(), header=table.header)
    out = io.BytesIO()
    pdf.render(_document(lazy), out, lambda done, total: seen_when.append((done, len(read))))
    # Never more than about a page of rows read ahead of the layout.
    assert max(count - done for done, count in seen_when) < 60
    assert len(read) == 2000
