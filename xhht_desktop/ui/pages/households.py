"""The households page: search, filter by village, add, change and delete households."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from xhht_desktop.store.repositories import HouseholdFilter, HouseholdRow
from xhht_desktop.ui.forms.household_form import HouseholdDialog, VillageChoiceBox
from xhht_desktop.ui.pages.register_page import RegisterPage
from xhht_desktop.ui.table_models import RIGHT, Column, format_thousands

#: How long typing must pause before the search runs, in milliseconds.
SEARCH_DELAY_MS = 250


class HouseholdsPage(RegisterPage[HouseholdRow, HouseholdDialog]):
    """The households of the commune, searched and filtered, read page by page.

    Ctrl+F goes to the search box (code, head's name or address; with or
    without diacritics), Ctrl+N or Insert adds a household, Enter or a double
    click opens the selected one, Delete removes it and its members after a
    confirmation that says how many members go with it.
    """

    # Typing pauses before the query runs, so that a register of many
    # thousand households is not searched once per keystroke.
    SEARCH_DELAY_MS = SEARCH_DELAY_MS
    STRETCH_COLUMN = 3

    def page_title(self) -> str:
        return self.tr("Hộ gia đình")

    def search_hint(self) -> str:
        return self.tr("Tìm theo mã hộ, tên chủ hộ hoặc địa chỉ (Ctrl+F)")

    def make_filters(self) -> list[tuple[str, QComboBox]]:
        self.village = VillageChoiceBox()
        return [(self.tr("T&hôn:"), self.village)]

    def columns(self) -> list[Column[HouseholdRow]]:
        return [
            Column(self.tr("Mã hộ"), lambda h: h.code, width=110),
            Column(self.tr("Chủ hộ"), lambda h: h.head_name, width=220),
            Column(self.tr("Thôn"), lambda h: h.village_name, width=160),
            Column(self.tr("Địa chỉ"), lambda h: h.address, width=240),
            Column(self.tr("Số thành viên"), lambda h: str(h.members), RIGHT, width=110),
        ]

    def add_button_text(self) -> str:
        return self.tr("Thêm hộ (Ctrl+N)")

    # -- the list ------------------------------------------------------------

    def current_filter(self) -> HouseholdFilter:
        """The filter the search box and the village choice make."""
        assert self.search is not None
        village_id = self.village.currentData()
        return HouseholdFilter(search=self.search.text(), village_id=village_id or None)

    def count_rows(self) -> int:
        return self.context.households.count(self.current_filter())

    def page_rows(self, offset: int, limit: int) -> list[HouseholdRow]:
        return self.context.households.page(self.current_filter(), offset, limit)

    def reload_choices(self) -> None:
        self.village.set_filter_villages(self.context.villages.list())

    def count_text(self, total: int) -> str:
        if self.is_filtered():
            everything = self.context.households.count(HouseholdFilter())
            return self.tr("{n} / {all} hộ").format(
                n=format_thousands(total), all=format_thousands(everything)
            )
        return self.tr("{n} hộ").format(n=format_thousands(total))

    # -- actions ---------------------------------------------------------------

    def new_dialog(self) -> HouseholdDialog:
        dialog = HouseholdDialog(self.context, parent=self)
        village_id = self.village.currentData()
        if village_id:
            # Entering the households of one village: start in that village.
            dialog.village.set_value(village_id)
        return dialog

    def edit_dialog(self, row: HouseholdRow) -> HouseholdDialog:
        return HouseholdDialog(self.context, row.id, parent=self)

    def _open(self, dialog: HouseholdDialog) -> HouseholdDialog:
        dialog.members_changed.connect(lambda household_id: self.refresh(household_id))
        return super()._open(dialog)

    def delete_question(self, row: HouseholdRow) -> tuple[str, str]:
        if row.members:
            question = self.tr("Xóa hộ {code} (chủ hộ {head}) cùng {n} thành viên của hộ?").format(
                code=row.code, head=row.head_name, n=row.members
            )
        else:
            question = self.tr("Xóa hộ {code} (chủ hộ {head})? Hộ chưa có thành viên.").format(
                code=row.code, head=row.head_name
            )
        return self.tr("Xóa hộ gia đình"), question

    def delete_record(self, row: HouseholdRow) -> None:
        self.context.households.delete(row.id)
