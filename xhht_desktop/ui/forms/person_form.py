"""The person form: one member of a household, entered from the keyboard.

The survey is entered household by household from paper sheets, so the form
is built for typing: Tab walks the fields in the sheet's order, Enter from any
field saves, and after a new person is saved the form is blank again for the
next member of the same household. Esc closes the dialog.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QCompleter,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.context import AppContext
from xhht_desktop.core import ethnicity
from xhht_desktop.core import text as vntext
from xhht_desktop.core.registers import (
    LITERACY_STAGES,
    MAX_GRADE,
    RELATIONSHIPS,
    RESIDENCES,
    SEXES,
    PersonDraft,
    format_birth,
    parse_birth,
)
from xhht_desktop.errors import FieldIssue, NotFound, StaleRecord, ValidationFailed
from xhht_desktop.store.repositories import HouseholdFilter, HouseholdRow, PersonRow
from xhht_desktop.ui.forms.field_row import (
    MESSAGE_COLOUR,
    ChoiceBox,
    FieldLayout,
    editable_choice_box,
    integer_box,
    vocabulary,
)

DEFAULT_ETHNICITY = "01"  # Kinh
# How many households the picker offers for what has been typed.
_PICKER_LIMIT = 20
_NOTICE_COLOUR = "#2e7d32"


def household_label(row: HouseholdRow) -> str:
    """How a household is named in pickers: ``"H001 – Nguyễn Văn An (Thôn 1)"``."""
    return f"{row.code} – {row.head_name} ({row.village_name})"


class HouseholdPicker(QLineEdit):
    """A line edit that finds a household by code or head's name as one types.

    Each edit asks the service for the first matching households (diacritics
    optional: "nguyen an" finds "Nguyễn Văn An") and offers them in a popup;
    Down/Enter or a click picks one. Leaving the field with text that names
    exactly one household (its code, or a search with a single result) picks
    that household too, so "H001" then Tab is enough.

    Signals:
        household_changed(str): the chosen household's id, ``""`` when cleared.
    """

    household_changed = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._chosen: HouseholdRow | None = None
        self._offers = QStandardItemModel(self)
        self._completer = QCompleter(self._offers, self)
        self._completer.setWidget(self)
        # The service already matched (diacritics-free); the completer must not
        # filter again by prefix.
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setMaxVisibleItems(10)
        self._completer.activated[QModelIndex].connect(self._picked)
        self.setPlaceholderText(self.tr("Gõ mã hộ hoặc tên chủ hộ (không cần dấu)"))
        self.textEdited.connect(self._search)
        self.editingFinished.connect(self.resolve)

    def household(self) -> HouseholdRow | None:
        """The chosen household, if any."""
        return self._chosen

    def household_id(self) -> str:
        """The chosen household's id, ``""`` when none is chosen."""
        return self._chosen.id if self._chosen is not None else ""

    def set_household(self, row: HouseholdRow | None) -> None:
        """Choose ``row`` (or nothing) and show its label."""
        changed = (row.id if row else "") != self.household_id()
        self._chosen = row
        self.setText(household_label(row) if row is not None else "")
        self.setCursorPosition(0)
        if changed:
            self.household_changed.emit(self.household_id())

    def offers(self) -> list[HouseholdRow]:
        """The households the popup offers now."""
        return [
            self._offers.item(number).data(Qt.ItemDataRole.UserRole)
            for number in range(self._offers.rowCount())
        ]

    def popup_visible(self) -> bool:
        """Whether the list of offers is open."""
        return self._completer.popup().isVisible()

    def resolve(self) -> None:
        """Pick the household that the typed text names unambiguously, if any."""
        typed = vntext.clean(self.text())
        if self._chosen is not None or not typed:
            return
        rows = self.context.households.page(HouseholdFilter(search=typed), 0, _PICKER_LIMIT)
        same_code = [row for row in rows if row.code.upper() == typed.upper()]
        if len(same_code) == 1:
            self.set_household(same_code[0])
        elif len(rows) == 1:
            self.set_household(rows[0])

    def _search(self, typed: str) -> None:
        if self._chosen is not None:
            self._chosen = None
            self.household_changed.emit("")
        self._offers.clear()
        if not vntext.clean(typed):
            self._completer.popup().hide()
            return
        rows = self.context.households.page(HouseholdFilter(search=typed), 0, _PICKER_LIMIT)
        for row in rows:
            item = QStandardItem(household_label(row))
            item.setData(row, Qt.ItemDataRole.UserRole)
            item.setEditable(False)
            self._offers.appendRow(item)
        if rows:
            self._completer.complete()
        else:
            self._completer.popup().hide()

    def _picked(self, index: QModelIndex | QPersistentModelIndex) -> None:
        row = index.data(Qt.ItemDataRole.UserRole)
        if isinstance(row, HouseholdRow):
            self.set_household(row)


