"""The plan editor: a plan's document details and its targets, edited by keyboard.

Above, the document the plan is (number, date, issuing body, title, summary);
below, its targets as a spreadsheet: the indicator (type a few letters of its
name, diacritics optional: "hmong", "gia dinh"), the comparison, the value,
the stretch value (only for a range), the deadline year and the plan's own
wording. Insert adds a target, Delete removes the one under the cursor, a
typed key or F2 edits a cell, Tab goes on to the next cell, Enter saves the
plan through ``context.plans.save`` and Esc closes without saving.

The service checks everything (the same rules as the strict loader of plan
files); a refusal saves nothing and comes back here field by field: the
document's fields show their message under them, each target's cell turns
red with its message as tooltip, and the list under the table names every
row and column. A preset (shipped with the app) opens read-only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractItemModel,
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.core import text as vntext
from xhht_desktop.core.indicators import GROUPS, UNITS, Indicator
from xhht_desktop.core.plans import (
    COMPARISON_LABELS,
    COMPARISONS,
    PlanDraft,
    TargetDraft,
    indicator_choices,
)
from xhht_desktop.core.targets import Comparison
from xhht_desktop.errors import FieldIssue, NotFound, ValidationFailed
from xhht_desktop.forms.fieldtypes import DateType, InvalidValue
from xhht_desktop.ui.forms.field_row import MESSAGE_COLOUR, ChoiceBox, FieldLayout

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext
    from xhht_desktop.core.plans import Plan

Index = QModelIndex | QPersistentModelIndex

#: A cell the service refused.
_INVALID = QColor("#ffcdd2")
#: The stretch cell of a target that is not a range: nothing to enter.
_NOT_APPLICABLE = QColor("#eeeeee")
_DATES = DateType()

COLUMNS: tuple[str, ...] = ("indicator", "comparison", "value", "stretch", "deadline", "wording")
"""The table's columns, named as the service names a target's fields in its issues."""
COLUMN_TITLES: dict[str, str] = {
    "indicator": QT_TRANSLATE_NOOP("PlanEditor", "Chỉ số"),
    "comparison": QT_TRANSLATE_NOOP("PlanEditor", "So sánh"),
    "value": QT_TRANSLATE_NOOP("PlanEditor", "Chỉ tiêu (%)"),
    "stretch": QT_TRANSLATE_NOOP("PlanEditor", "Mức phấn đấu (%)"),
    "deadline": QT_TRANSLATE_NOOP("PlanEditor", "Năm"),
    "wording": QT_TRANSLATE_NOOP("PlanEditor", "Lời văn của kế hoạch"),
}
_OTHER_FIELDS = {
    "section": QT_TRANSLATE_NOOP("PlanEditor", "Mục"),
    "note": QT_TRANSLATE_NOOP("PlanEditor", "Ghi chú"),
}
NUMBER_COLUMNS = frozenset({"value", "stretch", "deadline"})


def _tr(text: str) -> str:
    return QCoreApplication.translate("PlanEditor", text)


def comparison_choices() -> list[tuple[str, str]]:
    """``(key, label)`` of each comparison a target may use, in the plan files' keys."""
    return [
        (comparison.value, QCoreApplication.translate("plans", label))
        for comparison, label in COMPARISON_LABELS.items()
    ]


def indicator_label(indicator: Indicator) -> str:
    """The indicator's name as the editor shows it (translated registry data)."""
    return QCoreApplication.translate("indicators", indicator.label)


def _search_key(text: str) -> str:
    # "H'Mông" is found by "hmong" as well as by "h'mong".
    return vntext.fold(text).replace("'", "")


