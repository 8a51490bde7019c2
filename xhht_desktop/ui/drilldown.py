"""The records behind a figure: who a target still misses, and a way to each record.

A dashboard figure ("72% of households registered for Gia đình học tập")
opens :class:`DrilldownDialog`, which lists the records behind its gap as
``context.indicators.behind`` finds them: the households of Thôn 4 not yet
registered, the people of 15–60 who cannot read yet, the rows of an
aggregate form. Enter on a record opens the record's own edit dialog
(:func:`open_record`, which the data checks page uses too); after a save the
list is read again and :attr:`DrilldownDialog.records_changed` tells the
dashboard to check the plan again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.core import ethnicity
from xhht_desktop.core.indicators import (
    AggregatePair,
    AggregateYes,
    Indicator,
    LiterateShare,
    ModelShare,
    format_count,
)
from xhht_desktop.core.models_cycle import MODELS
from xhht_desktop.core.registers import LITERACY_STAGES, SEXES, format_birth
from xhht_desktop.core.targets import Status, TargetCheck, format_percent
from xhht_desktop.errors import NotFound, XhhtError
from xhht_desktop.services.aggregates import AggregateRow
from xhht_desktop.store.model_queries import EntryRow
from xhht_desktop.store.repositories import PersonRow
from xhht_desktop.ui import style
from xhht_desktop.ui.forms.field_row import MESSAGE_COLOUR, ChoiceBox
from xhht_desktop.ui.table_models import LEFT, RIGHT, Column, PagedTableModel, set_up_list_view

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext
    from xhht_desktop.core.plans import PlanEvaluation, TargetRow
    from xhht_desktop.services.indicators import RecordsBehind

PAGE_SIZE = 200

#: Text and background colour of each status, as the dashboard paints it.
STATUS_COLOURS: dict[Status, tuple[str, str]] = {
    Status.MET: ("#1b5e20", "#e8f5e9"),
    Status.WITHIN_RANGE: ("#33691e", "#f1f8e9"),
    Status.ABOVE_STRETCH: ("#004d40", "#e0f2f1"),
    Status.NOT_MET: (MESSAGE_COLOUR, "#ffebee"),
    Status.NO_DATA: ("#424242", "#eeeeee"),
}

ENTITY_LABELS = {
    "household": QT_TRANSLATE_NOOP("Drilldown", "Hộ gia đình"),
    "person": QT_TRANSLATE_NOOP("Drilldown", "Nhân khẩu"),
    "clan": QT_TRANSLATE_NOOP("Drilldown", "Dòng họ"),
    "village": QT_TRANSLATE_NOOP("Drilldown", "Thôn, tổ dân phố"),
    "unit": QT_TRANSLATE_NOOP("Drilldown", "Cơ quan, đơn vị"),
    "model_entry": QT_TRANSLATE_NOOP("Drilldown", "Mô hình học tập"),
    "aggregate": QT_TRANSLATE_NOOP("Drilldown", "Số liệu tổng hợp"),
}
"""What each kind of record is called, by the entity names the services use."""


def _tr(text: str) -> str:
    return QCoreApplication.translate("Drilldown", text)


def entity_label(entity: str) -> str:
    return _tr(ENTITY_LABELS[entity]) if entity in ENTITY_LABELS else entity


# -- opening a record ------------------------------------------------------------------


def edit_dialog(
    context: AppContext, entity: str, record_id: str, parent: QWidget
) -> QDialog | None:
    """The edit dialog of a register record, not yet shown; ``None`` for other entities."""
    if entity == "household":
        from xhht_desktop.ui.forms.household_form import HouseholdDialog

        return HouseholdDialog(context, record_id, parent)
    if entity == "person":
        from xhht_desktop.ui.forms.person_form import PersonDialog

        return PersonDialog(context, person_id=record_id, parent=parent)
    if entity == "clan":
        from xhht_desktop.ui.forms.clan_form import ClanDialog

        return ClanDialog(context, record_id, parent)
    if entity == "village":
        from xhht_desktop.ui.forms.village_form import VillageDialog

        return VillageDialog(context, record_id, parent)
    if entity == "unit":
        from xhht_desktop.ui.forms.unit_form import UnitDialog

        return UnitDialog(context, record_id, parent)
    return None


def open_dialog(dialog: QDialog, saved: Callable[[], None], closed: Callable[[], None]) -> None:
    """Show ``dialog`` without blocking; ``saved`` after each save, ``closed`` at the end.

    Every record dialog says it saved through ``record_saved``; a household
    also through ``members_changed`` when a member was added or changed.
    """
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    for name in ("record_saved", "members_changed", "evaluation_saved"):
        signal = getattr(dialog, name, None)
        if signal is not None:
            signal.connect(lambda *_args: saved())
    dialog.finished.connect(lambda _result: closed())
    dialog.open()


def open_record(
    context: AppContext,
    entity: str,
    record_id: str,
    parent: QWidget,
    saved: Callable[[], None],
    closed: Callable[[], None] = lambda: None,
) -> QDialog | None:
    """Open the edit dialog of a register record (see :func:`edit_dialog`)."""
    dialog = edit_dialog(context, entity, record_id, parent)
    if dialog is not None:
        open_dialog(dialog, saved, closed)
    return dialog


# -- describing figures ------------------------------------------------------------------


def percent_text(value: Fraction | None) -> str:
    """A percentage ("94,78%"), or "—" without one."""
    return "—" if value is None else f"{format_percent(value)}%"


def check_text(check: TargetCheck, target_text: str) -> str:
    """An actual figure against its target: "94,78% / ≥ 98,5%"."""
    return f"{percent_text(check.value)} / {target_text}"


def figures_tooltip(indicator: Indicator, check: TargetCheck) -> str:
    """The numerator and denominator in words, for a tool tip."""
    if check.numerator is None or not check.denominator:
        return _tr("Chưa có số liệu: {what}").format(what=indicator.denominator_label.lower())
    return f"{indicator.numerator_label}: {format_count(check.numerator)}\n" + (
        f"{indicator.denominator_label}: {format_count(check.denominator)}"
    )


def entry_state(row: EntryRow) -> str:
    """Where a subject stands in the yearly cycle, in words."""
    if row.registered_on is None:
        return _tr("Chưa đăng ký")
    if row.revoked_on is not None:
        return _tr("Đã bị thu hồi công nhận")
    if row.refused_on is not None:
        return _tr("Không được công nhận")
    if row.decision_id is not None:
        return _tr("Đã được công nhận")
    if row.criteria_id is None:
        return _tr("Đã đăng ký, chưa đánh giá")
    if row.passed is not True:
        return _tr("Đánh giá chưa đạt")
    return _tr("Đánh giá đạt, chưa có quyết định công nhận")


def _sex(person: PersonRow) -> str:
    label = SEXES.get(person.sex)
    return QCoreApplication.translate("registers", label) if label else person.sex


def _ethnicity(person: PersonRow) -> str:
    group = ethnicity.by_code(person.ethnicity_code)
    return group.name if group else person.ethnicity_code


def _stage(person: PersonRow) -> str:
    label = LITERACY_STAGES.get(person.literacy_stage)
    return QCoreApplication.translate("registers", label) if label else str(person.literacy_stage)


def _aggregate_value(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _tr("Có") if value else _tr("Không")
    if isinstance(value, int):
        return format_count(value)
    return str(value)


@dataclass(frozen=True)
class Listing:
    """How one kind of records is listed: its columns and how a row opens."""

    kind: str
    columns: list[Column[Any]]
    row_id: Callable[[Any], str]
    rows: Callable[[RecordsBehind], tuple[Any, ...]]
    entity: str


def _row_id(row: Any) -> str:
    if isinstance(row, EntryRow):
        return row.subject.id
    if isinstance(row, PersonRow):
        return row.id
    if isinstance(row, AggregateRow):
        return row.entry_id or f"{row.definition_id}:{row.village_id or ''}"
    raise TypeError(type(row).__name__)


class DrilldownDialog(QDialog):
    """The records behind one indicator's figure, in the commune or one village.

    Keyboard: the list has the focus; Enter (or a double click) opens the
    record's edit dialog; Tab reaches the village (and part) choosers;
    Esc closes.

    Args:
        context: The application context.
        code: The indicator.
        year: The year of the figure.
        village_id: One village; ``None`` for the whole commune.
        evaluation: The plan check the figure comes from, to show the
            figure and its gap above the list.
        position: The target's position in that plan (an indicator may
            have two targets with different deadlines).
        parent: The Qt parent.

    Signals:
        records_changed: a record was saved from here; figures may differ.
        records_shown(object): the list was (re)read: the ``RecordsBehind``
            of its first page.
    """

    records_changed = Signal()
    records_shown = Signal(object)

    def __init__(
        self,
        context: AppContext,
        code: str,
        year: int,
        village_id: str | None = None,
        *,
        evaluation: PlanEvaluation | None = None,
        position: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.indicator = context.indicators.indicator(code)
        self.year = year
        self.evaluation = evaluation
        self.position = position
        self.behind: RecordsBehind | None = None
        self.setWindowTitle(self.tr("Danh sách sau số liệu"))

        self.heading = QLabel(self.indicator.label)
        self.heading.setStyleSheet(style.PAGE_TITLE)
        self.heading.setWordWrap(True)
        self.figure = QLabel()
        self.figure.setObjectName("figure")
        self.figure.setWordWrap(True)
        self.explanation = QLabel()
        self.explanation.setObjectName("explanation")
        self.explanation.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.hide()

        self.part = ChoiceBox(
            [(p, context.indicators.indicator(p).label) for p in self.indicator.parts]
        )
        self.part.setAccessibleName(self.tr("Phần của chỉ tiêu"))
        self.village = ChoiceBox()
        self.village.setAccessibleName(self.tr("Thôn, tổ dân phố"))
        self.village.set_choices(
            [("", self.tr("Toàn xã")), *((v.id, v.name) for v in context.villages.list())]
        )
        self.village.set_value(village_id or "")

        self.model: PagedTableModel[Any] = PagedTableModel(
            [], lambda: 0, lambda _offset, _limit: [], _row_id, PAGE_SIZE, self
        )
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Danh sách"))
        self.table.doubleClicked.connect(lambda _index: self.open_current())
        # Enter opens the record; a widget shortcut is seen before the dialog's
        # own handling of Enter (which would close it).
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.open_current)

        self.open_button = QPushButton(self.tr("Mở hồ sơ (Enter)"))
        self.close_button = QPushButton(self.tr("Đóng (Esc)"))
        for button in (self.open_button, self.close_button):
            button.setAutoDefault(False)
        self.open_button.clicked.connect(lambda: self.open_current())
        self.close_button.clicked.connect(self.reject)

        self._layout()
        self.part.currentIndexChanged.connect(lambda _n: self.load())
        self.village.currentIndexChanged.connect(lambda _n: self.load())
        self.resize(900, 580)
        self.load()
        self.table.setFocus()

    # -- what is listed ------------------------------------------------------------

    def shown_code(self) -> str:
        """The indicator whose records are listed (a part, for a composite one)."""
        part = self.part.value()
        return str(part) if self.indicator.parts and part else self.indicator.code

    def village_id(self) -> str | None:
        """The chosen village; ``None`` for the whole commune."""
        value = self.village.value()
        return str(value) if value else None

    def rows(self) -> list[Any]:
        """Every record of the list (pages not read yet are read now)."""
        while self.model.canFetchMore():
            self.model.fetchMore()
        return [self.model.row_at(n) for n in range(self.model.rowCount())]

    def current_row(self) -> Any | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        try:
            return self.model.row_at(index)
        except IndexError:
            return None

    def set_evaluation(self, evaluation: PlanEvaluation | None) -> None:
        """Show the figure of a newer plan check (after a record was saved)."""
        self.evaluation = evaluation
        self._show_figure()

    # -- loading ---------------------------------------------------------------------

    def _listing(self, indicator: Indicator) -> Listing:
        spec = indicator.spec
        village_column = Column(
            self.tr("Thôn, tổ dân phố"), lambda r: r.subject.village_name or "", width=160
        )
        state = Column(self.tr("Tình trạng năm {year}").format(year=self.year), entry_state)
        if isinstance(spec, ModelShare):
            model = MODELS[spec.model]
            if spec.model == "gdht":
                columns = [
                    Column(self.tr("Mã hộ"), lambda r: r.subject.code, width=110),
                    Column(self.tr("Chủ hộ"), lambda r: r.subject.name, width=220),
                    village_column,
                    state,
                ]
            elif spec.model == "dvht":
                columns = [
                    Column(self.tr("Đơn vị"), lambda r: r.subject.name, width=280),
                    village_column,
                    state,
                ]
            else:
                columns = [Column(entity_label(model.subject), lambda r: r.subject.name), state]
            return Listing("entries", columns, _row_id, lambda b: b.entries, model.subject)
        if isinstance(spec, LiterateShare):
            columns = [
                Column(self.tr("Họ và tên"), lambda p: p.full_name, width=190),
                Column(self.tr("Mã hộ"), lambda p: p.household_code, width=90),
                Column(self.tr("Thôn, tổ dân phố"), lambda p: p.village_name, width=130),
                Column(
                    self.tr("Ngày/năm sinh"),
                    lambda p: format_birth(p.birth_date, p.birth_year),
                    width=100,
                ),
                Column(self.tr("Giới tính"), _sex, width=70),
                Column(self.tr("Dân tộc"), _ethnicity, width=90),
                Column(self.tr("Lớp"), lambda p: str(p.grade), RIGHT, width=50),
                Column(self.tr("Giai đoạn XMC"), _stage),
            ]
            return Listing("persons", columns, _row_id, lambda b: b.persons, "person")
        columns = [Column(self.tr("Phạm vi"), lambda r: r.scope_label, width=160)]
        if isinstance(spec, AggregatePair | AggregateYes):
            names = [spec.numerator] + (
                [spec.denominator] if isinstance(spec, AggregatePair) else []
            )
            for name in names:
                columns.append(
                    Column(
                        self._field_label(spec.form, name),
                        lambda r, field=name: _aggregate_value(r.values.get(field)),
                        RIGHT if isinstance(spec, AggregatePair) else LEFT,
                        width=330,
                    )
                )
        columns.append(
            Column(
                self.tr("Tình trạng"),
                lambda r: self.tr("Đã nhập") if r.entry_id else self.tr("Chưa nhập"),
            )
        )
        return Listing("aggregate", columns, _row_id, lambda b: b.aggregates, "aggregate")

    def _field_label(self, form_id: str, field_id: str) -> str:
        try:
            return str(self.context.aggregates.form(form_id).field(field_id).label)
        except (NotFound, KeyError, StopIteration):
            return field_id

    def load(self, select_id: str | None = None) -> None:
        """Read the records again (the first page) and show them."""
        code = self.shown_code()
        indicator = self.context.indicators.indicator(code)
        listing = self._listing(indicator)
        village = self.village_id() if indicator.by_village else None
        first: dict[str, RecordsBehind] = {}

        def fetch(offset: int, limit: int) -> RecordsBehind:
            return self.context.indicators.behind(code, self.year, village, offset, limit)

        def count() -> int:
            first["page"] = fetch(0, PAGE_SIZE)
            return first["page"].total

        def page(offset: int, limit: int) -> list[Any]:
            if offset == 0 and "page" in first:
                return list(listing.rows(first["page"]))[:limit]
            return list(listing.rows(fetch(offset, limit)))

        self._listing_now = listing
        self.village.setVisible(indicator.by_village)
        self.village_label.setVisible(indicator.by_village)
        self.part.setVisible(bool(self.indicator.parts))
        self.part_label.setVisible(bool(self.indicator.parts))
        self.message.hide()
        try:
            # Another indicator may list other columns: a new model each time.
            model: PagedTableModel[Any] = PagedTableModel(
                listing.columns, count, page, _row_id, PAGE_SIZE, self
            )
        except XhhtError as error:
            self._say(error.message)
            return
        old, old_selection = self.model, self.table.selectionModel()
        self.model = model
        set_up_list_view(self.table, self.model, whole_list=False)
        old.deleteLater()
        if old_selection is not None:
            old_selection.deleteLater()
        self.behind = first.get("page")
        found = self.model.find_id(select_id) if select_id else None
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(found or 0, 0))
        self.open_button.setEnabled(bool(self.model.rowCount()))
        # Aggregate figures are edited in their grid, not in a record dialog.
        self.open_button.setVisible(listing.kind != "aggregate")
        self._explain(indicator)
        self._show_figure()
        self.records_shown.emit(self.behind)

    def _explain(self, indicator: Indicator) -> None:
        total = self.behind.total if self.behind is not None else 0
        spec = indicator.spec
        where = self.village.currentText() if self.village_id() and indicator.by_village else ""
        place = f" — {where}" if where else ""
        if isinstance(spec, ModelShare):
            model = MODELS[spec.model].label
            if spec.measure == "registered":
                text = self.tr("{n} {unit} chưa đăng ký {model} năm {year}{place}.")
            else:
                text = self.tr("{n} {unit} chưa được công nhận {model} năm {year}{place}.")
            text = text.format(
                n=format_count(total),
                unit=indicator.unit_noun,
                model=model,
                year=self.year,
                place=place,
            )
        elif isinstance(spec, LiterateShare):
            text = self.tr(
                "{n} người thuộc nhóm của chỉ số chưa biết chữ (chưa đạt mức độ 1) năm "
                "{year}{place}; người khuyết tật không có khả năng học không được tính."
            ).format(n=format_count(total), year=self.year, place=place)
        else:
            title = indicator.form_id or ""
            with contextlib.suppress(NotFound):
                title = self.context.aggregates.form(title).title
            text = self.tr(
                "Số liệu nhập trong biểu «{title}» năm {year}{place}. Sửa số liệu ở trang "
                "«Số liệu tổng hợp»."
            ).format(title=title, year=self.year, place=place)
        self.explanation.setText(text)

    def _target_row(self) -> TargetRow | None:
        if self.evaluation is None:
            return None
        rows = [
            r
            for r in self.evaluation.rows
            if r.indicator.code == self.indicator.code
            and (self.position is None or r.position == self.position)
        ]
        if not rows:
            return None
        row = rows[0]
        if self.indicator.parts:
            return next((p for p in row.parts if p.indicator.code == self.shown_code()), row)
        return row

    def _show_figure(self) -> None:
        row = self._target_row()
        if row is None:
            self.figure.hide()
            return
        check, gap = row.check, row.gap_text
        village = self.village_id()
        where = self.tr("Toàn xã")
        if village is not None and row.indicator.by_village:
            found = row.village(village)
            if found is not None:
                check, gap, where = found.check, found.gap_text, found.village_name
        colour, background = STATUS_COLOURS[check.status]
        text = self.tr("{where}: {figure} — {status}").format(
            where=where,
            figure=check_text(check, row.target.target.describe()),
            status=check.status.label,
        )
        if check.status in (Status.NOT_MET, Status.WITHIN_RANGE, Status.NO_DATA):
            # "Đạt: đã đạt" says nothing twice; a gap or a missing figure does.
            text += f": {gap}"
        self.figure.setText(text)
        self.figure.setStyleSheet(
            f"color: {colour}; background-color: {background}; font-weight: bold; padding: 4px;"
        )
        self.figure.show()

    # -- opening a record --------------------------------------------------------------

    def open_current(self) -> QDialog | None:
        """Open the edit dialog of the record under the cursor (or say where it is edited)."""
        row = self.current_row()
        if row is None:
            return None
        listing = self._listing_now
        if listing.kind == "aggregate":
            self._say(
                self.tr(
                    "Số liệu của biểu tổng hợp được nhập và sửa ở trang «Số liệu tổng hợp» "
                    "(chọn biểu và năm {year})."
                ).format(year=self.year),
                error=False,
            )
            return None
        entity = listing.entity
        record_id = listing.row_id(row)
        return open_record(
            self.context,
            entity,
            record_id,
            self,
            saved=lambda: self._saved(record_id),
            closed=self.table.setFocus,
        )

    def _saved(self, record_id: str) -> None:
        self.load(record_id)
        self.records_changed.emit()

    def _say(self, text: str, *, error: bool = True) -> None:
        self.message.setText(text)
        colour = MESSAGE_COLOUR if error else "#0d47a1"
        self.message.setStyleSheet(f"color: {colour};")
        self.message.show()

    # -- layout ------------------------------------------------------------------------

    def _layout(self) -> None:
        self.part_label = QLabel(self.tr("&Phần:"))
        self.part_label.setBuddy(self.part)
        self.village_label = QLabel(self.tr("&Thôn:"))
        self.village_label.setBuddy(self.village)
        choosers = QHBoxLayout()
        choosers.addWidget(self.part_label)
        choosers.addWidget(self.part, 2)
        choosers.addWidget(self.village_label)
        choosers.addWidget(self.village, 1)
        choosers.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.figure)
        layout.addLayout(choosers)
        layout.addWidget(self.explanation)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        QWidget.setTabOrder(self.table, self.part)
        QWidget.setTabOrder(self.part, self.village)
        QWidget.setTabOrder(self.village, self.open_button)
        QWidget.setTabOrder(self.open_button, self.close_button)
