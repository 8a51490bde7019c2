"""What a loaded definition is: plain, frozen values.

A *definition* is a form, a criteria set or an aggregate form read from a
TOML file. Every definition has fields; a criteria set also has criteria
(each with indicators, or scored as a whole), a total, a pass rule and/or
levels. The loader turns each indicator (or each criterion without
indicators) into a field of its own (a ``score`` field in a points set, a
``yes_no`` field in a pass/fail set), so a criteria set is validated like
any form and a criterion added to the file is a field without any code.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from xhht_desktop.forms.expressions import Expr
from xhht_desktop.forms.fieldtypes import FieldType

KINDS: dict[str, str] = {
    "form": "Biểu mẫu",
    "criteria": "Bộ tiêu chí",
    "aggregate": "Biểu tổng hợp",
}
SUBJECTS: dict[str, str] = {
    "household": "Hộ gia đình",
    "clan": "Dòng họ",
    "village": "Thôn/tổ dân phố",
    "unit": "Đơn vị",
    "person": "Cá nhân",
    "commune": "Xã/phường",
}
SCORINGS: dict[str, str] = {
    "points": "Chấm điểm",
    "pass_fail": "Đạt/không đạt từng chỉ tiêu",
}
# Who enters an aggregate form: each village's row, the commune once, or the
# consolidating office about itself (figures no commune holds, such as the
# qualifications of district officials in the Đông Triều plan).
SCOPES: dict[str, str] = {
    "village": "Theo thôn",
    "commune": "Toàn xã",
    "office": "Cơ quan tổng hợp",
}


@dataclass(frozen=True)
class DefinitionKey:
    """What a record keeps to know which definition it was made with."""

    id: str
    version: int

    def __str__(self) -> str:
        return f"{self.id}@{self.version}"


@dataclass(frozen=True, eq=False)
class Field:
    """One field of a definition.

    Attributes:
        id: The key of the value in a record.
        label: What the form shows, in Vietnamese.
        type: The field-type object (parses, formats, validates).
        required: Whether a value must be entered.
        help: A longer explanation for the form.
        visible_if: Shown (and validated) only when this holds.
        required_if: Required only when this holds.
        check: Must hold when every field it names has a value.
        check_message: What to say when ``check`` does not hold.
        criterion: For the scored fields of a criteria set, the criterion id.
    """

    id: str
    label: str
    type: FieldType
    required: bool = False
    help: str = ""
    visible_if: Expr | None = None
    required_if: Expr | None = None
    check: Expr | None = None
    check_message: str = ""
    criterion: str | None = None


@dataclass(frozen=True)
class Indicator:
    """A scored line under a criterion (an "chỉ số" or "chỉ tiêu").

    Attributes:
        max: Its maximum points; ``None`` in a pass/fail set.
        levels: The levels that require it; empty means every level.
        help: A longer explanation for the form.
    """

    id: str
    title: str
    max: Decimal | None
    levels: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class Criterion:
    """A criterion (tiêu chí): scored through its indicators, or as a whole.

    Attributes:
        max: Its maximum points; ``None`` in a pass/fail set.
        indicators: Its indicators; empty when the criterion is scored itself.
        pass_min: The least points it needs for the set to pass, if any.
        levels: The levels requiring it (or, by default, its indicators).
        help: A longer explanation (what counts, where the text comes from).
    """

    id: str
    title: str
    max: Decimal | None
    indicators: tuple[Indicator, ...] = ()
    pass_min: Decimal | None = None
    levels: tuple[str, ...] = ()
    help: str = ""

    @property
    def scored(self) -> tuple[Indicator, ...]:
        """The lines that hold values: the indicators, or the criterion itself."""
        if self.indicators:
            return self.indicators
        return (Indicator(self.id, self.title, self.max, self.levels, self.help),)


@dataclass(frozen=True)
class PassRule:
    """A rule that an evaluation passes; every condition given must hold.

    Attributes:
        min_total: The least total points (points sets).
        min_per_indicator: The least points of every indicator (points sets).
        min_per_criterion: The least points of every criterion (points sets).
        all_indicators: Every indicator passed (pass/fail sets); in a level,
            every indicator that the level requires.
        min_passed: The least number of indicators passed (pass/fail sets).
    """

    min_total: Decimal | None = None
    min_per_indicator: Decimal | None = None
    min_per_criterion: Decimal | None = None
    all_indicators: bool = False
    min_passed: int | None = None


@dataclass(frozen=True)
class Variant:
    """A named alternative pass rule (e.g. "vùng đặc biệt khó khăn")."""

    id: str
    title: str
    rule: PassRule


@dataclass(frozen=True)
class Level:
    """A recognition level (mức độ); levels are cumulative, in file order."""

    id: str
    title: str
    rule: PassRule


@dataclass(frozen=True, eq=False)
class Definition:
    """A form, a criteria set or an aggregate form, as loaded.

    Attributes:
        fields: Every field, declared ones first, then the scored ones.
        total: The declared maximum of a points set.
        scoring: ``points`` or ``pass_fail`` (criteria sets).
        pass_rule: When the set is passed; see :class:`PassRule`.
        variants: Alternative pass rules, by id.
        levels: Recognition levels, lowest first.
        path: The file it was read from.
        text: The file's text (copies start from it).
    """

    id: str
    version: int
    kind: str
    title: str
    description: str = ""
    subject: str | None = None
    model: str | None = None
    scope: str | None = None
    source: str = ""
    note: str = ""
    copied_from: str | None = None
    fields: tuple[Field, ...] = ()
    total: Decimal | None = None
    scoring: str = "points"
    criteria: tuple[Criterion, ...] = ()
    pass_rule: PassRule | None = None
    variants: tuple[Variant, ...] = ()
    levels: tuple[Level, ...] = ()
    path: Path | None = None
    text: str = dataclasses.field(default="", repr=False)

    @property
    def key(self) -> DefinitionKey:
        return DefinitionKey(self.id, self.version)

    def field(self, field_id: str) -> Field:
        """The field ``field_id``.

        Raises:
            KeyError: when there is none.
        """
        for item in self.fields:
            if item.id == field_id:
                return item
        raise KeyError(field_id)

    @property
    def scored_fields(self) -> tuple[Field, ...]:
        """The fields that hold the points or pass marks of a criteria set."""
        return tuple(f for f in self.fields if f.criterion is not None)
