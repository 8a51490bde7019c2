"""What an official document says, apart from how it is drawn.

A report is *declared* as a :class:`Document`: a letterhead (issuing body,
number, place and date), the document type and summary, body blocks
(paragraphs, headings, tables) and a closing block (Nơi nhận, authority,
title, signer). ``reports.pdf`` and ``reports.xlsx`` render the same model in
the layout of Nghị định 30/2020/NĐ-CP, Phụ lục I; nothing here knows about
reportlab or openpyxl.

Figures arrive already computed (from the services); the model only carries
them and says how to show them (:class:`Column` ``kind``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sized
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
"""Quốc hiệu (Nghị định 30/2020, Phụ lục I, mục II.1)."""
MOTTO = "Độc lập - Tự do - Hạnh phúc"
"""Tiêu ngữ, with hyphens and a space either side, as the decree writes it."""
RECIPIENTS_LABEL = "Nơi nhận:"
ARCHIVE_RECIPIENT = "Lưu: VT."
NO_VALUE = "—"
"""Shown for a rate nobody is counted in: never a silent 0."""

Progress = Callable[[int, "int | None"], None]
"""Told (table rows done, rows in all when the source knows) while a renderer works.

Raising from it stops the rendering; the file being written is then discarded."""

# --- Paper (Nghị định 30/2020, Phụ lục I, mục I.3–4) ------------------------

A4_MM: tuple[float, float] = (210.0, 297.0)


@dataclass(frozen=True)
class Margins:
    """Page margins in millimetres."""

    top: float = 20.0
    bottom: float = 20.0
    left: float = 30.0
    right: float = 15.0


MARGINS = Margins()
"""Top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm: the decree's narrowest."""


def frame_width_mm(landscape: bool) -> float:
    """Width of the text area of an A4 page."""
    width = A4_MM[1] if landscape else A4_MM[0]
    return width - MARGINS.left - MARGINS.right


# --- Letterhead -------------------------------------------------------------


@dataclass(frozen=True)
class Letterhead:
    """The top of the first page.

    Attributes:
        issuer: Name of the issuing body, one entry per printed line, in
            capitals ("ỦY BAN NHÂN DÂN", "XÃ ĐỨC AN"); printed bold with a
            short rule under it.
        place: Place name for the date line ("Đức An").
        issued: Date of the document.
        number: The number line, the number itself left blank for the
            official to fill in by hand ("Số:      /BC-UBND"); empty: none.
        parent: Governing body above the issuer, in capitals, not bold;
            empty: none.
    """

    issuer: tuple[str, ...]
    place: str
    issued: date
    number: str = ""
    parent: str = ""

    @property
    def date_line(self) -> str:
        """ "Đức An, ngày 05 tháng 01 năm 2026", as the decree writes dates."""
        return f"{self.place}, {vietnamese_date(self.issued)}"


def vietnamese_date(day: date) -> str:
    """ "ngày 05 tháng 01 năm 2026": days below 10 and months below 3 take a 0.

    Nghị định 30/2020, Phụ lục I, mục II.4.b.
    """
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def number_line(code: str) -> str:
    """ "Số:      /BC-UBND": the number is filled in by hand when the paper is registered."""
    return f"Số:{' ' * 6}/{code}"


# --- Body blocks -------------------------------------------------------------