class PersonForm(QWidget):
    """The fields of one person, with messages beside them; saves through the service.

    Enter pressed in any field (that does not use Enter itself, like an open
    drop-down) calls :meth:`save`. Adding: after a save the form is blank for
    the next member of the same household, keeping the household and the
    ethnicity (members of a household usually share it). Editing: a save
    passes the revision that was loaded, so that a concurrent change is
    refused (``StaleRecord``) rather than overwritten.

    Args:
        context: The application context.
        person_id: The person to edit; ``None`` to add persons.
        household_id: The household new persons join (ignored when editing).
        parent: The Qt parent.

    Signals:
        record_saved(str): the saved person's id, after each successful save.
    """

    record_saved = Signal(str)

    def __init__(
        self,
        context: AppContext,
        person_id: str | None = None,
        household_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.person_id = person_id
        self._revision: int | None = None
        self._last_saved: PersonRow | None = None

        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)

        self.household = HouseholdPicker(context)
        self.full_name = QLineEdit()
        self.full_name.setMaxLength(100)
        self.relationship = editable_choice_box(vocabulary(label) for label in RELATIONSHIPS)
        self.relationship.lineEdit().setMaxLength(32)
        self.birth = QLineEdit()
        self.birth.setPlaceholderText(self.tr("ngày/tháng/năm hoặc năm, vd. 05/09/1987 hoặc 1987"))
        self.sex = ChoiceBox(
            [(code, vocabulary(label)) for code, label in SEXES.items()],
            placeholder=self.tr("Chọn Nam hoặc Nữ"),
        )
        self.ethnicity = ChoiceBox(ethnicity.choices())
        self.grade = integer_box(0, MAX_GRADE)
        self.literacy_stage = ChoiceBox(
            [(stage, f"{stage} – {vocabulary(label)}") for stage, label in LITERACY_STAGES.items()]
        )
        self.disabled = QCheckBox(self.tr("Có (không có khả năng học tập)"))
        self.residence = ChoiceBox(
            [(code, vocabulary(label)) for code, label in RESIDENCES.items()]
        )

        self.fields = FieldLayout()
        self.fields.add_field("household_id", self.tr("&Hộ gia đình"), self.household)
        self.fields.add_field("full_name", self.tr("Họ và &tên"), self.full_name)
        self.fields.add_field(
            "relationship_to_head", self.tr("&Quan hệ với chủ hộ"), self.relationship
        )
        self.fields.add_field("birth", self.tr("&Ngày sinh"), self.birth)
        self.fields.add_field("sex", self.tr("&Giới tính"), self.sex)
        self.fields.add_field("ethnicity_code", self.tr("&Dân tộc"), self.ethnicity)
        self.fields.add_field("grade", self.tr("&Lớp cao nhất đã học xong"), self.grade)
        self.fields.add_field(
            "literacy_stage", self.tr("Giai đoạn &XMC đã học xong"), self.literacy_stage
        )
        self.fields.add_field("disabled", self.tr("&Khuyết tật"), self.disabled)
        self.fields.add_field("residence", self.tr("&Cư trú"), self.residence)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(self.fields)
        self.fields.chain_tab_order()

        self.birth.editingFinished.connect(self._check_birth)
        self._clear_values()
        if person_id is not None:
            self._load(person_id)
        elif household_id:
            try:
                self.household.set_household(context.households.get(household_id))
            except NotFound as missing:
                self._show_banner(missing.message)

    # -- public -----------------------------------------------------------

    @property
    def is_new(self) -> bool:
        """Whether the form adds persons (rather than editing one)."""
        return self.person_id is None

    def first_field(self) -> QWidget:
        """Where typing starts: the name, or the household while none is chosen."""
        if self.is_new and not self.household.household_id():
            return self.household
        return self.full_name

    def last_saved(self) -> PersonRow | None:
        """The person saved last by this form."""
        return self._last_saved

    def save(self) -> bool:
        """Validate and save; on refusal show the messages and store nothing.

        Returns:
            Whether the person was saved.
        """
        self.fields.clear_issues()
        self._hide_banner()
        self.household.resolve()
        try:
            draft = self.draft()
            row = self.context.persons.save(draft, self.person_id, expected_revision=self._revision)
        except ValidationFailed as refused:
            leftover = self.fields.show_issues(refused)
            if leftover:
                self._show_banner("\n".join(leftover))
            return False
        except (StaleRecord, NotFound) as error:
            self._show_banner(error.message)
            return False
        self._last_saved = row
        if self.is_new:
            self.clear_for_next()
            self._show_banner(
                self.tr("Đã lưu {name}. Nhập người tiếp theo của hộ hoặc bấm Esc để đóng.").format(
                    name=row.full_name
                ),
                notice=True,
            )
        else:
            self._revision = row.revision
        self.record_saved.emit(row.id)
        return True

    def draft(self) -> PersonDraft:
        """The person as the fields now describe it.

        Raises:
            ValidationFailed: when the birth date cannot be read; the issues
                then include every other problem of the draft as well.
        """
        birth_date, birth_year, birth_issue = None, None, None
        if vntext.clean(self.birth.text()):
            try:
                birth_date, birth_year = parse_birth(self.birth.text())
            except ValueError as unreadable:
                birth_issue = FieldIssue("birth", str(unreadable))
        sex = self.sex.value()
        ethnicity_code = self.ethnicity.value()
        stage = self.literacy_stage.value()
        residence = self.residence.value()
        draft = PersonDraft(
            household_id=self.household.household_id(),
            full_name=self.full_name.text(),
            relationship_to_head=self.relationship.currentText(),
            birth_date=birth_date,
            birth_year=birth_year,
            sex=str(sex) if sex is not None else "",
            ethnicity_code=str(ethnicity_code) if ethnicity_code is not None else "",
            grade=self.grade.value(),
            literacy_stage=int(stage) if isinstance(stage, int) else -1,
            disabled=self.disabled.isChecked(),
            residence=str(residence) if residence is not None else "",
        )
        if birth_issue is not None:
            others = [i for i in self.context.persons.check(draft) if i.field != "birth"]
            raise ValidationFailed([birth_issue, *others])
        return draft

    def clear_for_next(self) -> None:
        """Blank the form for the next member, keeping household and ethnicity."""
        kept = self.ethnicity.value()
        self.fields.clear_issues()
        self._clear_values()
        self.ethnicity.set_value(kept or DEFAULT_ETHNICITY)
        self.full_name.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- Qt overrides -----------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Fields that have no use for Enter pass it up to here.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            event.accept()
            self.save()
            return
        super().keyPressEvent(event)

    # -- helpers ----------------------------------------------------------

    def _clear_values(self) -> None:
        self.full_name.clear()
        self.relationship.setCurrentIndex(-1)
        self.relationship.setEditText("")
        self.birth.clear()
        self.sex.set_value(None)
        self.ethnicity.set_value(DEFAULT_ETHNICITY)
        self.grade.setValue(0)
        self.literacy_stage.set_value(0)
        self.disabled.setChecked(False)
        self.residence.set_value("thuong_tru")

    def _load(self, person_id: str) -> None:
        try:
            row = self.context.persons.get(person_id)
            household = self.context.households.get(row.household_id)
        except NotFound as missing:
            self._show_banner(missing.message)
            for editor in self.fields.editors():
                editor.setEnabled(False)
            return
        self._revision = row.revision
        self.household.set_household(household)
        self.full_name.setText(row.full_name)
        self.relationship.setEditText(row.relationship_to_head)
        self.birth.setText(format_birth(row.birth_date, row.birth_year))
        self.sex.set_value(row.sex)
        self.ethnicity.set_value(row.ethnicity_code)
        self.grade.setValue(row.grade)
        self.literacy_stage.set_value(row.literacy_stage)
        self.disabled.setChecked(row.disabled)
        self.residence.set_value(row.residence)

    def _check_birth(self) -> None:
        # Say at once that a date cannot be read, not only at save time.
        typed = vntext.clean(self.birth.text())
        message = None
        if typed:
            try:
                parse_birth(typed)
            except ValueError as unreadable:
                message = str(unreadable)
        self.fields.set_message("birth", message)

    def _show_banner(self, text: str, *, notice: bool = False) -> None:
        colour = _NOTICE_COLOUR if notice else MESSAGE_COLOUR
        self.banner.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.banner.setText(text)
        self.banner.setVisible(True)

    def _hide_banner(self) -> None:
        self.banner.clear()
        self.banner.setVisible(False)


