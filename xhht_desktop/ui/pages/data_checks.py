"""The "Kiểm tra dữ liệu" page: problems across records that would make a figure wrong.

The checks are ``context.data_checks.run(year)`` (``xhht checks`` runs the
same): a household with no members, a head who is not a member, a
recognition without a passed evaluation, contradictory schooling, an
aggregate numerator over its denominator… The page lists them with their
severity, filters them by kind and counts them; Enter opens the record to
fix in its own edit dialog, and the list is checked again after a save.
The checks read whole registers, so they run on a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.errors import XhhtError
from xhht_desktop.services.data_checks import CHECKS, ERROR, INFO, WARNING
from xhht_desktop.ui import style
from xhht_desktop.ui.drilldown import entity_label, open_record
from xhht_desktop.ui.forms.field_row import MESSAGE_COLOUR, ChoiceBox
from xhht_desktop.ui.table_models import Column, PagedTableModel, set_up_list_view
from xhht_desktop.ui.tasks import LatestTask

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext
    from xhht_desktop.services.data_checks import DataCheckReport, DataProblem

MIN_YEAR = 1990
MAX_YEAR = 2100
ALL_KINDS = ""

SEVERITY_LABELS = {
    ERROR: QT_TRANSLATE_NOOP("DataChecksPage", "Lỗi"),
    WARNING: QT_TRANSLATE_NOOP("DataChecksPage", "Cảnh báo"),
    INFO: QT_TRANSLATE_NOOP("DataChecksPage", "Lưu ý"),
}
SEVERITY_COLOURS = {ERROR: MESSAGE_COLOUR, WARNING: "#e65100", INFO: "#0d47a1"}

_Index = QModelIndex | QPersistentModelIndex


def problem_key(problem: DataProblem) -> str:
    """A problem's identity in the list (a record may have several problems)."""
    return "|".join((problem.check, problem.entity, problem.record_id, problem.village_id or ""))


@dataclass(frozen=True)
class _Outcome:
    report: DataCheckReport | None = None
    error: str = ""


class ProblemsModel(PagedTableModel["DataProblem"]):
    """The problems found, the severity in its colour."""

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.column() == 0 and index.row() < self.loaded():
            problem = self.row_at(index.row())
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(SEVERITY_COLOURS.get(problem.severity, MESSAGE_COLOUR)))
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
        if index.isValid() and role == Qt.ItemDataRole.ToolTipRole:
            return self.row_at(index.row()).message
        return super().data(index, role)