Align = Literal["left", "center", "right", "justify"]
CellKind = Literal["text", "count", "percent", "center"]
"""How a column shows its values: text left, counts and percentages right with
Vietnamese separators ("1.234", "94,92"), ``center`` centred text."""


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the body: 14 pt, justified, first line indented.

    Attributes:
        text: Plain text (no markup).
        bold: Bold throughout (a conclusion, an emphasised line).
        italic: Italic throughout (a note, a source).
        align: ``justify`` for body text.
        indent: Indent the first line (body text); ``False`` for list lines.
        lead: Printed bold before ``text``, a space between: the "Điều 1."
            of a decision's article.
    """

    text: str
    bold: bool = False
    italic: bool = False
    align: Align = "justify"
    indent: bool = True
    lead: str = ""

    @property
    def full_text(self) -> str:
        """The lead and the text as one line of plain text."""
        return f"{self.lead} {self.text}" if self.lead else self.text


@dataclass(frozen=True)
class Heading:
    """A section heading of the body ("I. Người chưa biết chữ"), bold, kept with what follows."""

    text: str


@dataclass(frozen=True)
class Column:
    """One column of a table.

    Attributes:
        title: Header text when the table has no explicit ``header``.
        width: Natural width in millimetres. The renderer scales all widths to
            the text area; the sum decides the orientation (wider than a
            portrait page: landscape).
        kind: How values are shown (see :data:`CellKind`).
        total: The total row sums this column (a SUM formula in Excel).
    """

    title: str
    width: float
    kind: CellKind = "text"
    total: bool = False

    @property
    def align(self) -> Align:
        if self.kind in ("count", "percent"):
            return "right"
        return "center" if self.kind == "center" else "left"


@dataclass(frozen=True)
class HeaderCell:
    """A cell of a multi-row table header; it covers ``colspan`` × ``rowspan`` cells."""

    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class Row:
    """A data row with emphasis (bold), e.g. the all-groups line of a breakdown."""

    cells: tuple[Value, ...]
    bold: bool = False


@dataclass(frozen=True)
class GroupRow:
    """A row across the whole table that opens a group ("Thôn 1 — 3 người")."""

    text: str


Value = str | int | float | None
RowItem = tuple[Value, ...] | Row | GroupRow


@dataclass(frozen=True, eq=False)
class Table:
    """A table whose header rows repeat on every page.

    Attributes:
        columns: The columns, left to right.
        rows: Data rows: tuples of values (one per column), :class:`Row` or
            :class:`GroupRow`. Must be iterable more than once (a list, or a
            source that queries afresh), since PDF and Excel each read it; a
            source with ``len()`` lets the renderers report progress.
        header: Header rows of :class:`HeaderCell`; each row lists its cells
            left to right, skipping places covered by a cell above. Empty:
            one header row of the column titles.
        total: The total row (its first cells label it); columns with
            ``total`` become SUM formulas in Excel, the values shown in PDF
            are the ones given here (from the services).
        numbered: Add a row "(1) (2) …" under the header, as statistical forms do.
        font_size: Points; 12 for ordinary tables, 10–11 for dense registers.
        empty_text: Shown in one row across the table when there are no rows.
    """

    columns: tuple[Column, ...]
    rows: Iterable[RowItem]
    header: tuple[tuple[HeaderCell, ...], ...] = ()
    total: tuple[Value, ...] | None = None
    numbered: bool = False
    font_size: float = 12.0
    empty_text: str = "Không có."

    @property
    def natural_width(self) -> float:
        return sum(column.width for column in self.columns)

    @property
    def row_count(self) -> int | None:
        """How many rows, when the source knows without being read."""
        return len(self.rows) if isinstance(self.rows, Sized) else None

    def header_cells(self) -> list[PlacedCell]:
        """The header as placed cells; the column titles when no header is given.

        Raises:
            ValueError: the header does not cover the columns exactly.
        """
        if not self.header:
            return [PlacedCell(0, i, 1, 1, c.title) for i, c in enumerate(self.columns)]
        return place_header(self.header, len(self.columns))

    @property
    def header_rows(self) -> int:
        return max(len(self.header), 1)


@dataclass(frozen=True)
class PlacedCell:
    """A header cell at its grid position (row and column from 0)."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str


def place_header(header: Iterable[Iterable[HeaderCell]], columns: int) -> list[PlacedCell]:
    """Place header cells on the grid, left to right, around the cells above.

    Raises:
        ValueError: a row does not fill the columns exactly.
    """
    rows = [tuple(row) for row in header]
    taken = [[False] * columns for _ in rows]
    placed: list[PlacedCell] = []
    for r, cells in enumerate(rows):
        c = 0
        for cell in cells:
            while c < columns and taken[r][c]:
                c += 1
            if c + cell.colspan > columns or r + cell.rowspan > len(rows):
                raise ValueError(f"header cell {cell.text!r} runs past the table")
            for rr in range(r, r + cell.rowspan):
                for cc in range(c, c + cell.colspan):
                    if taken[rr][cc]:
                        raise ValueError(f"header cell {cell.text!r} overlaps another")
                    taken[rr][cc] = True
            placed.append(PlacedCell(r, c, cell.rowspan, cell.colspan, cell.text))
            c += cell.colspan
        if not all(taken[r]):
            raise ValueError(f"header row {r + 1} does not cover all {columns} columns")
    return placed


Block = Paragraph | Heading | Table


