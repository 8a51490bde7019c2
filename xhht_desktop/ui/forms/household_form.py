"""The household form: code, village, head and address, and the household's members."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.core import ethnicity
from xhht_desktop.core import text as vntext
from xhht_desktop.core.registers import SEXES, VILLAGE_KINDS, HouseholdDraft, format_birth
from xhht_desktop.errors import NotFound, StaleRecord, ValidationFailed
from xhht_desktop.ui.forms.field_row import FieldRow

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext
    from xhht_desktop.store.repositories import HouseholdRow, PersonRow, VillageRow

_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_FOLDED_ROLE = Qt.ItemDataRole.UserRole + 2


def village_label(row: VillageRow) -> str:
    """How a village reads in a list: its kind, then its name ("Thôn Đức An").

    A name that already starts with its kind ("Tổ dân phố 3") is not doubled.
    """
    kind = VILLAGE_KINDS.get(row.kind, "")
    if not kind or vntext.fold(row.name).startswith(vntext.fold(kind) + " "):
        return row.name
    return f"{kind} {row.name}"


class _FoldingCompleter(QCompleter):
    """Completes a village as the user types, ignoring diacritics and case.

    Officials often type without Vietnamese input ("duc an" for "Đức An"):
    the typed text and the items are compared by their folded keys.
    """

    def splitPath(self, path: str) -> list[str]:  # noqa: N802 (Qt override)
        return [vntext.fold(path)]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:  # noqa: N802
        return str(index.data(Qt.ItemDataRole.DisplayRole) or "")


class VillageCombo(QComboBox):
    """A village chooser: pick from the list, or type part of a name."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = _FoldingCompleter(self)
        completer.setModel(self.model())
        completer.setCompletionRole(_FOLDED_ROLE)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)

    def set_villages(self, rows: list[VillageRow]) -> None:
        """Fill the list; the choice is kept when the village is still there."""
        chosen = self.village_id()
        self.clear()
        for row in rows:
            label = village_label(row)
            self.addItem(label, row.id)
            self.setItemData(self.count() - 1, vntext.fold(label), _FOLDED_ROLE)
        self.set_village_id(chosen)

    def set_village_id(self, village_id: str) -> None:
        index = self.findData(village_id) if village_id else -1
        self.setCurrentIndex(index)
        if index < 0:
            self.setEditText("")

    def village_id(self) -> str:
        """The chosen village's id; "" when the text names no village.

        The text decides, not the last highlighted item, because the user
        may have typed over it: it must name one village (diacritics and
        case aside), or be part of exactly one village's name.
        """
        typed = vntext.fold(self.currentText())
        if not typed:
            return ""
        labels = [str(self.itemData(i, _FOLDED_ROLE)) for i in range(self.count())]
        exact = [i for i, label in enumerate(labels) if typed in (label, label.split(" ", 1)[-1])]
        partial = [i for i, label in enumerate(labels) if typed in label]
        found = exact or partial
        return str(self.itemData(found[0])) if len(found) == 1 else ""


