"""The literacy summary page: the commune's standards and its literacy rates.

Every figure here comes from ``context.literacy`` (``rates`` and
``by_village``), the same service the command line and the reports call, so
the screen cannot disagree with them; the page only lays the figures out.
Computing them reads the whole persons register (a fraction of a second on
200,000 persons), so it runs on a worker thread: the page shows a busy
indicator meanwhile, and a result that arrives after the year was changed
again is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.core import ethnicity
from xhht_desktop.core.literacy import (
    ALL,
    LEVEL_1,
    LEVEL_2,
    LEVELS,
    SEX_ORDER,
    Band,
    Figures,
    LiteracyReport,
    StandardVerdict,
    VillageTable,
)
from xhht_desktop.errors import ValidationFailed, XhhtError
from xhht_desktop.ui import style
from xhht_desktop.ui.figure_tables import (
    Cell,
    FigureRow,
    FigureTableModel,
    Heading,
    count_cell,
    figure_view,
    format_count,
    format_percent,
    rate_cell,
    text_cell,
)
from xhht_desktop.ui.forms.field_row import MESSAGE_COLOUR, ChoiceBox
from xhht_desktop.ui.forms.literacy_settings import LiteracySettingsDialog
from xhht_desktop.ui.table_models import LEFT
from xhht_desktop.ui.tasks import LatestTask

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext

MIN_YEAR = 1990
MAX_YEAR = 2100

MET_COLOUR = "#1b5e20"
MET_BACKGROUND = "#e8f5e9"
NOT_MET_COLOUR = MESSAGE_COLOUR
NOT_MET_BACKGROUND = "#ffebee"


@dataclass(frozen=True)
class LiteracyFigures:
    """What the page shows for one survey year, as the service computed it.

    Attributes:
        year: The survey year.
        report: Rates of every band × sex × level and the standards.
        table: The statistical table by village.
    """

    year: int
    report: LiteracyReport
    table: VillageTable


def read_figures(context: AppContext, year: int) -> LiteracyFigures:
    """Ask the literacy service for everything the page shows (on any thread)."""
    return LiteracyFigures(year, context.literacy.rates(year), context.literacy.by_village(year))


@dataclass(frozen=True)
class _Outcome:
    figures: LiteracyFigures | None = None
    error: str = ""


def _tr(text: str) -> str:
    return QCoreApplication.translate("LiteracyPage", text)


def _band_text(band: Band) -> str:
    return _tr("{band} tuổi").format(band=band.label)


def _band_key(band: Band) -> str:
    # Combo boxes compare their data as Qt values: a string, not a Python object.
    return f"{band.age_from}-{band.age_to}"


def _ethnicity_name(code: str) -> str:
    group = ethnicity.by_code(code)
    return group.name if group is not None else code


def _figure_headings(group: str) -> list[Heading]:
    """The five columns of one group: people counted, level 1 and its rate, level 2 and its rate."""
    counted = _tr("Số người trong độ tuổi, không tính người khuyết tật không có khả năng học")
    return [
        Heading(_tr("Số người"), group, f"{group} — {counted}"),
        Heading(_tr("Mức độ 1"), group, f"{group} — " + _tr("Số người biết chữ mức độ 1 trở lên")),
        Heading(_tr("Tỷ lệ"), group, f"{group} — " + _tr("Tỷ lệ biết chữ mức độ 1")),
        Heading(_tr("Mức độ 2"), group, f"{group} — " + _tr("Số người biết chữ mức độ 2")),
        Heading(_tr("Tỷ lệ"), group, f"{group} — " + _tr("Tỷ lệ biết chữ mức độ 2")),
    ]


def _figure_cells(figures: Figures) -> list[Cell]:
    exempt = (
        _tr("Không tính {n} người khuyết tật không có khả năng học.").format(
            n=format_count(figures.exempt)
        )
        if figures.exempt
        else ""
    )
    return [
        count_cell(figures.counted, exempt),
        count_cell(figures.level_1),
        rate_cell(figures.percent(LEVEL_1)),
        count_cell(figures.level_2),
        rate_cell(figures.percent(LEVEL_2)),
    ]


def _sex_headings() -> list[Heading]:
    groups = {ALL: _tr("Nam và nữ"), "male": _tr("Nam"), "female": _tr("Nữ")}
    return [heading for sex in SEX_ORDER for heading in _figure_headings(groups[sex])]


def band_rows(report: LiteracyReport) -> list[FigureRow]:
    """The band × sex table: a row per band, the figures of each sex side by side."""
    rows = []
    for band in report.settings.report_bands():
        cells = [text_cell(band.label)]
        for sex in SEX_ORDER:
            cells += _figure_cells(report.figures[(band, sex, None)])
        rows.append(FigureRow(tuple(cells), key=band))
    return rows


def ethnicity_rows(report: LiteracyReport, band: Band) -> list[FigureRow]:
    """The table of one band by ethnicity: a row per ethnicity present, then all of them."""
    rows = []
    for code in (*report.ethnicities, None):
        label = _ethnicity_name(code) if code is not None else _tr("Tất cả dân tộc")
        cells = [text_cell(label, f"{code} – {label}" if code else "")]
        for sex in SEX_ORDER:
            cells += _figure_cells(report.figures[(band, sex, code)])
        rows.append(FigureRow(tuple(cells), total=code is None, key=code))
    return rows


def village_rows(table: VillageTable) -> list[FigureRow]:
    """The statistical table: a row per village and the commune's total."""
    rows = []
    for line in (*table.lines, table.total):
        total = line is table.total
        cells = [text_cell(_tr("Toàn xã") if total else line.village_name)]
        for figures in line.figures:
            cells += _figure_cells(figures)
        rows.append(FigureRow(tuple(cells), total=total, key=line.village_id))
    return rows


