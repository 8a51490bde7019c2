"""Recognising many subjects by one decision, and refusing or revoking a recognition.

:class:`RecognitionDialog` takes a decision (number such as "15/QĐ-UBND",
date, signer, or a decision already stored) and the subjects chosen on the
page, and asks :meth:`~xhht_desktop.services.learning_models.LearningModelService.recognise`
to recognise them all. When the rule refuses some (not registered, not
evaluated, evaluation not passed), nothing is stored and the dialog shows,
on each subject's line, why; it then offers to recognise only the valid
ones, or, to an approver or an administrator, to recognise all of them with
a reason that the audit log keeps.

:class:`OutcomeDialog` records that recognition was refused (không công
nhận) or revoked (thu hồi), with the reason and the date.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.core.models_cycle import APPROVER_ROLES, MAX_REASON, DecisionDraft
from xhht_desktop.errors import (
    PermissionDenied,
    RecognitionRefused,
    ValidationFailed,
    XhhtError,
)
from xhht_desktop.forms import InvalidValue, format_number
from xhht_desktop.ui import style
from xhht_desktop.ui.forms.field_row import MESSAGE_COLOUR, ChoiceBox, FieldLayout, date_edit
from xhht_desktop.ui.forms.registration_checklist import (
    ENTER_KEYS,
    default_date,
    format_date,
    model_title,
    parse_date,
    status_text,
    subject_label,
)

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext
    from xhht_desktop.services.learning_models import BulkResult
    from xhht_desktop.store.model_queries import EntryRow

_REFUSED = QColor("#ffcdd2")
#: Columns of the subjects' table.
SUBJECT, VILLAGE, TOTAL, RESULT, REASON = range(5)


def total_text(total: str) -> str:
    """A stored total ("87.5") as read on screen ("87,5")."""
    if not total:
        return ""
    try:
        value = Decimal(total)
    except InvalidOperation:
        return total
    return format_number(value)


def _reason_of(message: str) -> str:
    # The service says "<subject>: <why>."; the line already names the subject.
    return message.split(": ", 1)[1] if ": " in message else message


class _Dialog(QDialog):
    """Enter acts (on the focused button, or the dialog's main action); Esc closes."""

    def main_action(self) -> None:
        raise NotImplementedError

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in ENTER_KEYS:
            focused = QApplication.focusWidget()
            if isinstance(focused, QPushButton):
                if focused.isEnabled():
                    focused.click()
            else:
                self.main_action()
            event.accept()
            return
        super().keyPressEvent(event)


def _subjects_table(entries: Sequence[EntryRow], headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(len(entries), len(headers))
    table.setObjectName("subjects")
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setTabKeyNavigation(False)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(True)
    for row, entry in enumerate(entries):
        cells = (
            subject_label(entry.subject),
            entry.subject.village_name or "",
            total_text(entry.total),
            status_text(entry),
        )
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, entry.subject.id)
            if column == TOTAL:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, column, item)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


