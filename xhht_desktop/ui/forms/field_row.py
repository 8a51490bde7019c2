"""Form building blocks: a label, an editor and a message beside each field.

Every record form lays its fields out with :class:`FieldLayout`, so that a
refused save (:class:`~xhht_desktop.errors.ValidationFailed`) shows each
message in red right under the field it is about, with the same look
everywhere. Editors for field kinds come from one table, :data:`WIDGETS`
(after Tryton's), and :class:`ChoiceBox` is the drop-down that finds an item
from what the user types, diacritics optional.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import pairwise

from PySide6.QtCore import QCoreApplication, QElapsedTimer, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.core import text as vntext
from xhht_desktop.errors import ValidationFailed

#: The colour of messages beside fields; dark enough to read on white (WCAG AA).
MESSAGE_COLOUR = "#c62828"

# Typed letters within this many milliseconds extend the same search.
_TYPE_AHEAD_MS = 1000


def vocabulary(label: str) -> str:
    """A label of a register vocabulary (``SEXES``, ``RESIDENCES``…), translated.

    The vocabularies are Vietnamese data in ``core.registers``; routing them
    through Qt's translation lets another UI language rename them.
    """
    return QCoreApplication.translate("registers", label)


def _folded(text: str) -> str:
    return vntext.fold(text).replace(" ", "").replace("-", "")


class ChoiceBox(QComboBox):
    """A drop-down of ``(value, label)`` choices that finds items as one types.

    Typing on the closed box selects the first item whose label, or any part
    of it after a dash ("08 – Mông"), starts with the letters typed so far,
    ignoring case, diacritics and spaces: "nu" finds "Nữ", "mong" finds
    "08 – Mông", "08" finds it too. The item's value is kept in ``UserRole``.

    Args:
        choices: ``(value, label)`` pairs in display order.
        placeholder: Shown while nothing is chosen (``value()`` is ``None``).
        parent: The Qt parent.
    """

    def __init__(
        self,
        choices: Iterable[tuple[object, str]] = (),
        placeholder: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._typed = ""
        self._since = QElapsedTimer()
        if placeholder:
            self.setPlaceholderText(placeholder)
        self.set_choices(choices)

    def set_choices(self, choices: Iterable[tuple[object, str]]) -> None:
        """Replace the items, keeping the chosen value when it is still offered.

        Otherwise nothing is chosen when the box has a placeholder (the user
        must choose), else the first item is.
        """
        current = self.value()
        # Restore the caller's blocking afterwards: a caller that blocked the
        # signals must not get the choice below announced.
        blocked = self.blockSignals(True)
        try:
            self.clear()
            for value, label in choices:
                self.addItem(label, value)
        finally:
            self.blockSignals(blocked)
        kept = self.findData(current) if current is not None else -1
        if kept >= 0:
            self.setCurrentIndex(kept)
        elif self.placeholderText() or not self.count():
            self.setCurrentIndex(-1)
        else:
            self.setCurrentIndex(0)

    def value(self) -> object | None:
        """The chosen item's value, or ``None`` when nothing is chosen."""
        return self.currentData() if self.currentIndex() >= 0 else None

    def set_value(self, value: object | None) -> None:
        """Choose the item whose value is ``value`` (nothing, when none has it)."""
        self.setCurrentIndex(self.findData(value) if value is not None else -1)

    def find_typed(self, typed: str) -> int:
        """The first item that ``typed`` selects, or -1."""
        wanted = _folded(typed)
        if not wanted:
            return -1
        for number in range(self.count()):
            label = self.itemText(number)
            parts = [label, *label.split("–")[1:], *label.split(" - ")[1:]]
            if any(_folded(part).startswith(wanted) for part in parts):
                return number
        return -1

    def keyPressEvent(self, event: QKeyEvent) -> None:
        typed = event.text()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
        printable = bool(typed) and typed.isprintable() and not typed.isspace()
        continuing = typed == " " and bool(self._typed)
        if modifiers == Qt.KeyboardModifier.NoModifier and (printable or continuing):
            if not self._since.isValid() or self._since.elapsed() > _TYPE_AHEAD_MS:
                self._typed = ""
            self._since.restart()
            found = self.find_typed(self._typed + typed)
            if found < 0:
                # A fresh start: the user may be typing another item's name.
                found = self.find_typed(typed)
                self._typed = typed if found >= 0 else ""
            else:
                self._typed += typed
            if found >= 0:
                self.setCurrentIndex(found)
            event.accept()
            return
        super().keyPressEvent(event)


