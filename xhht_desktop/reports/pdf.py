"""A :class:`~xhht_desktop.reports.document.Document` as PDF, with reportlab platypus.

Layout of Nghị định 30/2020/NĐ-CP (Phụ lục I): A4, margins 20/20/30/15 mm,
Times New Roman (or Liberation Serif, see ``reports.fonts``) embedded;
issuing body and number top left, Quốc hiệu and Tiêu ngữ top right with the
place and date under them; document type and summary centred; body 14 pt
justified; tables with their header rows on every page; Nơi nhận bottom
left, authority, title, signature space and name bottom right; page numbers
centred in the top margin from page 2.

Long tables are laid out a page at a time (:class:`_PagedTable`): rows are
read from their source only as pages need them, and each page's share of
the table (:class:`_PagePart`) draws its grid and text as one block of PDF
operators. A single reportlab ``Table`` of 20,000 rows re-splits the rest of
itself on every page and draws cell by cell: about 25 seconds, where this
takes two or three.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.rl_accel import escapePDF
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
)
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable
from reportlab.platypus import TableStyle as RLTableStyle

from xhht_desktop.reports import fonts
from xhht_desktop.reports.document import (
    MARGINS,
    MOTTO,
    NATIONAL_TITLE,
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
    format_value,
)

# Sizes in points (Nghị định 30/2020, Phụ lục I, mục IV).
ISSUER_SIZE = 13
NATIONAL_TITLE_SIZE = 13
MOTTO_SIZE = 14
DATE_SIZE = 14
KIND_SIZE = 14
BODY_SIZE = 14
RECIPIENTS_LABEL_SIZE = 12
RECIPIENTS_SIZE = 11
SIGNER_SIZE = 14
PAGE_NUMBER_SIZE = 13
SIGNATURE_SPACE = 28 * mm
RULE = 0.6
GRID = 0.5
CELL_PADDING_H = 2.5
CELL_PADDING_TOP = 1.5
CELL_PADDING_BOTTOM = 3.0

_ALIGNS = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}


@dataclass(frozen=True)
class _Styles:
    fonts: fonts.FontNames

    def para(
        self,
        size: float,
        bold: bool = False,
        italic: bool = False,
        align: str = "center",
        leading: float = 1.2,
        **extra: Any,
    ) -> ParagraphStyle:
        return ParagraphStyle(
            name=f"s{size}{bold}{italic}{align}",
            fontName=self.fonts.pick(bold, italic),
            fontSize=size,
            leading=size * leading,
            alignment=_ALIGNS[align],
            textColor=colors.black,
            **extra,
        )


_SPACES = re.compile(r" {2,}")


def _p(text: str, style: ParagraphStyle, lead: str = "") -> RLParagraph:
    # Runs of spaces are meant (the blank of "Số:      /BC-UBND"): keep them.
    kept = _SPACES.sub(lambda m: "\u00a0" * len(m.group()), escape(text))
    if lead:
        kept = f"<b>{escape(lead)}</b> {kept}"
    return RLParagraph(kept, style)


def _rule(text_width: float, share: float) -> HRFlowable:
    """A centred rule under a line of text, ``share`` of the text's width."""
    return HRFlowable(
        width=max(text_width * share, 20 * mm),
        thickness=RULE,
        color=colors.black,
        hAlign="CENTER",
        spaceBefore=2,
        spaceAfter=0,
    )


# --- Letterhead, title, closing ---------------------------------------------------


