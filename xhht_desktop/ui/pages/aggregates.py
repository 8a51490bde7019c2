"""The aggregate forms page: figures that no register computes, entered per year.

Choose a form (chi hội khuyến học, officials trained, workers…) and a year.
A form entered per village is a grid, one row per village and one column
per field, typed like a spreadsheet (Tab goes right, Enter goes down), with
a totals row; each row is checked as it is typed by the forms engine
through :meth:`~xhht_desktop.services.aggregates.AggregateService.check`,
and saved with ``save_grid``, all or nothing. A form entered once for the
commune is a :class:`~xhht_desktop.ui.forms.definition_form.DefinitionForm`
saved with ``save``. Which forms show is the service's choice
(:meth:`~xhht_desktop.services.aggregates.AggregateService.entry_forms`):
a commune does not see the consolidating office's own forms, and the
office sees only those.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.errors import FieldIssue, StaleRecord, ValidationFailed, XhhtError
from xhht_desktop.forms import Definition, Field, InvalidValue
from xhht_desktop.forms.definitions import SCOPES
from xhht_desktop.forms.fieldtypes import DecimalType, IntegerType, YesNoType, is_empty
from xhht_desktop.ui import style
from xhht_desktop.ui.forms.definition_form import HELP_COLOUR, DefinitionForm
from xhht_desktop.ui.forms.field_row import MESSAGE_COLOUR, ChoiceBox

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext
    from xhht_desktop.services.aggregates import AggregateRow

MIN_YEAR, MAX_YEAR = 2000, 2100
#: How long the form choice must rest before the form is shown, in milliseconds.
CHOICE_DELAY_MS = 400
_INVALID = QColor("#ffcdd2")
_TOTAL = QColor("#eeeeee")

Index = QModelIndex | QPersistentModelIndex
#: ``check(values)`` → the engine's issues of one row.
RowCheck = Callable[[Mapping[str, object]], list[FieldIssue]]
#: ``totals(rows)`` → field id → total (``None``: nothing to add up).
Totals = Callable[[Sequence[Mapping[str, object]]], Mapping[str, object]]


def _numeric(field: Field) -> bool:
    return isinstance(field.type, IntegerType | DecimalType)


class AggregateGridModel(QAbstractTableModel):
    """One row per village, one column per field, and a totals row at the bottom.

    The model keeps what was typed (typed values, or the text when it does
    not read as the field's type), asks ``check`` for the issues of a row
    after each change and ``totals`` for the totals row; it judges nothing
    itself.

    Args:
        definition: The aggregate form.
        rows: The stored rows of the year (one per village), in grid order.
        check: The service's check of one row.
        totals: The service's totals of the rows.
        parent: The Qt parent.

    Signals:
        values_changed(int): the row whose values changed.
    """

    values_changed = Signal(int)

    def __init__(
        self,
        definition: Definition,
        rows: Sequence[AggregateRow],
        check: RowCheck,
        totals: Totals,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.definition = definition
        self.fields: list[Field] = list(definition.fields)
        self.rows = list(rows)
        self._check = check
        self._totals_of = totals
        self._values: list[dict[str, object]] = [
            {k: v for k, v in row.values.items() if not is_empty(v)} for row in self.rows
        ]
        self._issues: list[dict[str, str]] = [{} for _ in self.rows]
        self.edited: set[int] = set()
        for number in range(len(self.rows)):
            self._recheck(number)
        self._totals: Mapping[str, object] = self._totals_of(self._values)

    # -- rows ------------------------------------------------------------------

    @property
    def total_row(self) -> int:
        return len(self.rows)

    def started(self, row: int) -> bool:
        """Whether the row holds something (typed, or stored before)."""
        return bool(self._values[row]) or self.rows[row].entry_id is not None

    def row_values(self, row: int) -> dict[str, object]:
        """One row's values by field id (every field; ``None`` when empty)."""
        return {field.id: self._values[row].get(field.id) for field in self.fields}

    def issues(self, row: int) -> dict[str, str]:
        """The messages of one row's cells, by field id."""
        return dict(self._issues[row])

    def set_issues(self, row: int, issues: Mapping[str, str]) -> None:
        """Show the service's messages on one row (after a refused save)."""
        self._issues[row].update(issues)
        self._row_changed(row)

    def _recheck(self, row: int) -> None:
        if not self.started(row):
            self._issues[row] = {}
            return
        found: dict[str, str] = {}
        for issue in self._check(self.row_values(row)):
            found.setdefault(issue.field, issue.message)
        self._issues[row] = found

    def _row_changed(self, row: int) -> None:
        last = len(self.fields) - 1
        self.dataChanged.emit(self.index(row, 0), self.index(row, last))
        self.dataChanged.emit(self.index(self.total_row, 0), self.index(self.total_row, last))
        self.headerDataChanged.emit(Qt.Orientation.Vertical, row, row)

    # -- Qt model ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows) + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.fields)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.row() < self.total_row:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, field = index.row(), self.fields[index.column()]
        if row == self.total_row:
            return self._total_data(field, role)
        value = self._values[row].get(field.id)
        message = self._issues[row].get(field.id)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if value is None:
                return ""
            try:
                return field.type.format(field.type.coerce(value))
            except InvalidValue:
                return str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            alignment = (
                Qt.AlignmentFlag.AlignRight if _numeric(field) else Qt.AlignmentFlag.AlignHCenter
            )
            return int(alignment | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and message:
            return QBrush(_INVALID)
        if role == Qt.ItemDataRole.ToolTipRole:
            return message or field.help or field.label
        return None

    def _total_data(self, field: Field, role: int) -> object:
        total = self._totals.get(field.id)
        if role == Qt.ItemDataRole.DisplayRole:
            if total is None:
                return ""
            if isinstance(field.type, YesNoType):
                return self.tr("{n} {yes}").format(n=total, yes=field.type.yes_label)
            return field.type.format(total)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            alignment = (
                Qt.AlignmentFlag.AlignRight if _numeric(field) else Qt.AlignmentFlag.AlignHCenter
            )
            return int(alignment | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(_TOTAL)
        return None

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row, field = index.row(), self.fields[index.column()]
        if row >= self.total_row:
            return False
        text = "" if value is None else str(value)
        try:
            typed = field.type.parse(text)
        except InvalidValue:
            typed = text  # kept as typed; the check puts the type's message on the cell
        if is_empty(typed):
            self._values[row].pop(field.id, None)
        else:
            self._values[row][field.id] = typed
        self.edited.add(row)
        self._recheck(row)
        self._totals = self._totals_of(self._values)
        self._row_changed(row)
        self.values_changed.emit(row)
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self.fields):
                return None
            field = self.fields[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return field.label
            if role == Qt.ItemDataRole.ToolTipRole:
                return field.help or field.label
            return None
        if not 0 <= section <= self.total_row:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tr("Cộng") if section == self.total_row else self.rows[section].scope_label
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and section < self.total_row
            and self._issues[section]
        ):
            return QBrush(QColor(MESSAGE_COLOUR))
        return None


class _CellDelegate(QStyledItemDelegate):
    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QLineEdit(parent)
        editor.setFrame(False)
        alignment = index.data(Qt.ItemDataRole.TextAlignmentRole)
        if alignment is not None:
            editor.setAlignment(Qt.AlignmentFlag(int(alignment)))
        return editor


class AggregateGrid(QTableView):
    """The spreadsheet of a village form: type, Tab goes right, Enter goes down.

    Delete empties a cell; the totals row is read only.
    """

    def __init__(self, model: AggregateGridModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = model
        self.setModel(model)
        self.setItemDelegate(_CellDelegate(self))
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(True)
        self.setWordWrap(True)
        header = self.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(110)
        # Field labels are sentences: three lines of header hold them.
        header.setMinimumHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 12)
        if model.rows and model.fields:
            self.setCurrentIndex(model.index(0, 0))

    def move_down(self) -> None:
        """Go to the cell below; from the last village, to the top of the next column."""
        current = self.currentIndex()
        if not current.isValid():
            return
        row, column = current.row(), current.column()
        if row + 1 < self.grid.total_row:
            self.setCurrentIndex(self.grid.index(row + 1, column))
        elif column + 1 < self.grid.columnCount():
            self.setCurrentIndex(self.grid.index(0, column + 1))

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        current = self.currentIndex()
        columns, rows = self.grid.columnCount(), self.grid.total_row
        action = QAbstractItemView.CursorAction
        if current.isValid() and columns and rows:
            row, column = min(current.row(), rows - 1), current.column()
            if cursorAction == action.MoveNext:
                if column + 1 < columns:
                    return self.grid.index(row, column + 1)
                return self.grid.index(row + 1, 0) if row + 1 < rows else current
            if cursorAction == action.MovePrevious:
                if column > 0:
                    return self.grid.index(row, column - 1)
                return self.grid.index(row - 1, columns - 1) if row > 0 else current
        return super().moveCursor(cursorAction, modifiers)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            self.move_down()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        editing = self.state() == QAbstractItemView.State.EditingState
        if not editing and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.move_down()
            event.accept()
            return
        if not editing and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            current = self.currentIndex()
            if current.isValid() and current.row() < self.grid.total_row:
                self.grid.setData(current, "")
            event.accept()
            return
        super().keyPressEvent(event)


class AggregatesPage(QWidget):
    """Choose an aggregate form and a year; enter its figures; Ctrl+S saves.

    Args:
        context: The application context.
        parent: The Qt parent.

    Signals:
        figures_saved(str): the id of the form whose figures were stored.
    """

    figures_saved = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.definition: Definition | None = None
        self.stored: list[AggregateRow] = []
        self.grid: AggregateGrid | None = None
        self.form: DefinitionForm | None = None
        self._form_dirty = False
        self._shown: tuple[str, int] | None = None
        self._loading = False

        title = QLabel(self.tr("Số liệu tổng hợp"))
        title.setStyleSheet(style.PAGE_TITLE)
        self.form_box = ChoiceBox()
        self.form_box.setAccessibleName(self.tr("Biểu tổng hợp"))
        self.year = QSpinBox()
        self.year.setRange(MIN_YEAR, MAX_YEAR)
        self.year.setKeyboardTracking(False)
        self.year.setValue(self.reporting_year())
        self.about = QLabel()
        self.about.setObjectName("about")
        self.about.setWordWrap(True)
        self.about.setStyleSheet(f"color: {HELP_COLOUR};")
        self.stack = QStackedWidget()
        self.empty = QLabel(
            self.tr("Chưa có biểu tổng hợp nào cho đơn vị này trong thư mục forms/.")
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.empty)
        self.messages = QListWidget()
        self.messages.setObjectName("messages")
        self.messages.setStyleSheet(f"color: {MESSAGE_COLOUR};")
        self.messages.setMaximumHeight(130)
        self.messages.hide()
        self.result = QLabel()
        self.result.setObjectName("result")
        self.save_button = QPushButton(self.tr("Lưu (Ctrl+S)"))
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(lambda: self.save())
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(f"color: {HELP_COLOUR};")

        filters = QHBoxLayout()
        form_label = QLabel(self.tr("&Biểu:"))
        form_label.setBuddy(self.form_box)
        year_label = QLabel(self.tr("&Năm:"))
        year_label.setBuddy(self.year)
        filters.addWidget(form_label)
        filters.addWidget(self.form_box, 1)
        filters.addWidget(year_label)
        filters.addWidget(self.year)
        bottom = QHBoxLayout()
        bottom.addWidget(self.result, 1)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(filters)
        layout.addWidget(self.about)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.messages)
        layout.addWidget(self.hint)
        layout.addLayout(bottom)

        save = QShortcut(QKeySequence.StandardKey.Save, self)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.activated.connect(lambda: self.save())
        # Typing a form's name moves through several forms; only where it stops counts.
        self._choice_timer = QTimer(self)
        self._choice_timer.setSingleShot(True)
        self._choice_timer.setInterval(CHOICE_DELAY_MS)
        self._choice_timer.timeout.connect(self._choice_changed)
        self.form_box.currentIndexChanged.connect(lambda _index: self._choice_timer.start())
        self.year.valueChanged.connect(lambda _value: self._choice_changed())
        self.refresh()

    # -- choosing ----------------------------------------------------------------

    def reporting_year(self) -> int:
        info = self.context.setup.installation()
        return info.year if info is not None else date.today().year

    def refresh(self) -> None:
        """Offer the forms this installation enters and show the chosen one again."""
        self._loading = True
        try:
            forms = self.context.aggregates.entry_forms()
            self.form_box.set_choices(
                [(d.id, f"{d.title} ({self.tr(SCOPES.get(d.scope or '', ''))})") for d in forms]
            )
        finally:
            self._loading = False
        if self.dirty():
            return  # what is typed stays until it is saved or given up
        self.load()

    def shown(self) -> tuple[str, int] | None:
        """The form and year on screen (``None`` before the first load)."""
        return self._shown

    def current_form(self) -> str | None:
        value = self.form_box.value()
        return str(value) if value else None

    def dirty(self) -> bool:
        """Whether figures were typed that are not saved."""
        if self.grid is not None and self.grid.grid.edited:
            return True
        return self.form is not None and self._form_dirty

    def _choice_changed(self) -> None:
        self._choice_timer.stop()
        if self._loading:
            return
        wanted = (self.current_form() or "", self.year.value())
        if wanted == self._shown:
            return
        if self.dirty() and not self._may_discard():
            self._restore_choice()
            return
        self.load()

    def _restore_choice(self) -> None:
        if self._shown is None:
            return
        self._loading = True
        try:
            self.form_box.set_value(self._shown[0])
            self.year.setValue(self._shown[1])
        finally:
            self._loading = False

    def _may_discard(self) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Số liệu tổng hợp"),
            self.tr("Có số liệu đã nhập mà chưa lưu. Bỏ các số liệu này?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def load(self) -> None:
        """Show the chosen form with the figures stored for the chosen year."""
        self.messages.clear()
        self.messages.hide()
        self.result.clear()
        form_id, year = self.current_form(), self.year.value()
        self._shown = (form_id or "", year)
        self._drop_editor()
        if form_id is None:
            self.definition = None
            self.about.clear()
            self.stack.setCurrentWidget(self.empty)
            self.save_button.setEnabled(False)
            return
        service = self.context.aggregates
        self.definition = service.form(form_id)
        self.stored = service.values(form_id, year)
        # The grid has no room for the form's description; the form shows its own.
        about = [self.definition.description] if self.definition.scope == "village" else []
        if self.definition.source:
            about.append(self.tr("Nguồn: {source}").format(source=self.definition.source))
        self.about.setText("\n".join(text for text in about if text))
        self.save_button.setEnabled(True)
        if self.definition.scope == "village":
            self._show_grid(form_id)
        else:
            self._show_form()

    def _drop_editor(self) -> None:
        for widget in (self.grid, self.form):
            if widget is not None:
                self.stack.removeWidget(widget)
                widget.deleteLater()
        self.grid = None
        self.form = None
        self._form_dirty = False

    def _show_grid(self, form_id: str) -> None:
        assert self.definition is not None
        service = self.context.aggregates
        model = AggregateGridModel(
            self.definition,
            self.stored,
            lambda values: service.check(form_id, values),
            lambda rows: service.totals(form_id, rows),
        )
        self.grid = AggregateGrid(model)
        self.grid.setObjectName("grid")
        model.setParent(self.grid)
        self.stack.addWidget(self.grid)
        self.stack.setCurrentWidget(self.grid)
        self.hint.setText(
            self.tr(
                "Mỗi thôn một dòng. Gõ số rồi Tab sang phải, Enter xuống dòng; ô Có/Không gõ "
                "c hoặc k · Delete: xóa ô · Ctrl+S: lưu cả bảng · Ô đỏ: di chuột hoặc xem "
                "danh sách lỗi bên dưới."
            )
        )
        QWidget.setTabOrder(self.year, self.grid)

    def _show_form(self) -> None:
        assert self.definition is not None
        self.form = DefinitionForm(self.definition)
        self.form.setObjectName("form")
        row = self.stored[0] if self.stored else None
        if row is not None:
            self.form.set_values(row.values)
        self._form_dirty = False
        self.form.values_changed.connect(lambda _values: self._mark_form_dirty())
        self.form.submitted.connect(lambda _values: self.save())
        self.stack.addWidget(self.form)
        self.stack.setCurrentWidget(self.form)
        self.hint.setText(
            self.tr(
                "Một dòng cho toàn xã. Tab hoặc Enter sang ô sau; Enter ở ô cuối hoặc Ctrl+S: lưu."
            )
        )
        QWidget.setTabOrder(self.year, self.form)

    def _mark_form_dirty(self) -> None:
        self._form_dirty = True

    # -- saving --------------------------------------------------------------------

    def save(self) -> bool:
        """Store the figures shown, all or nothing; the problems are listed when refused."""
        if self.definition is None:
            return False
        self.messages.clear()
        self.messages.hide()
        self.result.clear()
        if self.grid is not None:
            return self._save_grid()
        return self._save_form()

    def _save_grid(self) -> bool:
        assert self.grid is not None and self.definition is not None
        grid = self.grid
        if grid.state() == QAbstractItemView.State.EditingState:
            # Ctrl+S while typing in a cell saves what is typed there too.
            grid.setFocus()
        model = grid.grid
        sent = [n for n in range(model.total_row) if model.started(n)]
        rows = [(model.rows[n].village_id, model.row_values(n)) for n in sent]
        if not rows:
            self.result.setText(self.tr("Chưa nhập số liệu nào để lưu."))
            return False
        try:
            changed = self.context.aggregates.save_grid(self.definition.id, self.year.value(), rows)
        except ValidationFailed as refused:
            self._show_grid_refusal(sent, refused.issues)
            return False
        except XhhtError as error:
            self._list([error.message])
            return False
        self._saved(changed)
        return True

    def _show_grid_refusal(self, sent: Sequence[int], issues: Sequence[FieldIssue]) -> None:
        assert self.grid is not None and self.definition is not None
        model = self.grid.grid
        labels = {field.id: field.label for field in self.definition.fields}
        lines = [self.tr("Chưa lưu gì: {n} lỗi, hãy sửa rồi lưu lại.").format(n=len(issues))]
        by_row: dict[int, dict[str, str]] = {}
        for issue in issues:
            number = (
                sent[issue.row - 1]
                if issue.row is not None and 0 < issue.row <= len(sent)
                else None
            )
            if number is None:
                lines.append(issue.message)
                continue
            by_row.setdefault(number, {}).setdefault(issue.field, issue.message)
            where = model.rows[number].scope_label
            if issue.field in labels:
                where = f"{where} – {labels[issue.field]}"
            lines.append(f"{where}: {issue.message}")
        for number, found in by_row.items():
            model.set_issues(number, found)
        self._list(lines)
        if by_row:
            number = min(by_row)
            field_id = next(iter(by_row[number]))
            columns = [field.id for field in model.fields]
            if field_id in columns:
                self.grid.setCurrentIndex(model.index(number, columns.index(field_id)))
            self.grid.setFocus()

    def _save_form(self) -> bool:
        assert self.form is not None and self.definition is not None
        stored = self.stored[0] if self.stored else None
        expected = stored.revision if stored is not None and stored.entry_id else None
        try:
            self.context.aggregates.save(
                self.definition.id, self.year.value(), self.form.values(), None, expected
            )
        except ValidationFailed as refused:
            lines = [
                self.tr("Chưa lưu gì: {n} lỗi, hãy sửa rồi lưu lại.").format(n=len(refused.issues))
            ]
            for issue in refused.issues:
                if issue.field in {f.id for f in self.definition.fields}:
                    self.form.row(issue.field).show_message(issue.message)
                    lines.append(f"{self.definition.field(issue.field).label}: {issue.message}")
                else:
                    lines.append(issue.message)
            self._list(lines)
            return False
        except StaleRecord as stale:
            self._list([stale.message])
            return False
        except XhhtError as error:
            self._list([error.message])
            return False
        self._saved(1)
        return True

    def _saved(self, changed: int) -> None:
        assert self.definition is not None
        definition_id = self.definition.id
        self.load()
        self.result.setText(
            self.tr("Đã lưu số liệu năm {year} ({n} dòng thay đổi).").format(
                year=self.year.value(), n=changed
            )
        )
        self.figures_saved.emit(definition_id)

    def _list(self, lines: Sequence[str]) -> None:
        self.messages.clear()
        self.messages.addItems(list(lines))
        self.messages.show()
