"""Any definition of ``forms/`` (form, criteria set, aggregate form) as Qt widgets.

A :class:`DefinitionForm` is built from the loaded definition alone: each
field gets the editor its type maps to in :data:`EDITORS` (through
:data:`~xhht_desktop.ui.forms.field_row.WIDGETS`), laid out with
:class:`~xhht_desktop.ui.forms.field_row.FieldLayout` in the definition's
order. Everything the form decides comes from the engine, never from code
here: which fields show (``visible_if``, by the engine's evaluator), what is
wrong (:func:`xhht_desktop.forms.validate`), and for a criteria set each
criterion's points, the total and whether it passes
(:func:`xhht_desktop.forms.score`). A criterion added to a TOML file
therefore appears in the form and in the total with no change here.

Keyboard: Tab and Enter go through the fields in the definition's order;
Enter on the last shown field submits (:attr:`DefinitionForm.submitted`)
when the record is valid, and otherwise shows every message and goes to the
first field at fault.

The form never reads the database: a reference field (to a household, clan,
village or unit) offers the ``(id, label)`` pairs that the caller's
``references`` callable returns for the target.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import pairwise

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop.forms import Definition, Field, InvalidValue, ScoreResult, score, validate
from xhht_desktop.forms.fieldtypes import (
    ChoiceType,
    ReferenceType,
    ScoreType,
    YesNoType,
    format_number,
    is_empty,
)
from xhht_desktop.forms.validation import is_visible, typed_values
from xhht_desktop.ui.forms.field_row import (
    MESSAGE_COLOUR,
    ChoiceBox,
    FieldLayout,
    FieldRow,
    MultiChoiceList,
    ScoreEdit,
    make_editor,
)

#: What a reference field offers: ``references("village")`` → ``[(id, label), …]``.
ReferenceLookup = Callable[[str], Sequence[tuple[str, str]]]

PASSED_COLOUR = "#1b5e20"
HELP_COLOUR = "#555555"
#: The widest a field's label grows before it wraps, in pixels.
LABEL_WIDTH = 380
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def line_numbers(definition: Definition) -> dict[str, str]:
    """The number each scored line is known by: "1.2" for an indicator, "3" for a criterion.

    Criteria and indicators are numbered in file order, as the published
    sets number them ("chỉ số 1.2"), so a grid column and a form row agree.
    """
    numbers: dict[str, str] = {}
    for n, criterion in enumerate(definition.criteria, start=1):
        if criterion.indicators:
            for m, indicator in enumerate(criterion.indicators, start=1):
                numbers[indicator.id] = f"{n}.{m}"
        else:
            numbers[criterion.id] = str(n)
    return numbers


class _Binding:
    """One field's editor, read and written through the field's type.

    Attributes:
        field: The field.
        editor: The widget placed in the form.
        focus: The widget that takes the keyboard (the editor or its inner line edit).
    """

    def __init__(self, field: Field, editor: QWidget) -> None:
        self.field = field
        self.editor = editor
        self.focus = editor

    def raw(self) -> object:
        """The typed value, the text as typed when it does not parse, or ``None``."""
        raise NotImplementedError

    def set_value(self, value: object) -> None:
        raise NotImplementedError

    def connect(self, slot: Callable[[], None]) -> None:
        """Call ``slot`` whenever the user (or :meth:`set_value`) changes the value."""
        raise NotImplementedError


class _TextBinding(_Binding):
    """Text, numbers, years and dates: a line edit parsed by the field's type."""

    def __init__(self, field: Field, editor: QWidget) -> None:
        super().__init__(field, editor)
        self.line: QLineEdit = editor.line_edit if isinstance(editor, ScoreEdit) else editor  # type: ignore[assignment]
        self.focus = self.line
        if isinstance(editor, ScoreEdit) and isinstance(field.type, ScoreType):
            editor.set_maximum(format_number(field.type.maximum))

    def raw(self) -> object:
        text = self.line.text()
        try:
            return self.field.type.parse(text)
        except InvalidValue:
            # validate() parses it again and puts the type's message beside the field.
            return text

    def set_value(self, value: object) -> None:
        try:
            text = self.field.type.format(self.field.type.coerce(value))
        except InvalidValue:
            text = "" if value is None else str(value)
        self.line.setText(text)

    def connect(self, slot: Callable[[], None]) -> None:
        self.line.textChanged.connect(lambda _text: slot())


