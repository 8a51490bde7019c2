"""Qt table models over the services' paged queries.

A register can hold 200,000 persons; a list must still open and filter at
once. :class:`PagedTableModel` therefore never asks for all rows: it asks the
service for the total and the first page, and Qt's ``canFetchMore`` /
``fetchMore`` protocol pulls further pages as the view scrolls to the end.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

R = TypeVar("R")

#: Role under which :class:`PagedTableModel` hands out a row's id (a ``str``).
ID_ROLE = Qt.ItemDataRole.UserRole + 1
#: Role under which :class:`PagedTableModel` hands out the row object itself.
ROW_ROLE = Qt.ItemDataRole.UserRole + 2

DEFAULT_PAGE_SIZE = 200

_Index = QModelIndex | QPersistentModelIndex

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column of a :class:`PagedTableModel`.

    Attributes:
        header: The header text, already translated.
        value: Turns a row into the text shown in the cell.
        alignment: How the cell's text is aligned; numbers read best right-aligned.
        width: A starting width in pixels for views that want one (``None``: let
            the view decide). Views set it once, because sizing columns to their
            contents would read every row.
        tooltip: Optional longer text for the cell's tool tip.
    """

    header: str
    value: Callable[[R], str]
    alignment: Qt.AlignmentFlag = LEFT
    width: int | None = None
    tooltip: Callable[[R], str] | None = None


class PagedTableModel(QAbstractTableModel, Generic[R]):
    """A read-only table over a query that is counted and read one page at a time.

    The model holds the rows read so far. ``rowCount`` is the number of rows
    loaded, not the total: views then call ``fetchMore`` when the user scrolls
    to the end, which reads the next page. Sorting and filtering belong to the
    query (the service orders rows with Vietnamese collation), so the model
    neither sorts nor filters.

    Example::

        flt = PersonFilter(search="nguyen van")
        model = PagedTableModel(
            columns=[Column("Họ và tên", lambda p: p.full_name)],
            count=lambda: context.persons.count(flt),
            page=lambda offset, limit: context.persons.page(flt, offset, limit),
            row_id=lambda p: p.id,
        )

    After the filter changes, call :meth:`set_query` with new callables (or
    :meth:`reset` when the callables read the filter themselves): the model
    runs exactly one count and one page query.

    Args:
        columns: The columns, in display order.
        count: Returns how many rows the query has in total.
        page: Returns up to ``limit`` rows starting at ``offset``.
        row_id: Returns a row's stable id (records' UUIDs), for :data:`ID_ROLE`,
            :meth:`row_id` and :meth:`find_id`.
        page_size: How many rows one page holds.
        parent: The Qt parent.
        load: Whether to run the query now; pass ``False`` to call :meth:`reset`
            later (e.g. when the page is first shown).
    """

    def __init__(
        self,
        columns: Sequence[Column[R]],
        count: Callable[[], int],
        page: Callable[[int, int], list[R]],
        row_id: Callable[[R], str] = lambda row: row.id,  # type: ignore[attr-defined]
        page_size: int = DEFAULT_PAGE_SIZE,
        parent: QObject | None = None,
        *,
        load: bool = True,
    ) -> None:
        super().__init__(parent)
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        self.columns: list[Column[R]] = list(columns)
        self._count = count
        self._page = page
        self._row_id = row_id
        self.page_size = page_size
        self._rows: list[R] = []
        self._total = 0
        if load:
            self.reset()

    # -- queries ----------------------------------------------------------

    def set_query(self, count: Callable[[], int], page: Callable[[int, int], list[R]]) -> None:
        """Replace the query (after a filter change) and read its first page."""
        self._count = count
        self._page = page
        self.reset()

    def reset(self) -> None:
        """Run the query again: one count and one first page.

        Views lose their selection; callers that want to keep it look the
        record up again with :meth:`find_id`.
        """
        self.beginResetModel()
        try:
            self._total = max(0, int(self._count()))
            self._rows = list(self._page(0, self.page_size)) if self._total else []
            # The count and the page are two queries; if rows vanished in
            # between, trust what was read so that fetchMore does not loop.
            if len(self._rows) < min(self.page_size, self._total):
                self._total = len(self._rows)
        finally:
            self.endResetModel()

    def total(self) -> int:
        """How many rows the query has, loaded or not."""
        return self._total

    def loaded(self) -> int:
        """How many rows have been read so far."""
        return len(self._rows)

    # -- rows -------------------------------------------------------------

    def row_at(self, index: _Index | int) -> R:
        """The row object at a model index or a row number.

        Raises:
            IndexError: when the row is not loaded (or the index is invalid).
        """
        number = index if isinstance(index, int) else index.row()
        if isinstance(index, QModelIndex | QPersistentModelIndex) and not index.isValid():
            raise IndexError("invalid model index")
        if not 0 <= number < len(self._rows):
            raise IndexError(number)
        return self._rows[number]

    def row_id(self, row: int) -> str:
        """The id of the record on row number ``row``."""
        return self._row_id(self.row_at(row))

    def find_id(self, record_id: str) -> int | None:
        """The row number of ``record_id`` among the loaded rows, if loaded."""
        for number, row in enumerate(self._rows):
            if self._row_id(row) == record_id:
                return number
        return None

    # -- Qt overrides -----------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        if not 0 <= index.column() < len(self.columns):
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.value(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.alignment.value)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row)
        if role == ID_ROLE:
            return self._row_id(row)
        if role == ROW_ROLE:
            return row
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            column = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return column.header
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(column.alignment.value)
            return None
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        start = len(self._rows)
        limit = min(self.page_size, self._total - start)
        more = list(self._page(start, limit))
        if not more:
            # Records were deleted since the count: stop here.
            self._total = start
            return
        self.beginInsertRows(QModelIndex(), start, start + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()
        if len(more) < limit:
            self._total = len(self._rows)


def set_up_list_view(
    table: QTableView,
    model: PagedTableModel[Any],
    *,
    stretch_column: int | None = None,
    whole_list: bool = False,
) -> None:
    """Make ``table`` a read-only list of ``model``'s rows, one row selected at a time.

    Tab leaves the list (arrows move in it). Columns with a width start at it;
    the others fit their contents only when ``whole_list`` (a short register
    read whole), because sizing to contents reads every row.

    Args:
        table: The view.
        model: Its model.
        stretch_column: The column that takes the spare width; ``None``: the last.
        whole_list: Whether the model holds every row of the query.
    """
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.setAlternatingRowColors(True)
    # Rows are one line high: a long name is cut short with "…", not wrapped.
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for number, column in enumerate(model.columns):
        if column.width is not None:
            table.setColumnWidth(number, column.width)
        elif whole_list:
            header.setSectionResizeMode(number, QHeaderView.ResizeMode.ResizeToContents)
    if stretch_column is None:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)


def format_thousands(number: int) -> str:
    """``12345`` → ``"12.345"``: Vietnamese groups thousands with dots."""
    return f"{number:,}".replace(",", ".")
