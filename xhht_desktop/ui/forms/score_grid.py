"""Scoring many subjects against a criteria set in one keyboard grid.

One row per subject (household, clan, village, unit… as the caller lists
them), one column per scored line of the set (indicators, or criteria
without indicators), then the total and the result. Officials type a score
and press Tab to go right or Enter to go down, as in a spreadsheet; a cell
that cannot hold what was typed turns red and says why. The total and the
result of each row are :func:`xhht_desktop.forms.score` of that row, never
added up here, so the grid, the form and the stored evaluation agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from xhht_desktop.forms import Definition, Field, InvalidValue, ScoreResult, score
from xhht_desktop.forms.fieldtypes import ScoreType, format_number, is_empty
from xhht_desktop.ui.forms.definition_form import line_numbers, reasons_text

_INVALID = QColor("#ffcdd2")
_PASSED = QColor("#c8e6c9")
_FAILED = QColor("#ffe0b2")

Index = QModelIndex | QPersistentModelIndex


class ScoreGridModel(QAbstractTableModel):
    """Scores by subject and line, with each row's :class:`ScoreResult`.

    Args:
        definition: A criteria set.
        subjects: ``(id, label)`` of each subject, in row order.
        variant: The ``[[pass.variants]]`` rule to score by, if any.
        parent: The Qt parent.

    Signals:
        values_changed: the id of the subject whose scores changed.
    """

    values_changed = Signal(str)

    def __init__(
        self,
        definition: Definition,
        subjects: Sequence[tuple[str, str]],
        variant: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        if definition.kind != "criteria":
            raise ValueError(f"'{definition.id}' is not a criteria set")
        self.definition = definition
        self.variant = variant
        self.subjects = list(subjects)
        self.lines: list[Field] = list(definition.scored_fields)
        self._numbers = line_numbers(definition)
        self._values: list[dict[str, object]] = [{} for _ in self.subjects]
        self._results: list[ScoreResult] = [self._score(row) for row in range(len(self.subjects))]

    # -- columns ---------------------------------------------------------
    @property
    def total_column(self) -> int:
        return len(self.lines)

    @property
    def result_column(self) -> int:
        return len(self.lines) + 1

    def is_score_column(self, column: int) -> bool:
        return 0 <= column < len(self.lines)

    # -- scores ------------------------------------------------------------
    def _score(self, row: int) -> ScoreResult:
        return score(self.definition, self._values[row], self.variant)

    def result(self, row: int) -> ScoreResult:
        """The score of one row, as :func:`xhht_desktop.forms.score` gives it."""
        return self._results[row]

    def row_values(self, row: int) -> dict[str, object]:
        """One row's values by line id: typed, the text as typed if it does not parse, or absent."""
        return dict(self._values[row])

    def set_row_values(self, row: int, values: Mapping[str, object]) -> None:
        """Replace one row's scores (values typed or as text)."""
        known = {line.id: line for line in self.lines}
        kept: dict[str, object] = {}
        for line_id, value in values.items():
            if line_id in known and not is_empty(value):
                kept[line_id] = self._read(known[line_id], value)
        self._values[row] = kept
        self._changed(row, 0, self.result_column)

    def _read(self, line: Field, value: object) -> object:
        try:
            return line.type.coerce(value)
        except InvalidValue:
            return value if isinstance(value, str) else str(value)

    def _changed(self, row: int, first: int, last: int) -> None:
        self._results[row] = self._score(row)
        self.dataChanged.emit(self.index(row, first), self.index(row, last))
        self.dataChanged.emit(
            self.index(row, self.total_column), self.index(row, self.result_column)
        )
        self.values_changed.emit(self.subjects[row][0])

    def _issue(self, row: int, line_id: str) -> str | None:
        if line_id not in self._values[row]:
            return None  # an empty cell is not wrong, only not scored yet
        return next((i.message for i in self._results[row].issues if i.field == line_id), None)

    def _started(self, row: int) -> bool:
        return bool(self._values[row])

    # -- Qt model ------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.subjects)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines) + 2

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.is_score_column(index.column()):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if self.is_score_column(column):
            return self._score_data(row, self.lines[column], role)
        result = self._results[row]
        started = self._started(row)
        if column == self.total_column:
            if role == Qt.ItemDataRole.DisplayRole and started:
                return f"{format_number(result.total)}/{format_number(result.maximum)}"
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role == Qt.ItemDataRole.DisplayRole and started:
            return self.verdict(row)
        if role == Qt.ItemDataRole.ToolTipRole and started:
            return reasons_text(result) or None
        if role == Qt.ItemDataRole.BackgroundRole and started and result.complete:
            return QBrush(_PASSED if result.passed else _FAILED)
        return None

    def verdict(self, row: int) -> str:
        """The result column's text for one row."""
        result = self._results[row]
        if result.passed:
            if result.level_title:
                return self.tr("Đạt: {level}").format(level=result.level_title)
            return self.tr("Đạt")
        if not result.complete:
            return self.tr("Chưa chấm xong")
        return self.tr("Không đạt")

    def _score_data(self, row: int, line: Field, role: int) -> object:
        value = self._values[row].get(line.id)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if value is None:
                return ""
            try:
                return line.type.format(line.type.coerce(value))
            except InvalidValue:
                return str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and self._issue(row, line.id):
            return QBrush(_INVALID)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._issue(row, line.id) or line.label
        return None

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self.is_score_column(index.column()):
            return False
        row, line = index.row(), self.lines[index.column()]
        text = "" if value is None else str(value)
        try:
            typed = line.type.parse(text)
        except InvalidValue:
            typed = text  # kept as typed; the cell turns red with the type's message
        if is_empty(typed):
            self._values[row].pop(line.id, None)
        else:
            self._values[row][line.id] = typed
        self._changed(row, index.column(), index.column())
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Vertical:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.subjects):
                return self.subjects[section][1]
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if self.is_score_column(section):
                line = self.lines[section]
                number = self._numbers.get(line.id, line.id)
                if isinstance(line.type, ScoreType):
                    return f"{number}\n/{format_number(line.type.maximum)}"
                return number
            if section == self.total_column:
                return self.tr("Tổng")
            if section == self.result_column:
                return self.tr("Kết quả")
        if role == Qt.ItemDataRole.ToolTipRole and self.is_score_column(section):
            line = self.lines[section]
            return f"{self._numbers.get(line.id, line.id)}. {line.label}"
        return None


