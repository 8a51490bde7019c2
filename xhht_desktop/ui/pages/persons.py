"""The persons page: the literacy survey's register, searched and filtered.

A commune can hold 200,000 persons, so each keystroke in the search box runs
one count and one first page through the service and nothing more; further
rows are read as the list scrolls (:class:`PagedTableModel`).
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.core import ethnicity
from xhht_desktop.core.literacy import LEVEL_1, LEVEL_2, NOT_LITERATE
from xhht_desktop.core.registers import RESIDENCES, SEXES, format_birth
from xhht_desktop.errors import NotFound
from xhht_desktop.store.repositories import PersonFilter, PersonRow
from xhht_desktop.ui.forms.field_row import MESSAGE_COLOUR, ChoiceBox, vocabulary
from xhht_desktop.ui.forms.person_form import PersonDialog
from xhht_desktop.ui.table_models import CENTER, RIGHT, Column, PagedTableModel, format_thousands

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext

#: Age bands of the literacy indicators: key → (youngest, oldest) age.
AGE_BANDS: dict[str, tuple[int, int]] = {
    "15-25": (15, 25),
    "15-35": (15, 35),
    "15-60": (15, 60),
}

#: Literacy-level filter: key → (exact level, lowest level) of ``PersonFilter``.
LEVEL_FILTERS: dict[str, tuple[int | None, int | None]] = {
    "not_literate": (NOT_LITERATE, None),
    "level_1_up": (None, LEVEL_1),
    "level_2": (LEVEL_2, None),
}


def _ethnicity_name(code: str) -> str:
    group = ethnicity.by_code(code)
    return group.name if group is not None else code


class _SearchBox(QLineEdit):
    """The search line; Down moves to the list so that no mouse is needed."""

    down_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            self.down_pressed.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class PersonsPage(QWidget):
    """The persons of the commune: search, filters, a lazy list, add/edit/delete.

    Keys: Ctrl+F goes to the search box (Down or Enter from there goes to the
    list); Ctrl+N or Insert adds persons; Enter or a double click on a row
    edits it; Delete deletes it after a confirmation.

    Signals:
        results_shown(int): the list for the current query and filters is on
            screen; carries the number of persons it holds (for benchmarks
            and the status bar).
    """

    results_shown = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._refreshing = False

        self.search = _SearchBox()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Tìm theo họ tên, có dấu hoặc không (Ctrl+F)"))
        self.village = ChoiceBox()
        self.sex = ChoiceBox(
            [("", self.tr("Nam và nữ"))]
            + [(code, vocabulary(label)) for code, label in SEXES.items()]
        )
        self.ethnicity = ChoiceBox([("", self.tr("Mọi dân tộc")), *ethnicity.choices()])
        self.age_band = ChoiceBox(
            [("", self.tr("Mọi độ tuổi"))]
            + [
                (key, self.tr("Từ {0} đến {1} tuổi").format(*ages))
                for key, ages in AGE_BANDS.items()
            ]
        )
        self.residence = ChoiceBox(
            [("", self.tr("Mọi tình trạng cư trú"))]
            + [(code, vocabulary(label)) for code, label in RESIDENCES.items()]
        )
        self.level = ChoiceBox(
            [
                ("", self.tr("Tất cả")),
                ("not_literate", self.tr("Chưa biết chữ")),
                ("level_1_up", self.tr("Mức 1 trở lên")),
                ("level_2", self.tr("Mức 2")),
            ]
        )
        self.level.setToolTip(
            self.tr("Mức biết chữ theo lớp và giai đoạn xóa mù chữ đã học xong (NĐ 20/2014)")
        )
        self.count_label = QLabel()
        self.count_label.setObjectName("count")
        self.notice = QLabel()
        self.notice.setStyleSheet(f"color: {MESSAGE_COLOUR};")
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)

        self.model: PagedTableModel[PersonRow] = PagedTableModel(
            columns=self._columns(),
            count=lambda: self.context.persons.count(self.current_filter()),
            page=lambda offset, limit: self.context.persons.page(
                self.current_filter(), offset, limit
            ),
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
        # Fixed heights and widths: sizing to contents would read every row.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for number, column in enumerate(self.model.columns):
            if column.width is not None:
                self.table.setColumnWidth(number, column.width)

        self.add_button = QPushButton(self.tr("Thêm (Ctrl+N)"))
        self.edit_button = QPushButton(self.tr("Sửa (Enter)"))
        self.delete_button = QPushButton(self.tr("Xóa (Delete)"))

        self._layout()
        self._connect()
        self.refresh()

    # -- public -----------------------------------------------------------

    def current_filter(self) -> PersonFilter:
        """The filter that the search box and the filter boxes describe."""
        birth_from = birth_to = None
        band = AGE_BANDS.get(str(self.age_band.value() or ""))
        if band is not None:
            youngest, oldest = band
            # Age in the reporting year = reporting year − birth year.
            year = self.reporting_year()
            birth_from, birth_to = year - oldest, year - youngest
        level, level_from = LEVEL_FILTERS.get(str(self.level.value() or ""), (None, None))
        return PersonFilter(
            search=self.search.text(),
            village_id=str(self.village.value() or "") or None,
            sex=str(self.sex.value() or "") or None,
            ethnicity_code=str(self.ethnicity.value() or "") or None,
            birth_year_from=birth_from,
            birth_year_to=birth_to,
            residence=str(self.residence.value() or "") or None,
            literacy_level=level,
            literacy_level_from=level_from,
        )

    def reporting_year(self) -> int:
        """The year ages are counted in: the installation's reporting year."""
        info = self.context.setup.installation()
        return info.year if info is not None else date.today().year

    def refresh(self) -> None:
        """Reload the villages and the list, keeping the selected person."""
        keep = self.selected_row()
        self._refreshing = True
        try:
            self.village.set_choices(
                [("", self.tr("Mọi thôn, tổ dân phố"))]
                + [(v.id, v.name) for v in self.context.villages.list()]
            )
            if self.village.value() is None:
                self.village.set_value("")
        finally:
            self._refreshing = False
        self.apply_filter(select_id=keep.id if keep else None)

    def apply_filter(self, select_id: str | None = None, select_row: int = 0) -> None:
        """Run the query for the current search and filters and show it.

        Args:
            select_id: The person to select if the first page holds them.
            select_row: The row to select otherwise (clamped to the list).
        """
        if self._refreshing:
            return
        self.model.reset()
        total = self.model.total()
        self.count_label.setText(self.tr("{0} người").format(format_thousands(total)))
        found = self.model.find_id(select_id) if select_id else None
        if self.model.rowCount():
            number = found if found is not None else min(select_row, self.model.rowCount() - 1)
            self.table.selectRow(number)
        self._update_buttons()
        self.results_shown.emit(total)

    def selected_row(self) -> PersonRow | None:
        """The person selected in the list, if any."""
        index = self.table.currentIndex()
        selected = self.table.selectionModel().selectedRows()
        if not selected or not index.isValid():
            return None
        try:
            return self.model.row_at(index)
        except IndexError:
            return None

    def add_person(self) -> PersonDialog:
        """Open the dialog for new persons; the list refreshes after each save."""
        return self._open(PersonDialog(self.context, parent=self))

    def edit_selected(self) -> PersonDialog | None:
        """Open the selected person for editing."""
        row = self.selected_row()
        if row is None:
            return None
        return self._open(PersonDialog(self.context, person_id=row.id, parent=self))

    def delete_selected(self) -> bool:
        """Delete the selected person after a confirmation.

        Returns:
            Whether a person was deleted.
        """
        row = self.selected_row()
        if row is None:
            return False
        if not self.confirm_delete(row):
            return False
        number = self.table.currentIndex().row()
        deleted = True
        try:
            self.context.persons.delete(row.id)
        except NotFound as missing:
            deleted = False
            self._show_notice(missing.message)
        else:
            self._hide_notice()
        self.apply_filter(select_row=max(0, number))
        return deleted

    def confirm_delete(self, row: PersonRow) -> bool:
        """Ask whether to delete ``row``; No is the default answer."""
        answer = QMessageBox.question(
            self,
            self.tr("Xóa người"),
            self.tr("Xóa {name} ({birth}, hộ {code}) khỏi sổ?").format(
                name=row.full_name,
                birth=format_birth(row.birth_date, row.birth_year),
                code=row.household_code,
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    # -- helpers ----------------------------------------------------------

    def _columns(self) -> list[Column[PersonRow]]:
        return [
            Column(self.tr("Họ và tên"), lambda p: p.full_name, width=200),
            Column(
                self.tr("Ngày sinh"), lambda p: format_birth(p.birth_date, p.birth_year), width=90
            ),
            Column(self.tr("Giới tính"), lambda p: vocabulary(SEXES.get(p.sex, p.sex)), width=70),
            Column(self.tr("Dân tộc"), lambda p: _ethnicity_name(p.ethnicity_code), width=90),
            Column(self.tr("Lớp"), lambda p: str(p.grade), RIGHT, width=45),
            Column(
                self.tr("Giai đoạn XMC"),
                lambda p: str(p.literacy_stage) if p.literacy_stage else "",
                CENTER,
                width=100,
            ),
            Column(
                self.tr("Khuyết tật"),
                lambda p: self.tr("Có") if p.disabled else "",
                CENTER,
                width=80,
            ),
            Column(
                self.tr("Cư trú"),
                lambda p: vocabulary(RESIDENCES.get(p.residence, p.residence)),
                width=90,
            ),
            Column(self.tr("Mã hộ"), lambda p: p.household_code, width=80),
            Column(self.tr("Thôn"), lambda p: p.village_name, width=120),
        ]

    def _layout(self) -> None:
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.count_label)

        # Two rows of three: six filters in one row squeeze the boxes unreadable.
        filters = QGridLayout()
        per_row = 3
        for number, (label, box) in enumerate(
            (
                (self.tr("&Thôn:"), self.village),
                (self.tr("&Giới tính:"), self.sex),
                (self.tr("&Dân tộc:"), self.ethnicity),
                (self.tr("T&uổi:"), self.age_band),
                (self.tr("&Cư trú:"), self.residence),
                (self.tr("&Mức biết chữ:"), self.level),
            )
        ):
            caption = QLabel(label)
            caption.setBuddy(box)
            row, column = divmod(number, per_row)
            filters.addWidget(caption, row, 2 * column)
            filters.addWidget(box, row, 2 * column + 1)
        filters.setColumnStretch(2 * per_row, 1)

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addLayout(search_row)
        layout.addLayout(filters)
        layout.addWidget(self.notice)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        chain = [
            self.search,
            self.village,
            self.sex,
            self.ethnicity,
            self.age_band,
            self.residence,
            self.level,
            self.table,
            self.add_button,
            self.edit_button,
            self.delete_button,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _connect(self) -> None:
        # A zero-delay timer folds a burst of keystrokes (a paste, fast typing
        # between two repaints) into one query without making anyone wait.
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(0)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self._to_list)
        self.search.down_pressed.connect(self._to_list)
        for box in (
            self.village,
            self.sex,
            self.ethnicity,
            self.age_band,
            self.residence,
            self.level,
        ):
            box.currentIndexChanged.connect(lambda _number: self.apply_filter())

        self.table.activated.connect(self._activated)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.add_button.clicked.connect(self.add_person)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)

        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.activated.connect(self._to_search)
        for keys in (QKeySequence(QKeySequence.StandardKey.New), QKeySequence(Qt.Key.Key_Insert)):
            QShortcut(keys, self).activated.connect(self.add_person)
        delete = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table)
        # Only on the list: Delete in the search box deletes a letter.
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_selected)

    def _open(self, dialog: PersonDialog) -> PersonDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.record_saved.connect(self._saved)
        dialog.finished.connect(lambda _result: self.table.setFocus())
        dialog.open()
        return dialog

    def _saved(self, person_id: str) -> None:
        self._hide_notice()
        number = max(0, self.table.currentIndex().row())
        self.apply_filter(select_id=person_id, select_row=number)

    def _activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        if index.isValid():
            self.table.selectRow(index.row())
            self.edit_selected()

    def _to_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _to_list(self) -> None:
        if self._search_timer.isActive():
            self._search_timer.stop()
            self.apply_filter()
        if self.model.rowCount() == 0:
            return
        if not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_buttons(self) -> None:
        selected = self.selected_row() is not None
        self.edit_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)

    def _show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(True)

    def _hide_notice(self) -> None:
        self.notice.clear()
        self.notice.setVisible(False)