class IndicatorBox(ChoiceBox):
    """The indicators of the registry, found by typing any words of the name or the code.

    Typing "hmong" selects the first H'Mông indicator, "gia dinh cong"
    the households recognised as Gia đình học tập, "gdht" the first
    indicator whose code starts so; diacritics and case do not matter. A
    word typed must start the name or appear in it; several words must all
    appear.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        choices = indicator_choices()
        super().__init__(
            [(indicator.code, indicator_label(indicator)) for indicator in choices],
            placeholder=_tr("Gõ vài chữ của tên chỉ số…"),
            parent=parent,
        )
        self._codes = [indicator.code for indicator in choices]
        self._keys = [
            _search_key(f"{indicator.code} {indicator.label} {GROUPS[indicator.group]}")
            for indicator in choices
        ]
        self._starts = [_search_key(indicator.label).replace(" ", "") for indicator in choices]
        self.view().setMinimumWidth(560)

    def find_typed(self, typed: str) -> int:
        """The first indicator ``typed`` selects: by code, then name start, then all words."""
        words = [_search_key(word) for word in vntext.search_tokens(typed)]
        if not words:
            return -1
        joined = "".join(words)
        for number, code in enumerate(self._codes):
            if code.startswith(joined) or code.replace("-", "").startswith(joined):
                return number
        for number, start in enumerate(self._starts):
            if start.startswith(joined):
                return number
        for number, key in enumerate(self._keys):
            if all(word in key for word in words):
                return number
        return -1


@dataclass
class TargetLine:
    """One row of the targets table, as typed (numbers stay text until the service reads them)."""

    indicator: str = ""
    comparison: str = Comparison.AT_LEAST.value
    value: str = ""
    stretch: str = ""
    deadline: str = ""
    wording: str = ""
    section: str = ""
    note: str = ""

    @classmethod
    def of(cls, draft: TargetDraft) -> TargetLine:
        def text(value: object) -> str:
            return "" if value is None else str(value)

        comparison = COMPARISONS.get(draft.comparison)
        return cls(
            indicator=draft.indicator,
            comparison=comparison.value if comparison is not None else draft.comparison,
            value=text(draft.value),
            stretch=text(draft.stretch),
            deadline=text(draft.deadline),
            wording=draft.wording,
            section=draft.section,
            note=draft.note,
        )

    @property
    def is_range(self) -> bool:
        return self.comparison == Comparison.RANGE.value

    def draft(self) -> TargetDraft:
        """The row as the service takes it; a stretch value only goes with a range."""
        return TargetDraft(
            indicator=self.indicator,
            comparison=self.comparison,
            value=self.value,
            deadline=self.deadline,
            stretch=self.stretch if self.is_range else None,
            wording=self.wording,
            section=self.section,
            note=self.note,
        )


class TargetsModel(QAbstractTableModel):
    """The targets of the plan being edited, and the service's messages about them.

    Args:
        lines: The rows, in the plan's order.
        read_only: Nothing can be changed (a preset).
        parent: The Qt parent.
    """

    def __init__(
        self,
        lines: Sequence[TargetLine],
        read_only: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.lines = list(lines)
        self.read_only = read_only
        self._indicators = {indicator.code: indicator for indicator in indicator_choices()}
        self._comparisons = dict(comparison_choices())
        # (row from 0, field) → the service's message.
        self._issues: dict[tuple[int, str], str] = {}

    # -- reading and changing ------------------------------------------------------------

    def drafts(self) -> tuple[TargetDraft, ...]:
        return tuple(line.draft() for line in self.lines)

    def insert_line(self, row: int, line: TargetLine) -> None:
        self.beginInsertRows(QModelIndex(), row, row)
        self.lines.insert(row, line)
        self._issues = {(r + 1 if r >= row else r, f): m for (r, f), m in self._issues.items()}
        self.endInsertRows()

    def remove_line(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.lines[row]
        self._issues = {
            (r - 1 if r > row else r, f): m for (r, f), m in self._issues.items() if r != row
        }
        self.endRemoveRows()

    def set_issues(self, issues: Sequence[FieldIssue]) -> None:
        """Mark the cells the service refused (``row`` is the 1-based target position)."""
        self._issues = {
            (issue.row - 1, issue.field if issue.field in COLUMNS else "indicator"): issue.message
            for issue in reversed(issues)
            if issue.row is not None and 0 < issue.row <= len(self.lines)
        }
        self._all_changed()

    def issue(self, row: int, field: str) -> str | None:
        return self._issues.get((row, field))

    def _all_changed(self) -> None:
        if self.lines:
            last = self.index(len(self.lines) - 1, len(COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    # -- Qt model --------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return _tr(COLUMN_TITLES[COLUMNS[section]])
        return str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not index.isValid() or self.read_only:
            return flags
        line = self.lines[index.row()]
        if COLUMNS[index.column()] == "stretch" and not line.is_range:
            return flags
        return flags | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        line = self.lines[index.row()]
        field = COLUMNS[index.column()]
        raw = getattr(line, field)
        issue = self._issues.get((index.row(), field))
        if role == Qt.ItemDataRole.EditRole:
            return raw
        if role == Qt.ItemDataRole.DisplayRole:
            return self._shown(line, field)
        if role == Qt.ItemDataRole.ToolTipRole:
            return issue or self._tip(line, field)
        if role == Qt.ItemDataRole.BackgroundRole:
            if issue:
                return _INVALID
            if field == "stretch" and not line.is_range:
                return _NOT_APPLICABLE
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and field in NUMBER_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _shown(self, line: TargetLine, field: str) -> str:
        if field == "indicator":
            found = self._indicators.get(line.indicator)
            return indicator_label(found) if found is not None else line.indicator
        if field == "comparison":
            return self._comparisons.get(line.comparison, line.comparison)
        if field == "stretch" and not line.is_range:
            return "—"
        return str(getattr(line, field))

    def _tip(self, line: TargetLine, field: str) -> str | None:
        if field == "indicator":
            found = self._indicators.get(line.indicator)
            if found is None:
                return _tr("Gõ vài chữ của tên chỉ số để chọn (không cần dấu).")
            return _tr("{label}\nMã: {code} · tính trên: {unit}").format(
                label=indicator_label(found), code=found.code, unit=UNITS[found.unit]
            )
        if field == "stretch" and not line.is_range:
            return _tr("Chỉ chỉ tiêu dạng khoảng mới có mức phấn đấu.")
        if field == "wording":
            return line.wording or _tr("Để trống: dùng tên chỉ số.")
        return None

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.read_only:
            return False
        line = self.lines[index.row()]
        field = COLUMNS[index.column()]
        text = "" if value is None else str(value)
        if field not in ("indicator", "comparison"):
            text = vntext.clean(text)
        if getattr(line, field) == text:
            return False
        setattr(line, field, text)
        self._issues.pop((index.row(), field), None)
        if field == "comparison":
            # Only a range has a stretch value: another comparison drops it.
            if not line.is_range:
                line.stretch = ""
            self._issues.pop((index.row(), "stretch"), None)
            self.dataChanged.emit(
                self.index(index.row(), 0), self.index(index.row(), len(COLUMNS) - 1)
            )
        else:
            self.dataChanged.emit(index, index)
        return True


class TargetDelegate(QStyledItemDelegate):
    """Editors of the targets table; Enter in any of them means "save the plan".

    Signals:
        enter_pressed: Enter was pressed in a cell editor; the cell is committed.
    """

    enter_pressed = Signal()

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        field = COLUMNS[index.column()]
        if field == "indicator":
            return IndicatorBox(parent)
        if field == "comparison":
            return ChoiceBox(comparison_choices(), parent=parent)
        editor = QLineEdit(parent)
        editor.setFrame(False)
        if field in NUMBER_COLUMNS:
            editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, ChoiceBox):
            editor.set_value(value or None)
        elif isinstance(editor, QLineEdit):
            editor.setText("" if value is None else str(value))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, ChoiceBox):
            chosen = editor.value()
            if chosen is not None:
                model.setData(index, chosen, Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        # Enter commits the cell and saves, here rather than by the dialog's
        # default button, so that the cell is in the model before the save.
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and isinstance(editor, QWidget)
        ):
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self.enter_pressed.emit()
            return True
        return super().eventFilter(editor, event)


class TargetsTable(QTableView):
    """The targets as a spreadsheet: Insert adds one, Delete removes the current one.

    Signals:
        save_requested: Enter was pressed while a cell was being edited.
    """

    save_requested = Signal()

    def __init__(self, model: TargetsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.targets = model
        #: Makes the row that Insert adds (the dialog fills in the reporting year).
        self.new_line: Callable[[], TargetLine] = TargetLine
        self.setModel(model)
        delegate = TargetDelegate(self)
        delegate.enter_pressed.connect(self.save_requested)
        self.setItemDelegate(delegate)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        # Tab leaves the table when no cell is being edited; inside an editor
        # it goes on to the next cell.
        self.setTabKeyNavigation(False)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        if model.read_only:
            self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        else:
            self.setEditTriggers(
                QAbstractItemView.EditTrigger.AnyKeyPressed
                | QAbstractItemView.EditTrigger.EditKeyPressed
                | QAbstractItemView.EditTrigger.DoubleClicked
            )
        header = self.horizontalHeader()
        widths = {
            "indicator": 300,
            "comparison": 190,
            "value": 90,
            "stretch": 120,
            "deadline": 60,
        }
        for column, field in enumerate(COLUMNS):
            if field in widths:
                header.resizeSection(column, widths[field])
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        if model.rowCount():
            self.setCurrentIndex(model.index(0, 0))

    def editing(self) -> bool:
        return self.state() == QAbstractItemView.State.EditingState

    def commit_editing(self) -> None:
        """Put what the open cell editor holds into the model (a click on Save while typing)."""
        if not self.editing():
            return
        editor = self.indexWidget(self.currentIndex())
        if editor is not None:
            self.commitData(editor)
            self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def insert_target(self, line: TargetLine) -> None:
        """Add ``line`` after the current row and open its indicator for typing."""
        current = self.currentIndex()
        row = current.row() + 1 if current.isValid() else self.targets.rowCount()
        self.targets.insert_line(row, line)
        index = self.targets.index(row, 0)
        self.setCurrentIndex(index)
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.edit(index)

    def remove_target(self) -> None:
        """Remove the current row; the cursor stays on the row that takes its place."""
        current = self.currentIndex()
        if not current.isValid():
            return
        row, column = current.row(), current.column()
        self.targets.remove_line(row)
        if self.targets.rowCount():
            self.setCurrentIndex(self.targets.index(min(row, self.targets.rowCount() - 1), column))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.editing() and not self.targets.read_only:
            if event.key() == Qt.Key.Key_Insert:
                self.insert_target(self.new_line())
                event.accept()
                return
            if event.key() == Qt.Key.Key_Delete:
                self.remove_target()
                event.accept()
                return
        super().keyPressEvent(event)


class PlanEditorDialog(QDialog):
    """Edit a plan of the commune, or look at a preset (read-only).

    Args:
        context: The application context.
        plan_id: The plan to open.
        parent: The Qt parent.

    Attributes:
        plan: The plan as loaded (``None`` if it could not be).
        read_only: The plan is a preset: nothing can be saved.
        fields: The document's fields, each with its message.
        table: The targets.
        status: Messages that belong to no one field (the plan is gone…).
        target_issues: Every refused cell of the table, by row and column.

    Signals:
        plan_saved(str): the id of the plan just saved.
    """

    plan_saved = Signal(str)

    def __init__(self, context: AppContext, plan_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.plan: Plan | None = None
        self._draft: PlanDraft | None = None
        self._missing = ""
        try:
            self.plan = context.plans.get(plan_id)
            self._draft = context.plans.draft(plan_id)
        except NotFound as error:
            self._missing = error.message
        self.read_only = self.plan is None or self.plan.preset

        self.banner = QLabel()
        self.banner.setObjectName("readOnlyBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "background-color: #fff3cd; color: #5c4400; padding: 6px; font-weight: bold;"
        )
        self.banner.setVisible(self.plan is not None and self.plan.preset)
        self.banner.setText(
            self.tr(
                "Mẫu có sẵn — chỉ đọc. Muốn đổi chỉ tiêu, hãy đóng lại rồi chọn «Sao chép "
                "thành kế hoạch mới» trong danh sách kế hoạch."
            )
        )
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.status.setStyleSheet(f"color: {MESSAGE_COLOUR};")
        self.status.hide()

        self.fields = FieldLayout()
        self.id_edit = QLineEdit()
        self.id_edit.setReadOnly(True)
        self.title_edit = QLineEdit()
        self.number_edit = QLineEdit()
        self.number_edit.setPlaceholderText(self.tr("ví dụ 25/KH-UBND"))
        self.date_edit = QLineEdit()
        self.date_edit.setPlaceholderText(self.tr("ngày/tháng/năm"))
        self.date_edit.setMaximumWidth(160)
        self.issuer_edit = QLineEdit()
        self.issuer_edit.setPlaceholderText(self.tr("ví dụ Ủy ban nhân dân xã Đức An"))
        self.summary_edit = QLineEdit()
        self.fields.add_field("id", self.tr("Mã kế hoạch"), self.id_edit)
        self.fields.add_field("title", self.tr("&Tên kế hoạch"), self.title_edit)
        self.fields.add_field("number", self.tr("&Số văn bản"), self.number_edit)
        self.fields.add_field("issued_on", self.tr("&Ngày ban hành"), self.date_edit)
        self.fields.add_field("issuer", self.tr("Cơ &quan ban hành"), self.issuer_edit)
        self.fields.add_field("summary", self.tr("Trích &yếu"), self.summary_edit)

        lines = [TargetLine.of(t) for t in self._draft.targets] if self._draft else []
        self.model = TargetsModel(lines, read_only=self.read_only, parent=self)
        self.table = TargetsTable(self.model)
        self.table.setAccessibleName(self.tr("Các chỉ tiêu"))
        self.table.save_requested.connect(lambda: self.save())
        self.table.new_line = self.new_line
        targets_label = QLabel(self.tr("Các chỉ tiê&u:"))
        targets_label.setBuddy(self.table)
        self.target_issues = QLabel()
        self.target_issues.setObjectName("targetIssues")
        self.target_issues.setWordWrap(True)
        self.target_issues.setStyleSheet(f"color: {MESSAGE_COLOUR};")
        self.target_issues.hide()
        self.hint = QLabel(
            self.tr(
                "Insert: thêm chỉ tiêu · Delete: xóa chỉ tiêu · gõ chữ hoặc F2 để sửa ô, Tab "
                "sang ô kế tiếp · Enter: lưu kế hoạch · Esc: đóng"
            )
        )
        self.hint.setWordWrap(True)
        self.hint.setVisible(not self.read_only)

        self.add_button = QPushButton(self.tr("Thêm chỉ tiêu (Insert)"))
        self.remove_button = QPushButton(self.tr("Xóa chỉ tiêu (Delete)"))
        # Buttons for the mouse; the keyboard has Insert and Delete in the table.
        for button in (self.add_button, self.remove_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAutoDefault(False)
            button.setVisible(not self.read_only)
        self.add_button.clicked.connect(lambda: self.add_target())
        self.remove_button.clicked.connect(lambda: self.table.remove_target())

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(
            self.tr("&Lưu"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.close_button = buttons.addButton(
            self.tr("Đóng"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.save_button.clicked.connect(lambda: self.save())
        self.close_button.clicked.connect(self.reject)
        self.save_button.setVisible(not self.read_only)

        row_buttons = QHBoxLayout()
        row_buttons.addWidget(self.add_button)
        row_buttons.addWidget(self.remove_button)
        row_buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.status)
        layout.addLayout(self.fields)
        layout.addWidget(targets_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.target_issues)
        layout.addLayout(row_buttons)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        # Only once the button is in the dialog does it stay the default after focus moves.
        (self.close_button if self.read_only else self.save_button).setDefault(True)
        self.fields.chain_tab_order([self.table, self.save_button, self.close_button])

        self._show_plan()
        self.resize(1180, 720)
        (self.table if self.read_only else self.title_edit).setFocus()

    # -- showing -----------------------------------------------------------------------

    def _show_plan(self) -> None:
        if self.plan is None or self._draft is None:
            self.setWindowTitle(self.tr("Kế hoạch"))
            self.show_status(self._missing)
            for editor in self.fields.editors():
                editor.setEnabled(False)
            return
        draft = self._draft
        title = (
            self.tr("Xem kế hoạch mẫu — {title}")
            if self.plan.preset
            else self.tr("Sửa kế hoạch — {title}")
        )
        self.setWindowTitle(title.format(title=draft.title))
        self.id_edit.setText(draft.id)
        self.title_edit.setText(draft.title)
        self.number_edit.setText(draft.number)
        self.date_edit.setText(_DATES.format(draft.issued_on))
        self.issuer_edit.setText(draft.issuer)
        self.summary_edit.setText(draft.summary)
        for editor in (
            self.title_edit,
            self.number_edit,
            self.date_edit,
            self.issuer_edit,
            self.summary_edit,
        ):
            editor.setReadOnly(self.read_only)

    def show_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    # -- editing -----------------------------------------------------------------------

    def new_line(self) -> TargetLine:
        """An empty target whose deadline is the reporting year."""
        info = self.context.setup.installation()
        return TargetLine(deadline=str(info.year) if info is not None else "")

    def add_target(self) -> None:
        """Add an empty target after the current one and open its indicator for typing."""
        self.table.insert_target(self.new_line())

    def draft(self) -> PlanDraft | None:
        """What the editor holds, as the service takes it; ``None`` if the date is unreadable.

        An unreadable date shows its message under the field.
        """
        assert self._draft is not None
        try:
            issued_on = _DATES.parse(self.date_edit.text())
        except InvalidValue as error:
            self.fields.set_message("issued_on", error.message)
            self.date_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return None
        return replace(
            self._draft,
            title=self.title_edit.text(),
            number=self.number_edit.text(),
            issued_on=issued_on,  # type: ignore[arg-type]
            issuer=self.issuer_edit.text(),
            summary=self.summary_edit.text(),
            targets=self.model.drafts(),
        )

    def save(self) -> bool:
        """Save the plan through the service; on refusal show every message and save nothing.

        Returns:
            Whether the plan was saved (the dialog then closes).
        """
        if self.plan is None or self.read_only:
            return False
        self.table.commit_editing()
        self.fields.clear_issues()
        self.show_status("")
        self.model.set_issues([])
        self.target_issues.hide()
        draft = self.draft()
        if draft is None:
            return False
        try:
            saved = self.context.plans.save(draft)
        except ValidationFailed as refused:
            self.show_refusal(refused)
            return False
        self.plan_saved.emit(saved.id)
        self.accept()
        return True

    def show_refusal(self, refused: ValidationFailed) -> None:
        """Each message where it belongs: under a field, on a cell, or above the form."""
        rows = [issue for issue in refused.issues if issue.row is not None]
        others = [issue for issue in refused.issues if issue.row is None]
        leftover = self.fields.show_issues(ValidationFailed(others)) if others else []
        self.show_status("\n".join(leftover))
        self.model.set_issues(rows)
        if rows:
            self.target_issues.setText("\n".join(self.issue_lines(rows)))
            self.target_issues.show()
            if not any(self.fields.message(f) for f in ("title", "number", "issuer", "summary")):
                first = rows[0]
                column = COLUMNS.index(first.field) if first.field in COLUMNS else 0
                self.table.setCurrentIndex(self.model.index((first.row or 1) - 1, column))
                self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def issue_lines(self, issues: Sequence[FieldIssue]) -> list[str]:
        """ "Chỉ tiêu 3, Mức phấn đấu (%): …" for each refused cell."""
        lines = []
        for issue in issues:
            name = COLUMN_TITLES.get(issue.field) or _OTHER_FIELDS.get(issue.field, issue.field)
            lines.append(
                self.tr("Chỉ tiêu {row}, {column}: {message}").format(
                    row=issue.row, column=_tr(name), message=issue.message
                )
            )
        return lines
