"""The households page: search, filter by village, add, change and delete households."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
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

from xhht_desktop.errors import NotFound
from xhht_desktop.store.repositories import HouseholdFilter, HouseholdRow
from xhht_desktop.ui.forms.household_form import HouseholdDialog, VillageChoiceBox
from xhht_desktop.ui.table_models import RIGHT, Column, PagedTableModel, format_thousands

if TYPE_CHECKING:
    from collections.abc import Callable

    from xhht_desktop.context import AppContext

#: How long typing must pause before the search runs, in milliseconds.
SEARCH_DELAY_MS = 250


class HouseholdsPage(QWidget):
    """The households of the commune, searched and filtered, read page by page.

    Ctrl+F goes to the search box (code, head's name or address; with or
    without diacritics), Ctrl+N or Insert adds a household, Enter or a double
    click opens the selected one, Delete removes it and its members after a
    confirmation that says how many members go with it.
    """

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Tìm theo mã hộ, tên chủ hộ hoặc địa chỉ (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.village = VillageChoiceBox()
        self.count_label = QLabel()
        # Typing pauses before the query runs, so that a register of many
        # thousand households is not searched once per keystroke.
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filter)
        self._refreshing = False
        self.village.currentIndexChanged.connect(self._village_changed)

        self.model: PagedTableModel[HouseholdRow] = PagedTableModel(
            columns=[
                Column(self.tr("Mã hộ"), lambda h: h.code, width=110),
                Column(self.tr("Chủ hộ"), lambda h: h.head_name, width=220),
                Column(self.tr("Thôn"), lambda h: h.village_name, width=160),
                Column(self.tr("Địa chỉ"), lambda h: h.address, width=240),
                Column(self.tr("Số thành viên"), lambda h: str(h.members), RIGHT, width=110),
            ],
            count=lambda: self.context.households.count(self.current_filter()),
            page=lambda offset, limit: self.context.households.page(
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
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for number, column in enumerate(self.model.columns):
            if column.width is not None:
                self.table.setColumnWidth(number, column.width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())

        self.add_button = QPushButton(self.tr("Thêm hộ (Ctrl+N)"))
        self.edit_button = QPushButton(self.tr("Sửa (Enter)"))
        self.delete_button = QPushButton(self.tr("Xóa (Delete)"))
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.hide()

        title = QLabel(self.tr("Hộ gia đình"))
        title.setStyleSheet("font-size: 15pt; font-weight: bold;")
        search_label = QLabel(self.tr("&Tìm:"))
        search_label.setBuddy(self.search)
        village_label_ = QLabel(self.tr("T&hôn:"))
        village_label_.setBuddy(self.village)
        filters = QHBoxLayout()
        filters.addWidget(search_label)
        filters.addWidget(self.search, 3)
        filters.addWidget(village_label_)
        filters.addWidget(self.village, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)

        self._shortcut(QKeySequence.StandardKey.Find, self.focus_search)
        self._shortcut(QKeySequence.StandardKey.New, self.add)
        self._shortcut(Qt.Key.Key_Insert, self.add)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._shortcut(key, self.edit_selected, on_table=True)
        self._shortcut(Qt.Key.Key_Delete, self.delete_selected, on_table=True)
        # Down from the search box goes to the results, as in a browser.
        down = QShortcut(QKeySequence(Qt.Key.Key_Down), self.search)
        down.setContext(Qt.ShortcutContext.WidgetShortcut)
        down.activated.connect(self.table.setFocus)

        self.refresh()

    def _shortcut(
        self,
        key: QKeySequence | QKeySequence.StandardKey | Qt.Key,
        slot: Callable[[], object],
        *,
        on_table: bool = False,
    ) -> None:
        shortcut = QShortcut(QKeySequence(key), self.table if on_table else self)
        shortcut.setContext(
            Qt.ShortcutContext.WidgetShortcut
            if on_table
            else Qt.ShortcutContext.WidgetWithChildrenShortcut
        )
        shortcut.activated.connect(slot)

    # -- the list ------------------------------------------------------------

    def current_filter(self) -> HouseholdFilter:
        """The filter the search box and the village choice make."""
        village_id = self.village.currentData()
        return HouseholdFilter(search=self.search.text(), village_id=village_id or None)

    def refresh(self, select_id: str | None = None) -> None:
        """Reload the villages of the filter and the households; keep the selection.

        Args:
            select_id: The household to select afterwards; default the one
                selected now.
        """
        select_id = select_id or self.selected_id()
        # Refilling the choices moves the current item; one query follows.
        self._refreshing = True
        try:
            self.village.set_villages(
                self.context.villages.list(), first=("", self.tr("Tất cả thôn/tổ dân phố"))
            )
            if self.village.currentIndex() < 0:
                self.village.set_value("")
        finally:
            self._refreshing = False
        self.apply_filter(select_id)

    def _village_changed(self, _index: int) -> None:
        if not self._refreshing:
            self.apply_filter()

    def apply_filter(self, select_id: str | None = None) -> None:
        """Run the query of the current filter: one count, one first page."""
        self._search_timer.stop()
        select_id = select_id or self.selected_id()
        self.model.reset()
        total = self.model.total()
        filtered = bool(self.search.text().strip() or self.village.currentData())
        if filtered:
            everything = self.context.households.count(HouseholdFilter())
            self.count_label.setText(
                self.tr("{n} / {all} hộ").format(
                    n=format_thousands(total), all=format_thousands(everything)
                )
            )
        else:
            self.count_label.setText(self.tr("{n} hộ").format(n=format_thousands(total)))
        if total:
            found = self.model.find_id(select_id) if select_id else None
            self.table.setCurrentIndex(self.model.index(found or 0, 0))
        self.edit_button.setEnabled(bool(total))
        self.delete_button.setEnabled(bool(total))

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def selected_id(self) -> str | None:
        """The id of the household under the cursor, if any."""
        row = self.selected_row()
        return row.id if row else None

    def selected_row(self) -> HouseholdRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        try:
            return self.model.row_at(index)
        except IndexError:
            return None

    # -- actions ---------------------------------------------------------------

    def add(self) -> HouseholdDialog:
        """Open the form for a new household."""
        dialog = HouseholdDialog(self.context, parent=self)
        village_id = self.village.currentData()
        if village_id:
            # Entering the households of one village: start in that village.
            dialog.village.set_value(village_id)
        return self._open(dialog)

    def edit_selected(self) -> HouseholdDialog | None:
        """Open the form for the selected household."""
        selected = self.selected_id()
        if selected is None:
            return None
        return self._open(HouseholdDialog(self.context, selected, parent=self))

    def _open(self, dialog: HouseholdDialog) -> HouseholdDialog:
        self.message.hide()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.record_saved.connect(lambda household_id: self.refresh(household_id))
        dialog.members_changed.connect(lambda household_id: self.refresh(household_id))
        dialog.finished.connect(lambda _result: self.table.setFocus())
        dialog.open()
        return dialog

    def delete_selected(self) -> bool:
        """Delete the selected household and its members after confirmation.

        Returns:
            Whether it was deleted.
        """
        row = self.selected_row()
        if row is None:
            return False
        self.message.hide()
        if row.members:
            question = self.tr("Xóa hộ {code} (chủ hộ {head}) cùng {n} thành viên của hộ?").format(
                code=row.code, head=row.head_name, n=row.members
            )
        else:
            question = self.tr("Xóa hộ {code} (chủ hộ {head})? Hộ chưa có thành viên.").format(
                code=row.code, head=row.head_name
            )
        answer = QMessageBox.question(
            self,
            self.tr("Xóa hộ gia đình"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        number = self.model.find_id(row.id) or 0
        try:
            self.context.households.delete(row.id)
        except NotFound as error:
            self.message.setText(error.message)
            self.message.show()
        self.refresh()
        if self.model.rowCount():
            # Stay where the deleted row was, so that Delete can go on.
            self.table.setCurrentIndex(self.model.index(min(number, self.model.rowCount() - 1), 0))
        return True
