"""A :class:`~xhht_desktop.reports.document.Document` as an Excel workbook.

One sheet holds the whole document as the PDF shows it: the letterhead
(issuing body, number, Quốc hiệu and Tiêu ngữ, place and date), the document
type and summary, paragraphs, tables (totals as ``SUM`` formulas, counts with
a thousands format, rates as percentages), and the Nơi nhận and signature
block. Printing is set up so that Excel gives the same paper: A4, the
orientation of the PDF, the decree's margins, one page wide, the table's
header rows repeated on every page, page numbers in the top margin from page
2. The header of the first table is frozen on screen.

The sheet's columns are those of the table with the most columns; the other
blocks span them (a table with fewer columns merges several sheet columns per
column, in proportion to its own widths).

openpyxl writes the workbook: styles, merges, print set-up, the letterhead,
headings and closing. The tables' data rows — 240,000 cells in a register of
20,000 persons, which openpyxl writes at 15–25 µs a cell — are written here
as SpreadsheetML ``<row>`` elements, using openpyxl's own style indexes, and
spliced into openpyxl's sheet when the file is saved.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import BinaryIO
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics

from xhht_desktop.reports import fonts
from xhht_desktop.reports.document import (
    MARGINS,
    MOTTO,
    NATIONAL_TITLE,
    NO_VALUE,
    RECIPIENTS_LABEL,
    Annex,
    Block,
    Closing,
    Document,
    GroupRow,
    Heading,
    Letterhead,
    Paragraph,
    Progress,
    Row,
    RowItem,
    Signer,
    Table,
    Value,
    frame_width_mm,
)

SHEET = "xl/worksheets/sheet1.xml"
COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.00%"
MM_PER_INCH = 25.4
PT_PER_MM = 72 / MM_PER_INCH
# Excel column width is counted in widths of the digit 0 of the default font
# (Calibri 11: 7 pixels, plus 5 pixels of padding, at 96 pixels an inch).
_DIGIT_PX, _PADDING_PX = 7, 5
CELL_PADDING_PT = 4.0
LINE_FACTOR = 1.25
SIGNATURE_ROWS = 4
SIGNATURE_ROW_PT = 20.0
PROGRESS_EVERY = 500
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ROW_TAG = re.compile(rb'<row r="(\d+)"')


def _column_width(mm: float) -> float:
    pixels = mm / MM_PER_INCH * 96
    return round(max(pixels - _PADDING_PX, _DIGIT_PX) / _DIGIT_PX, 2)


# --- Cell formats -------------------------------------------------------------------


@dataclass(frozen=True)
class _Format:
    """Everything a cell's look depends on; one style index per distinct format."""

    size: float = 12
    bold: bool = False
    italic: bool = False
    underline: bool = False
    horizontal: str = "left"
    wrap: bool = True
    box: bool = False
    rule_below: bool = False
    number: str = "General"


_THIN = Side(style="thin", color="000000")


@cache
def _font(f: _Format) -> Font:
    return Font(
        name=fonts.EXCEL_FONT,
        size=f.size,
        bold=f.bold,
        italic=f.italic,
        underline="single" if f.underline else None,
        color="000000",
    )


@cache
def _alignment(f: _Format) -> Alignment:
    # A one-line text (letterhead, signature) shrinks rather than be cut off
    # where the screen's columns come out narrower than the paper's.
    return Alignment(
        horizontal=f.horizontal, vertical="center", wrap_text=f.wrap, shrink_to_fit=not f.wrap
    )


@cache
def _border(f: _Format) -> Border:
    if f.box:
        return Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
    if f.rule_below:
        return Border(bottom=_THIN)
    return Border()


def _apply(cell: object, f: _Format) -> None:
    cell.font = _font(f)  # type: ignore[attr-defined]
    cell.alignment = _alignment(f)  # type: ignore[attr-defined]
    cell.border = _border(f)  # type: ignore[attr-defined]
    cell.number_format = f.number  # type: ignore[attr-defined]


