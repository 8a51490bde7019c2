"""Scoring subjects against the model's criteria set: one at a time, or a village in a grid.

:class:`EvaluationDialog` shows the current criteria set of the model with
:class:`~xhht_desktop.ui.forms.definition_form.DefinitionForm` (each
criterion with its maximum, the live total and verdict of
:func:`xhht_desktop.forms.score`), a note beside each scored line, and the
set's id and version; Enter on the last score saves through
:meth:`~xhht_desktop.services.learning_models.LearningModelService.evaluate`.

:class:`QuickScoreDialog` puts the registered subjects of a village in a
:class:`~xhht_desktop.ui.forms.score_grid.ScoreGrid` and saves the rows
typed in with ``evaluate_many``: all or nothing, every problem listed by row.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.core.models_cycle import evaluation_blocker, learning_model
from xhht_desktop.errors import FieldIssue, ValidationFailed, XhhtError
from xhht_desktop.forms import Definition, InvalidValue
from xhht_desktop.services.learning_models import Evaluation, stored_scores
from xhht_desktop.store.model_queries import EntryFilter
from xhht_desktop.ui import style
from xhht_desktop.ui.forms.definition_form import HELP_COLOUR, DefinitionForm, line_numbers
from xhht_desktop.ui.forms.field_row import MESSAGE_COLOUR, FieldLayout, ScoreEdit, date_edit
from xhht_desktop.ui.forms.household_form import VillageChoiceBox
from xhht_desktop.ui.forms.registration_checklist import (
    ENTER_KEYS,
    default_date,
    format_date,
    model_title,
    parse_date,
    subject_label,
)
from xhht_desktop.ui.forms.score_grid import ScoreGrid

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext
    from xhht_desktop.services.learning_models import BulkResult
    from xhht_desktop.store.model_queries import EntryRow

#: Longest note the service keeps per scored line.
NOTE_LENGTH = 500


def criteria_caption(definition: Definition) -> str:
    """The set's id and version, as a record keeps them: "gdht-448, phiên bản 1"."""
    text = QCoreApplication.translate("EvaluationDialog", "Bộ tiêu chí {id}, phiên bản {version}")
    return text.format(id=definition.id, version=definition.version)


def _stored_notes(text: str) -> dict[str, str]:
    if not text:
        return {}
    raw = json.loads(text)
    return {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}


def _plain_enter(event: QEvent) -> bool:
    return (
        isinstance(event, QKeyEvent)
        and event.type() == QEvent.Type.KeyPress
        and event.key() in ENTER_KEYS
        and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    )