class _ChoiceBinding(_Binding):
    """A choice, a yes/no or a reference: a drop-down that finds items as one types."""

    def __init__(
        self, field: Field, editor: QWidget, choices: Sequence[tuple[object, str]]
    ) -> None:
        super().__init__(field, editor)
        self.box: ChoiceBox = editor  # type: ignore[assignment]
        self.box.setPlaceholderText(QCoreApplication.translate("DefinitionForm", "Chọn…"))
        if isinstance(field.type, YesNoType):
            self.box.setMaximumWidth(200)
        self.box.set_choices(choices)
        self.box.setCurrentIndex(-1)

    def raw(self) -> object:
        return self.box.value()

    def set_value(self, value: object) -> None:
        try:
            typed = self.field.type.coerce(value)
        except InvalidValue:
            typed = None
        if typed is not None and self.box.findData(typed) < 0:
            # A stored id no longer offered (a deleted record) stays visible, not lost.
            self.box.addItem(str(typed), typed)
        self.box.set_value(typed)

    def connect(self, slot: Callable[[], None]) -> None:
        self.box.currentIndexChanged.connect(lambda _index: slot())


class _MultiChoiceBinding(_Binding):
    def __init__(self, field: Field, editor: QWidget) -> None:
        super().__init__(field, editor)
        self.list: MultiChoiceList = editor  # type: ignore[assignment]
        assert isinstance(field.type, ChoiceType)
        self.list.set_choices(field.type.choices.items())

    def raw(self) -> object:
        return self.list.value() or None

    def set_value(self, value: object) -> None:
        try:
            typed = self.field.type.coerce(value)
        except InvalidValue:
            typed = None
        self.list.set_value(typed or ())  # type: ignore[arg-type]

    def connect(self, slot: Callable[[], None]) -> None:
        self.list.itemChanged.connect(lambda _item: slot())


#: Field type → (editor kind in ``field_row.WIDGETS``, how the form reads and writes it).
EDITORS: dict[str, tuple[str, type[_Binding]]] = {
    "text": ("text", _TextBinding),
    "integer": ("number", _TextBinding),
    "decimal": ("number", _TextBinding),
    "year": ("number", _TextBinding),
    "date": ("date", _TextBinding),
    "score": ("score", _TextBinding),
    "choice": ("choice", _ChoiceBinding),
    "yes_no": ("yes_no", _ChoiceBinding),
    "reference": ("reference", _ChoiceBinding),
    "multi_choice": ("multi_choice", _MultiChoiceBinding),
}


#: How many of a result's reasons are listed before "… and N more".
SHOWN_REASONS = 5


def reasons_text(result: ScoreResult) -> str:
    """Why an evaluation does not pass, short enough to read at a glance.

    While scores are missing, only that is said: every indicator not yet
    scored would otherwise be listed as "not passed" too.
    """
    reasons = list(result.reasons[:1] if not result.complete else result.reasons)
    if len(reasons) > SHOWN_REASONS:
        more = len(reasons) - SHOWN_REASONS + 1
        reasons = [
            *reasons[: SHOWN_REASONS - 1],
            QCoreApplication.translate("DefinitionForm", "… và {count} lý do khác.").format(
                count=more
            ),
        ]
    return "\n".join(reasons)


def _mnemonic_safe(text: str) -> str:
    # Labels come from data files; a '&' there is text, not a shortcut.
    return text.replace("&", "&&")


