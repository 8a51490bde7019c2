"""Plan targets and the check of an actual figure against them.

A target is a share (percent) that a plan asks an indicator to reach: at
least a value (≥), more than a value (>), exactly a value (=), or a range with
a minimum and a stretch value ("65–70%"). Checking gives a status and the gap
in units of the numerator ("cần thêm 37 hộ"), computed with exact fractions so
that 98.5% of 1,000 people is 985 people, never 984.99.

A missing denominator gives ``NO_DATA``: a figure nobody entered is not 0%.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction


class Comparison(enum.Enum):
    AT_LEAST = ">="
    MORE_THAN = ">"
    EQUAL = "="
    RANGE = "range"


class Status(enum.Enum):
    MET = "met"
    NOT_MET = "not_met"
    WITHIN_RANGE = "within_range"
    ABOVE_STRETCH = "above_stretch"
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def reached(self) -> bool:
        """Whether the plan's minimum is reached."""
        return self in (Status.MET, Status.WITHIN_RANGE, Status.ABOVE_STRETCH)


_STATUS_LABELS = {
    Status.MET: "Đạt",
    Status.NOT_MET: "Chưa đạt",
    Status.WITHIN_RANGE: "Đạt (trong khoảng)",
    Status.ABOVE_STRETCH: "Vượt mức",
    Status.NO_DATA: "Chưa có số liệu",
}


@dataclass(frozen=True)
class Target:
    """What a plan asks of one indicator, as a percentage.

    Attributes:
        comparison: How the actual value is compared.
        value: The percentage (the minimum of a range), e.g. ``Fraction("98.5")``.
        stretch: The upper value of a range target, else ``None``.
    """

    comparison: Comparison
    value: Fraction
    stretch: Fraction | None = None

    def __post_init__(self) -> None:
        if (self.comparison is Comparison.RANGE) != (self.stretch is not None):
            raise ValueError("a range target needs a stretch value; other targets have none")
        if self.stretch is not None and self.stretch < self.value:
            raise ValueError("the stretch value of a range is below its minimum")

    def describe(self) -> str:
        """The target as a report prints it: "≥ 98,5%", "65–70%"."""
        if self.comparison is Comparison.RANGE:
            return f"{format_percent(self.value)}–{format_percent(self.stretch)}%"
        sign = {Comparison.AT_LEAST: "≥ ", Comparison.MORE_THAN: "> ", Comparison.EQUAL: ""}
        return f"{sign[self.comparison]}{format_percent(self.value)}%"


@dataclass(frozen=True)
class TargetCheck:
    """An actual figure against its target.

    Attributes:
        value: The actual percentage, exact; ``None`` without a denominator.
        status: Met, not met, within the range, above the stretch, or no data.
        gap: How many more units the numerator needs to reach the minimum
            (0 when reached; ``None`` without data or for an exact-value target
            that is overshot).
    """

    numerator: int | None
    denominator: int | None
    value: Fraction | None
    status: Status
    gap: int | None


def format_percent(value: Fraction | None, places: int = 2) -> str:
    """A percentage as Vietnamese text: comma decimal, no trailing zeros."""
    if value is None:
        return "—"
    rounded = round(Fraction(value), places)
    text = f"{float(rounded):.{places}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _needed(target_share: Fraction, denominator: int, strictly_more: bool) -> int:
    """The smallest numerator whose share reaches ``target_share`` percent."""
    exact = target_share * denominator / 100
    if strictly_more:
        return math.floor(exact) + 1
    return math.ceil(exact)


def check(target: Target, numerator: int | None, denominator: int | None) -> TargetCheck:
    """Compare ``numerator / denominator`` with ``target``."""
    if numerator is None or not denominator:
        return TargetCheck(numerator, denominator, None, Status.NO_DATA, None)
    value = Fraction(numerator * 100, denominator)
    if target.comparison is Comparison.EQUAL:
        met = value == target.value
        needed = _needed(target.value, denominator, strictly_more=False)
        gap = max(0, needed - numerator) if value < target.value else (0 if met else None)
        return TargetCheck(
            numerator, denominator, value, Status.MET if met else Status.NOT_MET, gap
        )
    strictly = target.comparison is Comparison.MORE_THAN
    reached = value > target.value if strictly else value >= target.value
    gap = max(0, _needed(target.value, denominator, strictly) - numerator)
    if not reached:
        status = Status.NOT_MET
    elif target.comparison is Comparison.RANGE:
        assert target.stretch is not None
        status = Status.ABOVE_STRETCH if value > target.stretch else Status.WITHIN_RANGE
    else:
        status = Status.MET
    return TargetCheck(numerator, denominator, value, status, gap)


# Worst first: a combined target is as far as its weakest part.
_RANK = {
    Status.NOT_MET: 0,
    Status.NO_DATA: 1,
    Status.WITHIN_RANGE: 2,
    Status.MET: 3,
    Status.ABOVE_STRETCH: 4,
}


def stretch_gap(target: Target, numerator: int | None, denominator: int | None) -> int | None:
    """How many more units a range target needs to reach its stretch value.

    ``None`` for a target without a stretch value or without data; 0 once
    the stretch value is reached.
    """
    if target.stretch is None or numerator is None or not denominator:
        return None
    return max(0, _needed(target.stretch, denominator, strictly_more=False) - numerator)


def combine(parts: Sequence[TargetCheck]) -> TargetCheck:
    """One check for a target whose parts must all reach it.

    A plan sentence may ask two things of the same people ("100% phụ nữ dưới
    40 tuổi được xóa mù chữ và thụ hưởng các chương trình sau xóa mù chữ"):
    each part is checked against the target, and the target is reached only
    when every part is. A part known to fall short makes it not met even if
    another part has no data; otherwise a part without data makes it no data.

    The figures shown are those of the part that holds the target back (of
    the parts with the worst status, the lowest value); the gap adds up the
    parts' gaps, ``None`` when a part has no data.
    """
    if not parts:
        raise ValueError("a combined target needs at least one part")
    worst = min(parts, key=lambda p: _RANK[p.status])
    holding_back = [p for p in parts if p.status is worst.status]
    shown = min(holding_back, key=lambda p: p.value if p.value is not None else Fraction(0))
    gaps = [p.gap for p in parts]
    gap = None if any(g is None for g in gaps) else sum(g for g in gaps if g is not None)
    return TargetCheck(shown.numerator, shown.denominator, shown.value, worst.status, gap)