class _StyleIndex:
    """openpyxl's style index of each format, for cells written as raw XML."""

    def __init__(self, workbook: Workbook) -> None:
        self._scratch = workbook.create_sheet("_styles")
        self._ids: dict[_Format, int] = {}

    def __call__(self, f: _Format) -> int:
        found = self._ids.get(f)
        if found is None:
            cell = self._scratch.cell(row=1, column=len(self._ids) + 1)
            _apply(cell, f)
            found = self._ids[f] = cell.style_id
        return found

    def discard(self, workbook: Workbook) -> None:
        """Drop the scratch sheet; the styles stay registered with the workbook."""
        workbook.remove(self._scratch)


# --- Sheet geometry -----------------------------------------------------------------


class _Grid:
    """The sheet's columns, and where a block of a given share of the width falls."""

    def __init__(self, widths_mm: Sequence[float], total_pt: float) -> None:
        self.widths = list(widths_mm)
        self.total_pt = total_pt
        self.count = len(self.widths)
        total = sum(self.widths)
        self.fractions = [sum(self.widths[:i]) / total for i in range(self.count + 1)]
        self.letters = [get_column_letter(i + 1) for i in range(self.count)]

    def edge(self, fraction: float) -> int:
        """The sheet column edge nearest to ``fraction`` of the width."""
        return min(range(self.count + 1), key=lambda i: abs(self.fractions[i] - fraction))

    def split(self, fraction: float) -> int:
        """An edge near ``fraction`` with at least one column on each side."""
        return min(max(self.edge(fraction), 1), self.count - 1)

    def spans(self, widths: Sequence[float]) -> list[tuple[int, int]]:
        """Sheet columns ``[start, end)`` for each of a table's columns, by its own widths."""
        total = sum(widths)
        count = len(widths)
        edges = [self.edge(sum(widths[:i]) / total) for i in range(count + 1)]
        edges[0], edges[-1] = 0, self.count
        for i in range(1, count + 1):
            edges[i] = max(edges[i], edges[i - 1] + 1)
        for i in range(count - 1, -1, -1):
            edges[i] = min(edges[i], edges[i + 1] - 1)
        return [(edges[i], edges[i + 1]) for i in range(count)]

    def width_pt(self, start: int, end: int) -> float:
        total_mm = sum(self.widths)
        return sum(self.widths[start:end]) / total_mm * self.total_pt


def _lines(text: str, size: float, width_pt: float, bold: bool = False) -> int:
    if not text:
        return 1
    font = fonts.registered().pick(bold=bold)
    room = max(width_pt - CELL_PADDING_PT, 10)
    if "\n" not in text and pdfmetrics.stringWidth(text, font, size) <= room:
        return 1
    return sum(len(simpleSplit(part, font, size, room)) or 1 for part in text.split("\n"))


def _height(lines: int, size: float) -> float:
    return round(lines * size * LINE_FACTOR + 3, 1)


# --- Raw rows -------------------------------------------------------------------------


def _text(value: str) -> str:
    return escape(_ILLEGAL.sub("", value))


@dataclass
class _Chunk:
    """Data rows written as XML, to be spliced into the sheet before saving."""

    first: int
    last: int
    parts: list[str] = field(default_factory=list)


