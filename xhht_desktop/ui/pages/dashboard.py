"""The dashboard: the first page after login, the active plan checked for a year.

Every figure comes from ``context.indicators.evaluate`` (the one registry the
reports and ``xhht indicators`` read too); the page only lays the
evaluation out: a row per target of the plan, grouped as the registry groups
indicators, with the actual figure against the target, the status in colour
and in words, and the gap sentence; a chart per group; the villages ranked
by the targets they reach. Enter on a target (or on a village's cell) opens
the records behind the figure (:class:`~xhht_desktop.ui.drilldown.DrilldownDialog`).

Checking a plan reads the registers (a fraction of a second for a large
commune), so it runs on a worker thread with a busy indicator; a result that
arrives after the year or the plan was changed again is dropped.

At a consolidating office the same page checks the plan for the office as a
whole (numerators and denominators summed over its communes,
``context.consolidation``) and, instead of the village ranking, shows a tab
with every commune against every target and the share of communes meeting
each literacy level (:class:`~xhht_desktop.ui.pages.communes_panel.CommunesPanel`).
The office only reads: a target opens its column in that tab, not the
records behind it (which belong to the communes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut, QStandardItem
from PySide6.QtGui import QStandardItemModel as _ItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QScrollArea,
    QSpinBox,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.core.indicators import GROUPS
from xhht_desktop.core.targets import Status
from xhht_desktop.errors import XhhtError
from xhht_desktop.ui.charts import ChartBar, chart_height, chart_view, short_label, target_chart
from xhht_desktop.ui.drilldown import (
    STATUS_COLOURS,
    DrilldownDialog,
    check_text,
    figures_tooltip,
    percent_text,
)
from xhht_desktop.ui.forms.field_row import MESSAGE_COLOUR, ChoiceBox
from xhht_desktop.ui.home_page import HomePage
from xhht_desktop.ui.pages.communes_panel import (
    CommunesPanel,
    gap_item,
    paint_status,
    table_item,
)
from xhht_desktop.ui.tasks import LatestTask

if TYPE_CHECKING:
    from PySide6.QtCharts import QChart, QChartView

    from xhht_desktop.context import AppContext
    from xhht_desktop.core.plans import PlanEvaluation, TargetRow, VillageRank
    from xhht_desktop.services.consolidation import ConsolidatedLiteracy, ConsolidatedPlan

MIN_YEAR = 1990
MAX_YEAR = 2100

#: Role under which a target row hands out its ``TargetRow``.
TARGET_ROLE = Qt.ItemDataRole.UserRole + 20
#: Role under which a row or cell hands out its ``Status`` (``None`` for a group row).
STATUS_ROLE = Qt.ItemDataRole.UserRole + 21
#: Role under which a ranking cell hands out its village id.
VILLAGE_ROLE = Qt.ItemDataRole.UserRole + 22
#: Role under which a group row hands out its group key.
GROUP_ROLE = Qt.ItemDataRole.UserRole + 23

#: Columns of the targets table.
COLUMN_POSITION, COLUMN_LABEL, COLUMN_FIGURE, COLUMN_STATUS, COLUMN_GAP, COLUMN_DEADLINE = range(6)
GROUP_BACKGROUND = "#eceff1"
GAP_WIDTH = 340
"""Starting width of the gap sentences' column; the full sentence is its tool tip."""
#: Columns of the ranking before the targets' columns.
RANK_FIXED_COLUMNS = 4


@dataclass(frozen=True)
class _Outcome:
    evaluation: PlanEvaluation | None = None
    error: str = ""
    consolidated: ConsolidatedPlan | None = None
    literacy: ConsolidatedLiteracy | None = None


def reached_share(rank: VillageRank) -> Fraction | None:
    """The share of a village's checked targets that it reaches, in percent."""
    if not rank.checked:
        return None
    return Fraction(rank.reached * 100, rank.checked)


