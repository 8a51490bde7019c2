"""Lists for action: who to invite to literacy classes, who is exempt, what to fix.

Three tabs, each read from ``context.literacy``: the not-literate people of
the target group (15–60 by default) by village, the people exempt for a
disability that prevents learning, and the records that contradict
themselves (data-quality warnings). Enter on a row opens the person's form;
after a save every list is read again, since a fixed record may leave one
list and join another.

At 200,000 persons a list takes a good part of a second to count and read,
so each list is read on the thread pool (:class:`~xhht_desktop.ui.tasks.LatestTask`)
and shown when it arrives; the GUI thread only installs the rows read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING, Generic, TypeVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.core import ethnicity
from xhht_desktop.core.literacy import DEFAULT_UPPER_AGE, TARGET_MIN_AGE, Band
from xhht_desktop.core.registers import LITERACY_STAGES, SEXES, format_birth
from xhht_desktop.errors import ValidationFailed, XhhtError
from xhht_desktop.services.literacy import QualityWarning
from xhht_desktop.store.repositories import PersonRow
from xhht_desktop.ui import style
from xhht_desktop.ui.forms.field_row import MESSAGE_COLOUR, ChoiceBox, vocabulary
from xhht_desktop.ui.forms.person_form import PersonDialog
from xhht_desktop.ui.table_models import CENTER, RIGHT, Column, PagedTableModel, format_thousands
from xhht_desktop.ui.tasks import LatestTask

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext

R = TypeVar("R")

#: Tab numbers, in display order.
NOT_LITERATE_TAB = 0
EXEMPT_TAB = 1
WARNINGS_TAB = 2


def _ethnicity_name(code: str) -> str:
    group = ethnicity.by_code(code)
    return group.name if group is not None else code


def _stage(stage: int) -> str:
    return vocabulary(LITERACY_STAGES[stage]) if stage in LITERACY_STAGES else str(stage)


def _message(error: XhhtError) -> str:
    if isinstance(error, ValidationFailed):
        return "\n".join(issue.message for issue in error.issues)
    return error.message


def people_reader(
    count: Callable[[str | None], int], page: Callable[[str | None, int, int], list[R]]
) -> Callable[[str | None, int], tuple[int, list[R]]]:
    """A list's read from its count and its page queries: the total and the first page."""

    def read(village_id: str | None, limit: int) -> tuple[int, list[R]]:
        total = count(village_id)
        return total, page(village_id, 0, limit) if total else []

    return read