class SearchBox(QLineEdit):
    """A search line over a list: Down or Enter goes on to the list.

    Enter is kept here rather than passed on, so that in a dialog it does not
    press the default button while the user is still looking for a record.

    Signals:
        down_pressed: Down was pressed (the list should take the focus).
    """

    down_pressed = Signal()

    def __init__(self, placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setClearButtonEnabled(True)
        if placeholder:
            self.setPlaceholderText(placeholder)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            self.down_pressed.emit()
            event.accept()
            return
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # QLineEdit emits returnPressed, then lets the event go on.
            event.accept()


def integer_box(minimum: int = 0, maximum: int = 99) -> QSpinBox:
    """A spin box for whole numbers; values outside the range cannot be typed."""
    spin = QSpinBox()
    spin.setRange(minimum, maximum)
    # Officials type the number; a wheel scroll over a form must not change it.
    spin.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return spin


def editable_choice_box(items: Iterable[str] = ()) -> QComboBox:
    """A combo box that offers ``items`` but accepts any typed text."""
    combo = QComboBox()
    combo.setEditable(True)
    # Enter must save the record, not grow the list with what was typed.
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItems(list(items))
    return combo


def number_edit() -> QLineEdit:
    """A line edit for a number that may be left empty ("no data" is not 0).

    The text is read by the field's type, which accepts "7,5" and "1.250";
    right alignment lines the digits up in a column of figures.
    """
    edit = QLineEdit()
    edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    edit.setMaximumWidth(160)
    return edit


def date_edit() -> QLineEdit:
    """A line edit for a date typed as officials write it (05/09/2026), or nothing."""
    edit = QLineEdit()
    edit.setPlaceholderText(QCoreApplication.translate("field_row", "ngày/tháng/năm"))
    edit.setMaximumWidth(160)
    return edit


class ScoreEdit(QWidget):
    """Points typed in a short line edit, with the maximum beside it: "7,5 /10".

    The widget passes its focus to :attr:`line_edit`, so Tab and a label's
    buddy land in the text.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line_edit = QLineEdit()
        self.line_edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.line_edit.setMaximumWidth(72)
        self.maximum = QLabel()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.line_edit)
        row.addWidget(self.maximum)
        row.addStretch(1)
        self.setFocusProxy(self.line_edit)

    def set_maximum(self, maximum: str) -> None:
        """Show the maximum (already formatted, e.g. "7,5") after a slash."""
        self.maximum.setText(f"/{maximum}")


class MultiChoiceList(QListWidget):
    """A list of check boxes: one Tab stop, arrows move, Space ticks.

    The list is as tall as its items, so that nothing scrolls out of sight.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def set_choices(self, choices: Iterable[tuple[str, str]]) -> None:
        """Offer ``(value, label)`` choices, none ticked."""
        self.clear()
        for value, label in choices:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(item)
        if self.count():
            self.setCurrentRow(0)
        rows = sum(self.sizeHintForRow(i) for i in range(self.count()))
        self.setFixedHeight(max(rows, 20) + 2 * self.frameWidth())

    def value(self) -> tuple[str, ...]:
        """The ticked values, in the order offered."""
        return tuple(
            self.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.count())
            if self.item(i).checkState() == Qt.CheckState.Checked
        )

    def set_value(self, values: Iterable[str]) -> None:
        """Tick exactly ``values``."""
        wanted = set(values)
        for i in range(self.count()):
            item = self.item(i)
            ticked = item.data(Qt.ItemDataRole.UserRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)


