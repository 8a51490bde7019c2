"""The units page: agencies, schools, enterprises, cooperatives and armed-forces units."""

from __future__ import annotations

from xhht_desktop.errors import NotFound
from xhht_desktop.store.model_queries import UnitRow
from xhht_desktop.ui.forms.unit_form import UnitDialog, unit_kind_label
from xhht_desktop.ui.pages.register_page import RegisterPage
from xhht_desktop.ui.table_models import RIGHT, Column, format_thousands


class UnitsPage(RegisterPage[UnitRow, UnitDialog]):
    """The units managed at commune level, with kind, village, head and staff.

    Ctrl+F searches by name (diacritics optional), Ctrl+N or Insert adds a
    unit, Enter or a double click changes the selected one, Delete removes
    it after a confirmation. A commune has tens of units: the list is read
    whole.
    """

    WHOLE_LIST = True
    STRETCH_COLUMN = 0

    def page_title(self) -> str:
        return self.tr("Cơ quan, đơn vị")

    def search_hint(self) -> str:
        return self.tr("Tìm theo tên cơ quan, đơn vị, có dấu hoặc không (Ctrl+F)")

    def columns(self) -> list[Column[UnitRow]]:
        return [
            Column(self.tr("Tên cơ quan, đơn vị"), lambda u: u.name, width=260),
            Column(self.tr("Loại"), lambda u: unit_kind_label(u.kind), width=190),
            Column(self.tr("Thôn/tổ dân phố"), lambda u: u.village_name or "", width=150),
            Column(self.tr("Người đứng đầu"), lambda u: u.head_name, width=180),
            Column(
                self.tr("Số cán bộ, người lao động"),
                lambda u: format_thousands(u.staff_count),
                RIGHT,
                width=200,
            ),
        ]

    def load_rows(self) -> list[UnitRow]:
        assert self.search is not None
        return self.context.units.list(self.search.text())

    def count_text(self, total: int) -> str:
        if self.is_filtered():
            return self.tr("{n} / {all} cơ quan, đơn vị").format(
                n=format_thousands(total), all=format_thousands(len(self.context.units.list()))
            )
        return self.tr("{n} cơ quan, đơn vị").format(n=format_thousands(total))

    def new_dialog(self) -> UnitDialog:
        return UnitDialog(self.context, parent=self)

    def edit_dialog(self, row: UnitRow) -> UnitDialog:
        return UnitDialog(self.context, row.id, parent=self)

    def delete_question(self, row: UnitRow) -> tuple[str, str]:
        return self.tr("Xóa cơ quan, đơn vị"), self.tr("Xóa {name}?").format(name=row.name)

    def confirm_delete(self, row: UnitRow) -> bool:
        # Say at once why it cannot be deleted, rather than ask first; the
        # service refuses too, should a registration arrive meanwhile.
        try:
            refusal = self.context.units.deletion_refusal(row.id)
        except NotFound:
            refusal = None  # deleted meanwhile: the delete itself says so
        if refusal is not None:
            self.show_message(refusal)
            return False
        return super().confirm_delete(row)

    def delete_record(self, row: UnitRow) -> None:
        self.context.units.delete(row.id)