class RecognitionDialog(_Dialog):
    """Recognises the chosen subjects by one decision, all or nothing.

    Keyboard: Tab goes through the decision's fields; Enter recognises.
    After a refusal, Enter on "Chỉ công nhận …" recognises the valid ones,
    and Enter in the override reason (approvers only) recognises all with
    that reason. Esc closes.

    Args:
        context: The application context.
        model: The model code.
        year: The programme year.
        entries: The subjects to recognise, as the page lists them.
        parent: The Qt parent.
        today: The day of entry (tests fix it); a decision cannot be dated later.

    Signals:
        recognised: the :class:`BulkResult` of a recognition that was stored.
    """

    recognised = Signal(object)

    def __init__(
        self,
        context: AppContext,
        model: str,
        year: int,
        entries: Sequence[EntryRow],
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.model = model
        self.year = year
        self.entries = list(entries)
        self.today = today or date.today()
        self.refused: dict[str, str] = {}
        self.setWindowTitle(self.tr("Công nhận"))
        info = context.setup.require()
        label = model_title(model)

        heading = QLabel(
            self.tr("Công nhận danh hiệu «{model}» năm {year}").format(model=label, year=year)
        )
        heading.setStyleSheet(style.PAGE_TITLE)
        heading.setWordWrap(True)

        self.decision = ChoiceBox()
        choices: list[tuple[object, str]] = [("", self.tr("Quyết định mới"))]
        for row in context.learning_models.decisions(year):
            choices.append(
                (
                    row.id,
                    self.tr("Bổ sung vào quyết định {number} ngày {day}").format(
                        number=row.number, day=format_date(row.decided_on)
                    ),
                )
            )
        self.decision.set_choices(choices)
        self.number = QLineEdit()
        self.number.setMaxLength(50)
        self.number.setPlaceholderText(self.tr("Ví dụ: 15/QĐ-UBND"))
        self.decided_on = date_edit()
        self.decided_on.setText(format_date(default_date(self.today, year, year + 1)))
        self.signer_name = QLineEdit(info.signer_name)
        self.signer_name.setMaxLength(100)
        self.signer_title = QLineEdit(info.signer_title)
        self.signer_title.setMaxLength(100)
        self.summary = QLineEdit(
            self.tr("Về việc công nhận danh hiệu “{model}” năm {year}").format(
                model=label, year=year
            )
        )
        self.summary.setMaxLength(300)
        self.fields = FieldLayout()
        self.fields.add_field("decision", self.tr("&Quyết định"), self.decision)
        self.fields.add_field("number", self.tr("&Số quyết định"), self.number)
        self.fields.add_field("decided_on", self.tr("&Ngày ký"), self.decided_on)
        self.fields.add_field("signer_name", self.tr("Người &ký"), self.signer_name)
        self.fields.add_field("signer_title", self.tr("&Chức vụ"), self.signer_title)
        self.fields.add_field("summary", self.tr("&Trích yếu"), self.summary)

        self.count_label = QLabel(
            self.tr("Danh sách đề nghị công nhận: {n} đối tượng").format(n=len(self.entries))
        )
        self.table = _subjects_table(
            self.entries,
            [
                self.tr("Đối tượng"),
                self.tr("Thôn/tổ dân phố"),
                self.tr("Tổng điểm"),
                self.tr("Kết quả"),
                self.tr("Lý do chưa công nhận được"),
            ],
        )

        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {MESSAGE_COLOUR}; font-weight: bold;")
        self.message.hide()

        self.refusal = QFrame()
        self.refusal.setObjectName("refusal")
        self.refusal.setFrameShape(QFrame.Shape.StyledPanel)
        self.valid_button = QPushButton()
        self.valid_button.clicked.connect(lambda: self.recognise(valid_only=True))
        self.override_reason = QLineEdit()
        self.override_reason.setMaxLength(MAX_REASON)
        self.override_reason.setPlaceholderText(
            self.tr("Lý do công nhận khi chưa đủ điều kiện (bắt buộc, được ghi vào nhật ký)")
        )
        self.override_button = QPushButton(self.tr("Công nhận tất cả theo lý do này"))
        self.override_button.clicked.connect(lambda: self.recognise(override=True))
        self.override_note = QLabel()
        self.override_note.setWordWrap(True)
        self.override_note.setObjectName("override_note")
        choices_box = QVBoxLayout(self.refusal)
        choices_box.addWidget(QLabel(self.tr("Bạn có thể:")))
        valid_line = QHBoxLayout()
        valid_line.addWidget(self.valid_button)
        valid_line.addStretch(1)
        choices_box.addLayout(valid_line)
        override_line = QHBoxLayout()
        override_line.addWidget(self.override_reason, 1)
        override_line.addWidget(self.override_button)
        choices_box.addLayout(override_line)
        choices_box.addWidget(self.override_note)
        self.refusal.hide()

        self.recognise_button = QPushButton(self.tr("Công nhận (Enter)"))
        self.close_button = QPushButton(self.tr("Đóng"))
        for button in (
            self.recognise_button,
            self.close_button,
            self.valid_button,
            self.override_button,
        ):
            button.setAutoDefault(False)
        self.recognise_button.clicked.connect(lambda: self.recognise())
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.recognise_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(self.fields)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.refusal)
        layout.addLayout(buttons)

        chain: list[QWidget] = [
            self.decision,
            self.number,
            self.decided_on,
            self.signer_name,
            self.signer_title,
            self.summary,
            self.table,
            self.valid_button,
            self.override_reason,
            self.override_button,
            self.recognise_button,
            self.close_button,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.decision.currentIndexChanged.connect(lambda _index: self._decision_changed())
        self.resize(860, 640)
        self.number.setFocus()

    # -- the decision ------------------------------------------------------

    def _decision_changed(self) -> None:
        new = not self.decision.value()
        for edit in (
            self.number,
            self.decided_on,
            self.signer_name,
            self.signer_title,
            self.summary,
        ):
            edit.setEnabled(new)

    def draft(self) -> DecisionDraft | str:
        """The decision entered, or the id of the stored decision chosen.

        Raises:
            InvalidValue: the date cannot be read.
        """
        chosen = self.decision.value()
        if chosen:
            return str(chosen)
        return DecisionDraft(
            number=self.number.text(),
            decided_on=parse_date(self.decided_on.text()),
            signer_name=self.signer_name.text(),
            signer_title=self.signer_title.text(),
            summary=self.summary.text(),
        )

    def subject_ids(self) -> list[str]:
        return [entry.subject.id for entry in self.entries]

    # -- recognising ---------------------------------------------------------

    def main_action(self) -> None:
        if self.override_reason.hasFocus():
            self.recognise(override=True)
        else:
            self.recognise()

    def may_override(self) -> bool:
        """Whether the actor may recognise subjects that the rule refuses."""
        return self.context.actor.role in APPROVER_ROLES

    def recognise(self, *, valid_only: bool = False, override: bool = False) -> BulkResult | None:
        """Ask the service to recognise the subjects by the decision.

        Args:
            valid_only: Recognise those the rule allows; list the others.
            override: Recognise all, with the reason typed (an approver's decision).

        Returns:
            What was stored, or ``None`` when nothing was.
        """
        self.message.hide()
        self.fields.clear_issues()
        reason: str | None = None
        if override:
            reason = self.override_reason.text().strip()
            if not reason:
                self._say(self.tr("Hãy ghi lý do công nhận khi chưa đủ điều kiện."))
                self.override_reason.setFocus()
                return None
        try:
            decision = self.draft()
        except InvalidValue as bad:
            self.fields.set_message("decided_on", bad.message)
            self.decided_on.setFocus()
            return None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = self.context.learning_models.recognise(
                self.model,
                self.year,
                self.subject_ids(),
                decision,
                override_reason=reason,
                valid_only=valid_only,
                today=self.today,
            )
        except RecognitionRefused as refused:
            QApplication.restoreOverrideCursor()
            self._show_refused(refused)
            return None
        except PermissionDenied as denied:
            QApplication.restoreOverrideCursor()
            self._say(denied.message)
            return None
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
        self.recognised.emit(result)
        self.accept()
        return result

    def _show_refused(self, refused: RecognitionRefused) -> None:
        self.refused = {issue.field: issue.message for issue in refused.issues}
        for row, entry in enumerate(self.entries):
            message = self.refused.get(entry.subject.id)
            item = QTableWidgetItem(_reason_of(message) if message else "")
            item.setToolTip(message or "")
            if message:
                item.setBackground(QBrush(_REFUSED))
            self.table.setItem(row, REASON, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        valid = len(self.entries) - len(self.refused)
        self._say(
            self.tr(
                "Chưa lưu gì: {n} trên {all} đối tượng chưa đủ điều kiện công nhận "
                "(lý do ở cột cuối)."
            ).format(n=len(self.refused), all=len(self.entries))
        )
        self.valid_button.setText(
            self.tr("Chỉ công nhận {n} đối tượng đủ điều kiện").format(n=valid)
        )
        self.valid_button.setVisible(valid > 0)
        allowed = self.may_override()
        self.override_reason.setEnabled(allowed)
        self.override_button.setEnabled(allowed)
        if allowed:
            self.override_note.setText(
                self.tr(
                    "Người phê duyệt có thể công nhận cả các đối tượng chưa đủ điều kiện "
                    "khi ghi rõ lý do."
                )
            )
        else:
            self.override_note.setText(
                self.tr(
                    "Chỉ người phê duyệt hoặc quản trị mới được công nhận khi chưa đủ "
                    "điều kiện. Hãy nhờ người phê duyệt xem xét."
                )
            )
        self.refusal.show()
        first = next((n for n, e in enumerate(self.entries) if e.subject.id in self.refused), None)
        if first is not None:
            self.table.setCurrentCell(first, SUBJECT)
        if valid > 0:
            self.valid_button.setFocus()
        elif allowed:
            self.override_reason.setFocus()
        else:
            self.table.setFocus()

    def reason(self, subject_id: str) -> str:
        """The reason shown on a subject's line (``""`` when none)."""
        for row, entry in enumerate(self.entries):
            if entry.subject.id == subject_id:
                item = self.table.item(row, REASON)
                return item.text() if item is not None else ""
        raise KeyError(subject_id)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()


class OutcomeDialog(_Dialog):
    """Records a refusal of recognition or a revocation, with its reason and date.

    Args:
        context: The application context.
        model: The model code.
        year: The programme year.
        entries: The subjects concerned.
        revoke: Revoke recognitions (thu hồi) instead of refusing (không công nhận).
        parent: The Qt parent.
        today: The day of entry (tests fix it).

    Signals:
        recorded: the :class:`BulkResult` once stored.
    """

    recorded = Signal(object)

    def __init__(
        self,
        context: AppContext,
        model: str,
        year: int,
        entries: Sequence[EntryRow],
        *,
        revoke: bool,
        parent: QWidget | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.model = model
        self.year = year
        self.entries = list(entries)
        self.revoke = revoke
        self.today = today or date.today()
        label = model_title(model)
        if revoke:
            self.setWindowTitle(self.tr("Thu hồi công nhận"))
            text = self.tr("Thu hồi công nhận danh hiệu «{model}» năm {year}")
            action = self.tr("Thu hồi công nhận (Enter)")
        else:
            self.setWindowTitle(self.tr("Không công nhận"))
            text = self.tr("Không công nhận danh hiệu «{model}» năm {year}")
            action = self.tr("Không công nhận (Enter)")
        heading = QLabel(text.format(model=label, year=year))
        heading.setStyleSheet(style.PAGE_TITLE)
        heading.setWordWrap(True)

        self.reason = QLineEdit()
        self.reason.setMaxLength(MAX_REASON)
        self.day = date_edit()
        first = year if not revoke else self.today.year
        self.day.setText(format_date(default_date(self.today, first, max(first, year + 1))))
        self.fields = FieldLayout()
        self.fields.add_field("reason", self.tr("&Lý do"), self.reason)
        self.fields.add_field("date", self.tr("&Ngày"), self.day)
        self.table = _subjects_table(
            self.entries,
            [
                self.tr("Đối tượng"),
                self.tr("Thôn/tổ dân phố"),
                self.tr("Tổng điểm"),
                self.tr("Kết quả"),
                self.tr("Lý do không thực hiện được"),
            ],
        )
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {MESSAGE_COLOUR}; font-weight: bold;")
        self.message.hide()
        self.action_button = QPushButton(action)
        self.close_button = QPushButton(self.tr("Đóng"))
        for button in (self.action_button, self.close_button):
            button.setAutoDefault(False)
        self.action_button.clicked.connect(lambda: self.record())
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.action_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(self.fields)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(760, 460)
        self.reason.setFocus()

    def main_action(self) -> None:
        self.record()

    def record(self) -> BulkResult | None:
        """Store the refusal or revocation of every subject, all or nothing."""
        self.message.hide()
        self.fields.clear_issues()
        try:
            day = parse_date(self.day.text())
        except InvalidValue as bad:
            self.fields.set_message("date", bad.message)
            self.day.setFocus()
            return None
        service = self.context.learning_models
        act = service.revoke if self.revoke else service.refuse
        ids = [entry.subject.id for entry in self.entries]
        try:
            result = act(self.model, self.year, ids, self.reason.text(), day, today=self.today)
        except ValidationFailed as refused:
            leftover = self.fields.show_issues(refused)
            by_subject = {issue.field: issue.message for issue in refused.issues}
            for row, entry in enumerate(self.entries):
                message = by_subject.get(entry.subject.id)
                if message:
                    item = QTableWidgetItem(_reason_of(message))
                    item.setToolTip(message)
                    item.setBackground(QBrush(_REFUSED))
                    self.table.setItem(row, REASON, item)
            if leftover:
                self._say(self.tr("Chưa lưu gì:") + "\n" + "\n".join(leftover))
            return None
        except XhhtError as error:
            self._say(error.message)
            return None
        self.recorded.emit(result)
        self.accept()
        return result

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
