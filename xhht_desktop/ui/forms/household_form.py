"""The household form: code, village, head and address, and the household's members."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
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
from xhht_desktop.core.registers import (
    RELATIONSHIPS,
    SEXES,
    HouseholdDraft,
    format_birth,
)
from xhht_desktop.errors import NotFound, StaleRecord, ValidationFailed
from xhht_desktop.store.repositories import PersonRow
from xhht_desktop.ui.forms.field_row import MESSAGE_COLOUR, ChoiceBox, FieldLayout
from xhht_desktop.ui.forms.person_form import PersonDialog
from xhht_desktop.ui.forms.village_form import village_label
from xhht_desktop.ui.table_models import Column, PagedTableModel

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext
    from xhht_desktop.store.repositories import HouseholdRow, VillageRow

#: The relationship of the head of the household to itself.
HEAD_RELATIONSHIP = RELATIONSHIPS[0]
_HEAD_FOLDED = vntext.fold(HEAD_RELATIONSHIP)


class VillageChoiceBox(ChoiceBox):
    """A village chooser that finds a village by any word of its name.

    Typing "duc" selects "Thôn Đức An" and "prang" selects "Bon Bu Prăng":
    officials think of the name, not of the kind written in front of it.
    The whole label is tried first, so "thon" still goes to the first thôn.
    """

    def __init__(self, placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(placeholder=placeholder, parent=parent)
        self._names: dict[str, str] = {}

    def set_villages(self, rows: list[VillageRow], first: tuple[str, str] | None = None) -> None:
        """Offer ``rows`` (after an optional ``(value, label)`` such as "all")."""
        self._names = {row.id: row.name for row in rows}
        self.set_choices([*([first] if first else []), *((r.id, village_label(r)) for r in rows)])

    def set_filter_villages(self, rows: list[VillageRow]) -> None:
        """Offer "all villages", then ``rows``: the box filters a list by village.

        The chosen village is kept while it is still offered; otherwise "all" is.
        """
        self.set_villages(rows, first=("", self.tr("Tất cả thôn/tổ dân phố")))
        if self.currentIndex() < 0:
            self.set_value("")

    def find_typed(self, typed: str) -> int:
        found = super().find_typed(typed)
        if found >= 0:
            return found
        wanted = vntext.fold(typed).replace(" ", "")
        if not wanted:
            return -1
        for number in range(self.count()):
            words = vntext.fold(self._names.get(self.itemData(number), "")).split(" ")
            tails = ("".join(words[start:]) for start in range(len(words)))
            if any(tail.startswith(wanted) for tail in tails):
                return number
        return -1


def _sex_label(person: PersonRow) -> str:
    label = SEXES.get(person.sex)
    return QCoreApplication.translate("registers", label) if label else person.sex


def _ethnicity_name(person: PersonRow) -> str:
    group = ethnicity.by_code(person.ethnicity_code)
    return group.name if group else person.ethnicity_code


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
        self.village = VillageChoiceBox(placeholder=self.tr("Gõ vài chữ của tên thôn để chọn"))
        self.head_name = QLineEdit()
        self.head_name.setMaxLength(100)
        self.address = QLineEdit()
        self.address.setMaxLength(200)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.hide()
        self.fields = FieldLayout()
        self.fields.add_field("code", self.tr("&Mã hộ"), self.code)
        self.fields.add_field("village_id", self.tr("&Thôn/tổ dân phố"), self.village)
        self.fields.add_field("head_name", self.tr("&Họ tên chủ hộ"), self.head_name)
        self.fields.add_field("address", self.tr("Đị&a chỉ"), self.address)

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(self.tr("Lưu"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.new_button = buttons.addButton(
            self.tr("Hộ mới (Ctrl+N)"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.close_button = buttons.addButton(
            self.tr("Đóng"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.save_button.clicked.connect(lambda: self.save())
        self.new_button.clicked.connect(self.start_new)
        self.close_button.clicked.connect(self.reject)

        self.members_box = self._members_box()
        # Members belong to a stored household; the box shows once there is one.
        self.members_box.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(self.fields)
        layout.addWidget(buttons)
        layout.addWidget(self.members_box, 1)
        # Only once the button is inside the dialog does the dialog remember it
        # as its main default, to which Enter returns after a focused button.
        self.save_button.setDefault(True)

        new = QShortcut(QKeySequence.StandardKey.New, self)
        new.activated.connect(self.start_new)
        add_member = QShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_M), self)
        add_member.activated.connect(self.add_member)

        self.village.set_villages(self.context.villages.list())
        self.fields.chain_tab_order([self.save_button])
        self.setMinimumWidth(640)
        if household_id is None:
            self.start_new()
        else:
            self.load(household_id)

    def _members_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Thành viên của hộ"))
        # A household has a handful of members: read them whole, page in memory.
        self.members_model: PagedTableModel[PersonRow] = PagedTableModel(
            columns=[
                Column(self.tr("Họ và tên"), lambda p: p.full_name),
                Column(self.tr("Quan hệ với chủ hộ"), lambda p: p.relationship_to_head),
                Column(
                    self.tr("Ngày/năm sinh"), lambda p: format_birth(p.birth_date, p.birth_year)
                ),
                Column(self.tr("Giới tính"), _sex_label),
                Column(self.tr("Dân tộc"), _ethnicity_name),
            ],
            count=lambda: len(self.member_rows),
            page=lambda offset, limit: self.member_rows[offset : offset + limit],
            parent=self,
            load=False,
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
            # Enter on a focused button presses it (after a new household is
            # saved the focus waits on "Thêm thành viên"), not "Lưu".
            button.setAutoDefault(True)
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
        self.fields.clear_issues()
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
        self.village.set_value(row.village_id)
        self.head_name.setText(row.head_name)
        self.address.setText(row.address)
        self.setWindowTitle(self.tr("Hộ {code} – {head}").format(code=row.code, head=row.head_name))
        self.new_button.setEnabled(True)
        self.members_box.show()
        self.reload_members()

    def draft(self) -> HouseholdDraft:
        """What the form holds now."""
        return HouseholdDraft(
            code=self.code.text(),
            village_id=str(self.village.value() or ""),
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
        self.fields.clear_issues()
        self.status.hide()
        adding = self.household_id is None
        try:
            saved = self.context.households.save(self.draft(), self.household_id, self._revision)
        except ValidationFailed as error:
            leftover = self.fields.show_issues(error)
            if leftover:
                self._show_status("\n".join(leftover))
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
        self.status.setStyleSheet(f"color: {MESSAGE_COLOUR};" if error else "color: #1b5e20;")
        self.status.show()

    # -- its members -------------------------------------------------------

    def reload_members(self, select_id: str | None = None) -> None:
        """Reload the members list of the household on screen."""
        select_id = select_id or self.selected_member_id()
        self.member_rows = (
            self.context.persons.members(self.household_id) if self.household_id else []
        )
        self.members_model.reset()
        while self.members_model.canFetchMore():
            self.members_model.fetchMore()
        self.members_count.setText(self.tr("{n} thành viên").format(n=len(self.member_rows)))
        if self.member_rows:
            found = self.members_model.find_id(select_id) if select_id else None
            self.members.setCurrentIndex(self.members_model.index(found or 0, 0))
        self.edit_member_button.setEnabled(bool(self.member_rows))
        self.delete_member_button.setEnabled(bool(self.member_rows))

    def selected_member_id(self) -> str | None:
        """The id of the member under the cursor, if any."""
        index = self.members.currentIndex()
        if not index.isValid():
            return None
        try:
            return self.members_model.row_at(index).id
        except IndexError:
            return None

    def add_member(self) -> PersonDialog | None:
        """Open the person form for new members of this household."""
        if self.household_id is None:
            return None
        dialog = PersonDialog(self.context, household_id=self.household_id, parent=self)
        if not any(vntext.fold(p.relationship_to_head) == _HEAD_FOLDED for p in self.member_rows):
            # The head is usually the first member entered: start from the
            # head's name already typed above; the user completes the rest.
            dialog.form.full_name.setText(vntext.clean(self.head_name.text()))
            dialog.form.relationship.setEditText(
                QCoreApplication.translate("registers", HEAD_RELATIONSHIP)
            )
            dialog.form.birth.setFocus(Qt.FocusReason.OtherFocusReason)
        return self._open_member(dialog)

    def edit_member(self) -> PersonDialog | None:
        """Open the person form for the selected member."""
        person_id = self.selected_member_id()
        if self.household_id is None or person_id is None:
            return None
        return self._open_member(PersonDialog(self.context, person_id=person_id, parent=self))

    def _open_member(self, dialog: PersonDialog) -> PersonDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.record_saved.connect(self._member_saved)
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