def _letterhead(head: Letterhead, styles: _Styles, width: float) -> RLTable:
    left_w = width * (0.42 if width < 200 * mm else 0.38)
    right_w = width - left_w
    issuer_style = styles.para(ISSUER_SIZE, bold=True)
    left: list[Flowable] = []
    if head.parent:
        left.append(_p(head.parent, styles.para(ISSUER_SIZE)))
    left += [_p(line, issuer_style) for line in head.issuer]
    widest = max(fonts.text_width(line, ISSUER_SIZE, bold=True) for line in head.issuer)
    # A short rule, a third to a half of the name's line (Phụ lục I, II.3).
    left.append(_rule(min(widest, left_w), 0.4))
    national_size = NATIONAL_TITLE_SIZE
    if fonts.text_width(NATIONAL_TITLE, national_size, bold=True) > right_w - 4:
        national_size = 12
    right: list[Flowable] = [
        _p(NATIONAL_TITLE, styles.para(national_size, bold=True)),
        _p(MOTTO, styles.para(MOTTO_SIZE, bold=True)),
        # Under the motto, a rule as long as the motto itself (Phụ lục I, II.1).
        _rule(fonts.text_width(MOTTO, MOTTO_SIZE, bold=True), 1.0),
    ]
    number = _p(head.number, styles.para(ISSUER_SIZE)) if head.number else ""
    date_line = _p(head.date_line, styles.para(DATE_SIZE, italic=True))
    table = RLTable([[left, right], [number, date_line]], colWidths=[left_w, right_w])
    table.setStyle(
        RLTableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                # Table sets each cell's font, flowable or not: ours, never Helvetica.
                ("FONTNAME", (0, 0), (-1, -1), styles.fonts.regular),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 1), (-1, 1), 6),
            ]
        )
    )
    return table


def _title(document: Document, styles: _Styles, width: float) -> list[Flowable]:
    kind = styles.para(KIND_SIZE, bold=True, spaceBefore=18)
    summary_style = styles.para(KIND_SIZE, bold=True)
    lines = simpleSplit(document.summary, styles.fonts.bold, KIND_SIZE, width * 0.8)
    widest = max((fonts.text_width(line, KIND_SIZE, bold=True) for line in lines), default=0)
    return [
        _p(document.kind, kind),
        _p(document.summary, summary_style),
        # Under the summary, a rule a third to a half of its line (Phụ lục I, II.5.b).
        _rule(widest, 0.4),
        Spacer(1, 8),
    ]


@dataclass(frozen=True)
class SignatureSpace:
    """Where the signer signs: a page (from 0) and a box in PDF points, from the bottom left."""

    page: int
    box: tuple[float, float, float, float]


@dataclass(frozen=True)
class RenderedPdf:
    """What :func:`render` reports: the number of pages and the signature space."""

    pages: int
    signature: SignatureSpace | None


class _SignatureSpace(Flowable):
    """The blank between title and name; notes where it lands, for a signature stamp."""

    WIDTH = 75 * mm

    def __init__(self, found: list[SignatureSpace]) -> None:
        super().__init__()
        self.found = found
        self.height = SIGNATURE_SPACE

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        return availWidth, self.height

    def draw(self) -> None:
        left, bottom = self.canv.absolutePosition(0, 0)
        width = min(self.width, self.WIDTH)
        left += (self.width - width) / 2
        self.found.append(
            SignatureSpace(
                self.canv.getPageNumber() - 1,
                (left, bottom, left + width, bottom + self.height),
            )
        )


def _signer(
    signer: Signer, styles: _Styles, found: list[SignatureSpace] | None = None
) -> list[Flowable]:
    style = styles.para(SIGNER_SIZE, bold=True)
    space = _SignatureSpace(found) if found is not None else Spacer(1, SIGNATURE_SPACE)
    return [
        *(_p(line, style) for line in signer.lines),
        space,
        _p(signer.name, style),
    ]


def _recipients(closing: Closing, styles: _Styles) -> list[Flowable]:
    label = styles.para(RECIPIENTS_LABEL_SIZE, bold=True, italic=True, align="left")
    item = styles.para(RECIPIENTS_SIZE, align="left", leading=1.15)
    return [
        _p(RECIPIENTS_LABEL, label),
        *(_p(line, item) for line in closing.recipient_lines()),
    ]