class _TableWriter:
    """Writes one table: header through openpyxl, rows and total as raw XML."""

    def __init__(self, sheet: _Sheet, table: Table, progress: Progress | None) -> None:
        self.sheet = sheet
        self.table = table
        self.progress = progress
        grid = sheet.grid
        self.spans = grid.spans([c.width for c in table.columns])
        self.size = table.font_size
        self.kinds = [c.kind for c in table.columns]
        self.width_pt = [grid.width_pt(a, b) for a, b in self.spans]
        styles = sheet.styles
        self.formats: dict[tuple[str, bool], int] = {}
        # Sorted: the same document gets the same style numbers on every run.
        for kind in sorted({*self.kinds, "text"}):
            for bold in (False, True):
                cell = _Format(
                    size=self.size,
                    bold=bold,
                    horizontal={"count": "right", "percent": "right", "center": "center"}.get(
                        kind, "left"
                    ),
                    wrap=kind in ("text", "center"),
                    box=True,
                    number={"count": COUNT_FORMAT, "percent": PERCENT_FORMAT}.get(kind, "General"),
                )
                self.formats[(kind, bold)] = styles(cell)
        self.group_style = styles(_Format(size=self.size, bold=True, box=True))
        self._widths: dict[tuple[str, int, bool], int] = {}

    # -- header -----------------------------------------------------------------------

    def header(self) -> tuple[int, int]:
        """Write the header rows; return the first and last sheet row of the header."""
        sheet, table = self.sheet, self.table
        first = sheet.row
        placed = table.header_cells()
        rows = table.header_rows
        heights = [_height(1, self.size)] * rows
        header_format = _Format(size=self.size, bold=True, horizontal="center", box=True)
        for cell in sorted(placed, key=lambda c: c.rowspan):
            start = self.spans[cell.col][0]
            end = self.spans[cell.col + cell.colspan - 1][1]
            lines = _lines(cell.text, self.size, sheet.grid.width_pt(start, end), bold=True)
            need = _height(lines, self.size)
            spanned = range(cell.row, cell.row + cell.rowspan)
            short = need - sum(heights[r] for r in spanned)
            if short > 0:
                heights[spanned[-1]] += short
            sheet.box(
                first + cell.row,
                start,
                first + cell.row + cell.rowspan - 1,
                end,
                cell.text,
                header_format,
            )
        for r, height in enumerate(heights):
            sheet.height(first + r, height)
        last = first + rows - 1
        if table.numbered:
            last += 1
            numbered = _Format(size=self.size, horizontal="center", box=True)
            for i, (start, end) in enumerate(self.spans):
                sheet.box(last, start, last, end, f"({i + 1})", numbered)
        sheet.row = last + 1
        return first, last

    # -- rows ---------------------------------------------------------------------------

    def _line_count(self, text: str, col: int, bold: bool) -> int:
        key = (text, col, bold)
        found = self._widths.get(key)
        if found is None:
            found = self._widths[key] = _lines(text, self.size, self.width_pt[col], bold)
        return found

    def _cells(
        self,
        row: int,
        values: Sequence[Value],
        bold: bool,
        out: list[str],
        formulas: dict[int, str] | None = None,
    ) -> int:
        """Append the cells of one row; return the height it needs, in lines.

        Args:
            row: Sheet row.
            values: One per column.
            bold: The row's emphasis.
            out: Where the XML goes.
            formulas: Formulas by column; their value in ``values`` is cached
                with them, so that viewers that do not calculate show it.
        """
        letters = self.sheet.grid.letters
        lines = 1
        for col, value in enumerate(values):
            kind = self.kinds[col]
            start, end = self.spans[col]
            style = self.formats[(kind, bold)]
            ref = f"{letters[start]}{row}"
            if formulas and col in formulas:
                cached = f"<v>{value!r}</v>" if isinstance(value, int | float) else ""
                out.append(f'<c r="{ref}" s="{style}"><f>{formulas[col]}</f>{cached}</c>')
            elif value is None or value == "":
                if kind == "percent" and value is None:
                    out.append(
                        f'<c r="{ref}" s="{style}" t="inlineStr"><is><t>{NO_VALUE}</t></is></c>'
                    )
                else:
                    out.append(f'<c r="{ref}" s="{style}"/>')
            elif isinstance(value, bool):
                raise TypeError("a cell value cannot be a bool")
            elif kind == "percent" and isinstance(value, int | float):
                out.append(f'<c r="{ref}" s="{style}"><v>{round(value / 100, 10)!r}</v></c>')
            elif isinstance(value, int | float):
                out.append(f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>')
            else:
                text = str(value)
                if kind in ("text", "center"):
                    lines = max(lines, self._line_count(text, col, bold))
                out.append(
                    f'<c r="{ref}" s="{style}" t="inlineStr"><is>'
                    f'<t xml:space="preserve">{_text(text)}</t></is></c>'
                )
            for extra in range(start + 1, end):
                out.append(f'<c r="{letters[extra]}{row}" s="{style}"/>')
            if end - start > 1:
                self.sheet.merge(row, start, row, end)
        return lines

    def _group(self, row: int, text: str, out: list[str]) -> int:
        letters = self.sheet.grid.letters
        out.append(
            f'<c r="{letters[0]}{row}" s="{self.group_style}" t="inlineStr"><is>'
            f'<t xml:space="preserve">{_text(text)}</t></is></c>'
        )
        out += [
            f'<c r="{letters[c]}{row}" s="{self.group_style}"/>' for c in range(1, len(letters))
        ]
        self.sheet.merge(row, 0, row, self.sheet.grid.count)
        return _lines(text, self.size, self.sheet.grid.total_pt, bold=True)

    def _row(self, row: int, item: RowItem | None, empty_text: str, out: list[str]) -> None:
        cells: list[str] = []
        if item is None or isinstance(item, GroupRow):
            lines = self._group(row, empty_text if item is None else item.text, cells)
        else:
            bold = isinstance(item, Row) and item.bold
            values = item.cells if isinstance(item, Row) else item
            if len(values) != len(self.kinds):
                raise ValueError(f"a row has {len(values)} cells for {len(self.kinds)} columns")
            lines = self._cells(row, values, bold, cells)
        height = f' ht="{_height(lines, self.size)}" customHeight="1"' if lines > 1 else ""
        out.append(f'<row r="{row}"{height}>')
        out += cells
        out.append("</row>")

    def rows(self) -> None:
        """Write the data rows and the total row as XML."""
        sheet, table = self.sheet, self.table
        first = sheet.row
        chunk = _Chunk(first, first - 1)
        row = first
        total = table.row_count
        for done, item in enumerate(table.rows, start=1):
            self._row(row, item, "", chunk.parts)
            row += 1
            if self.progress is not None and done % PROGRESS_EVERY == 0:
                self.progress(done, total)
        if row == first:
            self._row(row, None, table.empty_text, chunk.parts)
            row += 1
        last_data = row - 1
        if table.total is not None:
            self._total(row, first, last_data, chunk.parts)
            row += 1
        if self.progress is not None:
            self.progress(row - first, total)
        chunk.last = row - 1
        if chunk.last >= chunk.first:
            sheet.chunks.append(chunk)
        sheet.row = row

    def _total(self, row: int, first: int, last: int, out: list[str]) -> None:
        assert self.table.total is not None
        letters = self.sheet.grid.letters
        formulas = {
            col: f"SUM({letters[self.spans[col][0]]}{first}:{letters[self.spans[col][0]]}{last})"
            for col, column in enumerate(self.table.columns)
            if column.total
        }
        out.append(f'<row r="{row}">')
        self._cells(row, self.table.total, True, out, formulas)
        out.append("</row>")


# --- The sheet ------------------------------------------------------------------------


class _Sheet:
    """The one worksheet of the document, filled top to bottom."""

    def __init__(self, document: Document, progress: Progress | None) -> None:
        self.document = document
        self.progress = progress
        self.workbook = Workbook()
        self.ws: Worksheet = self.workbook.active
        self.ws.title = _sheet_title(document.kind)
        self.styles = _StyleIndex(self.workbook)
        self.grid = _grid(document)
        self.row = 1
        self.chunks: list[_Chunk] = []
        self.merges: list[str] = []
        self.headers: list[tuple[Table, int, int]] = []
        self.body_tables: int | None = None
        """Tables before the first annex, once an annex is written."""

    # -- primitives ----------------------------------------------------------------------

    def height(self, row: int, points: float) -> None:
        self.ws.row_dimensions[row].height = points

    def merge(self, row: int, start: int, last_row: int, end: int) -> None:
        """Merge sheet columns ``[start, end)`` of rows ``row``…``last_row``."""
        self.merges.append(
            f"{self.grid.letters[start]}{row}:{self.grid.letters[end - 1]}{last_row}"
        )

    def box(self, row: int, start: int, last_row: int, end: int, value: Value, f: _Format) -> None:
        """A value in a (merged) range; every cell of the range takes the format."""
        for r in range(row, last_row + 1):
            for c in range(start, end):
                cell = self.ws.cell(row=r, column=c + 1)
                _apply(cell, f)
        self.ws.cell(row=row, column=start + 1).value = value
        if last_row > row or end - start > 1:
            self.merge(row, start, last_row, end)

    def line(self, text: str, f: _Format, start: int = 0, end: int | None = None) -> None:
        """A line of text across columns ``[start, end)`` of the current row."""
        end = self.grid.count if end is None else end
        self.box(self.row, start, self.row, end, text, f)

    # -- blocks ---------------------------------------------------------------------------

    def letterhead(self, head: Letterhead) -> None:
        split = self.grid.split(0.42 if not self.document.landscape else 0.38)
        count = self.grid.count
        left = [
            *((head.parent, False),) * bool(head.parent),
            *((line, True) for line in head.issuer),
        ]
        right = [(NATIONAL_TITLE, 13), (MOTTO, 14)]
        rows = max(len(left), len(right))
        for i in range(rows):
            if i < len(left):
                text, bold = left[i]
                self.line(
                    text, _Format(size=13, bold=bold, horizontal="center", wrap=False), 0, split
                )
            if i < len(right):
                text, size = right[i]
                # The motto is underlined: a rule as long as the line (Phụ lục I, II.1).
                underline = text == MOTTO
                self.line(
                    text,
                    _Format(
                        size=size, bold=True, underline=underline, horizontal="center", wrap=False
                    ),
                    split,
                    count,
                )
            self.height(self.row, 18)
            self.row += 1
        # The short rule under the issuing body: a bottom border on the
        # middle of its columns (a third to a half of the name's width).
        rule_start, rule_end = self._middle(0, split, 0.4)
        for c in range(rule_start, rule_end):
            _apply(self.ws.cell(row=self.row, column=c + 1), _Format(rule_below=True))
        self.height(self.row, 6)
        self.row += 1
        if head.number:
            self.line(head.number, _Format(size=13, horizontal="center", wrap=False), 0, split)
        self.line(
            head.date_line,
            _Format(size=14, italic=True, horizontal="center", wrap=False),
            split,
            count,
        )
        self.height(self.row, 20)
        self.row += 2

    def _middle(self, start: int, end: int, share: float) -> tuple[int, int]:
        widths = self.grid.widths
        total = sum(widths[start:end])
        centre = sum(widths[:start]) + total / 2
        best = (start, start + 1)
        best_cost = math.inf
        for a in range(start, end):
            for b in range(a + 1, end + 1):
                width = sum(widths[a:b])
                mid = sum(widths[:a]) + width / 2
                cost = abs(width - share * total) + 2 * abs(mid - centre)
                if cost < best_cost:
                    best, best_cost = (a, b), cost
        return best

    def title(self) -> None:
        document = self.document
        self.line(document.kind, _Format(size=14, bold=True, horizontal="center", wrap=False))
        self.height(self.row, 20)
        self.row += 1
        lines = _lines(document.summary, 14, self.grid.total_pt, bold=True)
        self.line(document.summary, _Format(size=14, bold=True, horizontal="center"))
        self.height(self.row, _height(lines, 14))
        self.row += 2

    def paragraph(self, block: Paragraph) -> None:
        text = block.full_text
        lines = _lines(text, 14, self.grid.total_pt, bold=block.bold or bool(block.lead))
        self.line(
            text,
            _Format(size=14, bold=block.bold, italic=block.italic, horizontal=block.align),
        )
        if block.lead:
            # The lead ("Điều 1.") bold, the rest as the paragraph says.
            rest = InlineFont(rFont=fonts.EXCEL_FONT, sz=14, b=block.bold, i=block.italic)
            lead = InlineFont(rFont=fonts.EXCEL_FONT, sz=14, b=True, i=block.italic)
            self.ws.cell(row=self.row, column=1).value = CellRichText(
                TextBlock(lead, block.lead), TextBlock(rest, f" {block.text}")
            )
        self.height(self.row, _height(lines, 14))
        self.row += 1

    def blocks(self, blocks: Sequence[Block]) -> None:
        for block in blocks:
            if isinstance(block, Paragraph):
                self.paragraph(block)
            elif isinstance(block, Heading):
                self.heading(block)
            else:
                self.table(block)

    def annex(self, annex: Annex) -> None:
        """An annex on a new printed page: title, reference, body."""
        if self.body_tables is None:
            self.body_tables = len(self.headers)
        self.ws.row_breaks.append(Break(id=self.row - 1))
        for text, f in (
            (annex.kind, _Format(size=14, bold=True, horizontal="center", wrap=False)),
            (annex.summary, _Format(size=14, bold=True, horizontal="center")),
            (annex.reference, _Format(size=14, italic=True, horizontal="center")),
        ):
            self.line(text, f)
            lines = _lines(text, 14, self.grid.total_pt, bold=f.bold)
            self.height(self.row, _height(lines, 14))
            self.row += 1
        self.row += 1
        self.blocks(annex.body)

    def heading(self, block: Heading) -> None:
        self.line(block.text, _Format(size=14, bold=True))
        self.height(self.row, _height(_lines(block.text, 14, self.grid.total_pt, True), 14))
        self.row += 1

    def table(self, block: Table) -> None:
        writer = _TableWriter(self, block, self.progress)
        first, last = writer.header()
        self.headers.append((block, first, last))
        writer.rows()
        self.row += 1

    def closing(self, closing: Closing) -> None:
        self.row += 1
        count = self.grid.count
        split = self.grid.split(0.45 if len(closing.signers) == 1 else 0.5)
        left = (
            self._signer_lines(closing.signers[0])
            if len(closing.signers) == 2
            else self._recipient_lines(closing)
        )
        right = self._signer_lines(closing.signers[-1])
        for i in range(max(len(left), len(right))):
            height = 18.0
            if i < len(left):
                text, f, h = left[i]
                if text:
                    self.line(text, f, 0, split)
                height = max(height, h)
            if i < len(right):
                text, f, h = right[i]
                if text:
                    self.line(text, f, split, count)
                height = max(height, h)
            self.height(self.row, height)
            self.row += 1

    def _signer_lines(self, signer: Signer) -> list[tuple[str, _Format, float]]:
        f = _Format(size=14, bold=True, horizontal="center", wrap=False)
        return [
            *((line, f, 20.0) for line in signer.lines),
            *(("", f, SIGNATURE_ROW_PT) for _ in range(SIGNATURE_ROWS)),
            (signer.name, f, 20.0),
        ]

    def _recipient_lines(self, closing: Closing) -> list[tuple[str, _Format, float]]:
        label = _Format(size=12, bold=True, italic=True, wrap=False)
        item = _Format(size=11, wrap=False)
        return [
            (RECIPIENTS_LABEL, label, 18.0),
            *((line, item, 15.0) for line in closing.recipient_lines()),
        ]

    # -- page set-up and file ----------------------------------------------------------

    def page_setup(self) -> None:
        ws = self.ws
        ws.sheet_view.showGridLines = False
        for i, width in enumerate(self.grid.widths):
            scale = frame_width_mm(self.document.landscape) / sum(self.grid.widths)
            ws.column_dimensions[self.grid.letters[i]].width = _column_width(width * scale)
        setup = ws.page_setup
        setup.paperSize = ws.PAPERSIZE_A4
        setup.orientation = "landscape" if self.document.landscape else "portrait"
        setup.fitToWidth = 1
        setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        margins = ws.page_margins
        margins.left = MARGINS.left / MM_PER_INCH
        margins.right = MARGINS.right / MM_PER_INCH
        margins.top = MARGINS.top / MM_PER_INCH
        margins.bottom = MARGINS.bottom / MM_PER_INCH
        margins.header = 10 / MM_PER_INCH
        margins.footer = 10 / MM_PER_INCH
        # Page numbers centred in the top margin, none on page 1 (Phụ lục I, II.10).
        ws.HeaderFooter.differentFirst = True
        ws.oddHeader.center.text = "&P"
        ws.oddHeader.center.font = f"{fonts.EXCEL_FONT},Regular"
        ws.oddHeader.center.size = 13
        if self.headers:
            # The longest table's header repeats on every printed page.
            _, first, last = max(
                self.headers,
                key=lambda h: math.inf if h[0].row_count is None else h[0].row_count,
            )
            ws.print_title_rows = f"{first}:{last}"
            # Frozen rows stay on screen: the document's first table, never
            # one of an annex below the whole document.
            if self.body_tables != 0:
                _, _, first_last = self.headers[0]
                ws.freeze_panes = f"A{first_last + 1}"
        for ref in self.merges:
            ws.merged_cells.add(CellRange(ref))
        self.workbook.properties.title = self.document.title
        self.workbook.properties.creator = "XHHT Desktop"
        self.workbook.properties.subject = self.document.summary

    def save(self, out: BinaryIO) -> None:
        self.styles.discard(self.workbook)
        skeleton = io.BytesIO()
        self.workbook.save(skeleton)
        skeleton.seek(0)
        with (
            zipfile.ZipFile(skeleton) as source,
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as target,
        ):
            for info in source.infolist():
                data = source.read(info.filename)
                if info.filename == SHEET:
                    with target.open(_member(info), "w", force_zip64=True) as stream:
                        _splice(data, self.chunks, stream)
                else:
                    target.writestr(_member(info), data)


def _member(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    member = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    member.compress_type = zipfile.ZIP_DEFLATED
    return member


def _splice(sheet: bytes, chunks: list[_Chunk], out: BinaryIO) -> None:
    """Insert each chunk's rows before the first of openpyxl's rows that follows it."""
    sheet = re.sub(rb"<dimension ref=\"[^\"]*\"/>", b"", sheet, count=1)
    end = sheet.index(b"</sheetData>")
    rows = [(int(m.group(1)), m.start()) for m in _ROW_TAG.finditer(sheet, 0, end)]
    # The letterhead is always there, so openpyxl's sheetData is never empty.
    position = sheet.index(b"<sheetData>") + len(b"<sheetData>")
    written = 0
    for chunk in chunks:
        at = next((start for number, start in rows if number > chunk.last), end)
        at = max(at, position)
        out.write(sheet[written:at])
        written = at
        out.write("".join(chunk.parts).encode("utf-8"))
    out.write(sheet[written:])


def _sheet_title(kind: str) -> str:
    title = re.sub(r"[\[\]:*?/\\]", "", kind.capitalize())
    return title[:31] or "Báo cáo"


def _grid(document: Document) -> _Grid:
    width = frame_width_mm(document.landscape)
    tables = document.tables
    if not tables:
        return _Grid([width / 8] * 8, width * PT_PER_MM)
    widest = max(tables, key=lambda t: len(t.columns))
    return _Grid([column.width for column in widest.columns], width * PT_PER_MM)


def render(document: Document, out: BinaryIO, progress: Progress | None = None) -> None:
    """Write ``document`` as an Excel workbook (.xlsx) into ``out``.

    Args:
        document: What to render.
        out: A binary file open for writing, seekable (it is not closed).
        progress: Told how many table rows are written; may raise to stop.
    """
    sheet = _Sheet(document, progress)
    sheet.letterhead(document.letterhead)
    sheet.title()
    sheet.blocks(document.body)
    sheet.closing(document.closing)
    for annex in document.annexes:
        sheet.annex(annex)
    sheet.page_setup()
    sheet.save(out)
