"""Read-only tables of figures: a model, a two-row header and number formats.

The services compute every figure; the tables here only lay them out. A
figure is shown the Vietnamese way ("12.345", "98,5%"), right-aligned, and a
rate with nobody counted is shown as "—", never as 0%. The raw figure stays
available under :data:`FIGURE_ROLE`, so that tests (and a later export) read
the numbers rather than parse the text.

Official statistical tables group their columns under a common heading (the
age band over "people, level 1, rate, level 2, rate"); :class:`GroupedHeader`
paints that second header row, from the group each column names under
:data:`GROUP_ROLE`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyleOptionHeader,
    QTableView,
    QWidget,
)

from xhht_desktop.ui.table_models import RIGHT, format_thousands

#: Role under which a cell hands out its raw figure (``int``, ``float`` or ``None``).
FIGURE_ROLE = Qt.ItemDataRole.UserRole + 3
#: Role under which a column header hands out the heading of its group.
GROUP_ROLE = Qt.ItemDataRole.UserRole + 4

NO_RATE = "—"
"""What a rate shows when nobody is counted: there is no rate, not a 0% one."""

MIN_FIGURE_WIDTH = 60
"""Narrowest a figure column gets: wide enough for "Mức độ 1" and "100%"."""

_Index = QModelIndex | QPersistentModelIndex


def format_count(number: int) -> str:
    """``12345`` → ``"12.345"``."""
    return format_thousands(number)


def format_percent(value: float | None) -> str:
    """A rate in percent, Vietnamese style: ``98.5`` → ``"98,5%"``, ``None`` → ``"—"``.

    The services round rates to two decimals; trailing zeros are dropped
    (``100.0`` → ``"100%"``, ``94.92`` → ``"94,92%"``) so that a rate just
    under a threshold never reads as the threshold itself.
    """
    if value is None:
        return NO_RATE
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text.replace('.', ',')}%"


@dataclass(frozen=True)
class Heading:
    """A column's header.

    Attributes:
        text: The column's own heading (translated).
        group: The heading of the group the column belongs to, painted over
            all neighbouring columns of the same group; ``""`` for none.
        tooltip: A longer explanation; defaults to "group — text".
        alignment: Alignment of the column's cells and heading.
    """

    text: str
    group: str = ""
    tooltip: str = ""
    alignment: Qt.AlignmentFlag = RIGHT


@dataclass(frozen=True)
class Cell:
    """One cell: the text shown and the figure behind it."""

    text: str
    figure: int | float | None = None
    tooltip: str = ""


def count_cell(number: int, tooltip: str = "") -> Cell:
    """A count: ``"12.345"``, with the integer as its figure."""
    return Cell(format_count(number), number, tooltip)


def rate_cell(value: float | None, tooltip: str = "") -> Cell:
    """A rate: ``"98,5%"`` or ``"—"``, with the percent (or ``None``) as its figure."""
    return Cell(format_percent(value), value, tooltip)


def text_cell(text: str, tooltip: str = "") -> Cell:
    return Cell(text, None, tooltip)


@dataclass(frozen=True)
class FigureRow:
    """A row of cells; a total row is shown in bold."""

    cells: tuple[Cell, ...]
    total: bool = False
    key: object = field(default=None, compare=False)
    """What the row is about (a band, an ethnicity code, a village id)."""


class FigureTableModel(QAbstractTableModel):
    """A small read-only table whose rows are replaced all at once.

    Args:
        headings: The columns.
        parent: The Qt parent.
    """

    def __init__(self, headings: Sequence[Heading] = (), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headings: list[Heading] = list(headings)
        self._rows: list[FigureRow] = []

    def set_table(self, headings: Sequence[Heading], rows: Sequence[FigureRow]) -> None:
        """Replace the columns and the rows.

        Raises:
            ValueError: when a row does not have one cell per column.
        """
        for row in rows:
            if len(row.cells) != len(headings):
                raise ValueError(f"{len(row.cells)} cells for {len(headings)} columns")
        self.beginResetModel()
        self._headings = list(headings)
        self._rows = list(rows)
        self.endResetModel()

    def heading(self, column: int) -> Heading:
        return self._headings[column]

    def row(self, number: int) -> FigureRow:
        return self._rows[number]

    def text(self, row: int, column: int) -> str:
        """The text of a cell, as the view shows it."""
        return self._rows[row].cells[column].text

    def figure(self, row: int, column: int) -> int | float | None:
        """The figure behind a cell."""
        return self._rows[row].cells[column].figure

    def find_row(self, key: object) -> int | None:
        """The number of the row about ``key``, if there is one."""
        for number, row in enumerate(self._rows):
            if row.key == key:
                return number
        return None

    # -- Qt overrides -----------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headings)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self._headings):
            return None
        row = self._rows[index.row()]
        cell = row.cells[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.text
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(self._headings[index.column()].alignment.value)
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell.tooltip or None
        if role == Qt.ItemDataRole.FontRole and row.total:
            font = QFont()
            font.setBold(True)
            return font
        if role == FIGURE_ROLE:
            return cell.figure
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
                return str(section + 1)
            return None
        if not 0 <= section < len(self._headings):
            return None
        heading = self._headings[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return heading.text
        if role == GROUP_ROLE:
            return heading.group
        if role == Qt.ItemDataRole.ToolTipRole:
            if heading.tooltip:
                return heading.tooltip
            return f"{heading.group} — {heading.text}" if heading.group else heading.text
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter.value)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )


class GroupedHeader(QHeaderView):
    """A horizontal header with a second row naming groups of columns.

    Columns whose heading carries the same :data:`GROUP_ROLE` text, side by
    side, share one group heading painted across them; a column without a
    group takes the full height for its own heading.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionsClickable(False)
        self.setHighlightSections(False)
        self.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)

    def group(self, section: int) -> str:
        """The group heading of a column (``""`` for none)."""
        model = self.model()
        if model is None:
            return ""
        value = model.headerData(section, Qt.Orientation.Horizontal, GROUP_ROLE)
        return str(value) if value else ""

    def span(self, section: int) -> tuple[int, int]:
        """First and last column of the group ``section`` belongs to."""
        name = self.group(section)
        first = last = section
        while first > 0 and self.group(first - 1) == name:
            first -= 1
        while last + 1 < self.count() and self.group(last + 1) == name:
            last += 1
        return first, last

    def _has_groups(self) -> bool:
        return any(self.group(section) for section in range(self.count()))

    def sectionSizeFromContents(self, logicalIndex: int) -> QSize:
        size = super().sectionSizeFromContents(logicalIndex)
        if self._has_groups():
            size.setHeight(size.height() * 2)
        return size

    def paintSection(self, painter: QPainter, rect: QRect, logicalIndex: int) -> None:
        name = self.group(logicalIndex)
        if not name:
            super().paintSection(painter, rect, logicalIndex)
            return
        top_height = rect.height() // 2
        first, last = self.span(logicalIndex)
        left = self.sectionViewportPosition(first)
        right = self.sectionViewportPosition(last) + self.sectionSize(last)
        option = QStyleOptionHeader()
        option.initFrom(self)
        option.rect = QRect(left, rect.top(), right - left, top_height)
        option.text = name
        option.textAlignment = Qt.AlignmentFlag.AlignCenter
        option.orientation = Qt.Orientation.Horizontal
        option.section = logicalIndex
        option.position = QStyleOptionHeader.SectionPosition.OnlyOneSection
        painter.save()
        self.style().drawControl(QStyle.ControlElement.CE_Header, option, painter, self)
        painter.restore()
        below = QRect(
            rect.left(), rect.top() + top_height, rect.width(), rect.height() - top_height
        )
        super().paintSection(painter, below, logicalIndex)


def figure_view(model: FigureTableModel, first_column_width: int = 150) -> QTableView:
    """A read-only, keyboard-navigable view of ``model`` with a grouped header."""
    view = QTableView()
    view.setHorizontalHeader(GroupedHeader(view))
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setTabKeyNavigation(False)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    # The figure columns share the width; below their minimum the view scrolls.
    header.setMinimumSectionSize(MIN_FIGURE_WIDTH)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

    def label_column() -> None:
        if model.columnCount():
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(0, first_column_width)

    model.modelReset.connect(label_column)
    label_column()
    return view