class DefinitionForm(QWidget):
    """A form, criteria set or aggregate form rendered from its definition.

    Example::

        form = DefinitionForm(definitions.get("gdht-448"))
        form.submitted.connect(lambda values: context.models.evaluate(..., values))

    Args:
        definition: A loaded definition (:func:`xhht_desktop.forms.load_definitions`).
        parent: The Qt parent.
        references: For reference fields: the ``(id, label)`` pairs to offer
            for a target ("household", "clan", "village", "unit", "person").
        variant: For a criteria set, the ``[[pass.variants]]`` rule to score by.

    Signals:
        values_changed: ``values()`` after any change.
        submitted: ``values()``, when Enter on the last field finds the record valid.
    """

    values_changed = Signal(dict)
    submitted = Signal(dict)

    def __init__(
        self,
        definition: Definition,
        parent: QWidget | None = None,
        *,
        references: ReferenceLookup | None = None,
        variant: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.definition = definition
        self.variant = variant
        self._references = references
        self._bindings: dict[str, _Binding] = {}
        self._rows: dict[str, FieldRow] = {}
        self._by_focus: dict[QObject, str] = {}
        self._touched: set[str] = set()
        self._show_all = False
        self._loading = False
        self._issues: dict[str, str] = {}
        self._visible: dict[str, bool] = {}
        self._result: ScoreResult | None = None
        self._subtotals: dict[str, QLabel] = {}

        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.header.setText(definition.title)
        font = self.header.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.header.setFont(font)
        outer.addWidget(self.header)
        if definition.description:
            description = QLabel(definition.description)
            description.setWordWrap(True)
            description.setStyleSheet(f"color: {HELP_COLOUR};")
            outer.addWidget(description)

        body = QWidget()
        column = QVBoxLayout(body)
        # One layout for every field, criteria headers spanning both columns,
        # so that the editors of all criteria line up under each other.
        self.fields = FieldLayout()
        self.fields.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for field in definition.fields:
            if field.criterion is None:
                self._add_field(field, field.label)
        numbers = line_numbers(definition)
        for n, criterion in enumerate(definition.criteria, start=1):
            self.fields.addRow(
                self._criterion_header(n, criterion.id, criterion.title, criterion.help)
            )
            for field in definition.fields:
                if field.criterion != criterion.id:
                    continue
                if criterion.indicators:
                    label = f"{numbers[field.id]}. {field.label}"
                elif definition.scoring == "points":
                    label = self.tr("Điểm tiêu chí")
                else:
                    label = self.tr("Kết quả")
                self._add_field(field, label)
        column.addLayout(self.fields)
        column.addStretch(1)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(body)
        outer.addWidget(self.scroll, 1)

        self.total = QLabel()
        self.verdict = QLabel()
        self.reasons = QLabel()
        self.reasons.setWordWrap(True)
        if definition.kind == "criteria":
            summary = QFrame()
            summary.setFrameShape(QFrame.Shape.StyledPanel)
            lines = QVBoxLayout(summary)
            top = QHBoxLayout()
            bold = self.total.font()
            bold.setBold(True)
            self.total.setFont(bold)
            self.verdict.setFont(bold)
            top.addWidget(self.total)
            top.addStretch(1)
            top.addWidget(self.verdict)
            lines.addLayout(top)
            lines.addWidget(self.reasons)
            outer.addWidget(summary)

        self._chain_tab_order()
        self.refresh()

    # -- building ------------------------------------------------------
    def _criterion_header(
        self, number: int, criterion_id: str, title: str, help_text: str
    ) -> QWidget:
        header = QWidget()
        row = QHBoxLayout(header)
        row.setContentsMargins(0, 8, 0, 0)
        name = QLabel(f"{number}. {title}")
        name.setWordWrap(True)
        name.setTextFormat(Qt.TextFormat.PlainText)
        font = name.font()
        font.setBold(True)
        name.setFont(font)
        name.setToolTip(help_text)
        subtotal = QLabel()
        subtotal.setObjectName(f"{criterion_id}_subtotal")
        subtotal.setFont(font)
        subtotal.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        row.addWidget(name, 1)
        row.addWidget(subtotal)
        self._subtotals[criterion_id] = subtotal
        return header

    def _choices(self, field: Field) -> list[tuple[object, str]]:
        ftype = field.type
        if isinstance(ftype, YesNoType):
            return [(True, ftype.yes_label), (False, ftype.no_label)]
        if isinstance(ftype, ReferenceType):
            return list(self._references(ftype.to)) if self._references else []
        if isinstance(ftype, ChoiceType):
            return list(ftype.choices.items())
        return []

    def _add_field(self, field: Field, label: str) -> None:
        kind, binding_class = EDITORS[field.type.name]
        editor = make_editor(kind)
        if binding_class is _ChoiceBinding:
            binding: _Binding = _ChoiceBinding(field, editor, self._choices(field))
        else:
            binding = binding_class(field, editor)
        row = self.fields.add_field(field.id, _mnemonic_safe(label), editor)
        # Long labels (indicator titles) wrap inside a column of readable width
        # instead of pushing the editors off the window.
        natural = row.label.fontMetrics().horizontalAdvance(label) + 8
        row.label.setMinimumWidth(min(natural, LABEL_WIDTH))
        row.label.setWordWrap(True)
        row.label.setToolTip(field.help)
        if field.help:
            hint = QLabel(field.help)
            hint.setObjectName(f"{field.id}_help")
            hint.setWordWrap(True)
            hint.setStyleSheet(f"color: {HELP_COLOUR};")
            cell = row.message.parentWidget().layout()
            cell.insertWidget(1, hint)  # type: ignore[attr-defined]
        binding.focus.installEventFilter(self)
        binding.connect(lambda field_id=field.id: self._edited(field_id))
        self._bindings[field.id] = binding
        self._rows[field.id] = row
        self._by_focus[binding.focus] = field.id

    def _chain_tab_order(self) -> None:
        targets = [b.focus for b in self._bindings.values()]
        for first, second in pairwise(targets):
            QWidget.setTabOrder(first, second)
        if targets:
            self.setFocusProxy(targets[0])

    # -- values --------------------------------------------------------
    def _raw(self) -> dict[str, object]:
        return {field_id: b.raw() for field_id, b in self._bindings.items()}

    def _visibility(self, raw: Mapping[str, object]) -> dict[str, bool]:
        """Which fields show; a hidden field's value counts as empty for the others."""
        current = dict(raw)
        visible: dict[str, bool] = {}
        for _ in range(len(self.definition.fields) + 1):
            typed, _errors = typed_values(self.definition, current)
            visible = {f.id: is_visible(f, typed) for f in self.definition.fields}
            hidden_out = {k: (v if visible.get(k, True) else None) for k, v in raw.items()}
            if hidden_out == current:
                break
            current = hidden_out
        return visible

    def values(self) -> dict[str, object]:
        """Every field's value by id: typed (``int``, ``Decimal``, ``date``, ``bool``,
        a tuple of choices, ``str``), or the text as typed when it does not parse
        (so that :func:`~xhht_desktop.forms.validate` says why), or ``None``.

        A field that its ``visible_if`` hides holds ``None``.
        """
        raw = self._raw()
        visible = self._visibility(raw)
        return {k: (v if visible[k] else None) for k, v in raw.items()}

    def set_values(self, values: Mapping[str, object]) -> None:
        """Show a record: every field takes its value from ``values`` (empty when absent).

        Keys that are not fields of the definition are ignored (a record kept
        under an older version of the definition may have them).
        """
        self._loading = True
        try:
            for field_id, binding in self._bindings.items():
                binding.set_value(values.get(field_id))
        finally:
            self._loading = False
        self._show_all = False
        self._touched = {k for k, v in values.items() if k in self._bindings and not is_empty(v)}
        self.refresh()
        self.values_changed.emit(self.values())

    def _edited(self, field_id: str) -> None:
        if self._loading:
            return
        self._touched.add(field_id)
        self.refresh()
        self.values_changed.emit(self.values())

    # -- state ---------------------------------------------------------
    def refresh(self) -> None:
        """Re-evaluate visibility, messages and (criteria sets) the score."""
        raw = self._raw()
        self._visible = self._visibility(raw)
        values = {k: (v if self._visible[k] else None) for k, v in raw.items()}
        self._issues = {}
        for issue in validate(self.definition, values):
            self._issues.setdefault(issue.field, issue.message)
        for field_id, row in self._rows.items():
            shown = self._visible[field_id]
            self.fields.setRowVisible(row.label, shown)
            wanted = self._show_all or field_id in self._touched
            row.show_message(self._issues.get(field_id) if shown and wanted else None)
        if self.definition.kind == "criteria":
            self._show_score(score(self.definition, values, self.variant))

    def _show_score(self, result: ScoreResult) -> None:
        self._result = result
        n = format_number
        points = self.definition.scoring == "points"
        for crit in result.criteria:
            if points:
                text = self.tr("{score}/{maximum} điểm").format(
                    score=n(crit.score), maximum=n(crit.max)
                )
            else:
                text = self.tr("{score}/{maximum} chỉ tiêu đạt").format(
                    score=n(crit.score), maximum=n(crit.max)
                )
            self._subtotals[crit.id].setText(text)
        if points:
            total = self.tr("Tổng điểm: {total}/{maximum}")
        else:
            total = self.tr("Số chỉ tiêu đạt: {total}/{maximum}")
        self.total.setText(total.format(total=n(result.total), maximum=n(result.maximum)))
        if result.passed:
            verdict = self.tr("Đạt")
            if result.level_title:
                verdict = self.tr("Đạt: {level}").format(level=result.level_title)
            colour = PASSED_COLOUR
        elif not result.complete:
            verdict, colour = self.tr("Chưa chấm xong"), HELP_COLOUR
        else:
            verdict, colour = self.tr("Không đạt"), MESSAGE_COLOUR
        self.verdict.setText(verdict)
        self.verdict.setStyleSheet(f"color: {colour};")
        self.reasons.setText(reasons_text(result))
        self.reasons.setVisible(bool(result.reasons))

    def result(self) -> ScoreResult | None:
        """The score of what the form holds (criteria sets), as :func:`score` gave it."""
        return self._result

    def message(self, field_id: str) -> str:
        """The message now shown beside ``field_id`` (``""`` when none)."""
        return self.fields.message(field_id)

    def is_shown(self, field_id: str) -> bool:
        """Whether the field's row is shown (its ``visible_if`` holds)."""
        return self._visible[field_id]

    def editor(self, field_id: str) -> QWidget:
        """The widget of ``field_id`` that takes the keyboard."""
        return self._bindings[field_id].focus

    def row(self, field_id: str) -> FieldRow:
        """The label, editor and message of ``field_id``."""
        return self._rows[field_id]

    # -- keyboard ------------------------------------------------------
    def _shown_fields(self) -> list[str]:
        return [field_id for field_id in self._bindings if self._visible.get(field_id, True)]

    def submit(self) -> bool:
        """Emit :attr:`submitted` if the record is valid; else show every message.

        Returns:
            Whether it was submitted.
        """
        self._show_all = True
        self.refresh()
        faulty = [f for f in self._shown_fields() if f in self._issues]
        if faulty:
            # As after Tab, the faulty text is selected, ready to be typed over.
            self._bindings[faulty[0]].focus.setFocus(Qt.FocusReason.TabFocusReason)
            return False
        self.submitted.emit(self.values())
        return True

    def _advance(self, field_id: str) -> None:
        shown = self._shown_fields()
        if field_id not in shown or field_id == shown[-1]:
            self.submit()
            return
        following = shown[shown.index(field_id) + 1]
        self._bindings[following].focus.setFocus(Qt.FocusReason.TabFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        field_id = self._by_focus.get(watched)
        if field_id is not None:
            if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
                plain = not (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier)
                if event.key() in _ENTER_KEYS and plain:
                    self._advance(field_id)
                    return True
            elif event.type() == QEvent.Type.FocusIn:
                self.scroll.ensureWidgetVisible(self._rows[field_id].editor)
        return super().eventFilter(watched, event)