class PersonDialog(QDialog):
    """A dialog around :class:`PersonForm`, for adding or editing persons.

    Adding (``person_id`` is ``None``) keeps the dialog open after each save
    for the next member of the household; editing closes it after a save.
    Enter saves, Esc closes. Open it with ``open()`` (window-modal, does not
    block) and listen to :attr:`record_saved` to refresh lists.

    Args:
        context: The application context.
        person_id: The person to edit, or ``None`` to add.
        household_id: The household new persons join (e.g. the household
            selected in a list); the user can still change it.
        parent: The Qt parent.

    Signals:
        record_saved(str): the saved person's id, after each successful save.
    """

    record_saved = Signal(str)

    def __init__(
        self,
        context: AppContext,
        person_id: str | None = None,
        household_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.form = PersonForm(context, person_id, household_id, self)
        self.setWindowTitle(self.tr("Thêm người") if self.form.is_new else self.tr("Sửa người"))
        self.save_button = QPushButton(self.tr("Lưu (Enter)"))
        self.close_button = QPushButton(self.tr("Đóng (Esc)"))
        for button in (self.save_button, self.close_button):
            # Enter belongs to the form (save), whichever field has focus.
            button.setAutoDefault(False)
        self.save_button.clicked.connect(self.form.save)
        self.close_button.clicked.connect(self.reject)
        self.form.record_saved.connect(self._saved)
        # Who changed this person, when, from what: only a stored person has a history.
        self.history_button = QPushButton(self.tr("&Nhật ký thay đổi"))
        self.history_button.setAutoDefault(False)
        self.history_button.setVisible(not self.form.is_new)
        self.history_button.clicked.connect(lambda _checked=False: self.open_history())

        buttons = QHBoxLayout()
        buttons.addWidget(self.history_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addLayout(buttons)
        self.form.fields.chain_tab_order(
            [self.save_button, self.close_button]
            + ([self.history_button] if not self.form.is_new else [])
        )
        self.setMinimumWidth(560)
        self.form.first_field().setFocus(Qt.FocusReason.OtherFocusReason)

    def open_history(self) -> QDialog | None:
        """The person's audit history, in a dialog over this one (does not block)."""
        if self.form.person_id is None:
            return None
        from xhht_desktop.ui.audit_dialog import AuditHistoryDialog

        dialog = AuditHistoryDialog(self.form.context, self.form.person_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _saved(self, person_id: str) -> None:
        self.record_saved.emit(person_id)
        if not self.form.is_new:
            self.accept()
