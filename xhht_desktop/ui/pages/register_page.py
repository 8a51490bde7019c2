"""The register page: one register's records, searched, filtered and edited.

Villages, households, persons, clans and units are all kept alike: a search
box and filters over a table read page by page, a count, and add / change /
delete, where a dialog says when it saved a record and a delete is confirmed
first. :class:`RegisterPage` holds that pattern once, with its keys:

- Ctrl+F goes to the search box; Down or Enter there goes on to the list;
- Ctrl+N or Insert adds a record;
- Enter or a double click on the list changes the selected record;
- Delete deletes it after a confirmation whose default answer is No.

A page declares what differs: its columns (:meth:`columns`), filters
(:meth:`make_filters`), the query (:meth:`count_rows` and :meth:`page_rows`,
or :meth:`load_rows` for a short register read whole), its dialog
(:meth:`new_dialog`, :meth:`edit_dialog`) and its delete (:meth:`delete_question`,
:meth:`delete_record`).
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, Generic, TypeVar

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.errors import NotFound, ValidationFailed
from xhht_desktop.ui import style
from xhht_desktop.ui.forms.field_row import MESSAGE_COLOUR, SearchBox
from xhht_desktop.ui.table_models import Column, PagedTableModel, set_up_list_view

if TYPE_CHECKING:
    from collections.abc import Callable

    from xhht_desktop.context import AppContext

R = TypeVar("R")
D = TypeVar("D", bound=QDialog)


def _tr(text: str) -> str:
    # The base's own texts live in one translation context, whatever the page.
    return QCoreApplication.translate("RegisterPage", text)


class RegisterPage(QWidget, Generic[R, D]):
    """A register's list with its search, filters, count and record actions.

    Subclasses override the hooks below; the constructor calls them in this
    order: :meth:`page_title`, :meth:`search_hint`, :meth:`make_filters`,
    :meth:`columns`, :meth:`build_layout`, then :meth:`refresh`.

    Attributes:
        context: The application context whose services the page calls.
        search: The search box (``None`` when :meth:`search_hint` is empty).
        filter_widgets: ``(label, box)`` of each filter, in Tab order.
        rows: The records read, on a page that reads its register whole.
        model: The table's model.
        table: The list.
        count_label: Says how many records the list holds.
        message: A refusal (a record that cannot be deleted), shown in the
            page rather than in a box, so that the keyboard stays on the list.

    Signals:
        results_shown(int): the list for the current search and filters is on
            screen; carries the number of records it holds.
    """

    results_shown = Signal(int)

    #: How long typing must pause before the search runs, in milliseconds.
    SEARCH_DELAY_MS = 0
    #: Whether the register is short enough to be read whole (tens of records).
    WHOLE_LIST = False
    #: The column that takes the spare width; ``None``: the last one.
    STRETCH_COLUMN: int | None = None

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._refreshing = False
        self.rows: list[R] = []

        hint = self.search_hint()
        self.search: SearchBox | None = SearchBox(hint) if hint else None
        if self.search is not None:
            self.search.setObjectName("search")
        self.filter_widgets: list[tuple[str, QComboBox]] = self.make_filters()
        self.count_label = QLabel()
        # Not "count": the style sheet makes those the overview's big figures.
        self.count_label.setObjectName("list_count")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {MESSAGE_COLOUR};")
        self.message.hide()

        self.model: PagedTableModel[R] = PagedTableModel(
            columns=self.columns(),
            count=self._count,
            page=self._page,
            parent=self,
            load=False,
        )
        self.table = QTableView()
        set_up_list_view(
            self.table,
            self.model,
            stretch_column=self.STRETCH_COLUMN,
            whole_list=self.WHOLE_LIST,
        )

        self.add_button = QPushButton(self.add_button_text())
        self.edit_button = QPushButton(_tr("Sửa (Enter)"))
        self.delete_button = QPushButton(_tr("Xóa (Delete)"))

        self.build_layout()
        self._chain_tab_order()
        self._connect()
        self.refresh()

    # -- hooks: what a page declares ----------------------------------------

    def page_title(self) -> str:
        """The title above the list; empty for none."""
        return ""

    def search_hint(self) -> str:
        """The search box's placeholder; empty for a page without search."""
        return ""

    def make_filters(self) -> list[tuple[str, QComboBox]]:
        """Create the filter boxes: ``(label with & mnemonic, box)`` in Tab order."""
        return []

    def columns(self) -> list[Column[R]]:
        """The list's columns."""
        raise NotImplementedError

    def count_rows(self) -> int:
        """How many records the current search and filters select (paged pages)."""
        raise NotImplementedError

    def page_rows(self, offset: int, limit: int) -> list[R]:
        """Up to ``limit`` records from ``offset`` of the current query (paged pages)."""
        raise NotImplementedError

    def load_rows(self) -> list[R]:
        """Every record of the current search and filters (pages with ``WHOLE_LIST``)."""
        raise NotImplementedError

    def reload_choices(self) -> None:
        """Refill the filters' choices (e.g. the villages); runs before each refresh."""

    def count_text(self, total: int) -> str:
        """What the count label says when the list holds ``total`` records."""
        raise NotImplementedError

    def add_button_text(self) -> str:
        return _tr("Thêm (Ctrl+N)")

    def new_dialog(self) -> D:
        """A dialog for new records; it must have a ``record_saved(str)`` signal."""
        raise NotImplementedError

    def edit_dialog(self, row: R) -> D:
        """A dialog that changes ``row``."""
        raise NotImplementedError

    def delete_question(self, row: R) -> tuple[str, str]:
        """Title and text of the question asked before ``row`` is deleted."""
        raise NotImplementedError

    def delete_record(self, row: R) -> None:
        """Delete ``row`` through the service.

        Raises:
            ValidationFailed: the service refuses (the messages are shown).
            NotFound: the record is gone already.
        """
        raise NotImplementedError

    def build_layout(self) -> None:
        """Title, search and filters in one row, buttons and count, list, message."""
        layout = QVBoxLayout(self)
        title = self.page_title()
        if title:
            label = QLabel(title)
            label.setStyleSheet(style.PAGE_TITLE)
            layout.addWidget(label)
        if self.search is not None or self.filter_widgets:
            filters = QHBoxLayout()
            if self.search is not None:
                filters.addWidget(self.caption(_tr("&Tìm:"), self.search))
                filters.addWidget(self.search, 3)
            for text, box in self.filter_widgets:
                filters.addWidget(self.caption(text, box))
                filters.addWidget(box, 1)
            layout.addLayout(filters)
        layout.addLayout(self.button_row(with_count=True))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)

    # -- building blocks for build_layout -----------------------------------

    @staticmethod
    def caption(text: str, buddy: QWidget) -> QLabel:
        """A label whose mnemonic (Alt+letter) goes to ``buddy``."""
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def button_row(self, *, with_count: bool) -> QHBoxLayout:
        """Add, change and delete, then (optionally) the count at the right."""
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.edit_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        if with_count:
            row.addWidget(self.count_label)
        return row

    # -- the list -------------------------------------------------------------

    def refresh(self, select_id: str | None = None, select_row: int = 0) -> None:
        """Read the filters' choices and the list again, keeping the selection.

        Args:
            select_id: The record to select afterwards; default the one
                selected now.
            select_row: The row to select when that record is not listed.
        """
        select_id = select_id or self.selected_id()
        # Refilling a filter's choices may move its current item: one query follows.
        self._refreshing = True
        try:
            self.reload_choices()
        finally:
            self._refreshing = False
        self.apply_filter(select_id, select_row)

    def apply_filter(self, select_id: str | None = None, select_row: int = 0) -> None:
        """Run the query of the current search and filters: one count, one first page.

        Args:
            select_id: The record to select if the first page holds it;
                default the one selected now.
            select_row: The row to select otherwise (kept within the list).
        """
        if self._refreshing:
            return
        self._search_timer.stop()
        select_id = select_id or self.selected_id()
        if self.WHOLE_LIST:
            self.rows = self.load_rows()
        self.model.reset()
        if self.WHOLE_LIST:
            while self.model.canFetchMore():
                self.model.fetchMore()
        total = self.model.total()
        self.count_label.setText(self.count_text(total))
        loaded = self.model.rowCount()
        if loaded:
            found = self.model.find_id(select_id) if select_id else None
            number = found if found is not None else min(max(select_row, 0), loaded - 1)
            self.table.setCurrentIndex(self.model.index(number, 0))
        self._update_buttons()
        self.results_shown.emit(total)

    def is_filtered(self) -> bool:
        """Whether a search or a filter narrows the list."""
        searching = self.search is not None and bool(self.search.text().strip())
        return searching or any(box.currentData() for _label, box in self.filter_widgets)

    def selected_row(self) -> R | None:
        """The record selected in the list, if any."""
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().hasSelection():
            return None
        try:
            return self.model.row_at(index)
        except IndexError:
            return None

    def selected_id(self) -> str | None:
        """The id of the selected record, if any."""
        row = self.selected_row()
        return self.model.row_id(self.table.currentIndex().row()) if row is not None else None

    def focus_search(self) -> None:
        """Put the keyboard in the search box, its text selected."""
        if self.search is not None:
            self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.search.selectAll()

    # -- actions --------------------------------------------------------------

    def add(self) -> D:
        """Open the dialog for new records; the list follows each save."""
        return self._open(self.new_dialog())

    def edit_selected(self) -> D | None:
        """Open the selected record in its dialog."""
        row = self.selected_row()
        if row is None:
            return None
        return self._open(self.edit_dialog(row))

    def delete_selected(self) -> bool:
        """Delete the selected record after a confirmation.

        A refusal of the service is shown in :attr:`message`; the selection
        stays where the record was, so that Delete can go on.

        Returns:
            Whether a record was deleted.
        """
        row = self.selected_row()
        if row is None:
            return False
        self.hide_message()
        if not self.confirm_delete(row):
            return False
        number = self.table.currentIndex().row()
        try:
            self.delete_record(row)
        except ValidationFailed as refused:
            self.show_message("\n".join(issue.message for issue in refused.issues))
            deleted = False
        except NotFound as missing:
            self.show_message(missing.message)
            deleted = False
        else:
            deleted = True
        self.refresh(select_row=number)
        return deleted

    def confirm_delete(self, row: R) -> bool:
        """Ask whether to delete ``row``; No is the default answer."""
        title, text = self.delete_question(row)
        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def hide_message(self) -> None:
        self.message.clear()
        self.message.hide()

    # -- internals ------------------------------------------------------------

    def _count(self) -> int:
        return len(self.rows) if self.WHOLE_LIST else self.count_rows()

    def _page(self, offset: int, limit: int) -> list[R]:
        if self.WHOLE_LIST:
            return self.rows[offset : offset + limit]
        return self.page_rows(offset, limit)

    def _chain_tab_order(self) -> None:
        chain: list[QWidget] = [
            *([self.search] if self.search is not None else []),
            *(box for _label, box in self.filter_widgets),
            self.table,
            self.add_button,
            self.edit_button,
            self.delete_button,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _connect(self) -> None:
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        # A pause folds a burst of keystrokes (a paste, fast typing) into one query.
        self._search_timer.setInterval(self.SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(lambda: self.apply_filter())
        if self.search is not None:
            self.search.textChanged.connect(lambda _text: self._search_timer.start())
            self.search.returnPressed.connect(self._to_list)
            self.search.down_pressed.connect(self._to_list)
            self._shortcut(QKeySequence.StandardKey.Find, self.focus_search)
        for _label, box in self.filter_widgets:
            box.currentIndexChanged.connect(self._filter_changed)

        # Enter on the list, or a double click, activates a row; the key is the
        # list's own (not a shortcut), so it never fires for another window.
        self.table.activated.connect(self._activated)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.add_button.clicked.connect(lambda: self.add())
        self.edit_button.clicked.connect(lambda: self.edit_selected())
        self.delete_button.clicked.connect(lambda: self.delete_selected())

        self._shortcut(QKeySequence.StandardKey.New, self.add)
        self._shortcut(Qt.Key.Key_Insert, self.add)
        # On the list only: Delete in the search box deletes a letter.
        self._shortcut(Qt.Key.Key_Delete, self.delete_selected, on_table=True)

    def _shortcut(
        self,
        key: QKeySequence.StandardKey | Qt.Key,
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

    def _filter_changed(self, _index: int) -> None:
        if not self._refreshing:
            self.apply_filter()

    def _open(self, dialog: D) -> D:
        self.hide_message()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.record_saved.connect(self._saved)  # type: ignore[attr-defined]
        dialog.finished.connect(lambda _result: self.table.setFocus())
        dialog.open()
        return dialog

    def _saved(self, record_id: str) -> None:
        self.hide_message()
        self.refresh(select_id=record_id, select_row=self.table.currentIndex().row())

    def _activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        if index.isValid():
            self.table.setCurrentIndex(self.model.index(index.row(), 0))
            self.edit_selected()

    def _to_list(self) -> None:
        if self._search_timer.isActive():
            self.apply_filter()
        if self.model.rowCount() == 0:
            return
        if self.selected_row() is None:
            self.table.setCurrentIndex(self.model.index(0, 0))
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_buttons(self) -> None:
        selected = self.selected_row() is not None
        self.edit_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)