class DashboardPage(QWidget):
    """The active plan's targets for a year, charts, village ranking and drill-down.

    Keys: the year box comes first (arrows change the year), then the plan;
    Ctrl+Tab moves between the targets, the charts and the ranking; Enter on
    a target or a ranking cell opens the records behind it; F5 checks again.

    Attributes:
        overview: The commune's details and counts (the former overview page).
        evaluation: The plan check on screen, once there is one.
        targets_model: A group row per indicator group, a child row per target.
        ranking_model: A row per village, best first.
        charts: The chart of each group shown, by group key.

    Signals:
        evaluated(object): a ``PlanEvaluation`` is on screen.
        drilldown_opened(object): a ``DrilldownDialog`` was opened.
    """

    evaluated = Signal(object)
    drilldown_opened = Signal(object)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.evaluation: PlanEvaluation | None = None
        self.charts: dict[str, QChart] = {}
        self.chart_views: dict[str, QChartView] = {}
        self._jobs = LatestTask(self._finished, self._failed, self)
        self._year_set = False
        self._shown_plan: str | None = None

        self.overview = HomePage(context)
        self.year = QSpinBox()
        self.year.setRange(MIN_YEAR, MAX_YEAR)
        self.year.setAccessibleName(self.tr("Năm"))
        self.plan = ChoiceBox()
        self.plan.setAccessibleName(self.tr("Kế hoạch"))
        self.plan.setMinimumWidth(420)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(100)
        self.busy.setTextVisible(False)
        self.busy_label = QLabel(self.tr("Đang kiểm tra chỉ tiêu…"))
        self.document = QLabel()
        self.document.setObjectName("document")
        self.document.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet(f"color: {MESSAGE_COLOUR}; font-weight: bold;")
        self.error.setWordWrap(True)
        self.error.hide()

        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary_counts: dict[str, QLabel] = {}
        for key in ("reached", "not_met", "no_data"):
            chip = QLabel()
            chip.setObjectName(f"summary_{key}")
            status = {"reached": Status.MET, "not_met": Status.NOT_MET}.get(key, Status.NO_DATA)
            colour, background = STATUS_COLOURS[status]
            chip.setStyleSheet(
                f"color: {colour}; background-color: {background}; font-weight: bold; "
                f"border: 1px solid {colour}; border-radius: 3px; padding: 2px 8px;"
            )
            self.summary_counts[key] = chip

        self.targets_model = _ItemModel(self)
        self.targets = QTreeView()
        self.targets.setObjectName("targets")
        self.targets.setModel(self.targets_model)
        self.targets.setAccessibleName(self.tr("Chỉ tiêu của kế hoạch"))
        self.targets.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.targets.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.targets.setAlternatingRowColors(False)
        self.targets.setUniformRowHeights(True)
        self.targets.setAllColumnsShowFocus(True)
        self.targets.setIndentation(12)
        # Roomier rows than a register list: this table is read, not scrolled.
        self.targets.setStyleSheet("QTreeView::item { padding: 3px 2px; }")
        self.targets.activated.connect(self._target_activated)

        self.ranking_model = _ItemModel(self)
        self.ranking = QTableView()
        self.ranking.setObjectName("ranking")
        self.ranking.setModel(self.ranking_model)
        self.ranking.setAccessibleName(self.tr("Xếp hạng thôn, tổ dân phố"))
        self.ranking.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.ranking.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.ranking.setTabKeyNavigation(False)
        self.ranking.verticalHeader().hide()
        self.ranking.activated.connect(self._ranking_activated)
        self.ranking_detail = QLabel()
        self.ranking_detail.setObjectName("ranking_detail")
        self.ranking_detail.setWordWrap(True)
        self.ranking_note = QLabel(
            self.tr(
                "Cột «CT n» là chỉ tiêu số n của kế hoạch (chỉ các chỉ tiêu tính theo thôn). "
                "Chọn một ô rồi nhấn Enter để xem danh sách cần vận động ở thôn đó."
            )
        )
        self.ranking_note.setWordWrap(True)

        self.charts_area = QScrollArea()
        self.charts_area.setWidgetResizable(True)
        self.charts_area.setFrameShape(QFrame.Shape.NoFrame)
        self.charts_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.charts_panel = QWidget()
        # Two columns of charts, each chart as tall as its bars need.
        panel = QHBoxLayout(self.charts_panel)
        self.chart_columns = (QVBoxLayout(), QVBoxLayout())
        for column in self.chart_columns:
            column.addStretch(1)
            panel.addLayout(column, 1)
        self.charts_area.setWidget(self.charts_panel)
        self.charts_note = QLabel(
            self.tr(
                "Thanh xanh: đã đạt chỉ tiêu; thanh đỏ: chưa đạt; thanh xám: mức chỉ tiêu của "
                "kế hoạch. Chỉ tiêu chưa có số liệu không có thanh thực hiện."
            )
        )
        self.charts_note.setWordWrap(True)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.communes = CommunesPanel()
        self.communes.setObjectName("communes_panel")

        self._start_timer = QTimer(self)
        self._start_timer.setSingleShot(True)
        self._start_timer.setInterval(0)
        self._start_timer.timeout.connect(self._start)

        self._layout()
        self._set_busy(False)
        self.year.valueChanged.connect(lambda _year: self._start_timer.start())
        self.plan.currentIndexChanged.connect(lambda _n: self._plan_chosen())
        self.ranking.selectionModel().currentChanged.connect(self._ranking_moved)
        refresh = QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self)
        refresh.activated.connect(self.refresh)
        self.refresh()

    # -- public ---------------------------------------------------------------------

    def reporting_year(self) -> int:
        """The installation's reporting year (this year when not set up)."""
        info = self.context.setup.installation()
        return info.year if info is not None else date.today().year

    def refresh(self) -> None:
        """Read the header, the plans and check the plan again (off the GUI thread).

        Calls in a burst fold into one check.
        """
        self.overview.refresh()
        set_up = self.context.setup.installation() is not None
        for widget in (self.controls, self.tabs, self.summary_row, self.document):
            widget.setVisible(set_up)
        if not set_up:
            self.error.hide()
            return
        office = self.is_office()
        self.tabs.setTabVisible(self.tabs.indexOf(self.ranking_tab), not office)
        self.tabs.setTabVisible(self.tabs.indexOf(self.communes), office)
        if not self._year_set:
            self.year.blockSignals(True)
            self.year.setValue(self.reporting_year())
            self.year.blockSignals(False)
            self._year_set = True
        self._list_plans()
        self._start_timer.start()

    def is_office(self) -> bool:
        """Whether this is a consolidating office (its figures are its communes')."""
        info = self.context.setup.installation()
        return info is not None and info.role == "office"

    def is_busy(self) -> bool:
        """Whether a check of the chosen year and plan is under way."""
        return self._start_timer.isActive() or self._jobs.running

    def plan_id(self) -> str | None:
        value = self.plan.value()
        return str(value) if value else None

    def target_rows(self) -> list[tuple[str, TargetRow]]:
        """``(group key, target row)`` of every target row shown, top first."""
        found = []
        for number in range(self.targets_model.rowCount()):
            group = self.targets_model.item(number, 0)
            for child in range(group.rowCount()):
                row = group.child(child, 0).data(TARGET_ROLE)
                found.append((group.data(GROUP_ROLE), row))
        return found

    def target_index(self, position: int, column: int = COLUMN_LABEL) -> QModelIndex:
        """The model index of the target at ``position`` (1-based, as in the plan)."""
        for number in range(self.targets_model.rowCount()):
            group = self.targets_model.item(number, 0)
            for child in range(group.rowCount()):
                row = group.child(child, 0).data(TARGET_ROLE)
                if row.position == position:
                    return self.targets_model.index(child, column, group.index())
        return QModelIndex()

    def open_drilldown(
        self, row: TargetRow, village_id: str | None = None
    ) -> DrilldownDialog | None:
        """Open the records behind a target's figure (in one village, if given).

        Not at an office: the records are the communes', and the office only
        reads their figures (:meth:`show_communes`).
        """
        if self.evaluation is None or self.is_office():
            return None
        code = row.indicator.code
        dialog = DrilldownDialog(
            self.context,
            code,
            self.evaluation.year,
            village_id,
            evaluation=self.evaluation,
            position=row.position,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.records_changed.connect(self.refresh)
        self.evaluated.connect(dialog.set_evaluation)
        focused = self.focusWidget()
        dialog.finished.connect(lambda _result: focused.setFocus() if focused else None)
        dialog.open()
        self.drilldown_opened.emit(dialog)
        return dialog

    # -- plans ------------------------------------------------------------------------

    def _list_plans(self) -> None:
        plans = self.context.plans.list()
        self.plan.blockSignals(True)
        try:
            self.plan.set_choices([(p.id, p.title) for p in plans])
            self.plan.set_value(self.context.plans.active_id())
        finally:
            self.plan.blockSignals(False)

    def _plan_chosen(self) -> None:
        plan_id = self.plan_id()
        if plan_id is None:
            return
        # A user who may not choose the plan for everybody still checks another one here.
        if self.context.may("manage_plans"):
            try:
                self.context.plans.activate(plan_id)
            except XhhtError as error:
                self._show_error(error.message)
                return
        self._start_timer.start()

    # -- checking -----------------------------------------------------------------------

    def _start(self) -> None:
        if self.context.setup.installation() is None:
            return
        year = self.year.value()
        plan_id = self.plan_id()
        context = self.context
        office = self.is_office()

        def work() -> _Outcome:
            try:
                if office:
                    consolidation = context.consolidation
                    found = consolidation.evaluations(year, plan_id)
                    literacy = consolidation.literacy(year)
                    return _Outcome(found.total, consolidated=found, literacy=literacy)
                return _Outcome(context.indicators.evaluate(year, plan_id))
            except XhhtError as refused:
                return _Outcome(error=refused.message)

        self._set_busy(True)
        self._jobs.start(work)

    def _finished(self, outcome: object) -> None:
        if not isinstance(outcome, _Outcome):
            return
        self._set_busy(False)
        if outcome.evaluation is None:
            self._show_error(outcome.error)
            return
        if outcome.consolidated is not None:
            self.communes.show_consolidation(outcome.consolidated, outcome.literacy)
            self.tabs.setTabText(
                self.tabs.indexOf(self.communes),
                self.tr("Từng xã ({n})").format(n=len(outcome.consolidated.communes)),
            )
        self._show(outcome.evaluation)

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self._show_error(self.tr("Không kiểm tra được chỉ tiêu: {error}").format(error=error))

    # -- showing ----------------------------------------------------------------------

    def _show(self, evaluation: PlanEvaluation) -> None:
        self._shown_plan = self.evaluation.plan.id if self.evaluation is not None else None
        self.evaluation = evaluation
        self.error.hide()
        plan = evaluation.plan
        # A plan without a number is cited by its date and issuer.
        document = (
            self.tr("Văn bản {document}") if plan.number else self.tr("Văn bản ban hành {document}")
        )
        self.document.setText(
            self.tr("{document} — số liệu năm {year}.").format(
                document=document.format(document=plan.document), year=evaluation.year
            )
        )
        self._show_summary(evaluation)
        self._show_targets(evaluation)
        self._show_charts(evaluation)
        self._show_ranking(evaluation)
        self.evaluated.emit(evaluation)

    def _show_summary(self, evaluation: PlanEvaluation) -> None:
        counts = evaluation.summary()
        reached = sum(n for status, n in counts.items() if status.reached)
        self.summary.setText(
            self.tr("{n} chỉ tiêu:").format(n=len(evaluation.rows)),
        )
        extra = []
        if counts[Status.WITHIN_RANGE]:
            extra.append(
                self.tr("{n} trong khoảng").format(n=counts[Status.WITHIN_RANGE]),
            )
        if counts[Status.ABOVE_STRETCH]:
            extra.append(self.tr("{n} vượt mức").format(n=counts[Status.ABOVE_STRETCH]))
        reached_text = self.tr("Đạt: {n}").format(n=reached)
        if extra:
            reached_text += f" ({', '.join(extra)})"
        self.summary_counts["reached"].setText(reached_text)
        self.summary_counts["not_met"].setText(
            self.tr("Chưa đạt: {n}").format(n=counts[Status.NOT_MET])
        )
        self.summary_counts["no_data"].setText(
            self.tr("Chưa có số liệu: {n}").format(n=counts[Status.NO_DATA])
        )

    def _groups(self, evaluation: PlanEvaluation) -> list[tuple[str, list[TargetRow]]]:
        return [(group, rows) for group in GROUPS if (rows := evaluation.rows_of_group(group))]

    def _show_targets(self, evaluation: PlanEvaluation) -> None:
        current = self.targets.currentIndex()
        position = None
        same_plan = self.evaluation is not None and self._shown_plan == evaluation.plan.id
        if same_plan and current.isValid() and current.parent().isValid():
            row = current.siblingAtColumn(0).data(TARGET_ROLE)
            position = row.position if row is not None else None
        model = self.targets_model
        model.clear()
        model.setHorizontalHeaderLabels(
            [
                self.tr("STT"),
                self.tr("Chỉ tiêu"),
                self.tr("Thực hiện / chỉ tiêu"),
                self.tr("Kết quả"),
                self.tr("Nhận xét"),
                self.tr("Thời hạn"),
            ]
        )
        bold = QFont()
        bold.setBold(True)
        for group, rows in self._groups(evaluation):
            reached = sum(1 for r in rows if r.check.status.reached)
            title = self.tr("{group} — đạt {reached}/{n} chỉ tiêu").format(
                group=self.tr(GROUPS[group]), reached=reached, n=len(rows)
            )
            parent = table_item(title)
            parent.setFont(bold)
            parent.setData(group, GROUP_ROLE)
            others = [table_item() for _ in range(COLUMN_DEADLINE)]
            for cell in (parent, *others):
                cell.setBackground(QBrush(QColor(GROUP_BACKGROUND)))
            model.appendRow([parent, *others])
            for row in rows:
                parent.appendRow(self._target_items(row))
        header = self.targets.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMN_LABEL, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COLUMN_GAP, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(COLUMN_GAP, GAP_WIDTH)
        for number in range(model.rowCount()):
            self.targets.setFirstColumnSpanned(number, QModelIndex(), True)
        self.targets.expandAll()
        found = self.target_index(position) if position is not None else QModelIndex()
        if not found.isValid() and model.rowCount():
            first = model.item(0, 0)
            found = first.child(0, 0).index() if first.rowCount() else first.index()
        if found.isValid():
            self.targets.setCurrentIndex(found)

    def _target_items(self, row: TargetRow) -> list[QStandardItem]:
        check = row.check
        target = row.target
        label = row.indicator.label
        tooltip = target.wording or label
        if target.section:
            tooltip += "\n" + self.tr("(Mục {section} của kế hoạch)").format(section=target.section)
        position = table_item(str(row.position))
        position.setData(row, TARGET_ROLE)
        position.setData(check.status, STATUS_ROLE)
        position.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        figure = table_item(
            check_text(check, target.target.describe()), figures_tooltip(row.indicator, check)
        )
        figure.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        status = table_item(check.status.label)
        paint_status(status, check.status, STATUS_ROLE, bold=True)
        paint_status(figure, check.status, STATUS_ROLE)
        gap = gap_item(row)
        deadline = table_item(str(target.deadline))
        deadline.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        return [position, table_item(label, tooltip), figure, status, gap, deadline]

    def _show_charts(self, evaluation: PlanEvaluation) -> None:
        for view in self.chart_views.values():
            view.setParent(None)
            view.deleteLater()
        self.charts.clear()
        self.chart_views.clear()
        heights = [0, 0]
        for group, rows in self._groups(evaluation):
            bars = [
                ChartBar(
                    f"{row.position}. {short_label(row.indicator.label)}",
                    None if row.check.value is None else float(row.check.value),
                    float(row.target.target.value),
                    None if row.check.status is Status.NO_DATA else row.check.status.reached,
                )
                for row in rows
            ]
            chart = target_chart(self.tr(GROUPS[group]), bars)
            view = chart_view(chart)
            view.setFixedHeight(chart_height(len(bars)))
            self.charts[group] = chart
            self.chart_views[group] = view
            # The next chart goes under the shorter column, above its stretch.
            shorter = heights.index(min(heights))
            column = self.chart_columns[shorter]
            column.insertWidget(column.count() - 1, view)
            heights[shorter] += chart_height(len(bars))

    def _show_ranking(self, evaluation: PlanEvaluation) -> None:
        columns = [row for row in evaluation.rows if row.villages]
        model = self.ranking_model
        model.clear()
        headers = [
            self.tr("Hạng"),
            self.tr("Thôn, tổ dân phố"),
            self.tr("Chỉ tiêu đạt"),
            self.tr("Tỷ lệ đạt"),
            *(self.tr("CT {n}").format(n=row.position) for row in columns),
        ]
        model.setHorizontalHeaderLabels(headers)
        for number, row in enumerate(columns):
            header = model.horizontalHeaderItem(RANK_FIXED_COLUMNS + number)
            header.setToolTip(f"{row.position}. {row.indicator.label}")
        ranks = evaluation.village_ranking()
        place, previous = 0, None
        for number, rank in enumerate(ranks, start=1):
            share = reached_share(rank)
            if share != previous:
                place, previous = number, share
            cells = [
                table_item(str(place) if share is not None else "—"),
                table_item(rank.village_name),
                table_item(
                    self.tr("{reached}/{checked}").format(
                        reached=rank.reached, checked=rank.checked
                    ),
                    self.tr("Đạt {reached} trong {checked} chỉ tiêu có số liệu của thôn").format(
                        reached=rank.reached, checked=rank.checked
                    ),
                ),
                table_item(percent_text(share)),
            ]
            for cell in cells:
                cell.setData(rank.village_id, VILLAGE_ROLE)
            for cell in (cells[0], cells[2], cells[3]):
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for row in columns:
                found = row.village(rank.village_id)
                if found is None:
                    cell = table_item("—")
                else:
                    cell = table_item(
                        percent_text(found.check.value),
                        f"{row.position}. {row.indicator.label}\n"
                        f"{check_text(found.check, row.target.target.describe())} — "
                        f"{found.check.status.label}: {found.gap_text}",
                    )
                    paint_status(cell, found.check.status, STATUS_ROLE)
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                cell.setData(rank.village_id, VILLAGE_ROLE)
                cell.setData(row, TARGET_ROLE)
                cells.append(cell)
            model.appendRow(cells)
        header = self.ranking.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        if model.rowCount():
            self.ranking.setCurrentIndex(model.index(0, 1))

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.busy_label.setVisible(busy)

    # -- drill-down -------------------------------------------------------------------

    def _target_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        row = index.siblingAtColumn(0).data(TARGET_ROLE)
        if row is None:
            return
        if self.is_office():
            self.show_communes(row.position)
        else:
            self.open_drilldown(row)

    def show_communes(self, position: int | None = None) -> None:
        """At an office: the communes tab, at a target's column (by its position in the plan)."""
        self.tabs.setCurrentWidget(self.communes)
        code = self.communes.current_code()
        codes = self.communes.commune_codes()
        if code is None and codes:
            code = codes[0]
        self.communes.select_commune(code or "", position)
        self.communes.communes.setFocus()

    def _ranking_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        if self.evaluation is None or not index.isValid():
            return
        village_id = index.data(VILLAGE_ROLE)
        row = index.data(TARGET_ROLE)
        if row is None:
            # The village's own columns: its first target not reached, else its first.
            candidates = [r for r in self.evaluation.rows if r.villages]
            checks = [(r, r.village(village_id)) for r in candidates]
            missing = [r for r, c in checks if c is not None and not c.check.status.reached]
            row = (missing or candidates or [None])[0]
        if row is not None:
            self.open_drilldown(row, village_id)

    def _ranking_moved(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.ranking_detail.clear()
            return
        village = current.siblingAtColumn(1).data()
        if current.data(TARGET_ROLE) is None:
            detail = current.siblingAtColumn(2).data(Qt.ItemDataRole.ToolTipRole) or ""
        else:
            detail = current.data(Qt.ItemDataRole.ToolTipRole) or ""
        self.ranking_detail.setText(f"{village}: {detail}")

    # -- layout -----------------------------------------------------------------------

    def _layout(self) -> None:
        year_label = QLabel(self.tr("&Năm:"))
        year_label.setBuddy(self.year)
        plan_label = QLabel(self.tr("&Kế hoạch:"))
        plan_label.setBuddy(self.plan)
        self.controls = QWidget()
        controls = QHBoxLayout(self.controls)
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addWidget(year_label)
        controls.addWidget(self.year)
        controls.addSpacing(12)
        controls.addWidget(plan_label)
        controls.addWidget(self.plan, 1)
        controls.addSpacing(12)
        controls.addWidget(self.busy)
        controls.addWidget(self.busy_label)

        self.summary_row = QWidget()
        summary = QHBoxLayout(self.summary_row)
        summary.setContentsMargins(0, 0, 0, 0)
        summary.addWidget(self.summary)
        for chip in self.summary_counts.values():
            summary.addWidget(chip)
        summary.addStretch(1)

        charts_tab = QWidget()
        charts_column = QVBoxLayout(charts_tab)
        charts_column.addWidget(self.charts_note)
        charts_column.addWidget(self.charts_area, 1)
        self.ranking_tab = QWidget()
        ranking_column = QVBoxLayout(self.ranking_tab)
        ranking_column.addWidget(self.ranking_note)
        ranking_column.addWidget(self.ranking, 1)
        ranking_column.addWidget(self.ranking_detail)
        self.tabs.addTab(self.targets, self.tr("Chỉ tiêu"))
        self.tabs.addTab(charts_tab, self.tr("Biểu đồ"))
        self.tabs.addTab(self.ranking_tab, self.tr("Xếp hạng thôn"))
        self.tabs.addTab(self.communes, self.tr("Từng xã"))
        self.tabs.setTabVisible(self.tabs.indexOf(self.communes), False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.overview)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(line)
        layout.addWidget(self.controls)
        layout.addWidget(self.document)
        layout.addWidget(self.error)
        layout.addWidget(self.summary_row)
        layout.addWidget(self.tabs, 1)
        # Takes the room of the hidden tabs on a database not set up.
        layout.addStretch(0)
        chain = [
            self.year,
            self.plan,
            self.tabs,
            self.targets,
            self.ranking,
            self.communes.communes,
            self.communes.detail,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