class _ScoreDelegate(QStyledItemDelegate):
    """Score cells edit in a right-aligned line edit, like the figures they hold."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QLineEdit(parent)
        editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        editor.setFrame(False)
        return editor


class ScoreGrid(QTableView):
    """The keyboard grid: type a score, Tab moves right, Enter moves down.

    Tab after the last criterion goes on to the first of the next row;
    Enter on the last row goes to the top of the next column, so a whole
    criterion can be scored for every subject in one run. Delete clears a
    cell. The total and result columns are never edited.

    Args:
        definition: A criteria set.
        subjects: ``(id, label)`` of each subject, in row order.
        parent: The Qt parent.
        variant: The ``[[pass.variants]]`` rule to score by, if any.

    Signals:
        values_changed: the id of the subject whose scores changed.
    """

    values_changed = Signal(str)

    def __init__(
        self,
        definition: Definition,
        subjects: Sequence[tuple[str, str]],
        parent: QWidget | None = None,
        *,
        variant: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.grid = ScoreGridModel(definition, subjects, variant, self)
        self.setModel(self.grid)
        self.setItemDelegate(_ScoreDelegate(self))
        self.grid.values_changed.connect(self.values_changed)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setTabKeyNavigation(True)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(44)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if subjects and self.grid.lines:
            self.setCurrentIndex(self.grid.index(0, 0))

    # -- values ----------------------------------------------------------------
    def values(self) -> dict[str, dict[str, object]]:
        """Every subject's scores by line id (typed, or the text as typed when invalid)."""
        return {sid: self.grid.row_values(row) for row, (sid, _) in enumerate(self.grid.subjects)}

    def set_values(self, values: Mapping[str, Mapping[str, object]]) -> None:
        """Show stored scores: ``{subject id: {line id: value}}``; other subjects are emptied."""
        for row, (sid, _) in enumerate(self.grid.subjects):
            self.grid.set_row_values(row, values.get(sid, {}))

    def result(self, subject_id: str) -> ScoreResult:
        """The score of one subject, as :func:`xhht_desktop.forms.score` gives it."""
        for row, (sid, _) in enumerate(self.grid.subjects):
            if sid == subject_id:
                return self.grid.result(row)
        raise KeyError(subject_id)

    # -- keyboard --------------------------------------------------------------
    def _cell(self, row: int, column: int) -> QModelIndex:
        return self.grid.index(row, column)

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        current = self.currentIndex()
        lines, rows = len(self.grid.lines), self.grid.rowCount()
        if not current.isValid() or not lines or not rows:
            return super().moveCursor(cursorAction, modifiers)
        row, column = current.row(), min(current.column(), lines - 1)
        action = QAbstractItemView.CursorAction
        if cursorAction == action.MoveNext:
            if column + 1 < lines:
                return self._cell(row, column + 1)
            return self._cell(row + 1, 0) if row + 1 < rows else self._cell(row, column)
        if cursorAction == action.MovePrevious:
            if column > 0:
                return self._cell(row, column - 1)
            return self._cell(row - 1, lines - 1) if row > 0 else self._cell(row, column)
        moved = super().moveCursor(cursorAction, modifiers)
        if moved.isValid() and not self.grid.is_score_column(moved.column()):
            # Arrows never land on the total or the result: they are not typed in.
            return self._cell(moved.row(), lines - 1)
        return moved

    def move_down(self) -> None:
        """Go to the cell below; from the last row, to the top of the next column."""
        current = self.currentIndex()
        if not current.isValid():
            return
        row, column = current.row(), current.column()
        if row + 1 < self.grid.rowCount():
            self.setCurrentIndex(self._cell(row + 1, column))
        elif column + 1 < len(self.grid.lines):
            self.setCurrentIndex(self._cell(0, column + 1))

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        super().closeEditor(editor, hint)
        # Enter in an editor ends with SubmitModelCache: in this grid it moves down.
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            self.move_down()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        editing = self.state() == QAbstractItemView.State.EditingState
        key = event.key()
        if not editing and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.move_down()
            event.accept()
            return
        if not editing and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            current = self.currentIndex()
            if current.isValid() and self.grid.is_score_column(current.column()):
                self.grid.setData(current, "")
            event.accept()
            return
        super().keyPressEvent(event)
