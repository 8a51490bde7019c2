"""The learning models page: registration, evaluation and recognition, year by year.

One page for the four models ("Gia đình học tập", "Dòng họ học tập",
"Cộng đồng học tập" cấp thôn, "Đơn vị học tập"): choose the model and the
year, filter by village, status or name, and act on the list. At the top,
the year's counts of the four models come from the one counting query
(:meth:`~xhht_desktop.services.learning_models.LearningModelService.counts`,
the figures ``xhht models`` prints), computed off the GUI thread.

Every action is a dialog that calls the service and reports back here:
registering a village from its checklist, scoring one subject or a
village's grid, recognising the chosen subjects (or every subject that
passed) by one decision, refusing or revoking a recognition.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.core.models_cycle import MODELS, learning_model
from xhht_desktop.errors import XhhtError
from xhht_desktop.store.model_queries import EntryFilter, EntryRow
from xhht_desktop.ui import style
from xhht_desktop.ui.figure_tables import (
    FigureRow,
    FigureTableModel,
    Heading,
    count_cell,
    figure_view,
    text_cell,
)
from xhht_desktop.ui.forms.evaluation_dialog import EvaluationDialog, QuickScoreDialog
from xhht_desktop.ui.forms.field_row import MESSAGE_COLOUR, ChoiceBox
from xhht_desktop.ui.forms.household_form import VillageChoiceBox
from xhht_desktop.ui.forms.recognition_dialog import (
    OutcomeDialog,
    RecognitionDialog,
    total_text,
)
from xhht_desktop.ui.forms.registration_checklist import (
    RegistrationChecklist,
    format_date,
    model_title,
    status_text,
    subject_kind,
    subject_label,
)
from xhht_desktop.ui.table_models import LEFT, RIGHT, Column, PagedTableModel, format_thousands
from xhht_desktop.ui.tasks import LatestTask

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext
    from xhht_desktop.services.learning_models import BulkResult, ModelsReport

#: How long typing must pause before the search runs, in milliseconds.
SEARCH_DELAY_MS = 250
MIN_YEAR, MAX_YEAR = 2000, 2100

#: Status filter: ``EntryFilter.status`` → label (Vietnamese source text).
STATUSES: tuple[tuple[str, str], ...] = (
    ("", QT_TRANSLATE_NOOP("LearningModelsPage", "Mọi trạng thái")),
    ("not_registered", QT_TRANSLATE_NOOP("LearningModelsPage", "Chưa đăng ký")),
    ("registered", QT_TRANSLATE_NOOP("LearningModelsPage", "Đã đăng ký")),
    ("passed", QT_TRANSLATE_NOOP("LearningModelsPage", "Đã đánh giá – đạt")),
    ("failed", QT_TRANSLATE_NOOP("LearningModelsPage", "Đã đánh giá – không đạt")),
    ("recognised", QT_TRANSLATE_NOOP("LearningModelsPage", "Đã công nhận")),
    ("refused", QT_TRANSLATE_NOOP("LearningModelsPage", "Bị từ chối công nhận")),
    ("revoked", QT_TRANSLATE_NOOP("LearningModelsPage", "Bị thu hồi công nhận")),
)

#: Columns of the counts table, as ``xhht models`` prints them.
COUNT_COLUMNS = ("in_scope", "registered", "evaluated", "passed", "recognised")


def _outcome_tooltip(row: EntryRow) -> str:
    """The reasons behind an entry's outcome, for the result column's tool tip."""

    def tr(text: str) -> str:
        return QCoreApplication.translate("LearningModelsPage", text)

    lines = []
    if row.override_reason:
        lines.append(
            tr("Công nhận theo lý do của người phê duyệt: {reason}").format(
                reason=row.override_reason
            )
        )
    if row.refusal_reason:
        lines.append(
            tr("Không công nhận ({day}): {reason}").format(
                day=format_date(row.refused_on), reason=row.refusal_reason
            )
        )
    if row.revocation_reason:
        lines.append(
            tr("Thu hồi ({day}): {reason}").format(
                day=format_date(row.revoked_on), reason=row.revocation_reason
            )
        )
    return "\n".join(lines)


class LearningModelsPage(QWidget):
    """The year's entries of one learning model, and the actions of the cycle.

    Keyboard: Ctrl+F searches; in the list, Enter scores the entry under
    the cursor, Shift+arrows or Ctrl+A select several; Ctrl+D registers
    from a village's checklist, Ctrl+G opens the fast scoring grid, Ctrl+K
    recognises the selected entries and Ctrl+Shift+K every entry that
    passed (in the village chosen), Ctrl+T refuses recognition, Ctrl+H
    revokes it.

    Args:
        context: The application context.
        parent: The Qt parent.
        today: The day of entry handed to the dialogs (tests fix it).

    Signals:
        counts_shown(int): the counts of that year are on screen.
        data_changed(str): an action stored something (its message).
    """

    counts_shown = Signal(int)
    data_changed = Signal(str)

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.today = today
        self.report: ModelsReport | None = None
        self._counting = LatestTask(self._counts_done, self._counts_failed, self)
        self._refreshing = False

        self.title = QLabel(self.tr("Mô hình học tập"))
        self.title.setStyleSheet(style.PAGE_TITLE)
        self.model_box = ChoiceBox([(code, model_title(code)) for code in MODELS])
        self.model_box.setAccessibleName(self.tr("Mô hình"))
        self.year = QSpinBox()
        self.year.setRange(MIN_YEAR, MAX_YEAR)
        self.year.setKeyboardTracking(False)
        self.year.setValue(self.reporting_year())
        self.year.setAccessibleName(self.tr("Năm"))
        self.village = VillageChoiceBox()
        self.status = ChoiceBox([(key, self.tr(label)) for key, label in STATUSES])
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Tìm theo tên, mã hộ (Ctrl+F)"))
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)

        self.counts_model = FigureTableModel(parent=self)
        self.counts_view = figure_view(self.counts_model, 240)
        self.counts_view.setObjectName("counts")
        # The figures are read, not worked in: Tab goes from the filters to the list.
        self.counts_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.counts_caption = QLabel()
        self.counts_caption.setObjectName("counts_caption")

        self.model: PagedTableModel[EntryRow] = PagedTableModel(
            columns=self._columns(),
            count=lambda: self.context.learning_models.count_entries(
                self.current_model(), self.year.value(), self.current_filter()
            ),
            page=lambda offset, limit: self.context.learning_models.entries(
                self.current_model(), self.year.value(), self.current_filter(), offset, limit
            ),
            row_id=lambda row: row.subject.id,
            parent=self,
            load=False,
        )
        self.table = QTableView()
        self.table.setObjectName("entries")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.doubleClicked.connect(lambda _index: self.evaluate_selected())
        self.count_label = QLabel()

        # The shortcuts are in the tool tips and the hint line: the labels stay short
        # enough for one row of buttons.
        self.register_button = self._button(self.tr("Đăng ký theo danh sách…"), "Ctrl+D")
        self.evaluate_button = self._button(self.tr("Chấm điểm"), "Enter")
        self.grid_button = self._button(self.tr("Chấm điểm nhanh…"), "Ctrl+G")
        self.recognise_button = self._button(self.tr("Công nhận…"), "Ctrl+K")
        self.recognise_all_button = self._button(self.tr("Công nhận tất cả đạt…"), "Ctrl+Shift+K")
        self.refuse_button = self._button(self.tr("Từ chối…"), "Ctrl+T")
        self.revoke_button = self._button(self.tr("Thu hồi…"), "Ctrl+H")
        self.hint = QLabel(
            self.tr(
                "Enter: chấm điểm · Shift+mũi tên, Ctrl+A: chọn nhiều dòng · Ctrl+D: đăng ký · "
                "Ctrl+G: chấm điểm nhanh · Ctrl+K: công nhận các dòng chọn · "
                "Ctrl+Shift+K: công nhận tất cả đạt · Ctrl+T: từ chối · Ctrl+H: thu hồi"
            )
        )
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555555;")
        self.register_button.clicked.connect(lambda: self.open_checklist())
        self.evaluate_button.clicked.connect(lambda: self.evaluate_selected())
        self.grid_button.clicked.connect(lambda: self.open_grid())
        self.recognise_button.clicked.connect(lambda: self.recognise_selected())
        self.recognise_all_button.clicked.connect(lambda: self.recognise_all_passed())
        self.refuse_button.clicked.connect(lambda: self.close_selected(revoke=False))
        self.revoke_button.clicked.connect(lambda: self.close_selected(revoke=True))

        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.hide()

        self._layout()
        self._connect()
        self.refresh()

    # -- building --------------------------------------------------------------

    def _layout(self) -> None:
        filters = QHBoxLayout()
        for text, widget, stretch in (
            (self.tr("&Mô hình:"), self.model_box, 2),
            (self.tr("&Năm:"), self.year, 0),
            (self.tr("T&hôn:"), self.village, 2),
            (self.tr("Trạn&g thái:"), self.status, 2),
            (self.tr("&Tìm:"), self.search, 2),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget, stretch)
        actions = QHBoxLayout()
        for button in (
            self.register_button,
            self.evaluate_button,
            self.grid_button,
            self.recognise_button,
            self.recognise_all_button,
            self.refuse_button,
            self.revoke_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        rows = self.counts_view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.counts_view.fontMetrics().height() + 10)
        self.counts_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.counts_view.setFixedHeight(rows.defaultSectionSize() * (len(MODELS) + 1))
        list_line = QHBoxLayout()
        list_line.addWidget(self.counts_caption, 1)
        list_line.addWidget(self.count_label)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(filters)
        layout.addWidget(self.counts_view)
        layout.addLayout(list_line)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.hint)

        for number, column in enumerate(self.model.columns):
            if column.width is not None:
                self.table.setColumnWidth(number, column.width)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

        chain = [self.model_box, self.year, self.village, self.status, self.search, self.table]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _connect(self) -> None:
        self.model_box.currentIndexChanged.connect(lambda _index: self._model_changed())
        self.year.valueChanged.connect(lambda _value: self._year_changed())
        self.village.currentIndexChanged.connect(lambda _index: self._filter_changed())
        self.status.currentIndexChanged.connect(lambda _index: self._filter_changed())
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filter)
        self.table.selectionModel().selectionChanged.connect(
            lambda _selected, _deselected: self._update_actions()
        )

        self._shortcut(QKeySequence.StandardKey.Find, self.focus_search)
        self._shortcut(QKeySequence("Ctrl+D"), self.open_checklist)
        self._shortcut(QKeySequence("Ctrl+G"), self.open_grid)
        self._shortcut(QKeySequence("Ctrl+K"), self.recognise_selected)
        self._shortcut(QKeySequence("Ctrl+Shift+K"), self.recognise_all_passed)
        self._shortcut(QKeySequence("Ctrl+T"), lambda: self.close_selected(revoke=False))
        self._shortcut(QKeySequence("Ctrl+H"), lambda: self.close_selected(revoke=True))
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.evaluate_selected)
        down = QShortcut(QKeySequence(Qt.Key.Key_Down), self.search)
        down.setContext(Qt.ShortcutContext.WidgetShortcut)
        down.activated.connect(self.table.setFocus)

    def _button(self, text: str, keys: str) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(keys)
        button.setAutoDefault(False)
        return button

    def _shortcut(
        self, key: QKeySequence | QKeySequence.StandardKey, slot: Callable[[], object]
    ) -> None:
        shortcut = QShortcut(QKeySequence(key), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)

    def _columns(self) -> list[Column[EntryRow]]:
        subject = subject_kind(self.current_model())
        return [
            Column(subject, lambda r: subject_label(r.subject), LEFT, width=280),
            Column(self.tr("Thôn/tổ dân phố"), lambda r: r.subject.village_name or "", width=170),
            Column(self.tr("Ngày đăng ký"), lambda r: format_date(r.registered_on), width=110),
            Column(self.tr("Tổng điểm"), lambda r: total_text(r.total), RIGHT, width=90),
            Column(self.tr("Kết quả"), status_text, width=130, tooltip=_outcome_tooltip),
            Column(self.tr("Số quyết định"), lambda r: r.decision_number or "", width=140),
        ]

    # -- state -------------------------------------------------------------------

    def reporting_year(self) -> int:
        info = self.context.setup.installation()
        return info.year if info is not None else date.today().year

    def current_model(self) -> str:
        return str(self.model_box.value() or "gdht")

    def current_year(self) -> int:
        return self.year.value()

    def current_village(self) -> str | None:
        if learning_model(self.current_model()).subject == "clan":
            return None
        return self.village.value() or None

    def current_filter(self) -> EntryFilter:
        """The filter the village, status and search boxes make."""
        return EntryFilter(
            search=self.search.text(),
            village_id=self.current_village(),
            status=self.status.value() or None,
        )

    def refresh(self) -> None:
        """Read the villages, the list and the counts again (keeps the filters)."""
        self._refreshing = True
        try:
            self.village.set_villages(
                self.context.villages.list(), first=("", self.tr("Tất cả thôn/tổ dân phố"))
            )
            if self.village.currentIndex() < 0:
                self.village.set_value("")
        finally:
            self._refreshing = False
        self.village.setEnabled(learning_model(self.current_model()).subject != "clan")
        self.apply_filter()
        self.refresh_counts()

    def _model_changed(self) -> None:
        self.model.columns = self._columns()
        self.village.setEnabled(learning_model(self.current_model()).subject != "clan")
        self.apply_filter()
        self._show_counts()

    def _year_changed(self) -> None:
        self.apply_filter()
        self.refresh_counts()

    def _filter_changed(self) -> None:
        if not self._refreshing:
            self.apply_filter()

    def apply_filter(self, select_id: str | None = None) -> None:
        """Run the list's query: one count, one first page."""
        self._search_timer.stop()
        select_id = select_id or self.current_id()
        self.model.reset()
        total = self.model.total()
        unit = self._unit()
        flt = self.current_filter()
        if flt.search.strip() or flt.village_id or flt.status:
            everything = self.context.learning_models.count_entries(
                self.current_model(), self.current_year()
            )
            text = self.tr("{n} / {all} {unit}").format(
                n=format_thousands(total), all=format_thousands(everything), unit=unit
            )
        else:
            text = self.tr("{n} {unit}").format(n=format_thousands(total), unit=unit)
        self.count_label.setText(text)
        if total:
            found = self.model.find_id(select_id) if select_id else None
            self.table.setCurrentIndex(self.model.index(found or 0, 0))
        self._update_actions()

    def _update_actions(self) -> None:
        has_rows = self.model.rowCount() > 0
        for button in (
            self.evaluate_button,
            self.recognise_button,
            self.refuse_button,
            self.revoke_button,
        ):
            button.setEnabled(has_rows)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def current_id(self) -> str | None:
        row = self.current_row()
        return row.subject.id if row else None

    def current_row(self) -> EntryRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        try:
            return self.model.row_at(index)
        except IndexError:
            return None

    def selected_rows(self) -> list[EntryRow]:
        """The selected entries in list order, or the one under the cursor."""
        numbers = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        rows = [self.model.row_at(n) for n in numbers if n < self.model.rowCount()]
        if not rows:
            current = self.current_row()
            rows = [current] if current else []
        return rows

    # -- the counts ----------------------------------------------------------------

    def is_busy(self) -> bool:
        """Whether the counts of the chosen year are being computed."""
        return self._counting.running

    def refresh_counts(self) -> None:
        """Count the four models of the year off the GUI thread."""
        year = self.current_year()
        service = self.context.learning_models
        self.counts_caption.setText(self.tr("Đang đếm số liệu năm {year}…").format(year=year))
        self._counting.start(lambda: service.counts(year))

    def _counts_done(self, report: ModelsReport) -> None:
        self.report = report
        self._show_counts()
        self.counts_shown.emit(report.year)

    def _counts_failed(self, error: BaseException) -> None:
        text = error.message if isinstance(error, XhhtError) else str(error)
        self.counts_caption.setText(self.tr("Không đếm được số liệu: {e}").format(e=text))

    def _show_counts(self) -> None:
        report = self.report
        if report is None:
            return
        headings = [
            Heading(self.tr("Mô hình năm {year}").format(year=report.year), alignment=LEFT),
            Heading(self.tr("Trong sổ")),
            Heading(self.tr("Đã đăng ký")),
            Heading(self.tr("Đã đánh giá")),
            Heading(self.tr("Đạt")),
            Heading(self.tr("Đã công nhận")),
        ]
        rows = [
            FigureRow(
                (
                    text_cell(model_title(item.model.code)),
                    *(count_cell(getattr(item, name)) for name in COUNT_COLUMNS),
                ),
                total=item.model.code == self.current_model(),
                key=item.model.code,
            )
            for item in report.models
        ]
        self.counts_model.set_table(headings, rows)
        self._fit_counts()
        current = report.model(self.current_model())
        village = self.current_village()
        caption = self.tr("Số liệu của cả xã, theo cùng một cách đếm với báo cáo.")
        if village is not None:
            mine = next((r for r in current.by_village if r.village_id == village), None)
            if mine is not None:
                caption = self.tr(
                    "{village}: {registered}/{in_scope} đăng ký, {passed} đạt, "
                    "{recognised} đã công nhận."
                ).format(
                    village=mine.village_name or "",
                    registered=mine.registered,
                    in_scope=mine.in_scope,
                    passed=mine.passed,
                    recognised=mine.recognised,
                )
        self.counts_caption.setText(caption)

    def _fit_counts(self) -> None:
        # Four models and a header: the figures show whole, without a scroll bar.
        view = self.counts_view
        rows = sum(view.rowHeight(n) for n in range(self.counts_model.rowCount()))
        header = max(view.horizontalHeader().height(), view.horizontalHeader().sizeHint().height())
        view.setFixedHeight(header + rows + 2 * view.frameWidth())

    def figures(self, model: str) -> dict[str, int]:
        """The counts now shown for ``model`` (as ``xhht models`` prints them)."""
        number = self.counts_model.find_row(model)
        assert number is not None, "the counts are not shown yet"
        return {
            name: int(self.counts_model.figure(number, column + 1) or 0)
            for column, name in enumerate(COUNT_COLUMNS)
        }

    # -- actions ---------------------------------------------------------------------

    def _open(self, dialog: QDialog) -> QDialog:
        self.message.hide()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self.table.setFocus())
        dialog.open()
        return dialog

    def _done(self, text: str, select_id: str | None = None) -> None:
        self.apply_filter(select_id)
        self.refresh_counts()
        self.say(text)
        self.data_changed.emit(text)

    def say(self, text: str, *, error: bool = False) -> None:
        """Show a line under the list (red for what went wrong)."""
        self.message.setStyleSheet(f"color: {MESSAGE_COLOUR};" if error else "color: #1b5e20;")
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _unit(self) -> str:
        return subject_kind(self.current_model()).lower()

    def open_checklist(self) -> RegistrationChecklist:
        """Đăng ký theo danh sách…: the checklist of the village chosen in the filter."""
        dialog = RegistrationChecklist(
            self.context,
            self.current_model(),
            self.current_year(),
            self.current_village(),
            self,
            today=self.today,
        )

        def registered(result: BulkResult) -> None:
            self._done(
                self.tr("Đã đăng ký thêm {n} {unit} năm {year}.").format(
                    n=result.changed, unit=self._unit(), year=self.current_year()
                )
            )

        dialog.registered.connect(registered)
        self._open(dialog)
        return dialog

    def evaluate_selected(self) -> EvaluationDialog | None:
        """Chấm điểm: the evaluation form of the entry under the cursor."""
        row = self.current_row()
        if row is None:
            return None
        try:
            dialog = EvaluationDialog(
                self.context,
                self.current_model(),
                self.current_year(),
                row.subject.id,
                self,
                today=self.today,
            )
        except XhhtError as error:
            self.say(error.message, error=True)
            return None
        dialog.evaluation_saved.connect(
            lambda subject_id: self._done(
                self.tr("Đã lưu kết quả chấm điểm của {subject}.").format(
                    subject=subject_label(row.subject)
                ),
                subject_id,
            )
        )
        self._open(dialog)
        return dialog

    def open_grid(self) -> QuickScoreDialog | None:
        """Chấm điểm nhanh…: the registered subjects of the village in a grid."""
        try:
            dialog = QuickScoreDialog(
                self.context,
                self.current_model(),
                self.current_year(),
                self.current_village(),
                self,
                today=self.today,
            )
        except XhhtError as error:
            self.say(error.message, error=True)
            return None
        dialog.evaluations_saved.connect(
            lambda result: self._done(self.tr("Đã lưu {n} đánh giá.").format(n=result.changed))
        )
        self._open(dialog)
        return dialog

    def recognise_selected(self) -> RecognitionDialog | None:
        """Công nhận…: the selected entries (or the one under the cursor) by one decision."""
        return self._recognise(self.selected_rows())

    def recognise_all_passed(self) -> RecognitionDialog | None:
        """Công nhận tất cả đạt…: every entry of the filter that passed, not yet recognised."""
        flt = self.current_filter()
        passed = EntryFilter(search=flt.search, village_id=flt.village_id, status="passed")
        rows = self.context.learning_models.entries(
            self.current_model(), self.current_year(), passed
        )
        rows = [row for row in rows if not row.state.recognised]
        if not rows:
            self.say(
                self.tr("Không có {unit} nào đạt mà chưa được công nhận ở đây.").format(
                    unit=self._unit()
                ),
                error=True,
            )
            return None
        return self._recognise(rows)

    def _recognise(self, rows: list[EntryRow]) -> RecognitionDialog | None:
        if not rows:
            return None
        dialog = RecognitionDialog(
            self.context, self.current_model(), self.current_year(), rows, self, today=self.today
        )

        def recognised(result: BulkResult) -> None:
            text = self.tr("Đã công nhận {n} {unit} theo một quyết định.").format(
                n=result.changed, unit=self._unit()
            )
            if result.skipped:
                text += " " + self.tr("{n} {unit} chưa đủ điều kiện chưa được công nhận.").format(
                    n=len({issue.field for issue in result.skipped}), unit=self._unit()
                )
            self._done(text)

        dialog.recognised.connect(recognised)
        self._open(dialog)
        return dialog

    def close_selected(self, *, revoke: bool) -> OutcomeDialog | None:
        """Từ chối… / Thu hồi…: record the refusal or revocation of the selected entries."""
        rows = self.selected_rows()
        if not rows:
            return None
        dialog = OutcomeDialog(
            self.context,
            self.current_model(),
            self.current_year(),
            rows,
            revoke=revoke,
            parent=self,
            today=self.today,
        )
        if revoke:
            text = self.tr("Đã thu hồi công nhận của {n} {unit}.")
        else:
            text = self.tr("Đã ghi không công nhận {n} {unit}.")
        dialog.recorded.connect(
            lambda result: self._done(text.format(n=result.changed, unit=self._unit()))
        )
        self._open(dialog)
        return dialog
