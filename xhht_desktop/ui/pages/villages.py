"""The villages page: the commune's thôn, bon, buôn, bản, làng, ấp and tổ dân phố."""

from __future__ import annotations

from xhht_desktop.store.repositories import VillageRow
from xhht_desktop.ui.forms.village_form import VillageDialog, kind_label, village_label
from xhht_desktop.ui.pages.register_page import RegisterPage
from xhht_desktop.ui.table_models import RIGHT, Column, format_thousands


class VillagesPage(RegisterPage[VillageRow, VillageDialog]):
    """A table of the villages with their household and person counts.

    Ctrl+N or Insert adds, Enter or a double click changes the selected
    village, Delete removes it after a confirmation; a village that still has
    households is refused, and the page says why. A commune has tens of
    villages, not thousands, so the whole list is read at once.
    """

    WHOLE_LIST = True
    STRETCH_COLUMN = 1

    def page_title(self) -> str:
        return self.tr("Thôn, bon, buôn, bản, tổ dân phố")

    def columns(self) -> list[Column[VillageRow]]:
        return [
            Column(self.tr("Loại"), lambda v: kind_label(v.kind)),
            Column(self.tr("Tên"), lambda v: v.name),
            Column(self.tr("Số hộ"), lambda v: format_thousands(v.households), RIGHT),
            Column(self.tr("Số nhân khẩu"), lambda v: format_thousands(v.persons), RIGHT),
        ]

    def load_rows(self) -> list[VillageRow]:
        return self.context.villages.list()

    def count_text(self, total: int) -> str:
        return self.tr("{villages} thôn/tổ dân phố, {households} hộ, {persons} nhân khẩu").format(
            villages=total,
            households=format_thousands(sum(r.households for r in self.rows)),
            persons=format_thousands(sum(r.persons for r in self.rows)),
        )

    def new_dialog(self) -> VillageDialog:
        return VillageDialog(self.context, parent=self)

    def edit_dialog(self, row: VillageRow) -> VillageDialog:
        return VillageDialog(self.context, row.id, parent=self)

    def delete_question(self, row: VillageRow) -> tuple[str, str]:
        return (
            self.tr("Xóa thôn/tổ dân phố"),
            self.tr("Xóa {village}?").format(village=village_label(row)),
        )

    def delete_record(self, row: VillageRow) -> None:
        self.context.villages.delete(row.id)