class HouseholdDialog(QDialog):
    """Adds a household or changes one, with its members below.

    Enter saves. When a new household is saved the dialog stays open on it,
    so that its members can be added at once (Ctrl+M): that is how officials
    fill in the survey, household by household. Ctrl+N starts the next
    household. Esc closes.

    Signals:
        record_saved: the id of the household just saved.
        members_changed: the id of the household whose members changed.
    """

    record_saved = Signal(str)
    members_changed = Signal(str)

    def __init__(
        self, context: AppContext, household_id: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.household_id: str | None = None
        self._revision: int | None = None
        self.member_rows: list[PersonRow] = []

        self.code = QLineEdit()
        self.code.setMaxLength(32)
        self.village = VillageCombo()
        self.head_name = QLineEdit()
        self.head_name.setMaxLength(100)
        self.address = QLineEdit()
        self.address.setMaxLength(200)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.hide()
        self.code_row = FieldRow("code", self.tr("&Mã hộ"), self.code)
        self.village_row = FieldRow("village_id", self.tr("&Thôn/tổ dân phố"), self.village)
        self.head_row = FieldRow("head_name", self.tr("&Họ tên chủ hộ"), self.head_name)
        self.address_row = FieldRow("address", self.tr("Đị&a chỉ"), self.address)
        self._rows = (self.code_row, self.village_row, self.head_row, self.address_row)

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(self.tr("Lưu"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.new_button = buttons.addButton(
            self.tr("Hộ mới (Ctrl+N)"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.close_button = buttons.addButton(
            self.tr("Đóng"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.new_button.clicked.connect(self.start_new)
        self.close_button.clicked.connect(self.reject)

        self.members_box = self._members_box()

        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        for row in self._rows:
            layout.addWidget(row)
        layout.addWidget(buttons)
        layout.addWidget(self.members_box, 1)

        new = QShortcut(QKeySequence.StandardKey.New, self)
        new.activated.connect(self.start_new)
        add_member = QShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_M), self)
        add_member.activated.connect(self.add_member)

        self.village.set_villages(self.context.villages.list())
        self.setMinimumWidth(640)
        if household_id is None:
            self.start_new()
        else:
            self.load(household_id)

    def _members_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Thành viên của hộ"))
        self.members_model = QStandardItemModel(0, 5, self)
        self.members_model.setHorizontalHeaderLabels(
            [
                self.tr("Họ và tên"),
                self.tr("Quan hệ với chủ hộ"),
                self.tr("Ngày/năm sinh"),
                self.tr("Giới tính"),
                self.tr("Dân tộc"),
            ]
        )
        self.members = QTableView()
        self.members.setModel(self.members_model)
        self.members.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.members.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.members.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.members.setTabKeyNavigation(False)
        self.members.verticalHeader().hide()
        header = self.members.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.members.doubleClicked.connect(lambda _index: self.edit_member())
        # Enter on the members list opens the member, not the dialog's
        # default button: a widget shortcut is seen before the dialog.
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.members)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.edit_member)
        delete = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.members)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_member)

        self.add_member_button = QPushButton(self.tr("Thêm thành viên (Ctrl+M)"))
        self.edit_member_button = QPushButton(self.tr("Sửa (Enter)"))
        self.delete_member_button = QPushButton(self.tr("Xóa (Delete)"))
        for button in (self.add_member_button, self.edit_member_button, self.delete_member_button):
            button.setAutoDefault(False)
        self.add_member_button.clicked.connect(self.add_member)
        self.edit_member_button.clicked.connect(self.edit_member)
        self.delete_member_button.clicked.connect(self.delete_member)
        self.members_count = QLabel()

        row = QHBoxLayout()
        row.addWidget(self.add_member_button)
        row.addWidget(self.edit_member_button)
        row.addWidget(self.delete_member_button)
        row.addStretch(1)
        row.addWidget(self.members_count)
        layout = QVBoxLayout(box)
        layout.addLayout(row)
        layout.addWidget(self.members, 1)
        return box

    # -- the household ---------------------------------------------------

    def start_new(self) -> None:
        """Clear the form for a new household; the village is kept."""
        self.household_id = None
        self._revision = None
        for editor in (self.code, self.head_name, self.address):
            editor.clear()
        for row in self._rows:
            row.clear_issues()
        self.status.hide()
        self.members_box.hide()
        self.new_button.setEnabled(False)
        self.setWindowTitle(self.tr("Thêm hộ gia đình"))
        self.code.setFocus()

    def load(self, household_id: str) -> None:
        """Show a stored household and its members."""
        try:
            row = self.context.households.get(household_id)
        except NotFound as error:
            self._show_status(error.message)
            self.save_button.setEnabled(False)
            return
        self._show_household(row)
        self.code.setFocus()

    def _show_household(self, row: HouseholdRow) -> None:
        self.household_id = row.id
        self._revision = row.revision
        self.code.setText(row.code)
        self.village.set_village_id(row.village_id)
        self.head_name.setText(row.head_name)
        self.address.setText(row.address)
        self.setWindowTitle(
            self.tr("Hộ {code} – {head}").format(code=row.code, head=row.head_name)
        )
        self.new_button.setEnabled(True)
        self.members_box.show()
        self.reload_members()

    def draft(self) -> HouseholdDraft:
        """What the form holds now."""
        return HouseholdDraft(
            code=self.code.text(),
            village_id=self.village.village_id(),
            head_name=self.head_name.text(),
            address=self.address.text(),
        )

    def save(self) -> bool:
        """Save the household; show the problems beside their fields if refused.

        A new household stays on screen for its members; a changed one
        closes the dialog.

        Returns:
            Whether the household was stored.
        """
        for row in self._rows:
            row.clear_issues()
        self.status.hide()
        adding = self.household_id is None
        try:
            saved = self.context.households.save(self.draft(), self.household_id, self._revision)
        except ValidationFailed as error:
            shown = [row.show_issues(error) for row in self._rows]
            if not any(shown):
                self._show_status(error.message)
            first = next((row for row, was in zip(self._rows, shown, strict=True) if was), None)
            if first is not None:
                first.editor.setFocus()
            return False
        except (NotFound, StaleRecord) as error:
            self._show_status(error.message)
            return False
        self.record_saved.emit(saved.id)
        if not adding:
            self.accept()
            return True
        self._show_household(saved)
        self._show_status(
            self.tr(
                "Đã lưu hộ {code}. Nhấn Ctrl+M để thêm thành viên, "
                "Ctrl+N để thêm hộ khác, Esc để đóng."
            ).format(code=saved.code),
            error=False,
        )
        self.add_member_button.setFocus()
        return True

    def _show_status(self, text: str, *, error: bool = True) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00020;" if error else "color: #1b5e20;")
        self.status.show()

    # -- its members -------------------------------------------------------

    def reload_members(self, select_id: str | None = None) -> None:
        """Reload the members list of the household on screen."""
        select_id = select_id or self.selected_member_id()
        self.members_model.removeRows(0, self.members_model.rowCount())
        self.member_rows = (
            self.context.persons.members(self.household_id) if self.household_id else []
        )
        for person in self.member_rows:
            group = ethnicity.by_code(person.ethnicity_code)
            items = [
                QStandardItem(person.full_name),
                QStandardItem(person.relationship_to_head),
                QStandardItem(format_birth(person.birth_date, person.birth_year)),
                QStandardItem(SEXES.get(person.sex, person.sex)),
                QStandardItem(group.name if group else person.ethnicity_code),
            ]
            for item in items:
                item.setData(person.id, _ID_ROLE)
            self.members_model.appendRow(items)
        self.members_count.setText(self.tr("{n} thành viên").format(n=len(self.member_rows)))
        ids = [p.id for p in self.member_rows]
        if ids:
            position = ids.index(select_id) if select_id in ids else 0
            self.members.setCurrentIndex(self.members_model.index(position, 0))
        self.edit_member_button.setEnabled(bool(ids))
        self.delete_member_button.setEnabled(bool(ids))

    def selected_member_id(self) -> str | None:
        index = self.members.currentIndex()
        if not index.isValid():
            return None
        return str(index.siblingAtColumn(0).data(_ID_ROLE))

    def add_member(self) -> QDialog | None:
        """Open the person form for new members of this household."""
        if self.household_id is None:
            return None
        from xhht_desktop.ui.forms.person_form import PersonDialog

        return self._open_member(PersonDialog(self.context, household_id=self.household_id, parent=self))

    def edit_member(self) -> QDialog | None:
        """Open the person form for the selected member."""
        person_id = self.selected_member_id()
        if self.household_id is None or person_id is None:
            return None
        from xhht_desktop.ui.forms.person_form import PersonDialog

        return self._open_member(PersonDialog(self.context, person_id=person_id, parent=self))

    def _open_member(self, dialog: QDialog) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.record_saved.connect(self._member_saved)  # type: ignore[attr-defined]
        dialog.finished.connect(lambda _result: self.members.setFocus())
        dialog.open()
        return dialog

    def _member_saved(self, person_id: str) -> None:
        self.reload_members(person_id)
        if self.household_id:
            self.members_changed.emit(self.household_id)

    def delete_member(self) -> bool:
        """Delete the selected member after confirmation.

        Returns:
            Whether the member was deleted.
        """
        person_id = self.selected_member_id()
        person = next((p for p in self.member_rows if p.id == person_id), None)
        if person is None or self.household_id is None:
            return False
        answer = QMessageBox.question(
            self,
            self.tr("Xóa thành viên"),
            self.tr("Xóa {name} khỏi hộ {code}?").format(
                name=person.full_name, code=self.code.text()
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.context.persons.delete(person.id)
        except NotFound as error:
            self._show_status(error.message)
        self.reload_members()
        self.members_changed.emit(self.household_id)
        return True