def _closing(
    closing: Closing, styles: _Styles, width: float, found: list[SignatureSpace]
) -> RLTable:
    if len(closing.signers) == 2:
        left = _signer(closing.signers[0], styles)
    else:
        left = _recipients(closing, styles)
    # The digital signature stamps the space of the signer bottom right.
    right = _signer(closing.signers[-1], styles, found)
    left_w = width * (0.45 if len(closing.signers) == 1 else 0.5)
    table = RLTable([[left, right]], colWidths=[left_w, width - left_w])
    table.setStyle(
        RLTableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                # Table sets each cell's font, flowable or not: ours, never Helvetica.
                ("FONTNAME", (0, 0), (-1, -1), styles.fonts.regular),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (0, 0), 4),
            ]
        )
    )
    return table


# --- Tables -------------------------------------------------------------------------
#
# Table cells are drawn directly as PDF operators, a page's cells in one block.
# Drawing each cell through reportlab's Table and text objects costs about
# 50 µs (subset lookup, float formatting, escaping): twelve seconds for a
# register of 20,000 persons, where this takes under one.

_DATA, _BOLD, _GROUP = 0, 1, 2


def _wrap(text: str, font: str, size: float, room: float) -> list[str]:
    """Lines of ``text`` no wider than ``room``; a word longer than that is cut."""
    lines: list[str] = []
    for line in simpleSplit(text, font, size, room):
        while pdfmetrics.stringWidth(line, font, size) > room and len(line) > 1:
            cut = len(line) - 1
            while cut > 1 and pdfmetrics.stringWidth(line[:cut], font, size) > room:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    return lines


@dataclass
class _Line:
    """A table row ready to draw: its cells' texts (wrapped) and its height."""

    cells: list[str]
    height: float
    kind: int


@dataclass(frozen=True)
class _HeaderBox:
    """A header cell placed in points, relative to the top left of the header."""

    left: float
    right: float
    top: float
    bottom: float
    lines: tuple[str, ...]
    bold: bool


class _Glyphs:
    """Text as PDF operators, kept per string and font for one document.

    A register repeats most of its strings ("Nam", "Kinh", "Thường trú"), so
    each string's widths and its split into font subsets are worked out once.
    """

    def __init__(self, size: float) -> None:
        self.size = size
        self._runs: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self._widths: dict[tuple[str, str], float] = {}

    def width(self, text: str, font: str) -> float:
        key = (text, font)
        found = self._widths.get(key)
        if found is None:
            found = self._widths[key] = pdfmetrics.stringWidth(text, font, self.size)
        return found

    def runs(self, text: str, font: str, canvas: Canvas) -> list[tuple[str, str]]:
        """(font resource, escaped bytes) per font subset the text falls in."""
        key = (text, font)
        found = self._runs.get(key)
        if found is None:
            face = pdfmetrics.getFont(font)
            doc = canvas._doc
            found = [
                (face.getSubsetInternalName(subset, doc), escapePDF(chunk))
                for subset, chunk in face.splitString(text, doc)
            ]
            self._runs[key] = found
        return found


