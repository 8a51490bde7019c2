"""The clan form: name, contact person, note, and the households of the clan.

The households are ticked in a checklist that is searched (code or head's
name, diacritics optional) and filtered by village, or narrowed to the
households ticked so far. A commune may hold thousands of households, so the
checklist reads them page by page like the households page does; the ticks
are kept aside, so that a search does not lose them.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.core import text as vntext
from xhht_desktop.core.models_cycle import ClanDraft
from xhht_desktop.errors import FieldIssue, NotFound, ValidationFailed
from xhht_desktop.store.model_queries import ClanRow
from xhht_desktop.store.repositories import HouseholdFilter, HouseholdRow
from xhht_desktop.ui.forms.field_row import SearchBox
from xhht_desktop.ui.forms.household_form import VillageChoiceBox
from xhht_desktop.ui.forms.record_dialog import RecordDialog
from xhht_desktop.ui.table_models import (
    Column,
    PagedTableModel,
    format_thousands,
    set_up_list_view,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from xhht_desktop.context import AppContext

_Index = QModelIndex | QPersistentModelIndex

#: The column that holds the tick.
TICK_COLUMN = 0


class HouseholdChecklistModel(PagedTableModel[HouseholdRow]):
    """Households read page by page, each with a tick in the first column.

    The ticks are a set of household ids (:attr:`ticked`), not a property of
    the loaded rows: a household ticked, searched away and found again is
    still ticked.

    Signals:
        ticked_changed: a tick was set or cleared.
    """

    ticked_changed = Signal()

    def __init__(
        self,
        columns: list[Column[HouseholdRow]],
        count: Callable[[], int],
        page: Callable[[int, int], list[HouseholdRow]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(columns, count, page, parent=parent, load=False)
        self.ticked: set[str] = set()

    def set_ticked(self, household_ids: set[str]) -> None:
        """Tick exactly ``household_ids``."""
        self.ticked = set(household_ids)
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0, TICK_COLUMN),
                self.index(self.rowCount() - 1, TICK_COLUMN),
                [Qt.ItemDataRole.CheckStateRole],
            )
        self.ticked_changed.emit()

    def toggle(self, row: int) -> None:
        """Tick the household on ``row``, or clear its tick."""
        household_id = self.row_id(row)
        self._tick(row, household_id not in self.ticked)

    def _tick(self, row: int, ticked: bool) -> None:
        household_id = self.row_id(row)
        if ticked:
            self.ticked.add(household_id)
        else:
            self.ticked.discard(household_id)
        index = self.index(row, TICK_COLUMN)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.ticked_changed.emit()

    # -- Qt overrides -----------------------------------------------------

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.CheckStateRole
            and index.isValid()
            and index.column() == TICK_COLUMN
            and index.row() < self.rowCount()
        ):
            ticked = self.row_id(index.row()) in self.ticked
            return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        return super().data(index, role)

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            role != Qt.ItemDataRole.CheckStateRole
            or not index.isValid()
            or index.column() != TICK_COLUMN
        ):
            return False
        self._tick(index.row(), Qt.CheckState(value) == Qt.CheckState.Checked)
        return True

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == TICK_COLUMN:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags


class HouseholdChecklist(QWidget):
    """Search, a village filter and the households to tick.

    Keys: Down or Enter in the search box goes to the list; Space ticks the
    household under the cursor, or clears its tick; Alt+C shows only the
    households ticked so far (a household unticked there stays in sight, so
    that a slip is undone with Space again).

    Signals:
        ticked_changed: the ticked households changed.
    """

    ticked_changed = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._refreshing = False
        self._clan_names: dict[str, str] = {}
        self._clan_of: dict[str, str] = {}
        self._ticked_rows: list[HouseholdRow] = []

        self.search = SearchBox(self.tr("Mã hộ hoặc tên chủ hộ, có dấu hoặc không"))
        self.search.setObjectName("household_search")
        self.village = VillageChoiceBox()
        self.village.setObjectName("household_village")
        self.only_ticked = QCheckBox(self.tr("Chỉ hiện hộ đã &chọn"))
        self.model = HouseholdChecklistModel(
            [
                Column("", lambda _h: "", width=36),
                Column(self.tr("Mã hộ"), lambda h: h.code, width=90),
                Column(self.tr("Chủ hộ"), lambda h: h.head_name, width=190),
                Column(self.tr("Thôn"), lambda h: h.village_name, width=130),
                Column(self.tr("Dòng họ hiện tại"), self._clan_name),
            ],
            count=self._count,
            page=self._page,
            parent=self,
        )
        self.table = QTableView()
        self.table.setObjectName("households")
        set_up_list_view(self.table, self.model)
        self.count_label = QLabel()

        search_label = QLabel(self.tr("Tì&m hộ:"))
        search_label.setBuddy(self.search)
        village_label = QLabel(self.tr("T&hôn:"))
        village_label.setBuddy(self.village)
        filters = QHBoxLayout()
        filters.addWidget(search_label)
        filters.addWidget(self.search, 3)
        filters.addWidget(village_label)
        filters.addWidget(self.village, 2)
        filters.addWidget(self.only_ticked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        for first, second in pairwise(self.tabbable()):
            QWidget.setTabOrder(first, second)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(0)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self._to_list)
        self.search.down_pressed.connect(self._to_list)
        self.village.currentIndexChanged.connect(self._village_changed)
        self.only_ticked.toggled.connect(self._only_ticked_toggled)
        self.model.ticked_changed.connect(self._show_count)
        self.model.ticked_changed.connect(self.ticked_changed)
        # A shortcut, not the view's own Space: that would tick only when the
        # cursor stands in the tick column.
        space = QShortcut(QKeySequence(Qt.Key.Key_Space), self.table)
        space.setContext(Qt.ShortcutContext.WidgetShortcut)
        space.activated.connect(self.toggle_current)

    def load(self, clan_id: str | None) -> None:
        """Read the villages, the clans and the households; tick those of ``clan_id``.

        A clan that has households opens on them alone (:attr:`only_ticked`).
        """
        self._refreshing = True
        try:
            self.village.set_filter_villages(self.context.villages.list())
        finally:
            self._refreshing = False
        self._clan_names = {clan.id: clan.name for clan in self.context.clans.list()}
        self._clan_of = self.context.clans.clan_ids_by_household()
        members = {h.id for h in self.context.clans.households(clan_id)} if clan_id else set()
        self.model.set_ticked(members)
        self._refreshing = True
        try:
            self.only_ticked.setChecked(bool(members))
        finally:
            self._refreshing = False
        self._only_ticked_toggled(self.only_ticked.isChecked())

    def value(self) -> list[str]:
        """The ticked households' ids."""
        return sorted(self.model.ticked)

    def drop_gone(self) -> int:
        """Untick the households deleted meanwhile and show the list again.

        Returns:
            How many ticks were dropped.
        """
        gone = set(self.context.clans.gone_households(self.value()))
        if gone:
            self.model.set_ticked(self.model.ticked - gone)
            self.apply_filter()
        return len(gone)

    def set_value(self, household_ids: set[str]) -> None:
        """Tick exactly ``household_ids``."""
        self.model.set_ticked(household_ids)

    def current_filter(self) -> HouseholdFilter:
        """The households that the search box and the village choice select."""
        village_id = self.village.currentData()
        return HouseholdFilter(search=self.search.text(), village_id=village_id or None)

    def apply_filter(self) -> None:
        """Run the query: one count, one first page; the cursor on the first row."""
        self._search_timer.stop()
        self.model.reset()
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, TICK_COLUMN))
        self._show_count()

    def tabbable(self) -> list[QWidget]:
        """The widgets Tab visits, in order."""
        return [self.search, self.village, self.only_ticked, self.table]

    def toggle_current(self) -> None:
        """Tick the household under the cursor, or clear its tick."""
        index = self.table.currentIndex()
        if index.isValid():
            self.model.toggle(index.row())

    def _clan_name(self, household: HouseholdRow) -> str:
        clan_id = self._clan_of.get(household.id)
        return self._clan_names.get(clan_id, "") if clan_id else ""

    def _count(self) -> int:
        if not self.only_ticked.isChecked():
            return self.context.households.count(self.current_filter())
        rows = []
        for household_id in self.model.ticked:
            try:
                rows.append(self.context.households.get(household_id))
            except NotFound:
                continue  # deleted meanwhile; saving will say so
        # A clan's dozens of households, in the households list's order (as
        # the store orders it: by the head's given name, then the id).
        self._ticked_rows = sorted(rows, key=lambda h: (vntext.person_sort_key(h.head_name), h.id))
        return len(self._ticked_rows)

    def _page(self, offset: int, limit: int) -> list[HouseholdRow]:
        if self.only_ticked.isChecked():
            return self._ticked_rows[offset : offset + limit]
        return self.context.households.page(self.current_filter(), offset, limit)

    def _village_changed(self, _index: int) -> None:
        if not self._refreshing:
            self.apply_filter()

    def _only_ticked_toggled(self, checked: bool) -> None:
        # The search and the village do not narrow the ticked households.
        self.search.setEnabled(not checked)
        self.village.setEnabled(not checked)
        if not self._refreshing:
            self.apply_filter()

    def _to_list(self) -> None:
        if self._search_timer.isActive():
            self.apply_filter()
        if self.model.rowCount():
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_count(self) -> None:
        self.count_label.setText(
            self.tr("Đã chọn {ticked} hộ · danh sách có {shown} hộ").format(
                ticked=format_thousands(len(self.model.ticked)),
                shown=format_thousands(self.model.total()),
            )
        )


