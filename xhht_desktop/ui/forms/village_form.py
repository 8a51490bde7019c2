"""The village form: kind and name of a thôn, bon, buôn, bản, làng, ấp or tổ dân phố."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLineEdit, QWidget

from xhht_desktop.core import text as vntext
from xhht_desktop.core.registers import VILLAGE_KINDS, VillageDraft
from xhht_desktop.errors import NotFound
from xhht_desktop.store.repositories import VillageRow
from xhht_desktop.ui.forms.field_row import ChoiceBox
from xhht_desktop.ui.forms.record_dialog import RecordDialog

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext


def kind_label(kind: str) -> str:
    """The kind of village as users read it ("Thôn", "Bon", "Tổ dân phố")."""
    # The vocabulary is Vietnamese data; Qt's translation can rename it.
    label = VILLAGE_KINDS.get(kind)
    return QCoreApplication.translate("registers", label) if label else kind


def village_label(row: VillageRow) -> str:
    """How a village reads in a list or a sentence: kind, then name ("Thôn Đức An").

    A name that already starts with its kind ("Tổ dân phố 3") is not doubled.
    """
    kind = kind_label(row.kind)
    if not kind or vntext.fold(row.name).startswith(vntext.fold(kind) + " "):
        return row.name
    return f"{kind} {row.name}"


class VillageDialog(RecordDialog[VillageRow]):
    """Adds villages one after another, or changes one.

    Enter saves. After an addition the form clears for the next village and
    keeps the kind, because a commune's villages are usually all of one kind;
    after a change the dialog closes. Esc closes without saving.

    Signals:
        record_saved: the id of the village just saved.
    """

    def __init__(
        self, context: AppContext, village_id: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, village_id, parent)
        self.setMinimumWidth(420)

    def build_fields(self) -> None:
        self.kind = ChoiceBox([(kind, kind_label(kind)) for kind in VILLAGE_KINDS])
        self.kind.set_value("thon")
        self.name = QLineEdit()
        self.name.setMaxLength(100)
        self.fields.add_field("kind", self.tr("&Loại"), self.kind)
        self.fields.add_field("name", self.tr("&Tên"), self.name)

    def first_editor(self) -> QWidget:
        return self.name

    def titles(self) -> tuple[str, str]:
        return self.tr("Thêm thôn/tổ dân phố"), self.tr("Sửa thôn/tổ dân phố")

    def fetch(self, record_id: str) -> VillageRow:
        row = next((v for v in self.context.villages.list() if v.id == record_id), None)
        if row is None:
            raise NotFound(self.tr("Không tìm thấy thôn/tổ dân phố này (có thể đã bị xóa)."))
        return row

    def show_record(self, row: VillageRow) -> None:
        self.kind.set_value(row.kind)
        self.name.setText(row.name)

    def draft(self) -> VillageDraft:
        """What the form holds now."""
        return VillageDraft(kind=str(self.kind.value() or ""), name=self.name.text())

    def store(self) -> VillageRow:
        return self.context.villages.save(self.draft(), self.record_id, self._revision)

    def clear_for_next(self) -> None:
        self.name.clear()

    def added_text(self, row: VillageRow) -> str:
        return self.tr("Đã thêm {village}. Nhập thôn tiếp theo hoặc nhấn Esc để đóng.").format(
            village=village_label(row)
        )