class StandardBox(QFrame):
    """The verdict on one standard, in colour and in words.

    Attributes:
        title: Which standard and which article.
        verdict: "Đạt chuẩn mức độ 1" or "Chưa đạt: cần thêm … người …".
        detail: The band used, the counts and the rate.
    """

    def __init__(self, standard_level: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.standard_level = standard_level
        self.met: bool | None = None
        self.setObjectName(f"standard{standard_level}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        article = 20 if standard_level == LEVEL_1 else 21
        self.title = QLabel(
            self.tr(
                "Chuẩn biết chữ mức độ {level} (Điều {article} Nghị định 20/2014/NĐ-CP)"
            ).format(level=standard_level, article=article)
        )
        self.verdict = QLabel()
        self.verdict.setObjectName("verdict")
        self.verdict.setWordWrap(True)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.verdict)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        self._paint(None)

    def show_verdict(self, verdict: StandardVerdict) -> None:
        """Show ``verdict``: met or not, how many more people, the band and the rate."""
        level = verdict.level
        band = verdict.band.label
        if verdict.met:
            text = self.tr("Đạt chuẩn mức độ {level}").format(level=level)
        elif verdict.counted == 0:
            text = self.tr("Chưa đạt: không có ai {band} tuổi trong sổ để tính tỷ lệ").format(
                band=band
            )
        elif level == LEVEL_1:
            text = self.tr("Chưa đạt: cần thêm {n} người biết chữ").format(
                n=format_count(verdict.needed)
            )
        else:
            text = self.tr("Chưa đạt: cần thêm {n} người đạt mức độ 2").format(
                n=format_count(verdict.needed)
            )
        self.verdict.setText(text)
        self.detail.setText(
            self.tr(
                "Nhóm {band} tuổi: {literate} trên {counted} người biết chữ mức độ {level}, "
                "tỷ lệ {rate} (chuẩn: từ {threshold}% trở lên)."
            ).format(
                band=band,
                literate=format_count(verdict.literate),
                counted=format_count(verdict.counted),
                level=level,
                rate=format_percent(verdict.percent),
                threshold=verdict.threshold_percent,
            )
        )
        self._paint(verdict.met)

    def _paint(self, met: bool | None) -> None:
        self.met = met
        if met is None:
            colour, background = "palette(text)", "palette(base)"
        elif met:
            colour, background = MET_COLOUR, MET_BACKGROUND
        else:
            colour, background = NOT_MET_COLOUR, NOT_MET_BACKGROUND
        self.setStyleSheet(
            f"QFrame#{self.objectName()} {{ background-color: {background}; "
            f"border: 2px solid {colour}; border-radius: 4px; }}"
        )
        self.title.setStyleSheet("font-weight: bold;")
        self.verdict.setStyleSheet(f"color: {colour}; font-size: 14pt; font-weight: bold;")


class LiteracyPage(QWidget):
    """The commune's literacy standards and rates for a survey year.

    Keys: the year box comes first (arrows change the year); F5 computes
    again; Ctrl+Tab moves between the tables.

    Signals:
        figures_shown(int): the figures of the year are on screen.
    """

    figures_shown = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.figures: LiteracyFigures | None = None
        self._jobs = LatestTask(self._finished, self._failed, self)

        self.title = QLabel(self.tr("Xóa mù chữ: tỷ lệ biết chữ và chuẩn của xã"))
        self.title.setStyleSheet(style.PAGE_TITLE)
        self.year = QSpinBox()
        self.year.setRange(MIN_YEAR, MAX_YEAR)
        self.year.setValue(self.reporting_year())
        self.year.setAccessibleName(self.tr("Năm điều tra"))
        self.settings_button = QPushButton(self.tr("Cài đặt xóa mù &chữ…"))
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setTextVisible(False)
        self.busy_label = QLabel(self.tr("Đang tính số liệu…"))
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet(f"color: {MESSAGE_COLOUR}; font-weight: bold;")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        self.heading = QLabel()
        self.heading.setWordWrap(True)

        self.standards = {level: StandardBox(level) for level in LEVELS}
        self.area_note = QLabel()
        self.area_note.setWordWrap(True)
        self.exempt_note = QLabel()
        self.exempt_note.setWordWrap(True)

        self.bands_model = FigureTableModel(parent=self)
        self.bands_view = figure_view(self.bands_model, 90)
        self.ethnicity_band = ChoiceBox()
        self.ethnicity_model = FigureTableModel(parent=self)
        self.ethnicity_view = figure_view(self.ethnicity_model, 110)
        self.villages_model = FigureTableModel(parent=self)
        self.villages_view = figure_view(self.villages_model, 125)
        self.tabs = QTabWidget()

        self._start_timer = QTimer(self)
        self._start_timer.setSingleShot(True)
        self._start_timer.setInterval(0)
        self._start_timer.timeout.connect(self._start)

        self._layout()
        self._connect()
        self._set_busy(False)
        self.refresh()

    # -- public -----------------------------------------------------------

    def reporting_year(self) -> int:
        """The installation's reporting year (this year when not set up)."""
        info = self.context.setup.installation()
        return info.year if info is not None else date.today().year

    def refresh(self) -> None:
        """Compute the figures of the chosen year again, off the GUI thread.

        Calls in a burst (a year typed digit by digit, the page shown right
        after it was built) fold into one computation.
        """
        self._start_timer.start()

    def is_busy(self) -> bool:
        """Whether figures are being computed for the chosen year."""
        return self._start_timer.isActive() or self._jobs.running

    def open_settings(self) -> LiteracySettingsDialog:
        """Open the literacy settings; the figures are computed again after a save."""
        dialog = LiteracySettingsDialog(self.context, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.settings_saved.connect(lambda _settings: self.refresh())
        dialog.finished.connect(lambda _result: self.settings_button.setFocus())
        dialog.open()
        return dialog

    # -- computing --------------------------------------------------------

    def _start(self) -> None:
        year = self.year.value()
        context = self.context

        def work() -> _Outcome:
            try:
                return _Outcome(read_figures(context, year))
            except ValidationFailed as refused:  # damaged settings: say what to do
                return _Outcome(error="\n".join(i.message for i in refused.issues))
            except XhhtError as refused:
                return _Outcome(error=refused.message)

        self._set_busy(True)
        self._jobs.start(work)

    def _finished(self, outcome: object) -> None:
        if not isinstance(outcome, _Outcome):
            return
        self._set_busy(False)
        if outcome.figures is None:
            self._show_error(outcome.error)
            return
        self._show(outcome.figures)

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self._show_error(self.tr("Không tính được số liệu xóa mù chữ: {error}").format(error=error))

    # -- showing ----------------------------------------------------------

    def _show(self, figures: LiteracyFigures) -> None:
        self.figures = figures
        report = figures.report
        self.error.setVisible(False)
        self.heading.setText(
            self.tr(
                "Số liệu năm {year}. Tuổi tính theo năm sinh: tuổi = {year} − năm sinh. "
                "Chỉ tính người thường trú và tạm trú; không tính người đã chuyển đi "
                "hoặc đã mất."
            ).format(year=figures.year)
        )
        for level in LEVELS:
            self.standards[level].show_verdict(report.standards.at(level))
        first, second = report.standards.level_1.band, report.standards.level_2.band
        if report.settings.difficult_area:
            note = self.tr(
                "Xã có điều kiện kinh tế – xã hội đặc biệt khó khăn: chuẩn mức độ 1 xét "
                "nhóm {first} tuổi, chuẩn mức độ 2 xét nhóm {second} tuổi."
            )
        else:
            note = self.tr(
                "Xã không thuộc diện đặc biệt khó khăn: chuẩn mức độ 1 xét nhóm {first} tuổi, "
                "chuẩn mức độ 2 xét nhóm {second} tuổi (xã đặc biệt khó khăn: đổi trong "
                "Cài đặt xóa mù chữ)."
            )
        self.area_note.setText(note.format(first=first.label, second=second.label))
        target = report.settings.target_band
        exempt = report.figures[(target, ALL, None)].exempt
        self.exempt_note.setText(
            self.tr(
                "Không tính vào tỷ lệ: {n} người {band} tuổi khuyết tật không có khả năng "
                "học (danh sách ở trang “Danh sách cần xử lý”)."
            ).format(n=format_count(exempt), band=target.label)
        )

        self.bands_model.set_table(
            [Heading(self.tr("Nhóm tuổi"), alignment=LEFT), *_sex_headings()], band_rows(report)
        )
        bands = report.settings.report_bands()
        chosen = self.ethnicity_band.value()
        offered = {_band_key(band) for band in bands}
        self.ethnicity_band.blockSignals(True)
        try:
            self.ethnicity_band.set_choices([(_band_key(band), _band_text(band)) for band in bands])
            # The target group first; later, the band the user chose, while offered.
            self.ethnicity_band.set_value(chosen if chosen in offered else _band_key(target))
        finally:
            self.ethnicity_band.blockSignals(False)
        self._show_ethnicities()
        village_headings = [Heading(self.tr("Thôn, tổ dân phố"), alignment=LEFT)]
        for band in figures.table.bands:
            village_headings += _figure_headings(_band_text(band))
        self.villages_model.set_table(village_headings, village_rows(figures.table))
        self.figures_shown.emit(figures.year)

    def ethnicity_band_chosen(self) -> Band | None:
        """The band the ethnicity table shows."""
        if self.figures is None:
            return None
        key = self.ethnicity_band.value()
        bands = self.figures.report.settings.report_bands()
        return next((band for band in bands if _band_key(band) == key), None)

    def _show_ethnicities(self) -> None:
        if self.figures is None:
            return
        band = self.ethnicity_band_chosen()
        if band is None:
            return
        self.ethnicity_model.set_table(
            [Heading(self.tr("Dân tộc"), alignment=LEFT), *_sex_headings()],
            ethnicity_rows(self.figures.report, band),
        )

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.busy_label.setVisible(busy)

    # -- layout -----------------------------------------------------------

    def _layout(self) -> None:
        year_label = QLabel(self.tr("&Năm điều tra:"))
        year_label.setBuddy(self.year)
        top = QHBoxLayout()
        top.addWidget(year_label)
        top.addWidget(self.year)
        top.addSpacing(12)
        top.addWidget(self.busy)
        top.addWidget(self.busy_label)
        top.addStretch(1)
        top.addWidget(self.settings_button)

        standards = QHBoxLayout()
        for box in self.standards.values():
            standards.addWidget(box, 1)

        ethnicity_tab = QWidget()
        band_label = QLabel(self.tr("Nhóm &tuổi:"))
        band_label.setBuddy(self.ethnicity_band)
        band_row = QHBoxLayout()
        band_row.addWidget(band_label)
        band_row.addWidget(self.ethnicity_band)
        band_row.addStretch(1)
        ethnicity_column = QVBoxLayout(ethnicity_tab)
        ethnicity_column.addLayout(band_row)
        ethnicity_column.addWidget(self.ethnicity_view, 1)

        self.tabs.addTab(self.bands_view, self.tr("Theo nhóm tuổi và giới tính"))
        self.tabs.addTab(ethnicity_tab, self.tr("Theo dân tộc"))
        self.tabs.addTab(self.villages_view, self.tr("Biểu thống kê xóa mù chữ theo thôn"))

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(self.heading)
        layout.addLayout(standards)
        layout.addWidget(self.area_note)
        layout.addWidget(self.exempt_note)
        layout.addWidget(self.tabs, 1)
        chain = [
            self.year,
            self.settings_button,
            self.tabs,
            self.bands_view,
            self.ethnicity_band,
            self.ethnicity_view,
            self.villages_view,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _connect(self) -> None:
        self.year.valueChanged.connect(lambda _year: self.refresh())
        self.settings_button.clicked.connect(self.open_settings)
        self.ethnicity_band.currentIndexChanged.connect(lambda _number: self._show_ethnicities())
        refresh = QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self)
        refresh.activated.connect(self.refresh)
