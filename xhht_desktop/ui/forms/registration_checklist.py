"""Registering a village's subjects for a learning model from a checklist.

At the start of the year the village head brings the list of households
that sign up for "Gia đình học tập" (or the clans, villages, units that
sign up for theirs). The checklist shows every subject of the model in the
chosen village: those registered already are ticked and cannot be unticked
here, the others are ticked with Space (Ctrl+A ticks them all), and Enter
registers the ticked ones in one transaction
(:meth:`~xhht_desktop.services.learning_models.LearningModelService.register`).

The helpers at the top say how a subject and the default dates of the cycle
read; the evaluation and recognition dialogs use them too.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.core.models_cycle import learning_model, status_label
from xhht_desktop.errors import ValidationFailed, XhhtError
from xhht_desktop.forms import InvalidValue
from xhht_desktop.forms.fieldtypes import DateType
from xhht_desktop.store.model_queries import EntryFilter
from xhht_desktop.ui import style
from xhht_desktop.ui.forms.field_row import MESSAGE_COLOUR, FieldLayout, date_edit
from xhht_desktop.ui.forms.household_form import VillageChoiceBox

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext
    from xhht_desktop.services.learning_models import BulkResult
    from xhht_desktop.store.model_queries import EntryRow, SubjectRow

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_DATES = DateType()


def subject_label(subject: SubjectRow) -> str:
    """How a subject reads in a list: "H001 – Nguyễn Văn An" for a household, else its name."""
    if subject.code:
        return f"{subject.code} – {subject.name}"
    return subject.name


def status_text(row: EntryRow) -> str:
    """Where the subject stands this year, in one word (translated core label)."""
    return QCoreApplication.translate("models_cycle", status_label(row.state))


def format_date(value: date | None) -> str:
    return _DATES.format(value)


def parse_date(text: str) -> date | None:
    """A date typed as officials write it ("05/09/2026"), ``None`` when empty.

    Raises:
        InvalidValue: with the engine's Vietnamese message.
    """
    value = _DATES.parse(text)
    return value if isinstance(value, date) else None


def default_date(today: date, first_year: int, last_year: int) -> date:
    """Today when it falls in the years a step of the cycle allows, else the nearest day.

    Entering last year's registrations in January gives 31/12 of that year,
    not a date the rules would refuse.
    """
    if today.year > last_year:
        return date(last_year, 12, 31)
    if today.year < first_year:
        return date(first_year, 1, 1)
    return today


def model_title(model: str) -> str:
    """The model's name ("Gia đình học tập"), translated."""
    return QCoreApplication.translate("models_cycle", learning_model(model).label)


def subject_kind(model: str) -> str:
    """What one subject of the model is ("Hộ gia đình", "Dòng họ"…), translated."""
    return QCoreApplication.translate("models_cycle", learning_model(model).subject_label)


class _Checklist(QListWidget):
    """Check boxes that Space ticks and Ctrl+A ticks all (registered ones stay ticked)."""

    ticks_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.itemChanged.connect(lambda _item: self.ticks_changed.emit())

    def tick_all(self) -> None:
        self.blockSignals(True)
        try:
            for number in range(self.count()):
                item = self.item(number)
                if item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                    item.setCheckState(Qt.CheckState.Checked)
        finally:
            self.blockSignals(False)
        self.viewport().update()
        self.ticks_changed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.SelectAll):
            self.tick_all()
            event.accept()
            return
        if event.key() == Qt.Key.Key_Space and not event.modifiers():
            item = self.currentItem()
            if item is not None and item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                ticked = item.checkState() == Qt.CheckState.Checked
                item.setCheckState(Qt.CheckState.Unchecked if ticked else Qt.CheckState.Checked)
            event.accept()
            return
        super().keyPressEvent(event)