# --- Closing block -------------------------------------------------------------


@dataclass(frozen=True)
class Signer:
    """Who signs: authority and title lines in capitals, then the name.

    Attributes:
        lines: "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"… (the
            authority, Nghị định 30/2020 Phụ lục I mục II.7: TM., KT., Q.,
            TL., TUQ.), printed bold.
        name: The signer's full name, bold, under the signature space; may
            be empty for a signer who writes it by hand.
    """

    lines: tuple[str, ...]
    name: str = ""


@dataclass(frozen=True)
class Closing:
    """The bottom of the document.

    Attributes:
        signers: One signer (bottom right), or two (the first bottom left,
            e.g. "NGƯỜI LẬP BIỂU"; the second bottom right).
        recipients: Nơi nhận, bottom left, one entry per line without the
            leading dash or the trailing semicolon. Only with one signer.
    """

    signers: tuple[Signer, ...]
    recipients: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not 1 <= len(self.signers) <= 2:
            raise ValueError("a document is signed by one or two signers")
        if self.recipients and len(self.signers) == 2:
            raise ValueError("Nơi nhận shares the bottom left with a second signer")

    def recipient_lines(self) -> list[str]:
        """ "- Sở GD&ĐT Lâm Đồng;" … "- Lưu: VT.": dashes, semicolons, a full stop at the end."""
        items = [item.rstrip(" ;.") for item in self.recipients]
        return [f"- {item}{'.' if i == len(items) - 1 else ';'}" for i, item in enumerate(items)]


# --- The document ---------------------------------------------------------------

Orientation = Literal["auto", "portrait", "landscape"]


@dataclass(frozen=True, eq=False)
class Annex:
    """A list sent with the document (danh sách kèm theo), from a new page after the signature.

    Attributes:
        kind: Its title in capitals ("DANH SÁCH").
        summary: What it lists, bold, under the title.
        reference: The italic line naming the document it goes with
            ("(Kèm theo Quyết định số 15/QĐ-UBND ngày …)").
        body: Paragraphs, headings and tables, in order.
    """

    kind: str
    summary: str
    reference: str
    body: tuple[Block, ...]


@dataclass(frozen=True, eq=False)
class Document:
    """An official document, ready to render.

    Attributes:
        letterhead: Issuing body, number, place and date.
        kind: Document type in capitals ("BÁO CÁO", "BIỂU THỐNG KÊ", "DANH SÁCH").
        summary: Trích yếu, under the type ("Kết quả điều tra xóa mù chữ năm 2026").
        body: Paragraphs, headings and tables, in order.
        closing: Nơi nhận and signers.
        orientation: ``auto``: landscape when a table is wider than a
            portrait page's text area.
        annexes: Lists sent with the document, each from a new page after
            the signature.
    """

    letterhead: Letterhead
    kind: str
    summary: str
    body: tuple[Block, ...]
    closing: Closing
    orientation: Orientation = "auto"
    annexes: tuple[Annex, ...] = ()
    tables: tuple[Table, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        blocks = (*self.body, *(block for annex in self.annexes for block in annex.body))
        tables = tuple(block for block in blocks if isinstance(block, Table))
        object.__setattr__(self, "tables", tables)

    @property
    def title(self) -> str:
        """The title a PDF viewer or the Excel file properties show."""
        return f"{self.kind.capitalize()} {self.summary[:1].lower()}{self.summary[1:]}"

    @property
    def landscape(self) -> bool:
        if self.orientation != "auto":
            return self.orientation == "landscape"
        portrait = frame_width_mm(landscape=False)
        return any(table.natural_width > portrait + 0.01 for table in self.tables)


# --- Vietnamese numbers -----------------------------------------------------------


def format_count(value: int) -> str:
    """ "1.234": a dot between thousands, as Vietnamese writes numbers."""
    return f"{value:,}".replace(",", ".")


def format_percent(value: float | None) -> str:
    """ "94,92": two decimals after a comma; "—" when there is no rate."""
    if value is None:
        return NO_VALUE
    return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def format_value(value: Value, kind: CellKind) -> str:
    """A cell as text, the way its column shows it."""
    if value is None:
        return NO_VALUE if kind == "percent" else ""
    if kind == "count" and isinstance(value, int):
        return format_count(value)
    if kind == "percent" and isinstance(value, int | float):
        return format_percent(float(value))
    return str(value)
