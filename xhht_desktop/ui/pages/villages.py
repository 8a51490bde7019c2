"""The villages page: the commune's thôn, bon, buôn, bản, làng, ấp and tổ dân phố."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.errors import NotFound, ValidationFailed
from xhht_desktop.store.repositories import VillageRow
from xhht_desktop.ui.forms.village_form import VillageDialog, kind_label, village_label
from xhht_desktop.ui.table_models import RIGHT, Column, PagedTableModel, format_thousands

if TYPE_CHECKING:
    from collections.abc import Callable

    from xhht_desktop.context import AppContext


class VillagesPage(QWidget):
    """A table of the villages with their household and person counts.

    Ctrl+N or Insert adds, Enter or a double click changes the selected
    village, Delete removes it after a confirmation. A commune has tens of
    villages, not thousands, so the whole list is loaded at once.
    """

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.rows: list[VillageRow] = []

        # A commune has tens of villages: the list is read whole and the
        # model pages over it in memory.
        self.model: PagedTableModel[VillageRow] = PagedTableModel(
            columns=[
                Column(self.tr("Loại"), lambda v: kind_label(v.kind)),
                Column(self.tr("Tên"), lambda v: v.name),
                Column(self.tr("Số hộ"), lambda v: format_thousands(v.households), RIGHT),
                Column(self.tr("Số nhân khẩu"), lambda v: format_thousands(v.persons), RIGHT),
            ],
            count=lambda: len(self.rows),
            page=lambda offset, limit: self.rows[offset : offset + limit],
            parent=self,
            load=False,
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())

        self.add_button = QPushButton(self.tr("Thêm (Ctrl+N)"))
        self.edit_button = QPushButton(self.tr("Sửa (Enter)"))
        self.delete_button = QPushButton(self.tr("Xóa (Delete)"))
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)

        self.count_label = QLabel()
        # Refusals (a village that still has households) are shown here rather
        # than in a modal box, so that the keyboard stays on the table.
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.hide()

        title = QLabel(self.tr("Thôn, bon, buôn, bản, tổ dân phố"))
        title.setStyleSheet("font-size: 15pt; font-weight: bold;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)

        self._shortcut(QKeySequence.StandardKey.New, self.add)
        self._shortcut(Qt.Key.Key_Insert, self.add)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._shortcut(key, self.edit_selected, on_table=True)
        self._shortcut(Qt.Key.Key_Delete, self.delete_selected, on_table=True)

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

    def refresh(self, select_id: str | None = None) -> None:
        """Reload the villages; keep (or move) the selection.

        Args:
            select_id: The village to select afterwards; default the one
                selected now.
        """
        select_id = select_id or self.selected_id()
        self.rows = self.context.villages.list()
        self.model.reset()
        while self.model.canFetchMore():
            self.model.fetchMore()
        self.count_label.setText(
            self.tr("{villages} thôn/tổ dân phố, {households} hộ, {persons} nhân khẩu").format(
                villages=len(self.rows),
                households=format_thousands(sum(r.households for r in self.rows)),
                persons=format_thousands(sum(r.persons for r in self.rows)),
            )
        )
        if self.rows:
            found = self.model.find_id(select_id) if select_id else None
            self.table.setCurrentIndex(self.model.index(found or 0, 1))
        self.edit_button.setEnabled(bool(self.rows))
        self.delete_button.setEnabled(bool(self.rows))

    def selected_id(self) -> str | None:
        """The id of the village under the cursor, if any."""
        row = self.selected_row()
        return row.id if row else None

    def selected_row(self) -> VillageRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        try:
            return self.model.row_at(index)
        except IndexError:
            return None

    def add(self) -> VillageDialog:
        """Open the form for new villages."""
        return self._open(VillageDialog(self.context, parent=self))

    def edit_selected(self) -> VillageDialog | None:
        """Open the form for the selected village."""
        selected = self.selected_id()
        if selected is None:
            return None
        return self._open(VillageDialog(self.context, selected, parent=self))

    def _open(self, dialog: VillageDialog) -> VillageDialog:
        self.message.hide()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.record_saved.connect(lambda village_id: self.refresh(village_id))
        dialog.finished.connect(lambda _result: self.table.setFocus())
        dialog.open()
        return dialog

    def delete_selected(self) -> bool:
        """Delete the selected village after confirmation.

        Returns:
            Whether it was deleted.
        """
        row = self.selected_row()
        if row is None:
            return False
        self.message.hide()
        answer = QMessageBox.question(
            self,
            self.tr("Xóa thôn/tổ dân phố"),
            self.tr("Xóa {village}?").format(village=village_label(row)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.context.villages.delete(row.id)
        except (ValidationFailed, NotFound) as error:
            text = (
                "\n".join(issue.message for issue in error.issues)
                if isinstance(error, ValidationFailed)
                else error.message
            )
            self.message.setText(text)
            self.message.show()
            self.refresh()
            return False
        self.refresh()
        return True