#: Field kind → editor factory; one table so that every form edits a kind alike.
WIDGETS: dict[str, Callable[[], QWidget]] = {
    "text": QLineEdit,
    "integer": integer_box,
    "boolean": QCheckBox,
    "choice": ChoiceBox,
    "editable_choice": editable_choice_box,
    # Kinds of the definitions in forms/ (ui/forms/definition_form.py): numbers and
    # dates may stay empty, a yes/no may stay unanswered, a reference is chosen
    # from the records the caller lists.
    "number": number_edit,
    "date": date_edit,
    "score": ScoreEdit,
    "multi_choice": MultiChoiceList,
    "yes_no": ChoiceBox,
    "reference": ChoiceBox,
}


def make_editor(kind: str) -> QWidget:
    """A new editor for a field of ``kind`` (a key of :data:`WIDGETS`).

    Raises:
        KeyError: for an unknown kind.
    """
    return WIDGETS[kind]()


@dataclass
class FieldRow:
    """The widgets of one field.

    Attributes:
        field_id: The id the services use in :class:`~xhht_desktop.errors.FieldIssue`.
        label: The field's label (its buddy is the editor, so Alt+letter works).
        editor: The editing widget.
        message: The red message under the editor, hidden while empty.
    """

    field_id: str
    label: QLabel
    editor: QWidget
    message: QLabel

    def show_message(self, text: str | None) -> None:
        """Show ``text`` under the editor, or hide the message when empty."""
        self.message.setText(text or "")
        self.message.setVisible(bool(text))
        self.editor.setToolTip(text or "")


class FieldLayout(QFormLayout):
    """A form layout whose rows carry a message under each editor.

    Example::

        fields = FieldLayout(form)
        name = fields.add_field("full_name", form.tr("Họ và tên"), QLineEdit())
        ...
        try:
            context.persons.save(draft)
        except ValidationFailed as refused:
            leftover = fields.show_issues(refused)  # messages of other fields

    Args:
        parent: The widget the layout is installed on.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._rows: dict[str, FieldRow] = {}

    def add_field(self, field_id: str, label: str, editor: QWidget) -> FieldRow:
        """Add a row: ``label`` on the left, ``editor`` and its message on the right.

        Args:
            field_id: The field id the services use in their issues.
            label: The translated label text (may hold an ``&`` mnemonic).
            editor: The editor widget; the layout takes ownership.
        """
        if field_id in self._rows:
            raise ValueError(f"field {field_id!r} is already in this form")
        label_widget = QLabel(label)
        label_widget.setBuddy(editor)
        message = QLabel()
        message.setObjectName(f"{field_id}_message")
        message.setWordWrap(True)
        message.setStyleSheet(f"color: {MESSAGE_COLOUR};")
        message.setVisible(False)
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(editor)
        column.addWidget(message)
        editor.setObjectName(editor.objectName() or field_id)
        self.addRow(label_widget, cell)
        row = FieldRow(field_id, label_widget, editor, message)
        self._rows[field_id] = row
        return row

    def row(self, field_id: str) -> FieldRow:
        """The row of ``field_id``."""
        return self._rows[field_id]

    def editors(self) -> list[QWidget]:
        """The editors in the order they were added (the Tab order)."""
        return [row.editor for row in self._rows.values()]

    def message(self, field_id: str) -> str:
        """The message now shown beside ``field_id`` (``""`` when none)."""
        row = self._rows[field_id]
        return row.message.text() if not row.message.isHidden() else ""

    def set_message(self, field_id: str, text: str | None) -> None:
        """Show (or with ``None`` clear) the message of one field."""
        self._rows[field_id].show_message(text)

    def show_issues(self, refused: ValidationFailed) -> list[str]:
        """Show each issue beside its field and move focus to the first one.

        Messages of fields that were valid before are cleared.

        Returns:
            The messages about fields that this layout does not hold, so that
            the form can show them elsewhere (e.g. in a banner).
        """
        first: QWidget | None = None
        for field_id, row in self._rows.items():
            text = refused.for_field(field_id)
            row.show_message(text)
            if text and first is None:
                first = row.editor
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        return [issue.message for issue in refused.issues if issue.field not in self._rows]

    def clear_issues(self) -> None:
        """Hide every message."""
        for row in self._rows.values():
            row.show_message(None)

    def chain_tab_order(self, after: Iterable[QWidget] = ()) -> None:
        """Make Tab visit the editors in order, then the widgets of ``after``."""
        chain = [*self.editors(), *after]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
