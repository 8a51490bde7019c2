"""The record dialog: adds records one after another, or changes one.

The clan and unit forms share it: a status line, the fields with a message
beside each (:class:`~xhht_desktop.ui.forms.field_row.FieldLayout`), Save and
Close. Enter saves. After an addition the form clears for the next record
and says what was added; after a change the dialog closes. Esc closes
without saving. A form declares its fields, how a record fills them, the
draft they make, and the service call that stores it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from xhht_desktop.errors import NotFound, StaleRecord, ValidationFailed, XhhtError
from xhht_desktop.ui.forms.field_row import MESSAGE_COLOUR, FieldLayout

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext

#: Colour of a status that reports success.
DONE_COLOUR = "#1b5e20"


class StoredRecord(Protocol):
    """What the services hand back for a saved record."""

    @property
    def id(self) -> str: ...

    @property
    def revision(self) -> int: ...


Row = TypeVar("Row", bound=StoredRecord)


def _tr(text: str) -> str:
    return QCoreApplication.translate("RecordDialog", text)


class RecordDialog(QDialog, Generic[Row]):
    """The frame of a record form; subclasses fill in the hooks.

    The constructor calls :meth:`build_fields` (add editors to
    :attr:`fields`), :meth:`extra_widget` (shown under the fields), then
    loads the record (:meth:`fetch`, :meth:`show_record`) or starts a new one.

    Attributes:
        record_id: The record on screen; ``None`` while adding.
        fields: The form's fields, each with its message.
        status: A line above the fields: what was saved, or why not.

    Signals:
        record_saved(str): the id of the record just saved.
    """

    record_saved = Signal(str)

    def __init__(
        self, context: AppContext, record_id: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.record_id: str | None = None
        self._revision: int | None = None

        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.status.hide()
        self.fields = FieldLayout()
        self.build_fields()

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(_tr("Lưu"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = buttons.addButton(_tr("Đóng"), QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(lambda: self.save())
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(self.fields)
        extra = self.extra_widget()
        if extra is not None:
            layout.addWidget(extra, 1)
        else:
            layout.addStretch(1)
        layout.addWidget(buttons)
        # Only once the button is inside the dialog does the dialog remember it
        # as its main default, to which Enter returns after a focused button.
        self.save_button.setDefault(True)
        self.fields.chain_tab_order([*self.tab_order_after_fields(), self.save_button])

        if record_id is None:
            self.setWindowTitle(self.titles()[0])
        else:
            self.setWindowTitle(self.titles()[1])
            self.load(record_id)
        self.first_editor().setFocus()

    # -- hooks --------------------------------------------------------------

    def build_fields(self) -> None:
        """Create the editors and add them to :attr:`fields`, in Tab order."""
        raise NotImplementedError

    def extra_widget(self) -> QWidget | None:
        """A widget under the fields (e.g. a checklist); ``None`` for none."""
        return None

    def tab_order_after_fields(self) -> list[QWidget]:
        """Widgets that Tab visits after the fields, before Save."""
        return []

    def titles(self) -> tuple[str, str]:
        """Window titles while adding and while changing."""
        raise NotImplementedError

    def fetch(self, record_id: str) -> Row:
        """The stored record (raises ``NotFound`` when it is gone)."""
        raise NotImplementedError

    def show_record(self, row: Row) -> None:
        """Fill the editors from ``row``."""
        raise NotImplementedError

    def store(self) -> Row:
        """Save what the form holds through the service; return the stored record."""
        raise NotImplementedError

    def clear_for_next(self) -> None:
        """Empty the editors for the next record (keeping what usually repeats)."""
        raise NotImplementedError

    def added_text(self, row: Row) -> str:
        """What the status says after ``row`` was added."""
        raise NotImplementedError

    def first_editor(self) -> QWidget:
        """Where the keyboard starts, and returns after an addition."""
        return self.fields.editors()[0]

    # -- behaviour ------------------------------------------------------------

    def load(self, record_id: str) -> None:
        """Show a stored record; say so when it is gone."""
        try:
            row = self.fetch(record_id)
        except NotFound as error:
            self.show_status(error.message)
            self.save_button.setEnabled(False)
            return
        self.record_id = row.id
        self._revision = row.revision
        self.show_record(row)

    def save(self) -> bool:
        """Save the form; show the problems beside their fields if refused.

        Returns:
            Whether the record was stored.
        """
        self.fields.clear_issues()
        self.status.hide()
        adding = self.record_id is None
        try:
            saved = self.store()
        except ValidationFailed as error:
            leftover = self.fields.show_issues(error)
            if leftover:
                self.show_status("\n".join(leftover))
            self.make_room()
            return False
        except (NotFound, StaleRecord) as error:
            self.show_status(error.message)
            return False
        except XhhtError as error:
            # A full disk, a read-only copy…: the message says what to do, and
            # the form keeps what was typed so that nothing is typed twice.
            self.show_status(error.message)
            return False
        self.record_saved.emit(saved.id)
        if not adding:
            self.accept()
            return True
        self.record_id = None
        self._revision = None
        self.clear_for_next()
        self.first_editor().setFocus(Qt.FocusReason.OtherFocusReason)
        self.show_status(self.added_text(saved), error=False)
        return True

    def show_status(self, text: str, *, error: bool = True) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {MESSAGE_COLOUR if error else DONE_COLOUR};")
        self.status.show()
        self.make_room()

    def make_room(self) -> None:
        """Grow the window so that every message shown has all its lines.

        Qt keeps a window at least as tall as its layout's minimum, which
        counts a wrapped message as one line; the height the messages need
        at the window's width is asked for here.
        """
        layout = self.layout()
        if layout is None:
            return
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)