class ClanDialog(RecordDialog[ClanRow]):
    """Adds clans one after another, or changes one, with its households.

    Tab goes from the clan's fields to the household search, the village
    filter and the checklist; Space ticks a household, Enter saves the clan
    and exactly the ticked households as its members. Ticking a household of
    another clan moves it to this one (a household belongs to one clan).

    Signals:
        record_saved: the id of the clan just saved.
    """

    def __init__(
        self, context: AppContext, clan_id: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, clan_id, parent)
        if self.record_id is None:
            self.members.load(None)
        self.setMinimumSize(760, 600)

    def build_fields(self) -> None:
        self.name = QLineEdit()
        self.name.setMaxLength(100)
        self.contact_person = QLineEdit()
        self.contact_person.setMaxLength(100)
        self.note = QLineEdit()
        self.note.setMaxLength(500)
        self.fields.add_field("name", self.tr("&Tên dòng họ"), self.name)
        self.fields.add_field("contact_person", self.tr("Người &liên hệ"), self.contact_person)
        self.fields.add_field("note", self.tr("&Ghi chú"), self.note)
        self.members = HouseholdChecklist(self.context)

    def extra_widget(self) -> QWidget:
        box = QGroupBox(self.tr("Các hộ thuộc dòng họ (Space: chọn/bỏ chọn)"))
        layout = QVBoxLayout(box)
        layout.addWidget(self.members)
        return box

    def tab_order_after_fields(self) -> list[QWidget]:
        return self.members.tabbable()

    def titles(self) -> tuple[str, str]:
        return self.tr("Thêm dòng họ"), self.tr("Sửa dòng họ")

    def fetch(self, record_id: str) -> ClanRow:
        return self.context.clans.get(record_id)

    def show_record(self, row: ClanRow) -> None:
        self.name.setText(row.name)
        self.contact_person.setText(row.contact_person)
        self.note.setText(row.note)
        self.members.load(row.id)

    def draft(self) -> ClanDraft:
        """The clan's fields as the form holds them (the households aside)."""
        return ClanDraft(
            name=self.name.text(),
            contact_person=self.contact_person.text(),
            note=self.note.text(),
        )

    def store(self) -> ClanRow:
        try:
            return self.context.clans.save(
                self.draft(), self.record_id, self._revision, household_ids=self.members.value()
            )
        except ValidationFailed as refused:
            if refused.for_field("household_id") is not None:
                # Nothing was stored. The form keeps what was typed and ticked,
                # except the households that are gone: they cannot be shown in
                # the checklist to untick, and saving again must succeed.
                dropped = self.members.drop_gone()
                if dropped:
                    raise ValidationFailed(
                        [
                            *refused.issues,
                            FieldIssue(
                                "household_id",
                                self.tr(
                                    "Đã bỏ chọn {n} hộ đó; nhấn Lưu để lưu dòng họ với các "
                                    "hộ còn lại."
                                ).format(n=dropped),
                            ),
                        ]
                    ) from refused
            raise

    def clear_for_next(self) -> None:
        for editor in (self.name, self.contact_person, self.note):
            editor.clear()
        self.members.load(None)

    def added_text(self, row: ClanRow) -> str:
        return self.tr(
            "Đã thêm dòng họ {name} với {n} hộ. Nhập dòng họ tiếp theo hoặc nhấn Esc để đóng."
        ).format(name=row.name, n=row.households)