class RegistrationChecklist(QDialog):
    """The subjects of one village, ticked to register them for the year.

    Keyboard: the list has the focus; arrows move, Space ticks, Ctrl+A ticks
    every subject, Enter registers the ticked ones, Esc closes. Alt+T goes to
    the village, Alt+N to the registration date.

    Args:
        context: The application context.
        model: The model code (``gdht``, ``dhht``, ``cdht``, ``dvht``).
        year: The programme year.
        village_id: The village to start with (``None``: every village).
        parent: The Qt parent.
        today: The day of entry (tests fix it); dates may not be later.

    Signals:
        registered: the :class:`BulkResult` of a registration that was stored.
    """

    registered = Signal(object)

    def __init__(
        self,
        context: AppContext,
        model: str,
        year: int,
        village_id: str | None = None,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.model = model
        self.year = year
        self.today = today or date.today()
        self.rows: list[EntryRow] = []
        subject = learning_model(model).subject
        self.setWindowTitle(self.tr("Đăng ký theo danh sách"))

        title = QLabel(
            self.tr("Đăng ký danh hiệu «{model}» năm {year}").format(
                model=model_title(model), year=year
            )
        )
        title.setStyleSheet(style.PAGE_TITLE)
        title.setWordWrap(True)

        self.village = VillageChoiceBox()
        self.village.set_villages(
            context.villages.list(), first=("", self.tr("Tất cả thôn/tổ dân phố"))
        )
        self.village.set_value(village_id or "")
        self.registered_on = date_edit()
        self.registered_on.setText(format_date(default_date(self.today, year - 1, year)))
        self.fields = FieldLayout()
        if subject != "clan":
            self.fields.add_field("village_id", self.tr("&Thôn/tổ dân phố"), self.village)
        else:
            # A clan lives across villages: its list is the whole commune's.
            self.village.setParent(self)
            self.village.hide()
        self.fields.add_field("registered_on", self.tr("&Ngày đăng ký"), self.registered_on)

        self.checklist = _Checklist()
        self.checklist.setAccessibleName(self.tr("Danh sách đăng ký"))
        self.summary = QLabel()
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {MESSAGE_COLOUR};")
        self.message.hide()
        hint = QLabel(
            self.tr(
                "Dấu cách: đánh dấu/bỏ đánh dấu · Ctrl+A: đánh dấu tất cả · "
                "Enter: đăng ký các dòng đã đánh dấu · Esc: đóng"
            )
        )
        hint.setStyleSheet("color: #555555;")
        hint.setWordWrap(True)

        self.register_button = QPushButton(self.tr("Đăng ký (Enter)"))
        self.close_button = QPushButton(self.tr("Đóng"))
        for button in (self.register_button, self.close_button):
            button.setAutoDefault(False)
        self.register_button.clicked.connect(lambda: self.register())
        self.close_button.clicked.connect(self.reject)

        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.register_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(self.fields)
        layout.addWidget(self.checklist, 1)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        QWidget.setTabOrder(self.checklist, self.village)
        QWidget.setTabOrder(self.village, self.registered_on)
        QWidget.setTabOrder(self.registered_on, self.register_button)
        QWidget.setTabOrder(self.register_button, self.close_button)
        self.village.currentIndexChanged.connect(lambda _index: self.load())
        self.checklist.ticks_changed.connect(self._show_summary)
        self.resize(620, 560)
        self.load()
        self.checklist.setFocus()

    # -- the list ------------------------------------------------------

    def village_id(self) -> str | None:
        if self.village.isHidden():
            return None
        return self.village.value() or None

    def load(self) -> None:
        """Read the subjects of the chosen village and their registrations."""
        flt = EntryFilter(village_id=self.village_id())
        self.rows = self.context.learning_models.entries(self.model, self.year, flt)
        many_villages = self.village_id() is None
        self.checklist.blockSignals(True)
        try:
            self.checklist.clear()
            for row in self.rows:
                text = subject_label(row.subject)
                if many_villages and row.subject.village_name:
                    text += f" ({row.subject.village_name})"
                item = QListWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row.subject.id)
                if row.registered_on is not None:
                    # Withdrawing a registration is a separate, rarer act.
                    item.setFlags(Qt.ItemFlag.NoItemFlags)
                    item.setCheckState(Qt.CheckState.Checked)
                    item.setToolTip(
                        self.tr("Đã đăng ký ngày {day}").format(day=format_date(row.registered_on))
                    )
                else:
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                    item.setCheckState(Qt.CheckState.Unchecked)
                self.checklist.addItem(item)
        finally:
            self.checklist.blockSignals(False)
        first = next(
            (n for n in range(self.checklist.count()) if self.checklist.item(n).flags()), None
        )
        if first is not None:
            self.checklist.setCurrentRow(first)
        self._show_summary()

    def ticked_ids(self) -> list[str]:
        """The subjects ticked now that are not registered yet."""
        return [
            self.checklist.item(n).data(Qt.ItemDataRole.UserRole)
            for n in range(self.checklist.count())
            if self.checklist.item(n).flags() & Qt.ItemFlag.ItemIsUserCheckable
            and self.checklist.item(n).checkState() == Qt.CheckState.Checked
        ]

    def _show_summary(self) -> None:
        already = sum(1 for row in self.rows if row.registered_on is not None)
        self.summary.setText(
            self.tr("Đã đăng ký {done}/{all}; đánh dấu thêm {ticked}.").format(
                done=already, all=len(self.rows), ticked=len(self.ticked_ids())
            )
        )
        self.register_button.setEnabled(bool(self.ticked_ids()))

    # -- registering ---------------------------------------------------

    def register(self) -> BulkResult | None:
        """Register the ticked subjects in one transaction; the dialog closes when stored."""
        self.message.hide()
        self.fields.clear_issues()
        ticked = self.ticked_ids()
        if not ticked:
            self._say(
                self.tr("Chưa đánh dấu ai: dùng dấu cách để đánh dấu, Ctrl+A để chọn tất cả.")
            )
            return None
        try:
            registered_on = parse_date(self.registered_on.text())
        except InvalidValue as bad:
            self.fields.set_message("registered_on", bad.message)
            self.registered_on.setFocus()
            return None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = self.context.learning_models.register(
                self.model, self.year, ticked, registered_on, today=self.today
            )
        except ValidationFailed as refused:
            QApplication.restoreOverrideCursor()
            leftover = self.fields.show_issues(refused)
            if leftover:
                self._say("\n".join(leftover))
            return None
        except XhhtError as error:
            QApplication.restoreOverrideCursor()
            self._say(error.message)
            return None
        QApplication.restoreOverrideCursor()
        self.registered.emit(result)
        self.accept()
        return result

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in ENTER_KEYS:
            focused = QApplication.focusWidget()
            if isinstance(focused, QPushButton):
                if focused.isEnabled():
                    focused.click()
            else:
                self.register()
            event.accept()
            return
        super().keyPressEvent(event)