class _Layout:
    """What every page of one table shares: widths, fonts, the header."""

    def __init__(self, table: Table, styles: _Styles, width: float) -> None:
        scale = width / (table.natural_width * mm)
        self.widths = [column.width * mm * scale for column in table.columns]
        self.width = sum(self.widths)
        self.edges = [sum(self.widths[:i]) for i in range(len(self.widths) + 1)]
        self.kinds = [column.kind for column in table.columns]
        self.aligns = [column.align for column in table.columns]
        self.columns = len(table.columns)
        self.size = table.font_size
        self.leading = table.font_size * 1.2
        self.pad = CELL_PADDING_TOP + CELL_PADDING_BOTTOM
        self.regular = styles.fonts.regular
        self.bold = styles.fonts.bold
        self.room = [w - 2 * CELL_PADDING_H for w in self.widths]
        self.glyphs = _Glyphs(self.size)
        self.header, self.header_height = self._header(table)

    def _header(self, table: Table) -> tuple[list[_HeaderBox], float]:
        placed = table.header_cells()
        rows = table.header_rows
        texts = {
            (cell.row, cell.col): _wrap(
                cell.text,
                self.bold,
                self.size,
                self.edges[cell.col + cell.colspan] - self.edges[cell.col] - 2 * CELL_PADDING_H,
            )
            or [""]
            for cell in placed
        }
        heights = [self.leading + self.pad] * rows
        for cell in sorted(placed, key=lambda c: c.rowspan):
            need = len(texts[(cell.row, cell.col)]) * self.leading + self.pad
            spanned = range(cell.row, cell.row + cell.rowspan)
            short = need - sum(heights[r] for r in spanned)
            if short > 0:
                heights[spanned[-1]] += short
        tops = [sum(heights[:r]) for r in range(rows + 1)]
        boxes = [
            _HeaderBox(
                self.edges[cell.col],
                self.edges[cell.col + cell.colspan],
                tops[cell.row],
                tops[cell.row + cell.rowspan],
                tuple(texts[(cell.row, cell.col)]),
                bold=True,
            )
            for cell in placed
        ]
        total = tops[-1]
        if table.numbered:
            height = self.leading + self.pad
            boxes += [
                _HeaderBox(
                    self.edges[i], self.edges[i + 1], total, total + height, (f"({i + 1})",), False
                )
                for i in range(self.columns)
            ]
            total += height
        return boxes, total

    # -- rows --------------------------------------------------------------------

    def _fit(self, text: str, col: int, font: str) -> str:
        if "\n" not in text and self.glyphs.width(text, font) <= self.room[col]:
            return text
        return "\n".join(_wrap(text, font, self.size, self.room[col])) or text

    def line(self, item: RowItem | None, empty_text: str = "") -> _Line:
        """Prepare one row: its cells as text (wrapped) and its height."""
        if item is None or isinstance(item, GroupRow):
            text = empty_text if item is None else item.text
            room = self.width - 2 * CELL_PADDING_H
            wrapped = "\n".join(_wrap(text, self.bold, self.size, room))
            height = (wrapped.count("\n") + 1) * self.leading + self.pad
            return _Line([wrapped, *[""] * (self.columns - 1)], height, _GROUP)
        values: Sequence[Value]
        kind = _DATA
        if isinstance(item, Row):
            values, kind = item.cells, _BOLD if item.bold else _DATA
        else:
            values = item
        if len(values) != self.columns:
            raise ValueError(f"a row has {len(values)} cells for {self.columns} columns")
        font = self.bold if kind == _BOLD else self.regular
        cells = [self._fit(format_value(v, self.kinds[c]), c, font) for c, v in enumerate(values)]
        lines = max(cell.count("\n") for cell in cells) + 1
        return _Line(cells, lines * self.leading + self.pad, kind)

    def page_table(self, lines: Sequence[_Line]) -> _PagePart:
        return _PagePart(self, list(lines))


