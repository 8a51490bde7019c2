"""The unit form: an agency, school, enterprise, cooperative or armed-forces unit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLineEdit, QWidget

from xhht_desktop.core.models_cycle import MAX_STAFF, UNIT_KINDS, UnitDraft
from xhht_desktop.store.model_queries import UnitRow
from xhht_desktop.ui.forms.field_row import ChoiceBox, integer_box
from xhht_desktop.ui.forms.household_form import VillageChoiceBox
from xhht_desktop.ui.forms.record_dialog import RecordDialog

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext


def unit_kind_label(kind: str) -> str:
    """The kind of unit as users read it ("Trường học", "Hợp tác xã")."""
    # The vocabulary is Vietnamese data; Qt's translation can rename it.
    label = UNIT_KINDS.get(kind)
    return QCoreApplication.translate("registers", label) if label else kind


class UnitDialog(RecordDialog[UnitRow]):
    """Adds units one after another, or changes one.

    Fields: name, kind, address, head, staff count and, for a unit that
    belongs to one, the village. After an addition the kind and village are
    kept for the next unit (a commune enters its schools, then its
    cooperatives…).

    Signals:
        record_saved: the id of the unit just saved.
    """

    def __init__(
        self, context: AppContext, unit_id: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, unit_id, parent)
        self.setMinimumWidth(600)

    def build_fields(self) -> None:
        self.name = QLineEdit()
        self.name.setMaxLength(200)
        self.kind = ChoiceBox(
            [(kind, unit_kind_label(kind)) for kind in UNIT_KINDS],
            placeholder=self.tr("Gõ vài chữ để chọn loại đơn vị"),
        )
        self.address = QLineEdit()
        self.address.setMaxLength(200)
        self.head_name = QLineEdit()
        self.head_name.setMaxLength(100)
        self.staff_count = integer_box(0, MAX_STAFF)
        self.village = VillageChoiceBox()
        self.village.set_villages(
            self.context.villages.list(), first=("", self.tr("Không thuộc thôn nào"))
        )
        self.village.set_value("")
        self.fields.add_field("name", self.tr("&Tên cơ quan, đơn vị"), self.name)
        self.fields.add_field("kind", self.tr("&Loại"), self.kind)
        self.fields.add_field("address", self.tr("Đị&a chỉ"), self.address)
        self.fields.add_field("head_name", self.tr("&Người đứng đầu"), self.head_name)
        self.fields.add_field(
            "staff_count", self.tr("&Số cán bộ, người lao động"), self.staff_count
        )
        self.fields.add_field("village_id", self.tr("T&hôn/tổ dân phố"), self.village)

    def titles(self) -> tuple[str, str]:
        return self.tr("Thêm cơ quan, đơn vị"), self.tr("Sửa cơ quan, đơn vị")

    def fetch(self, record_id: str) -> UnitRow:
        return self.context.units.get(record_id)

    def show_record(self, row: UnitRow) -> None:
        self.name.setText(row.name)
        self.kind.set_value(row.kind)
        self.address.setText(row.address)
        self.head_name.setText(row.head_name)
        self.staff_count.setValue(row.staff_count)
        self.village.set_value(row.village_id or "")

    def draft(self) -> UnitDraft:
        """What the form holds now."""
        return UnitDraft(
            name=self.name.text(),
            kind=str(self.kind.value() or ""),
            address=self.address.text(),
            head_name=self.head_name.text(),
            staff_count=self.staff_count.value(),
            village_id=str(self.village.value() or "") or None,
        )

    def store(self) -> UnitRow:
        return self.context.units.save(self.draft(), self.record_id, self._revision)

    def clear_for_next(self) -> None:
        for editor in (self.name, self.address, self.head_name):
            editor.clear()
        self.staff_count.setValue(0)

    def added_text(self, row: UnitRow) -> str:
        return self.tr("Đã thêm {name}. Nhập đơn vị tiếp theo hoặc nhấn Esc để đóng.").format(
            name=row.name
        )
