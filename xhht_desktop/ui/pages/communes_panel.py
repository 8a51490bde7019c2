"""The office's dashboard tab: every commune against the plan, and the literacy verdict share.

The office sees, for the active plan, a row per commune whose data it holds
(and a last row for the office's total), a column per target with the
commune's figure painted met / not met, its literacy verdicts, and the share
of communes meeting each literacy level (Nghị định 20/2014, Art. 20.2 and
21.2). Selecting a commune shows that commune's target check with its gaps
underneath. Nothing here edits anything: the office never changes a
commune's records. Every figure comes from ``context.consolidation`` (the
dashboard hands the result in); the panel only lays it out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.core.targets import Status
from xhht_desktop.ui.drilldown import STATUS_COLOURS, check_text, figures_tooltip, percent_text
from xhht_desktop.ui.forms.field_row import MESSAGE_COLOUR

if TYPE_CHECKING:
    from xhht_desktop.core.literacy import ShareVerdict, StandardVerdict
    from xhht_desktop.core.plans import PlanEvaluation, TargetRow
    from xhht_desktop.services.consolidation import ConsolidatedLiteracy, ConsolidatedPlan

#: Role under which a commune row's cells hand out the commune code ("" for the total).
COMMUNE_ROLE = Qt.ItemDataRole.UserRole + 30
#: Role under which a target cell hands out its ``Status``.
STATUS_ROLE = Qt.ItemDataRole.UserRole + 31
#: Role under which a target cell hands out the target's position in the plan.
POSITION_ROLE = Qt.ItemDataRole.UserRole + 32

#: Columns of the communes table before the targets' columns.
COLUMN_CODE, COLUMN_NAME, COLUMN_REACHED, COLUMN_LEVEL_1, COLUMN_LEVEL_2 = range(5)
FIXED_COLUMNS = 5
#: Columns of a commune's target check.
DETAIL_POSITION, DETAIL_LABEL, DETAIL_FIGURE, DETAIL_STATUS, DETAIL_GAP = range(5)
TOTAL = ""
"""The code of the total row."""
TOTAL_BACKGROUND = "#eceff1"


def table_item(text: str = "", tooltip: str = "") -> QStandardItem:
    """A read-only cell, with its tooltip when one is given."""
    item = QStandardItem(text)
    item.setEditable(False)
    if tooltip:
        item.setToolTip(tooltip)
    return item


def paint_status(item: QStandardItem, status: Status, role: int, *, bold: bool = False) -> None:
    """Colour a cell as its target's status says, and keep the status under ``role``."""
    colour, background = STATUS_COLOURS[status]
    item.setForeground(QBrush(QColor(colour)))
    item.setBackground(QBrush(QColor(background)))
    item.setData(status, role)
    if bold:
        font = QFont()
        font.setBold(True)
        item.setFont(font)


def gap_item(row: TargetRow) -> QStandardItem:
    """The "Nhận xét" cell: what is missing to the target, in the status colour until reached."""
    gap = table_item(row.gap_text, row.gap_text)
    if not row.check.status.reached:
        gap.setForeground(QBrush(QColor(STATUS_COLOURS[row.check.status][0])))
    return gap