class _Operators:
    """PDF operators of one page part: grid lines and text, written in one block."""

    def __init__(self, layout: _Layout, canvas: Canvas) -> None:
        self.layout = layout
        self.canvas = canvas
        self.lines: list[str] = ["q", "0 G", f"{GRID:.2f} w"]
        self.texts: list[str] = ["BT", "0 g"]
        self.resource = ""

    def segment(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.lines.append(f"{x0:.2f} {y0:.2f} m {x1:.2f} {y1:.2f} l")

    def text(
        self,
        texts: Sequence[str],
        font: str,
        align: str,
        left: float,
        right: float,
        bottom: float,
        height: float,
    ) -> None:
        """Lines of text in the box, centred vertically, aligned as the column says."""
        layout, glyphs = self.layout, self.layout.glyphs
        size, leading = layout.size, layout.leading
        # As reportlab's Table centres text (VALIGN MIDDLE).
        baseline = (
            bottom
            + (CELL_PADDING_BOTTOM + height - CELL_PADDING_TOP + len(texts) * leading) / 2
            - size
        )
        code = self.texts
        for text in texts:
            if text:
                if align == "left":
                    x = left + CELL_PADDING_H
                elif align == "right":
                    x = right - CELL_PADDING_H - glyphs.width(text, font)
                else:
                    x = (left + right - glyphs.width(text, font)) / 2
                code.append(f"1 0 0 1 {x:.2f} {baseline:.2f} Tm")
                for resource, chunk in glyphs.runs(text, font, self.canvas):
                    if resource != self.resource:
                        code.append(f"{resource} {size:g} Tf")
                        self.resource = resource
                    code.append(f"({chunk}) Tj")
            baseline -= leading

    def flush(self) -> None:
        self.lines.append("S")
        self.texts += ["ET", "Q"]
        self.canvas.addLiteral("\n".join(self.lines + self.texts))


class _PagePart(Flowable):
    """One page's share of a table: its header rows, then its rows."""

    def __init__(self, layout: _Layout, lines: list[_Line]) -> None:
        super().__init__()
        self.layout = layout
        self.lines = lines
        self.body_height = sum(line.height for line in lines)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.layout.width, self.layout.header_height + self.body_height

    def draw(self) -> None:
        layout = self.layout
        ops = _Operators(layout, self.canv)
        top = self.body_height + layout.header_height
        for box in layout.header:
            y0, y1 = top - box.bottom, top - box.top
            for segment in (
                (box.left, y1, box.right, y1),
                (box.left, y0, box.right, y0),
                (box.left, y0, box.left, y1),
                (box.right, y0, box.right, y1),
            ):
                ops.segment(*segment)
            font = layout.bold if box.bold else layout.regular
            ops.text(box.lines, font, "center", box.left, box.right, y0, y1 - y0)
        edges, right = layout.edges, layout.edges[-1]
        # A line under every row; columns run through data rows and stop at
        # group rows, which span the table.
        y = column_from = self.body_height
        for line in self.lines:
            bottom = y - line.height
            ops.segment(0, bottom, right, bottom)
            if line.kind == _GROUP:
                ops.text(line.cells[:1], layout.bold, "left", 0, right, bottom, line.height)
                for x in edges[1:-1]:
                    ops.segment(x, column_from, x, y)
                column_from = bottom
            else:
                font = layout.regular if line.kind == _DATA else layout.bold
                for col, cell in enumerate(line.cells):
                    if cell:
                        ops.text(
                            cell.split("\n"),
                            font,
                            layout.aligns[col],
                            edges[col],
                            edges[col + 1],
                            bottom,
                            line.height,
                        )
            y = bottom
        for x in edges[1:-1]:
            ops.segment(x, column_from, x, y)
        ops.segment(0, self.body_height, 0, y)
        ops.segment(right, self.body_height, right, y)
        ops.flush()


class _Rows:
    """The rows of one table, read from their source only as pages need them.

    Pages refer to rows by absolute index; rows before the last page cut are
    dropped, so a table of any length holds about a page of rows in memory.
    """

    def __init__(self, table: Table, layout: _Layout, progress: Progress | None) -> None:
        self.layout = layout
        self.source = self._items(table)
        self.lines: list[_Line] = []
        self.base = 0
        self.exhausted = False
        self.total = table.row_count
        self.progress = progress

    def _items(self, table: Table) -> Iterator[_Line]:
        empty = True
        for item in table.rows:
            empty = False
            yield self.layout.line(item)
        if empty:
            yield self.layout.line(None, table.empty_text)
        if table.total is not None:
            yield self.layout.line(Row(table.total, bold=True))

    def get(self, index: int) -> _Line | None:
        """Row ``index`` (absolute), reading the source as far as needed; ``None`` past the end."""
        while index - self.base >= len(self.lines):
            if self.exhausted:
                return None
            line = next(self.source, None)
            if line is None:
                self.exhausted = True
                return None
            self.lines.append(line)
        return self.lines[index - self.base]

    def slice(self, start: int, end: int) -> list[_Line]:
        return self.lines[start - self.base : end - self.base]

    def cut(self, index: int) -> None:
        """Rows before ``index`` are on finished pages: forget them."""
        if index > self.base:
            del self.lines[: index - self.base]
            self.base = index
        if self.progress is not None:
            self.progress(index, self.total)


class _PagedTable(Flowable):
    """Rows ``start``… of a table, laid out a page at a time with the header on each.

    Args:
        rows: The table's rows.
        start: The first row of this part.
        lead: A heading drawn above the first part, so that it never stands
            alone at the foot of a page.
    """

    MIN_ROWS_AFTER_LEAD = 2

    def __init__(self, rows: _Rows, start: int = 0, lead: Flowable | None = None) -> None:
        super().__init__()
        self.rows = rows
        self.layout = rows.layout
        self.start = start
        self.lead = lead
        self._table: RLTable | None = None
        self._count = 0
        self._lead_height = 0.0

    def _fitting(self, width: float, height: float) -> tuple[int, bool]:
        """How many rows from ``start`` fit in ``height``, and whether they are the last."""
        height -= 0.5  # rounding slack: a part that overflows by a hair moves to the next page
        used = self.layout.header_height
        if self.lead is not None:
            self._lead_height = (
                self.lead.wrap(width, height)[1]
                + self.lead.getSpaceBefore()
                + self.lead.getSpaceAfter()
            )
            used += self._lead_height
        count = 0
        while True:
            line = self.rows.get(self.start + count)
            if line is None:
                return count, True
            if used + line.height > height:
                return count, False
            used += line.height
            count += 1

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        count, last = self._fitting(availWidth, availHeight)
        self._table = None
        self._count = count
        if not last:
            # More than the frame holds: the frame will ask for a split.
            return self.layout.width, availHeight + 1
        self._table = self.layout.page_table(self.rows.slice(self.start, self.start + count))
        _, height = self._table.wrap(availWidth, availHeight)
        return self.layout.width, height + self._lead_height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        count, last = self._fitting(availWidth, availHeight)
        remaining_after = self.rows.get(self.start + count) is not None
        if count == 0 or (
            self.lead is not None and count < self.MIN_ROWS_AFTER_LEAD and remaining_after
        ):
            return []
        table = self.layout.page_table(self.rows.slice(self.start, self.start + count))
        self.rows.cut(self.start + count)
        parts: list[Flowable] = [self.lead] if self.lead is not None else []
        parts.append(table)
        if not last:
            parts.append(_PagedTable(self.rows, self.start + count))
        return parts

    def draw(self) -> None:
        assert self._table is not None
        _, height = self._table.wrap(self.layout.width, 10**6)
        if self.lead is not None:
            self.lead.drawOn(self.canv, 0, height + self.lead.getSpaceAfter())
        self._table.drawOn(self.canv, 0, 0)
        self.rows.cut(self.start + self._count)


# --- Body and document ----------------------------------------------------------------


def _body(
    blocks: Sequence[Block], styles: _Styles, width: float, progress: Progress | None
) -> list[Flowable]:
    heading = styles.para(BODY_SIZE, bold=True, align="left", spaceBefore=8, spaceAfter=4)
    kept_heading = styles.para(BODY_SIZE, bold=True, align="left", spaceBefore=8, spaceAfter=4)
    kept_heading.keepWithNext = 1
    items: list[Flowable] = []
    for i, block in enumerate(blocks):
        before_table = i + 1 < len(blocks) and isinstance(blocks[i + 1], Table)
        if isinstance(block, Paragraph):
            style = styles.para(
                BODY_SIZE,
                bold=block.bold,
                italic=block.italic,
                align=block.align,
                spaceBefore=6,
                firstLineIndent=10 * mm if block.indent else 0,
            )
            items.append(_p(block.text, style, block.lead))
        elif isinstance(block, Heading):
            # A heading right before a table goes onto the table's first page
            # (keepWithNext would push both to a new page, the table being long).
            if not before_table:
                items.append(_p(block.text, kept_heading))
        else:
            previous = blocks[i - 1] if i else None
            lead = _p(previous.text, heading) if isinstance(previous, Heading) else None
            layout = _Layout(block, styles, width)
            if lead is None:
                items.append(Spacer(1, 6))
            items += [_PagedTable(_Rows(block, layout, progress), lead=lead), Spacer(1, 6)]
    return items


class _DocTemplate(BaseDocTemplate):
    """A4 with the decree's margins, a frame without padding, numbers from page 2."""

    def __init__(self, out: BinaryIO, document: Document, font: str) -> None:
        pagesize = landscape(A4) if document.landscape else A4
        super().__init__(
            out,
            pagesize=pagesize,
            leftMargin=MARGINS.left * mm,
            rightMargin=MARGINS.right * mm,
            topMargin=MARGINS.top * mm,
            bottomMargin=MARGINS.bottom * mm,
            title=document.title,
            author=" ".join(document.letterhead.issuer).title(),
            subject=document.summary,
            creator="XHHT Desktop",
            # Every page starts in our font: no unembedded Helvetica is referenced.
            initialFontName=font,
            initialFontSize=BODY_SIZE,
        )
        self.number_font = font
        templates = [PageTemplate(id="page", frames=[self._frame()], onPage=self._number)]
        # An annex numbers its pages on its own, from its page 2 (Phụ lục I, mục II.10).
        self.annex_first: dict[int, int] = {}
        templates += [
            PageTemplate(
                id=f"annex{index}",
                frames=[self._frame()],
                onPage=lambda canvas, doc, index=index: self._annex_number(index, canvas, doc),
            )
            for index in range(len(document.annexes))
        ]
        self.addPageTemplates(templates)

    def _frame(self) -> Frame:
        return Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="text",
        )

    def _annex_number(self, index: int, canvas: Canvas, doc: BaseDocTemplate) -> None:
        first = self.annex_first.setdefault(index, doc.page)
        self._draw_number(canvas, doc.page - first + 1)

    def _number(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        self._draw_number(canvas, doc.page)

    def _draw_number(self, canvas: Canvas, number: int) -> None:
        # From page 2 on, centred in the top margin (Phụ lục I, mục II.10).
        if number < 2:
            return
        canvas.saveState()
        canvas.setFont(self.number_font, PAGE_NUMBER_SIZE)
        canvas.drawCentredString(
            self.leftMargin + self.width / 2, self.pagesize[1] - 12 * mm, str(number)
        )
        canvas.restoreState()


def _annex(
    index: int, annex: Annex, styles: _Styles, width: float, progress: Progress | None
) -> list[Flowable]:
    """An annex from a new page: its title, the reference to the document, its body."""
    title = styles.para(KIND_SIZE, bold=True)
    lines = simpleSplit(annex.summary, styles.fonts.bold, KIND_SIZE, width * 0.8)
    widest = max((fonts.text_width(line, KIND_SIZE, bold=True) for line in lines), default=0)
    return [
        NextPageTemplate(f"annex{index}"),
        PageBreak(),
        _p(annex.kind, title),
        _p(annex.summary, title),
        _p(annex.reference, styles.para(BODY_SIZE, italic=True)),
        _rule(widest, 0.4),
        Spacer(1, 8),
        *_body(annex.body, styles, width, progress),
    ]


def render(document: Document, out: BinaryIO, progress: Progress | None = None) -> RenderedPdf:
    """Write ``document`` as PDF into ``out``; return its pages and signature space.

    Args:
        document: What to render.
        out: A binary file open for writing (it is not closed).
        progress: Told how many table rows are laid out; may raise to stop.
    """
    styles = _Styles(fonts.registered())
    doc = _DocTemplate(out, document, styles.fonts.regular)
    width = doc.width
    body = _body(document.body, styles, width, progress)
    found: list[SignatureSpace] = []
    # The signature never stands alone on the last page: the last paragraph
    # goes with it.
    last = [body.pop()] if document.body and isinstance(document.body[-1], Paragraph) else []
    story: list[Flowable] = [
        _letterhead(document.letterhead, styles, width),
        *_title(document, styles, width),
        *body,
        KeepTogether([*last, Spacer(1, 10), _closing(document.closing, styles, width, found)]),
    ]
    for index, annex in enumerate(document.annexes):
        story += _annex(index, annex, styles, width, progress)
    # ASCII85 makes streams 25% larger and, in pure Python, slows a long
    # register down; PDF files are binary anyway.
    saved, rl_config.useA85 = rl_config.useA85, 0
    try:
        doc.build(story)
    finally:
        rl_config.useA85 = saved
    return RenderedPdf(int(doc.page), found[-1] if found else None)