class DataChecksPage(QWidget):
    """Cross-record problems of a year: listed, filtered by kind, opened to be fixed.

    Keys: the year, then the kind filter, then the list; Enter on a problem
    opens its record; F5 checks again.

    Attributes:
        report: The checks on screen, once there are some.

    Signals:
        checked(object): a ``DataCheckReport`` is on screen.
    """

    checked = Signal(object)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.report: DataCheckReport | None = None
        self._shown: list[DataProblem] = []
        self._jobs = LatestTask(self._finished, self._failed, self)
        self._select: str | None = None

        self.title = QLabel(self.tr("Kiểm tra dữ liệu"))
        self.title.setStyleSheet(style.PAGE_TITLE)
        self.intro = QLabel(
            self.tr(
                "Những chỗ dữ liệu giữa các sổ không khớp nhau, làm sai số liệu của chỉ tiêu "
                "và báo cáo. Chọn một dòng rồi nhấn Enter để mở hồ sơ và sửa."
            )
        )
        self.intro.setWordWrap(True)
        self.year = QSpinBox()
        self.year.setRange(MIN_YEAR, MAX_YEAR)
        self.year.setValue(self.reporting_year())
        self.year.setAccessibleName(self.tr("Năm"))
        self.kind = ChoiceBox()
        self.kind.setAccessibleName(self.tr("Loại vấn đề"))
        self.kind.setMinimumWidth(360)
        self.check_button = QPushButton(self.tr("Kiểm tra lại (F5)"))
        self.check_button.setAutoDefault(False)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(100)
        self.busy.setTextVisible(False)
        self.busy_label = QLabel(self.tr("Đang kiểm tra…"))
        self.count_label = QLabel()
        self.count_label.setObjectName("problemCount")
        self.count_label.setStyleSheet("font-weight: bold;")
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet(f"color: {MESSAGE_COLOUR}; font-weight: bold;")
        self.error.setWordWrap(True)
        self.error.hide()

        self.model = ProblemsModel(
            self._columns(),
            count=lambda: len(self._shown),
            page=lambda offset, limit: self._shown[offset : offset + limit],
            row_id=problem_key,
            parent=self,
            load=False,
        )
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Các vấn đề"))
        set_up_list_view(self.table, self.model, stretch_column=2)
        # Enter and a double click both activate the row.
        self.table.activated.connect(lambda _index: self.open_current())
        self.table.selectionModel().currentChanged.connect(lambda _c, _p: self._show_detail())
        self.detail = QLabel()
        self.detail.setObjectName("detail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.hide()

        self._start_timer = QTimer(self)
        self._start_timer.setSingleShot(True)
        self._start_timer.setInterval(0)
        self._start_timer.timeout.connect(self._start)

        self._layout()
        self._set_busy(False)
        self.year.valueChanged.connect(lambda _year: self.refresh())
        self.kind.currentIndexChanged.connect(lambda _n: self._filter())
        self.check_button.clicked.connect(self.refresh)
        refresh = QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self)
        refresh.activated.connect(self.refresh)
        self.refresh()

    # -- public ---------------------------------------------------------------------

    def reporting_year(self) -> int:
        """The installation's reporting year (this year when not set up)."""
        info = self.context.setup.installation()
        return info.year if info is not None else date.today().year

    def refresh(self) -> None:
        """Run the checks again, off the GUI thread (calls in a burst fold into one)."""
        self._start_timer.start()

    def is_busy(self) -> bool:
        """Whether the checks of the chosen year are running."""
        return self._start_timer.isActive() or self._jobs.running

    def problems(self) -> list[DataProblem]:
        """The problems listed now (after the kind filter)."""
        return list(self._shown)

    def current_problem(self) -> DataProblem | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        try:
            return self.model.row_at(index)
        except IndexError:
            return None

    def select(self, problem: DataProblem) -> bool:
        """Put the cursor on ``problem``; whether it is listed."""
        found = self.model.find_id(problem_key(problem))
        if found is None:
            return False
        self.table.setCurrentIndex(self.model.index(found, 0))
        return True

    def open_current(self) -> QDialog | None:
        """Open the record of the problem under the cursor, or say where it is fixed."""
        problem = self.current_problem()
        if problem is None:
            return None
        self.message.hide()
        dialog = open_record(
            self.context,
            problem.entity,
            problem.record_id,
            self,
            saved=lambda: self._saved(problem),
            closed=self.table.setFocus,
        )
        if dialog is not None:
            return dialog
        if problem.entity == "aggregate":
            self._say(
                self.tr(
                    "Số liệu này sửa ở trang «Số liệu tổng hợp»: chọn biểu rồi năm {year}."
                ).format(year=problem.year or self.year.value())
            )
        else:
            self._say(
                self.tr(
                    "Mục này sửa ở trang «Mô hình học tập» (hủy đăng ký hoặc khôi phục "
                    "đối tượng). {message}"
                ).format(message=problem.message)
            )
        return None

    # -- checking -----------------------------------------------------------------------

    def _start(self) -> None:
        if self.context.setup.installation() is None:
            self._set_busy(False)
            self._show_error(self.tr("Cơ sở dữ liệu chưa được thiết lập."))
            return
        year = self.year.value()
        context = self.context

        def work() -> _Outcome:
            try:
                return _Outcome(context.data_checks.run(year))
            except XhhtError as refused:
                return _Outcome(error=refused.message)

        self._set_busy(True)
        self._jobs.start(work)

    def _finished(self, outcome: object) -> None:
        if not isinstance(outcome, _Outcome):
            return
        self._set_busy(False)
        if outcome.report is None:
            self._show_error(outcome.error)
            return
        self._show(outcome.report)

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self._show_error(self.tr("Không kiểm tra được dữ liệu: {error}").format(error=error))

    def _saved(self, problem: DataProblem) -> None:
        self._select = problem_key(problem)
        self.refresh()

    # -- showing ----------------------------------------------------------------------

    def _columns(self) -> list[Column[DataProblem]]:
        return [
            Column(
                self.tr("Mức độ"),
                lambda p: self.tr(SEVERITY_LABELS.get(p.severity, p.severity)),
                width=80,
            ),
            Column(self.tr("Loại"), lambda p: p.title, width=230),
            Column(self.tr("Nội dung"), lambda p: p.message),
            Column(self.tr("Hồ sơ"), lambda p: entity_label(p.entity), width=130),
        ]

    def _show(self, report: DataCheckReport) -> None:
        self.report = report
        self.error.hide()
        counts = report.counts()
        chosen = self.kind.value()
        self.kind.blockSignals(True)
        try:
            self.kind.set_choices(
                [
                    (
                        ALL_KINDS,
                        self.tr("Tất cả ({n})").format(n=len(report.problems)),
                    ),
                    *((check, f"{title} ({counts[check]})") for check, title in CHECKS.items()),
                ]
            )
            self.kind.set_value(chosen if chosen is not None else ALL_KINDS)
        finally:
            self.kind.blockSignals(False)
        self._filter()
        self.checked.emit(report)

    def _filter(self) -> None:
        if self.report is None:
            return
        kind = self.kind.value() or ALL_KINDS
        current = self.current_problem()
        select = self._select or (problem_key(current) if current is not None else None)
        self._select = None
        problems = self.report.problems
        self._shown = [p for p in problems if kind == ALL_KINDS or p.check == kind]
        self.model.reset()
        while self.model.canFetchMore():
            self.model.fetchMore()
        found = self.model.find_id(select) if select else None
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(found or 0, 0))
        self._show_count()
        self._show_detail()

    def _show_count(self) -> None:
        shown = self._shown
        if not shown:
            year = self.report.year if self.report is not None else self.year.value()
            self.count_label.setText(
                self.tr("Không phát hiện vấn đề nào trong năm {year}.").format(year=year)
            )
            self.count_label.setStyleSheet("font-weight: bold; color: #1b5e20;")
            return
        parts = []
        for severity in (ERROR, WARNING, INFO):
            n = sum(1 for p in shown if p.severity == severity)
            if n:
                parts.append(f"{n} {self.tr(SEVERITY_LABELS[severity]).lower()}")
        self.count_label.setText(
            self.tr("{n} vấn đề: {parts}").format(n=len(shown), parts=", ".join(parts))
        )
        self.count_label.setStyleSheet("font-weight: bold;")

    def _show_detail(self) -> None:
        problem = self.current_problem()
        self.detail.setText(problem.message if problem is not None else "")

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #0d47a1;")
        self.message.show()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.busy_label.setVisible(busy)

    # -- layout -----------------------------------------------------------------------

    def _layout(self) -> None:
        year_label = QLabel(self.tr("&Năm:"))
        year_label.setBuddy(self.year)
        kind_label = QLabel(self.tr("&Loại vấn đề:"))
        kind_label.setBuddy(self.kind)
        top = QHBoxLayout()
        top.addWidget(year_label)
        top.addWidget(self.year)
        top.addSpacing(12)
        top.addWidget(kind_label)
        top.addWidget(self.kind)
        top.addSpacing(12)
        top.addWidget(self.check_button)
        top.addWidget(self.busy)
        top.addWidget(self.busy_label)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.message)
        chain = [self.year, self.kind, self.check_button, self.table]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