def _right(item: QStandardItem) -> QStandardItem:
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class CommunesPanel(QWidget):
    """The communes of an office against the plan, one commune's check underneath.

    Keys: arrows move in the communes table, the commune's check follows the
    current row; Tab goes on to that check.

    Attributes:
        communes_model: A row per commune, then the total row.
        detail_model: The target check of the current commune.

    Signals:
        commune_selected(str): the commune shown underneath changed (its
            code; ``""`` for the office's total).
    """

    commune_selected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.consolidated: ConsolidatedPlan | None = None
        self.literacy: ConsolidatedLiteracy | None = None
        self._names: dict[str, str] = {}

        self.verdict = QLabel()
        self.verdict.setObjectName("literacy_verdict")
        self.verdict.setWordWrap(True)
        self.verdict.setTextFormat(Qt.TextFormat.RichText)
        self.empty = QLabel(
            self.tr(
                "Chưa có số liệu của xã nào. Hãy nhập gói dữ liệu (.xhht) các xã gửi lên; "
                "số liệu tổng hợp sẽ hiện ở đây."
            )
        )
        self.empty.setWordWrap(True)
        self.note = QLabel(
            self.tr(
                "Cột «CT n» là chỉ tiêu số n của kế hoạch, dưới số là mức chỉ tiêu. Dòng cuối là "
                "số liệu chung của cơ quan tổng hợp (cộng tử số và mẫu số của các xã). Chọn một "
                "xã để xem từng chỉ tiêu của xã đó. Cơ quan tổng hợp chỉ xem, không sửa dữ liệu "
                "của xã."
            )
        )
        self.note.setWordWrap(True)

        self.communes_model = QStandardItemModel(self)
        self.communes = QTableView()
        self.communes.setObjectName("communes")
        self.communes.setModel(self.communes_model)
        self.communes.setAccessibleName(self.tr("Các xã và chỉ tiêu"))
        self.communes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.communes.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.communes.setTabKeyNavigation(False)
        self.communes.verticalHeader().hide()
        self.communes.selectionModel().currentChanged.connect(self._moved)

        self.detail_title = QLabel()
        self.detail_title.setObjectName("detail_title")
        font = QFont()
        font.setBold(True)
        self.detail_title.setFont(font)
        self.detail_model = QStandardItemModel(self)
        self.detail = QTableView()
        self.detail.setObjectName("commune_targets")
        self.detail.setModel(self.detail_model)
        self.detail.setAccessibleName(self.tr("Chỉ tiêu của xã đang chọn"))
        self.detail.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.detail.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.detail.setTabKeyNavigation(False)
        self.detail.setWordWrap(False)
        self.detail.verticalHeader().hide()

        below = QWidget()
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 4, 0, 0)
        below_layout.addWidget(self.detail_title)
        below_layout.addWidget(self.detail, 1)
        above = QWidget()
        above_layout = QVBoxLayout(above)
        above_layout.setContentsMargins(0, 0, 0, 0)
        above_layout.addWidget(self.verdict)
        above_layout.addWidget(self.note)
        above_layout.addWidget(self.empty)
        above_layout.addWidget(self.communes, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(above)
        splitter.addWidget(below)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        QWidget.setTabOrder(self.communes, self.detail)

    # -- public -----------------------------------------------------------------------

    def show_consolidation(
        self, consolidated: ConsolidatedPlan, literacy: ConsolidatedLiteracy | None
    ) -> None:
        """Lay out a consolidated check (and the literacy verdicts, when given)."""
        current = self.current_code()
        self.consolidated = consolidated
        self.literacy = literacy
        self._names = {e.code: e.name for e in consolidated.communes}
        self._names[TOTAL] = self.tr("Tổng cộng")
        self.empty.setVisible(not consolidated.communes)
        self._show_verdict(literacy)
        self._show_communes(consolidated, literacy)
        codes = self.commune_codes()
        self.select_commune(current if current in codes else (codes[0] if codes else TOTAL))

    def commune_codes(self) -> list[str]:
        """The codes of the commune rows, top first (the total row left out)."""
        codes = []
        for number in range(self.communes_model.rowCount()):
            code = self.communes_model.item(number, COLUMN_CODE).data(COMMUNE_ROLE)
            if code != TOTAL:
                codes.append(code)
        return codes

    def current_code(self) -> str | None:
        current = self.communes.currentIndex()
        return current.data(COMMUNE_ROLE) if current.isValid() else None

    def row_of(self, code: str) -> int:
        """The table row of a commune (``""``: the total row); -1 when absent."""
        for number in range(self.communes_model.rowCount()):
            if self.communes_model.item(number, COLUMN_CODE).data(COMMUNE_ROLE) == code:
                return number
        return -1

    def cell(self, code: str, position: int) -> QModelIndex:
        """The cell of a commune (or the total) for the target at ``position``."""
        row = self.row_of(code)
        for column in range(FIXED_COLUMNS, self.communes_model.columnCount()):
            index = self.communes_model.index(row, column)
            if index.data(POSITION_ROLE) == position:
                return index
        return QModelIndex()

    def select_commune(self, code: str, position: int | None = None) -> None:
        """Make a commune (and a target's column, if given) current; its check shows below."""
        row = self.row_of(code)
        if row < 0:
            self._show_detail(TOTAL if self.consolidated else None)
            return
        index = self.cell(code, position) if position is not None else QModelIndex()
        if not index.isValid():
            index = self.communes_model.index(row, COLUMN_NAME)
        self.communes.setCurrentIndex(index)
        self.communes.scrollTo(index)
        self._show_detail(code)

    def evaluation_of(self, code: str) -> PlanEvaluation | None:
        if self.consolidated is None:
            return None
        if code == TOTAL:
            return self.consolidated.total
        return self.consolidated.per_commune.get(code)

    # -- literacy ---------------------------------------------------------------------

    def _share_text(self, share: ShareVerdict, article: int) -> str:
        if share.units == 0:
            outcome = self.tr("chưa có xã nào")
        elif share.met:
            outcome = self.tr("đạt")
        else:
            outcome = self.tr("chưa đạt, cần thêm {n} xã đạt chuẩn").format(n=share.needed)
        colour = STATUS_COLOURS[Status.MET if share.met else Status.NOT_MET][0]
        percent = "—" if share.percent is None else f"{share.percent:.2f}%".replace(".", ",")
        return self.tr(
            "Mức độ {level} (Điều {article}): {met}/{n} xã đạt = {percent} "
            "(chuẩn {threshold}%) — <b style='color:{colour}'>{outcome}</b>"
        ).format(
            level=share.level,
            article=article,
            met=share.units_met,
            n=share.units,
            percent=percent,
            threshold=share.threshold_percent,
            colour=colour,
            outcome=outcome,
        )

    def _show_verdict(self, literacy: ConsolidatedLiteracy | None) -> None:
        if literacy is None:
            self.verdict.setText(
                f"<span style='color:{MESSAGE_COLOUR}'>"
                + self.tr("Chưa tính được chuẩn xóa mù chữ của các xã.")
                + "</span>"
            )
            return
        title = self.tr("Chuẩn xóa mù chữ của đơn vị (Nghị định 20/2014/NĐ-CP):")
        lines = [self._share_text(literacy.level_1, 20), self._share_text(literacy.level_2, 21)]
        self.verdict.setText(f"<b>{title}</b><br>" + "<br>".join(lines))

    def _level_item(self, verdict: StandardVerdict) -> QStandardItem:
        percent = "—" if verdict.percent is None else f"{verdict.percent:.2f}%".replace(".", ",")
        item = table_item(
            self.tr("Đạt") if verdict.met else self.tr("Chưa đạt"),
            self.tr("Độ tuổi {band}: {literate}/{counted} người biết chữ = {percent}").format(
                band=verdict.band.label,
                literate=verdict.literate,
                counted=verdict.counted,
                percent=percent,
            ),
        )
        paint_status(item, Status.MET if verdict.met else Status.NOT_MET, STATUS_ROLE)
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        return item

    # -- the communes table -------------------------------------------------------------

    def _show_communes(
        self, consolidated: ConsolidatedPlan, literacy: ConsolidatedLiteracy | None
    ) -> None:
        model = self.communes_model
        model.clear()
        rows = consolidated.total.rows
        model.setHorizontalHeaderLabels(
            [
                self.tr("Mã"),
                self.tr("Xã, phường"),
                self.tr("Chỉ tiêu đạt"),
                self.tr("XMC mức 1"),
                self.tr("XMC mức 2"),
                *(
                    self.tr("CT {n}\n{target}").format(
                        n=row.position, target=row.target.target.describe()
                    )
                    for row in rows
                ),
            ]
        )
        for number, row in enumerate(rows):
            header = model.horizontalHeaderItem(FIXED_COLUMNS + number)
            header.setToolTip(f"{row.position}. {row.indicator.label}")
        verdicts = {c.code: c for c in literacy.per_commune} if literacy is not None else {}
        for entry in consolidated.communes:
            found = verdicts.get(entry.code)
            levels = (
                [
                    self._level_item(found.rates.standards.level_1),
                    self._level_item(found.rates.standards.level_2),
                ]
                if found is not None
                else [table_item("—"), table_item("—")]
            )
            model.appendRow(
                self._row(entry.code, entry.name, consolidated.per_commune[entry.code], levels)
            )
        if consolidated.communes:
            total = self._row(
                TOTAL, self.tr("Tổng cộng"), consolidated.total, [table_item(), table_item()]
            )
            bold = QFont()
            bold.setBold(True)
            for cell in total:
                cell.setFont(bold)
                if cell.data(STATUS_ROLE) is None:
                    cell.setBackground(QBrush(QColor(TOTAL_BACKGROUND)))
            model.appendRow(total)
        header = self.communes.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMN_NAME, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(COLUMN_NAME, 190)

    def _row(
        self,
        code: str,
        name: str,
        evaluation: PlanEvaluation,
        levels: list[QStandardItem],
    ) -> list[QStandardItem]:
        reached = sum(1 for r in evaluation.rows if r.check.status.reached)
        checked = sum(1 for r in evaluation.rows if r.check.status is not Status.NO_DATA)
        cells = [
            table_item(code),
            table_item(name),
            _right(
                table_item(
                    self.tr("{reached}/{n}").format(reached=reached, n=len(evaluation.rows)),
                    self.tr(
                        "Đạt {reached} trong {n} chỉ tiêu; {checked} chỉ tiêu có số liệu"
                    ).format(reached=reached, n=len(evaluation.rows), checked=checked),
                )
            ),
            *levels,
        ]
        for row in evaluation.rows:
            check = row.check
            cell = _right(
                table_item(
                    percent_text(check.value),
                    f"{name} — {row.position}. {row.indicator.label}\n"
                    f"{check_text(check, row.target.target.describe())} — "
                    f"{check.status.label}: {row.gap_text}",
                )
            )
            paint_status(cell, check.status, STATUS_ROLE)
            cell.setData(row.position, POSITION_ROLE)
            cells.append(cell)
        for cell in cells:
            cell.setData(code, COMMUNE_ROLE)
        return cells

    # -- one commune's check ---------------------------------------------------------------

    def _moved(self, current: QModelIndex | QPersistentModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._show_detail(current.data(COMMUNE_ROLE))

    def _show_detail(self, code: str | None) -> None:
        model = self.detail_model
        evaluation = self.evaluation_of(code) if code is not None else None
        model.clear()
        model.setHorizontalHeaderLabels(
            [
                self.tr("STT"),
                self.tr("Chỉ tiêu"),
                self.tr("Thực hiện / chỉ tiêu"),
                self.tr("Kết quả"),
                self.tr("Nhận xét"),
            ]
        )
        if evaluation is None or code is None:
            self.detail_title.clear()
            return
        reached = sum(1 for r in evaluation.rows if r.check.status.reached)
        self.detail_title.setText(
            self.tr("{name} — đạt {reached}/{n} chỉ tiêu").format(
                name=self._names.get(code, code), reached=reached, n=len(evaluation.rows)
            )
        )
        for row in evaluation.rows:
            check = row.check
            figure = _right(
                table_item(
                    check_text(check, row.target.target.describe()),
                    figures_tooltip(row.indicator, check),
                )
            )
            status = table_item(check.status.label)
            paint_status(status, check.status, STATUS_ROLE)
            paint_status(figure, check.status, STATUS_ROLE)
            gap = gap_item(row)
            label = table_item(row.indicator.label, row.target.wording or row.indicator.label)
            model.appendRow([_right(table_item(str(row.position))), label, figure, status, gap])
        header = self.detail.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DETAIL_LABEL, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(DETAIL_LABEL, 380)
        header.setStretchLastSection(True)
        self.commune_selected.emit(code)