class EvaluationDialog(QDialog):
    """Scores one subject by the model's current criteria set.

    Keyboard: the date, the general note, then each score; Enter goes on to
    the next score (Tab visits the note beside it first) and, on the last
    one, saves when every score is valid. Ctrl+S saves from anywhere, Esc
    closes without saving.

    Args:
        context: The application context.
        model: The model code.
        year: The programme year.
        subject_id: The household, clan, village or unit scored.
        parent: The Qt parent.
        today: The day of entry (tests fix it).

    Signals:
        evaluation_saved: the subject's id, once its evaluation is stored.
    """

    evaluation_saved = Signal(str)

    def __init__(
        self,
        context: AppContext,
        model: str,
        year: int,
        subject_id: str,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.model = model
        self.year = year
        self.subject_id = subject_id
        self.today = today or date.today()
        service = context.learning_models
        self.definition = service.criteria(model)
        self.entry: EntryRow = service.entry(model, year, subject_id)
        self.setWindowTitle(self.tr("Chấm điểm"))

        heading = QLabel(
            self.tr("Chấm điểm «{model}» năm {year}").format(model=model_title(model), year=year)
        )
        heading.setStyleSheet(style.PAGE_TITLE)
        subject = self.entry.subject
        where = f" · {subject.village_name}" if subject.village_name else ""
        self.subject_caption = QLabel(f"{subject_label(subject)}{where}")
        bold = self.subject_caption.font()
        bold.setBold(True)
        self.subject_caption.setFont(bold)
        self.criteria_caption = QLabel(criteria_caption(self.definition))
        self.criteria_caption.setObjectName("criteria")
        self.criteria_caption.setStyleSheet(f"color: {HELP_COLOUR};")
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {MESSAGE_COLOUR}; font-weight: bold;")
        self.message.hide()

        self.evaluated_on = date_edit()
        self.note = QLineEdit()
        self.note.setMaxLength(NOTE_LENGTH)
        self.note.setPlaceholderText(self.tr("Nhận xét chung (không bắt buộc)"))
        self.fields = FieldLayout()
        self.fields.add_field("evaluated_on", self.tr("&Ngày đánh giá"), self.evaluated_on)
        self.fields.add_field("note", self.tr("Nhận &xét"), self.note)

        self.form = DefinitionForm(self.definition)
        self.notes: dict[str, QLineEdit] = {}
        self._add_notes()

        self.save_button = QPushButton(self.tr("Lưu (Ctrl+S)"))
        self.close_button = QPushButton(self.tr("Đóng"))
        for button in (self.save_button, self.close_button):
            button.setAutoDefault(False)
        self.save_button.clicked.connect(lambda: self.save())
        self.close_button.clicked.connect(self.reject)

        top = QVBoxLayout()
        top.addWidget(heading)
        top.addWidget(self.subject_caption)
        top.addWidget(self.criteria_caption)
        top.addWidget(self.notice)
        top.addLayout(self.fields)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.form, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self._chain()
        self.form.submitted.connect(lambda _values: self.save())
        save = QShortcut(QKeySequence.StandardKey.Save, self)
        save.activated.connect(lambda: self.save())
        for edit in (self.evaluated_on, self.note, *self.notes.values()):
            edit.installEventFilter(self)
        self._load()
        self.resize(900, 720)
        self.evaluated_on.setFocus()
        self.evaluated_on.selectAll()

    # -- building ------------------------------------------------------

    def _add_notes(self) -> None:
        for field in self.definition.scored_fields:
            note = QLineEdit()
            note.setObjectName(f"{field.id}_note")
            note.setMaxLength(NOTE_LENGTH)
            note.setPlaceholderText(self.tr("Ghi chú"))
            note.setAccessibleName(self.tr("Ghi chú: {line}").format(line=field.label))
            row = self.form.row(field.id)
            inner = row.editor.layout() if isinstance(row.editor, ScoreEdit) else None
            if isinstance(inner, QBoxLayout):
                # Beside the points: "7,5 /10  [ghi chú…]", one line per indicator.
                inner.insertWidget(2, note, 3)
            else:
                cell = row.message.parentWidget().layout()
                assert isinstance(cell, QBoxLayout)
                cell.insertWidget(1, note)
            self.notes[field.id] = note

    def _chain(self) -> None:
        chain: list[QWidget] = [self.evaluated_on, self.note]
        for field in self.definition.fields:
            chain.append(self.form.editor(field.id))
            if field.id in self.notes:
                chain.append(self.notes[field.id])
        chain += [self.save_button, self.close_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _load(self) -> None:
        entry = self.entry
        first, last = self.year, self.year + 1
        self.evaluated_on.setText(
            format_date(entry.evaluated_on or default_date(self.today, first, last))
        )
        self.note.setText(entry.evaluation_note)
        notices: list[str] = []
        if entry.registered_on is None:
            notices.append(
                self.tr(
                    "Chưa đăng ký năm {year}: vẫn chấm điểm được, nhưng muốn công nhận thì "
                    "phải đăng ký trước."
                ).format(year=self.year)
            )
        if entry.criteria_id is not None:
            if entry.criteria_id == self.definition.id:
                self.form.set_values(stored_scores(entry.scores))
                for line_id, text in _stored_notes(entry.score_notes).items():
                    if line_id in self.notes:
                        self.notes[line_id].setText(text)
            else:
                notices.append(
                    self.tr(
                        "Lần đánh giá trước dùng bộ tiêu chí {old}, phiên bản {version}; "
                        "lưu lại sẽ chấm theo bộ hiện hành."
                    ).format(old=entry.criteria_id, version=entry.criteria_version)
                )
        blocker = evaluation_blocker(entry.state)
        if blocker:
            notices.append(self.tr("Không chấm lại được: {why}.").format(why=blocker))
            self.save_button.setEnabled(False)
        self.notice.setText("\n".join(notices))
        self.notice.setVisible(bool(notices))

    # -- values ----------------------------------------------------------

    def note_values(self) -> dict[str, str]:
        return {line_id: edit.text() for line_id, edit in self.notes.items() if edit.text().strip()}

    def save(self) -> bool:
        """Store the evaluation; the dialog closes when it is stored.

        Returns:
            Whether it was stored.
        """
        self.message.hide()
        self.fields.clear_issues()
        try:
            evaluated_on = parse_date(self.evaluated_on.text())
        except InvalidValue as bad:
            self.fields.set_message("evaluated_on", bad.message)
            self.evaluated_on.setFocus()
            return False
        evaluation = Evaluation(
            self.subject_id,
            self.form.values(),
            evaluated_on,
            notes=self.note_values(),
            note=self.note.text(),
        )
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.context.learning_models.evaluate(
                self.model, self.year, evaluation, today=self.today
            )
        except ValidationFailed as refused:
            QApplication.restoreOverrideCursor()
            self._show_refusal(refused.issues)
            return False
        except XhhtError as error:
            QApplication.restoreOverrideCursor()
            self._say(error.message)
            return False
        QApplication.restoreOverrideCursor()
        self.evaluation_saved.emit(self.subject_id)
        self.accept()
        return True

    def _show_refusal(self, issues: Sequence[FieldIssue]) -> None:
        elsewhere: list[str] = []
        focus: QWidget | None = None
        for issue in issues:
            if issue.field in ("evaluated_on", "note"):
                self.fields.set_message(issue.field, issue.message)
                focus = focus or self.fields.row(issue.field).editor
            elif issue.field in self.notes:
                # Scores the service refuses are the ones the form marks already;
                # the form shows the message beside the line.
                self.form.row(issue.field).show_message(issue.message)
                focus = focus or self.form.editor(issue.field)
            else:
                elsewhere.append(issue.message)
        if elsewhere:
            self._say("\n".join(elsewhere))
        if focus is not None:
            focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    # -- keyboard ----------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if _plain_enter(event):
            order = [field.id for field in self.definition.fields]
            if watched is self.evaluated_on:
                self.note.setFocus(Qt.FocusReason.TabFocusReason)
                return True
            if watched is self.note:
                self._focus_field(order[0] if order else None)
                return True
            for line_id, edit in self.notes.items():
                if watched is edit:
                    following = order[order.index(line_id) + 1 :]
                    if following:
                        self._focus_field(following[0])
                    else:
                        self.form.submit()
                    return True
        return super().eventFilter(watched, event)

    def _focus_field(self, field_id: str | None) -> None:
        if field_id is not None:
            self.form.editor(field_id).setFocus(Qt.FocusReason.TabFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter belongs to the fields (it moves on) and to the focused button;
        # it never closes the dialog by accident.
        if event.key() in ENTER_KEYS:
            focused = QApplication.focusWidget()
            if isinstance(focused, QPushButton) and focused.isEnabled():
                focused.click()
            event.accept()
            return
        super().keyPressEvent(event)


class QuickScoreDialog(QDialog):
    """The registered subjects of a village in a keyboard grid, saved all at once.

    Type a score, Tab goes right, Enter goes down (see
    :class:`~xhht_desktop.ui.forms.score_grid.ScoreGrid`); Ctrl+S saves the
    rows typed in, all or nothing; Esc closes (after asking, when scores
    are not saved).

    Args:
        context: The application context.
        model: The model code.
        year: The programme year.
        village_id: The village to start with (``None``: every village).
        parent: The Qt parent.
        today: The day of entry (tests fix it).

    Signals:
        evaluations_saved: the :class:`BulkResult` of a save.
    """

    evaluations_saved = Signal(object)

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
        self.definition = context.learning_models.criteria(model)
        self.rows: list[EntryRow] = []
        self.edited: set[str] = set()
        self.setWindowTitle(self.tr("Chấm điểm nhanh"))

        heading = QLabel(
            self.tr("Chấm điểm nhanh «{model}» năm {year}").format(
                model=model_title(model), year=year
            )
        )
        heading.setStyleSheet(style.PAGE_TITLE)
        caption = QLabel(f"{self.definition.title} — {criteria_caption(self.definition)}")
        caption.setObjectName("criteria")
        caption.setWordWrap(True)
        caption.setStyleSheet(f"color: {HELP_COLOUR};")

        self.village = VillageChoiceBox()
        self.village.set_villages(
            context.villages.list(), first=("", self.tr("Tất cả thôn/tổ dân phố"))
        )
        self.village.set_value(village_id or "")
        self.evaluated_on = date_edit()
        self.evaluated_on.setText(format_date(default_date(self.today, year, year + 1)))
        self.fields = FieldLayout()
        if learning_model(model).subject != "clan":
            self.fields.add_field("village_id", self.tr("&Thôn/tổ dân phố"), self.village)
        else:
            # A clan lives across villages: its list is the whole commune's.
            self.village.setParent(self)
            self.village.hide()
        self.fields.add_field("evaluated_on", self.tr("&Ngày đánh giá"), self.evaluated_on)

        self.info = QLabel()
        self.info.setWordWrap(True)
        self.grid_frame = QFrame()
        self._grid_layout = QVBoxLayout(self.grid_frame)
        self._grid_layout.setContentsMargins(0, 0, 0, 0)
        self.grid: ScoreGrid | None = None
        self.messages = QListWidget()
        self.messages.setObjectName("messages")
        self.messages.setStyleSheet(f"color: {MESSAGE_COLOUR};")
        self.messages.setMaximumHeight(120)
        self.messages.hide()
        self.result_label = QLabel()
        self.result_label.setObjectName("result")
        hint = QLabel(
            self.tr(
                "Gõ điểm rồi Tab sang phải, Enter xuống dòng · Delete: xóa ô · "
                "Ctrl+S: lưu các dòng đã nhập · Esc: đóng"
            )
        )
        hint.setStyleSheet(f"color: {HELP_COLOUR};")
        hint.setWordWrap(True)

        self.save_button = QPushButton(self.tr("Lưu (Ctrl+S)"))
        self.close_button = QPushButton(self.tr("Đóng"))
        for button in (self.save_button, self.close_button):
            button.setAutoDefault(False)
        self.save_button.clicked.connect(lambda: self.save())
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.result_label, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(caption)
        layout.addLayout(self.fields)
        layout.addWidget(self.info)
        layout.addWidget(self.grid_frame, 1)
        layout.addWidget(self.messages)
        layout.addWidget(hint)
        layout.addLayout(buttons)

        save = QShortcut(QKeySequence.StandardKey.Save, self)
        save.activated.connect(lambda: self.save())
        self.village.currentIndexChanged.connect(lambda _index: self._village_changed())
        self.resize(1100, 640)
        self.load()

    # -- the grid ----------------------------------------------------------

    def village_id(self) -> str | None:
        if self.village.isHidden():
            return None
        return self.village.value() or None

    def load(self) -> None:
        """Put the registered subjects of the village in a new grid, with their scores."""
        flt = EntryFilter(village_id=self.village_id(), status="registered")
        rows = self.context.learning_models.entries(self.model, self.year, flt)
        # A recognised subject is not scored again before its recognition is revoked.
        self.rows = [row for row in rows if not row.state.recognised]
        held = len(rows) - len(self.rows)
        subjects = [(row.subject.id, subject_label(row.subject)) for row in self.rows]
        if self.grid is not None:
            self._grid_layout.removeWidget(self.grid)
            self.grid.deleteLater()
        self.grid = ScoreGrid(self.definition, subjects, self.grid_frame)
        self.grid.setObjectName("grid")
        self._grid_layout.addWidget(self.grid)
        self.grid.set_values(
            {
                row.subject.id: stored_scores(row.scores)
                for row in self.rows
                if row.criteria_id == self.definition.id
            }
        )
        # Only what is typed from now on is saved (and dated with the date above).
        self.edited = set()
        self.grid.values_changed.connect(self._row_edited)
        QWidget.setTabOrder(self.evaluated_on, self.grid)
        QWidget.setTabOrder(self.grid, self.save_button)
        text = self.tr("{n} đối tượng đã đăng ký.").format(n=len(self.rows))
        if held:
            text += " " + self.tr(
                "{n} đối tượng đã được công nhận nên không chấm lại ở đây."
            ).format(n=held)
        if not self.rows:
            text = self.tr("Chưa có ai đăng ký năm {year} ở đây: hãy đăng ký trước.").format(
                year=self.year
            )
        self.info.setText(text)
        self.messages.clear()
        self.messages.hide()
        self.grid.setFocus()

    def _row_edited(self, subject_id: str) -> None:
        self.edited.add(subject_id)

    def _village_changed(self) -> None:
        if self.edited and not self._may_discard():
            return
        self.load()

    def _may_discard(self) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Chấm điểm nhanh"),
            self.tr("Có {n} dòng đã nhập điểm mà chưa lưu. Bỏ các điểm này?").format(
                n=len(self.edited)
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    # -- saving --------------------------------------------------------------

    def pending(self) -> list[Evaluation]:
        """The rows typed in since the grid was filled (rows left empty are skipped)."""
        assert self.grid is not None
        try:
            evaluated_on = parse_date(self.evaluated_on.text())
        except InvalidValue:
            evaluated_on = None
        values = self.grid.values()
        return [
            Evaluation(row.subject.id, values[row.subject.id], evaluated_on)
            for row in self.rows
            if row.subject.id in self.edited and values[row.subject.id]
        ]

    def save(self) -> BulkResult | None:
        """Store the rows typed in, all or nothing; problems are listed by row."""
        assert self.grid is not None
        if self.grid.state() == self.grid.State.EditingState:
            # Ctrl+S while typing in a cell: the cell's editor commits when it loses focus.
            self.grid.setFocus()
        self.messages.clear()
        self.messages.hide()
        self.result_label.clear()
        self.fields.clear_issues()
        try:
            parse_date(self.evaluated_on.text())
        except InvalidValue as bad:
            self.fields.set_message("evaluated_on", bad.message)
            self.evaluated_on.setFocus()
            return None
        evaluations = self.pending()
        if not evaluations:
            self.result_label.setText(self.tr("Chưa nhập điểm mới nào để lưu."))
            return None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = self.context.learning_models.evaluate_many(
                self.model, self.year, evaluations, today=self.today
            )
        except ValidationFailed as refused:
            QApplication.restoreOverrideCursor()
            self._show_refusal(evaluations, refused.issues)
            return None
        except XhhtError as error:
            QApplication.restoreOverrideCursor()
            self._list([error.message])
            return None
        QApplication.restoreOverrideCursor()
        self.edited.clear()
        self.result_label.setText(self.tr("Đã lưu {n} đánh giá.").format(n=len(evaluations)))
        self.evaluations_saved.emit(result)
        return result

    def _show_refusal(
        self, evaluations: Sequence[Evaluation], issues: Sequence[FieldIssue]
    ) -> None:
        assert self.grid is not None
        labels = {row.subject.id: subject_label(row.subject) for row in self.rows}
        numbers = line_numbers(self.definition)
        lines: list[str] = [
            self.tr("Chưa lưu gì: {n} lỗi, hãy sửa rồi lưu lại.").format(n=len(issues))
        ]
        first_cell = None
        for issue in issues:
            if issue.field == "evaluated_on" and issue.row is not None:
                self.fields.set_message("evaluated_on", issue.message)
            subject = (
                evaluations[issue.row - 1].subject_id
                if issue.row is not None and 0 < issue.row <= len(evaluations)
                else None
            )
            where = labels.get(subject or "", "")
            if issue.field in numbers:
                where = self.tr("{subject}, chỉ số {line}").format(
                    subject=where, line=numbers[issue.field]
                )
                if first_cell is None and subject is not None:
                    row = next(n for n, r in enumerate(self.rows) if r.subject.id == subject)
                    column = [f.id for f in self.grid.grid.lines].index(issue.field)
                    first_cell = self.grid.grid.index(row, column)
            lines.append(f"{where}: {issue.message}" if where else issue.message)
        self._list(lines)
        if first_cell is not None:
            self.grid.setCurrentIndex(first_cell)
            self.grid.setFocus()

    def _list(self, lines: Sequence[str]) -> None:
        self.messages.clear()
        self.messages.addItems(list(lines))
        self.messages.show()

    def reject(self) -> None:
        if self.edited and not self._may_discard():
            return
        super().reject()
