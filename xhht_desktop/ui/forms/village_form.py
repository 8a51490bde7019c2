"""The village form: kind and name of a thôn, bon, buôn, bản, làng, ấp or tổ dân phố."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.core import text as vntext
from xhht_desktop.core.registers import VILLAGE_KINDS, VillageDraft
from xhht_desktop.errors import NotFound, StaleRecord, ValidationFailed
from xhht_desktop.ui.forms.field_row import MESSAGE_COLOUR, ChoiceBox, FieldLayout

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext
    from xhht_desktop.store.repositories import VillageRow


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


class VillageDialog(QDialog):
    """Adds villages one after another, or changes one.

    Enter saves. After an addition the form clears for the next village and
    keeps the kind, because a commune's villages are usually all of one kind;
    after a change the dialog closes. Esc closes without saving.

    Signals:
        record_saved: the id of the village just saved.
    """

    record_saved = Signal(str)

    def __init__(
        self, context: AppContext, village_id: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.village_id = village_id
        self._revision: int | None = None

        self.kind = ChoiceBox([(kind, kind_label(kind)) for kind in VILLAGE_KINDS])
        self.kind.set_value("thon")
        self.name = QLineEdit()
        self.name.setMaxLength(100)

        layout = QVBoxLayout(self)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.hide()
        layout.addWidget(self.status)
        self.fields = FieldLayout()
        self.fields.add_field("kind", self.tr("&Loại"), self.kind)
        self.fields.add_field("name", self.tr("&Tên"), self.name)
        layout.addLayout(self.fields)
        layout.addStretch(1)

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(self.tr("Lưu"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = buttons.addButton(
            self.tr("Đóng"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.save_button.clicked.connect(lambda: self.save())
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(buttons)
        # Only once the button is inside the dialog does the dialog remember it
        # as its main default, to which Enter returns after a focused button.
        self.save_button.setDefault(True)

        if village_id is None:
            self.setWindowTitle(self.tr("Thêm thôn/tổ dân phố"))
        else:
            self.setWindowTitle(self.tr("Sửa thôn/tổ dân phố"))
            self._load(village_id)
        self.name.setFocus()
        self.setMinimumWidth(420)

    def _load(self, village_id: str) -> None:
        row: VillageRow | None = next(
            (v for v in self.context.villages.list() if v.id == village_id), None
        )
        if row is None:
            self._show_status(self.tr("Không tìm thấy thôn/tổ dân phố này (có thể đã bị xóa)."))
            self.save_button.setEnabled(False)
            return
        self._revision = row.revision
        self.kind.set_value(row.kind)
        self.name.setText(row.name)

    def draft(self) -> VillageDraft:
        """What the form holds now."""
        return VillageDraft(kind=str(self.kind.value() or ""), name=self.name.text())

    def save(self) -> bool:
        """Save the form; show the problems beside their fields if refused.

        Returns:
            Whether the village was stored.
        """
        self.fields.clear_issues()
        self.status.hide()
        try:
            saved = self.context.villages.save(self.draft(), self.village_id, self._revision)
        except ValidationFailed as error:
            leftover = self.fields.show_issues(error)
            if leftover:
                self._show_status("\n".join(leftover))
            return False
        except (NotFound, StaleRecord) as error:
            self._show_status(error.message)
            return False
        self.record_saved.emit(saved.id)
        if self.village_id is None:
            self.name.clear()
            self.name.setFocus()
            self._show_status(
                self.tr("Đã thêm {village}. Nhập thôn tiếp theo hoặc nhấn Esc để đóng.").format(
                    village=village_label(saved)
                ),
                error=False,
            )
        else:
            self.accept()
        return True

    def _show_status(self, text: str, *, error: bool = True) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {MESSAGE_COLOUR};" if error else "color: #1b5e20;")
        self.status.show()