class ListTab(QWidget, Generic[R]):
    """One list: a count, a lazy table and an edit button; optionally a village filter.

    :meth:`read` runs ``read`` on the thread pool; the rows arrive with
    :attr:`rows_shown`. Until then the list shows what it showed before, and
    a newer read supersedes an older one (a village chosen, then another).

    Args:
        columns: The table's columns.
        read: ``(village, limit)`` → how many rows the list holds for the
            village (``None``: all) and its first rows, at least ``limit``
            of them unless there are fewer (or all of them). Runs on a worker
            thread: it must not touch widgets.
        more: Up to ``limit`` rows from ``offset`` for a village, read on the
            GUI thread as the user scrolls past the rows ``read`` gave;
            ``None`` when ``read`` gives every row.
        row_person: The person a row is about.
        with_village: Whether to offer a village filter.
        count_text: How the count is said, with ``{n}`` for the number.
        empty_text: What to say when the list is empty.
        detail: The full text to show under the list for the selected row
            (a long message a cell cuts short); ``None`` for no such line.
        parent: The Qt parent.

    Signals:
        person_activated(str): Enter (or a double click, or the edit button)
            on a row; carries the person's id.
        rows_shown(): the rows of the newest read are on screen.
        read_failed(str): the newest read failed; carries the message.
    """

    person_activated = Signal(str)
    rows_shown = Signal()
    read_failed = Signal(str)

    def __init__(
        self,
        columns: list[Column[R]],
        read: Callable[[str | None, int], tuple[int, list[R]]],
        more: Callable[[str | None, int, int], list[R]] | None,
        row_person: Callable[[R], str],
        *,
        with_village: bool,
        count_text: str,
        empty_text: str,
        detail: Callable[[R], str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._row_person = row_person
        self._read = read
        self._more = more
        self._reading = False
        # What the newest finished read gave: for its village, the total and
        # the leading rows (the model serves its first page from them).
        self._shown_village: str | None = None
        self._shown_total = 0
        self._shown_rows: list[R] = []
        self._select: tuple[str | None, int] = (None, 0)
        self._jobs = LatestTask(self._finished, self._failed, self)
        self._count_text = count_text
        self._detail = detail
        self.detail_label = QLabel()
        self.detail_label.setObjectName("detail")
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail_label.setVisible(False)
        self.empty_label = QLabel(empty_text)
        self.empty_label.setObjectName("empty")
        self.empty_label.setWordWrap(True)
        self.empty_label.setVisible(False)
        self.village = ChoiceBox()
        self.village.setVisible(with_village)
        self.count_label = QLabel()
        self.count_label.setObjectName("listCount")
        self.model: PagedTableModel[R] = PagedTableModel(
            columns=columns,
            count=lambda: self._shown_total,
            page=self._page,
            row_id=row_person,
            parent=self,
            load=False,
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for number, column in enumerate(self.model.columns):
            if column.width is not None:
                self.table.setColumnWidth(number, column.width)
        self.edit_button = QPushButton(self.tr("Sửa người này (Enter)"))

        top = QHBoxLayout()
        if with_village:
            caption = QLabel(self.tr("&Thôn:"))
            caption.setBuddy(self.village)
            top.addWidget(caption)
            top.addWidget(self.village)
        top.addWidget(self.empty_label, 1)
        top.addStretch(1)
        top.addWidget(self.count_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail_label)
        layout.addLayout(buttons)
        chain = [self.village, self.table, self.edit_button] if with_village else []
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.setFocusProxy(self.village if with_village else self.table)

        self.village.currentIndexChanged.connect(lambda _number: self.read())
        self.table.activated.connect(self._activated)
        self.edit_button.clicked.connect(self._edit_selected)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_button())

    def village_id(self) -> str | None:
        """The chosen village, ``None`` for the whole commune."""
        return str(self.village.value() or "") or None

    def set_villages(self, villages: list[tuple[str, str]]) -> None:
        """Offer these ``(id, name)`` villages, keeping the chosen one if it is still there."""
        self._reading = True
        try:
            self.village.set_choices([("", self.tr("Mọi thôn, tổ dân phố")), *villages])
            if self.village.value() is None:
                self.village.set_value("")
        finally:
            self._reading = False

    def read(self, select_person: str | None = None, select_row: int = 0) -> None:
        """Read the list again off the GUI thread.

        Once the rows are shown, ``select_person`` is selected, or else row
        ``select_row``; then :attr:`rows_shown` is emitted.
        """
        if self._reading:
            return
        self._select = (select_person, select_row)
        village = self.village_id()
        read, limit = self._read, self.model.page_size
        self._jobs.start(lambda: (village, *read(village, limit)))

    def reread(self) -> None:
        """Read the list again, keeping the selected person (or row) selected."""
        keep = self.selected()
        self.read(
            select_person=self._row_person(keep) if keep is not None else None,
            select_row=self.current_row(),
        )

    def is_busy(self) -> bool:
        """Whether a read is running whose rows are not shown yet."""
        return self._jobs.running

    def total(self) -> int:
        """How many rows the list holds (loaded or not)."""
        return self.model.total()

    def _finished(self, result: object) -> None:
        village, total, rows = result  # type: ignore[misc]
        self._shown_village, self._shown_total, self._shown_rows = village, total, list(rows)
        self.model.reset()
        self.count_label.setText(self._count_text.format(n=format_thousands(self.total())))
        self.empty_label.setVisible(self.total() == 0)
        select_person, select_row = self._select
        found = self.model.find_id(select_person) if select_person else None
        if self.model.rowCount():
            number = found if found is not None else min(select_row, self.model.rowCount() - 1)
            self.table.selectRow(number)
        self._update_button()
        self.rows_shown.emit()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, XhhtError):
            self.read_failed.emit(_message(error))
        else:
            self.read_failed.emit(self.tr("Không đọc được danh sách: {error}").format(error=error))

    def _page(self, offset: int, limit: int) -> list[R]:
        rows = self._shown_rows[offset : offset + limit]
        start = offset + len(rows)
        if len(rows) < limit and self._more is not None and start < self._shown_total:
            rows += self._more(self._shown_village, start, limit - len(rows))
        return rows

    def selected(self) -> R | None:
        """The row selected in the list, if any."""
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().hasSelection():
            return None
        try:
            return self.model.row_at(index)
        except IndexError:
            return None

    def current_row(self) -> int:
        return max(0, self.table.currentIndex().row())

    def _activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        if index.isValid():
            self.table.selectRow(index.row())
            self._edit_selected()

    def _edit_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.person_activated.emit(self._row_person(row))

    def _update_button(self) -> None:
        row = self.selected()
        self.edit_button.setEnabled(row is not None)
        if self._detail is not None:
            self.detail_label.setText(self._detail(row) if row is not None else "")
            self.detail_label.setVisible(row is not None)


class LiteracyListsPage(QWidget):
    """The lists of the literacy survey that call for action, in three tabs.

    Keys: Ctrl+Tab changes tabs; in a tab, Tab goes from the village filter to
    the list; Enter on a row opens the person to fix the record.

    The villages and the lists are read off the GUI thread; the keyboard
    stays free meanwhile, and each list shows its rows as they arrive.

    Signals:
        lists_shown(): every list was read again (after :meth:`refresh`).
    """

    lists_shown = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.year = self.reporting_year()
        self.band = Band(TARGET_MIN_AGE, DEFAULT_UPPER_AGE)
        # What a refresh still waits for: "villages" and the tabs not yet read.
        self._pending: set[object] = set()
        self._villages_job = LatestTask(self._villages_read, self._villages_failed, self)

        self.title = QLabel()
        self.title.setStyleSheet(style.PAGE_TITLE)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(f"color: {MESSAGE_COLOUR}; font-weight: bold;")
        self.notice.setVisible(False)

        # The reads run on worker threads and read self.year there: it changes
        # only in refresh, on the GUI thread, which then starts new reads that
        # supersede any still running.
        self.not_literate: ListTab[PersonRow] = ListTab(
            self._person_columns(),
            people_reader(
                lambda village: self.context.literacy.not_literate_count(self.year, village),
                lambda village, offset, limit: self.context.literacy.not_literate(
                    self.year, village, offset, limit
                ),
            ),
            lambda village, offset, limit: self.context.literacy.not_literate(
                self.year, village, offset, limit
            ),
            lambda person: person.id,
            with_village=True,
            count_text=self.tr("{n} người"),
            empty_text=self.tr(
                "Không có ai trong độ tuổi chưa biết chữ (không tính người khuyết tật không "
                "có khả năng học)."
            ),
        )
        self.exempt: ListTab[PersonRow] = ListTab(
            self._person_columns(),
            people_reader(
                lambda village: self.context.literacy.exempt_count(self.year, village),
                lambda village, offset, limit: self.context.literacy.exempt(
                    self.year, village, offset, limit
                ),
            ),
            lambda village, offset, limit: self.context.literacy.exempt(
                self.year, village, offset, limit
            ),
            lambda person: person.id,
            with_village=True,
            count_text=self.tr("{n} người"),
            empty_text=self.tr("Không có người khuyết tật không có khả năng học trong độ tuổi."),
        )
        self.warnings: ListTab[QualityWarning] = ListTab(
            self._warning_columns(),
            self._read_warnings,
            None,
            lambda warning: warning.person_id,
            with_village=False,
            count_text=self.tr("{n} cảnh báo"),
            empty_text=self.tr("Không có cảnh báo: không hồ sơ nào tự mâu thuẫn."),
            detail=lambda warning: f"{warning.full_name}: {warning.message}",
        )
        self.tabs = QTabWidget()
        for tab in self._tabs():
            self.tabs.addTab(tab, "")
            tab.person_activated.connect(self.open_person)
            tab.rows_shown.connect(lambda tab=tab: self._tab_shown(tab))
            tab.read_failed.connect(lambda text, tab=tab: self._tab_failed(tab, text))

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.explanation)
        layout.addWidget(self.notice)
        layout.addWidget(self.tabs, 1)
        self.refresh()

    # -- public -----------------------------------------------------------

    def reporting_year(self) -> int:
        """The year ages are counted in: the installation's reporting year."""
        info = self.context.setup.installation()
        return info.year if info is not None else date.today().year

    def refresh(self) -> None:
        """Read the settings, the villages and every list again, keeping selections.

        The villages and the lists are read off the GUI thread;
        :attr:`lists_shown` says when all are on screen.
        """
        self.year = self.reporting_year()
        self._hide_notice()
        try:
            self.band = self.context.literacy.settings().target_band
        except ValidationFailed as damaged:
            self._show_notice(_message(damaged))
            self._set_titles()
            return
        self._pending = {"villages", *self._tabs()}
        context = self.context
        self._villages_job.start(lambda: [(v.id, v.name) for v in context.villages.list()])
        for tab in self._tabs():
            tab.reread()

    def is_busy(self) -> bool:
        """Whether a list or the villages are still being read."""
        return bool(self._pending) or any(tab.is_busy() for tab in self._tabs())

    def open_person(self, person_id: str) -> PersonDialog:
        """Open a person's form; every list is read again after a save."""
        dialog = PersonDialog(self.context, person_id=person_id, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.record_saved.connect(lambda _person_id: self.refresh())
        tab = self.tabs.currentWidget()
        dialog.finished.connect(lambda _result: tab.table.setFocus())
        dialog.open()
        return dialog

    # -- helpers ----------------------------------------------------------

    def _tabs(self) -> tuple[ListTab[PersonRow], ListTab[PersonRow], ListTab[QualityWarning]]:
        return self.not_literate, self.exempt, self.warnings

    def _read_warnings(self, _village: str | None, _limit: int) -> tuple[int, list[QualityWarning]]:
        # The warnings are few (records that contradict themselves) and
        # computed by rules in Python: read them all at once.
        warnings = self.context.literacy.quality_warnings(self.year)
        return len(warnings), warnings

    def _villages_read(self, villages: object) -> None:
        for tab in (self.not_literate, self.exempt):
            chosen = tab.village_id()
            tab.set_villages(villages)  # type: ignore[arg-type]
            if tab.village_id() != chosen:
                # The chosen village is gone: the whole commune's list, which
                # the refresh waits for too.
                self._pending.add(tab)
                tab.read()
        self._done("villages")

    def _villages_failed(self, error: BaseException) -> None:
        self._show_notice(
            _message(error)
            if isinstance(error, XhhtError)
            else self.tr("Không đọc được danh sách thôn: {error}").format(error=error)
        )
        self._done("villages")

    def _tab_shown(self, tab: QWidget) -> None:
        self._set_titles()
        self._done(tab)

    def _tab_failed(self, tab: QWidget, text: str) -> None:
        self._show_notice(text)
        self._done(tab)

    def _done(self, part: object) -> None:
        if part not in self._pending:
            return  # a village chosen in a tab, not a refresh
        self._pending.discard(part)
        if not self._pending:
            self.lists_shown.emit()

    def _set_titles(self) -> None:
        self.title.setText(self.tr("Danh sách cần xử lý — năm {year}").format(year=self.year))
        self.explanation.setText(
            self.tr(
                "Tuổi tính theo năm sinh (tuổi = {year} − năm sinh); chỉ gồm người thường trú "
                "và tạm trú. Chọn một dòng rồi bấm Enter để mở hồ sơ và sửa."
            ).format(year=self.year)
        )
        titles = (
            (self.not_literate, self.tr("Người chưa biết chữ {band}").format(band=self.band.label)),
            (self.exempt, self.tr("Người khuyết tật không có khả năng học")),
            (self.warnings, self.tr("Cảnh báo dữ liệu")),
        )
        for tab, title in titles:
            self.tabs.setTabText(
                self.tabs.indexOf(tab), f"{title} ({format_thousands(tab.total())})"
            )

    def _person_columns(self) -> list[Column[PersonRow]]:
        return [
            Column(self.tr("Họ và tên"), lambda p: p.full_name, width=200),
            Column(
                self.tr("Ngày sinh"), lambda p: format_birth(p.birth_date, p.birth_year), width=90
            ),
            Column(self.tr("Giới tính"), lambda p: vocabulary(SEXES.get(p.sex, p.sex)), width=70),
            Column(self.tr("Dân tộc"), lambda p: _ethnicity_name(p.ethnicity_code), width=100),
            Column(self.tr("Lớp đã xong"), lambda p: str(p.grade), RIGHT, width=85),
            Column(self.tr("Giai đoạn XMC"), lambda p: _stage(p.literacy_stage), CENTER, width=110),
            Column(self.tr("Mã hộ"), lambda p: p.household_code, width=80),
            Column(self.tr("Thôn"), lambda p: p.village_name, width=140),
        ]

    def _warning_columns(self) -> list[Column[QualityWarning]]:
        return [
            Column(self.tr("Họ và tên"), lambda w: w.full_name, width=190),
            Column(self.tr("Năm sinh"), lambda w: str(w.birth_year), RIGHT, width=75),
            Column(self.tr("Lớp"), lambda w: str(w.grade), RIGHT, width=45),
            Column(self.tr("Giai đoạn XMC"), lambda w: _stage(w.literacy_stage), CENTER, width=105),
            Column(self.tr("Mã hộ"), lambda w: w.household_code, width=75),
            Column(self.tr("Thôn"), lambda w: w.village_name, width=120),
            Column(
                self.tr("Cảnh báo"),
                lambda w: w.message,
                width=None,
                tooltip=lambda w: w.message,
            ),
        ]

    def _show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(True)

    def _hide_notice(self) -> None:
        self.notice.clear()
        self.notice.setVisible(False)
