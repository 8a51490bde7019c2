"""Validating a record against its definition.

A record is a mapping from field id to value: values already typed (``int``,
``Decimal``, ``date``, ``bool``, a tuple of choice codes, ``str``) or text as
a person typed it or a sheet cell held it; text is parsed by the field's
type. The result is a list of :class:`~xhht_desktop.errors.FieldIssue`, at
most one per field, in the order of the form, so the UI can show each
message beside its field and the importer can prefix a row number.

Rules, in the order they apply to a field:

1. the value must parse (its type);
2. a field whose ``visible_if`` does not hold is hidden: nothing is checked;
3. an empty field is an issue when ``required`` (or ``required_if`` holds);
4. the type's rules (min/max, length, pattern, allowed values);
5. ``check``, evaluated only when every field it names has a value, so
   that a missing value is reported once, by rule 3.

A key that the definition does not know is an issue too: it is most often a
misspelt field in an import.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from xhht_desktop.errors import FieldIssue
from xhht_desktop.forms.definitions import Definition, Field
from xhht_desktop.forms.expressions import evaluate, fields_of
from xhht_desktop.forms.fieldtypes import InvalidValue, is_empty

UNKNOWN_FIELD = "Biểu mẫu không có trường này; hãy kiểm tra lại tên cột hoặc mã trường."


@dataclass(frozen=True)
class CheckedRecord:
    """A record after validation.

    Attributes:
        values: Every field of the definition with its typed value (``None``
            when empty or unreadable).
        issues: What is wrong, at most one issue per field.
    """

    values: dict[str, object]
    issues: list[FieldIssue]

    @property
    def valid(self) -> bool:
        return not self.issues


def typed_values(
    definition: Definition, values: Mapping[str, object]
) -> tuple[dict[str, object], dict[str, str]]:
    """Coerce every field's value; return the typed values and parse errors by field."""
    typed: dict[str, object] = {}
    errors: dict[str, str] = {}
    for field in definition.fields:
        try:
            typed[field.id] = field.type.coerce(values.get(field.id))
        except InvalidValue as exc:
            typed[field.id] = None
            errors[field.id] = exc.message
    return typed, errors


def is_visible(field: Field, typed: Mapping[str, object]) -> bool:
    """Whether the form shows ``field`` for these typed values."""
    return field.visible_if is None or evaluate(field.visible_if, typed)


def is_required(field: Field, typed: Mapping[str, object]) -> bool:
    """Whether ``field`` must have a value for these typed values."""
    return field.required or (field.required_if is not None and evaluate(field.required_if, typed))


def _field_issue(field: Field, typed: Mapping[str, object]) -> str | None:
    if not is_visible(field, typed):
        return None
    value = typed[field.id]
    if is_empty(value):
        return field.type.required_message(field.label) if is_required(field, typed) else None
    message = field.type.check(value, field.label)
    if message is not None:
        return message
    check = field.check
    if check is None or any(is_empty(typed.get(name)) for name in fields_of(check)):
        return None
    return None if evaluate(check, typed) else field.check_message


def check_record(definition: Definition, values: Mapping[str, object]) -> CheckedRecord:
    """Validate ``values`` and return them typed, with the issues found."""
    typed, errors = typed_values(definition, values)
    issues: list[FieldIssue] = []
    for field in definition.fields:
        message = errors.get(field.id) or _field_issue(field, typed)
        if message:
            issues.append(FieldIssue(field.id, message))
    known = {field.id for field in definition.fields}
    issues += [FieldIssue(str(key), UNKNOWN_FIELD) for key in values if key not in known]
    return CheckedRecord(typed, issues)


def validate(definition: Definition, values: Mapping[str, object]) -> list[FieldIssue]:
    """Every problem of a record under ``definition``; empty when it is valid."""
    return check_record(definition, values).issues
