"""The clans page: the dòng họ of the commune, their households and where they live."""

from __future__ import annotations

from xhht_desktop.errors import NotFound
from xhht_desktop.store.model_queries import ClanRow
from xhht_desktop.ui.forms.clan_form import ClanDialog
from xhht_desktop.ui.pages.register_page import RegisterPage
from xhht_desktop.ui.table_models import RIGHT, Column, format_thousands


class ClansPage(RegisterPage[ClanRow, ClanDialog]):
    """The clans, each with its contact person, households and villages.

    Ctrl+F searches by name (diacritics optional), Ctrl+N or Insert adds a
    clan, Enter or a double click opens the selected one with its household
    checklist, Delete removes it after a confirmation that says how many
    households leave it (they stay in the register). A commune has tens of
    clans, so the list is read whole.
    """

    WHOLE_LIST = True
    STRETCH_COLUMN = 3

    def page_title(self) -> str:
        return self.tr("Dòng họ")

    def search_hint(self) -> str:
        return self.tr("Tìm theo tên dòng họ, có dấu hoặc không (Ctrl+F)")

    def columns(self) -> list[Column[ClanRow]]:
        return [
            Column(self.tr("Tên dòng họ"), lambda c: c.name, width=220),
            Column(self.tr("Người liên hệ"), lambda c: c.contact_person, width=200),
            Column(self.tr("Số hộ"), lambda c: format_thousands(c.households), RIGHT, width=80),
            Column(
                self.tr("Sống ở thôn/tổ dân phố"),
                lambda c: ", ".join(self._villages.get(c.id, [])),
            ),
        ]

    def load_rows(self) -> list[ClanRow]:
        assert self.search is not None
        self._villages = self.context.clans.villages_by_clan()
        return self.context.clans.list(self.search.text())

    def count_text(self, total: int) -> str:
        if self.is_filtered():
            return self.tr("{n} / {all} dòng họ").format(
                n=format_thousands(total), all=format_thousands(len(self.context.clans.list()))
            )
        return self.tr("{n} dòng họ").format(n=format_thousands(total))

    def new_dialog(self) -> ClanDialog:
        return ClanDialog(self.context, parent=self)

    def edit_dialog(self, row: ClanRow) -> ClanDialog:
        return ClanDialog(self.context, row.id, parent=self)

    def delete_question(self, row: ClanRow) -> tuple[str, str]:
        if row.households:
            text = self.tr(
                "Xóa dòng họ {name}? {n} hộ của dòng họ sẽ không còn thuộc dòng họ nào; "
                "các hộ vẫn ở trong sổ hộ gia đình."
            ).format(name=row.name, n=format_thousands(row.households))
        else:
            text = self.tr("Xóa dòng họ {name}? Dòng họ chưa có hộ nào.").format(name=row.name)
        return self.tr("Xóa dòng họ"), text

    def confirm_delete(self, row: ClanRow) -> bool:
        # Say at once why it cannot be deleted, rather than ask first; the
        # service refuses too, should a registration arrive meanwhile.
        try:
            refusal = self.context.clans.deletion_refusal(row.id)
        except NotFound:
            refusal = None  # deleted meanwhile: the delete itself says so
        if refusal is not None:
            self.show_message(refusal)
            return False
        return super().confirm_delete(row)

    def delete_record(self, row: ClanRow) -> None:
        self.context.clans.delete(row.id)
