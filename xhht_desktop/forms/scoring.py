"""Scoring an evaluation against a criteria set, by the set's own rules.

``score(definition, scores)`` adds up the points (or counts the indicators
passed) per criterion and in total, and decides *passed* and *level* by the
rules written in the set:

- ``[pass]`` — every condition given must hold: ``min_total``,
  ``min_per_indicator``, ``min_per_criterion`` (and each criterion's own
  ``pass_min``) in a points set; ``all_indicators`` and ``min_passed`` in a
  pass/fail set. ``[[pass.variants]]`` are named alternatives (e.g. the
  lower threshold of especially difficult areas), chosen by the caller.
- ``[[levels]]`` — recognition levels in file order, cumulative: a level is
  reached when it and every level before it hold. In a pass/fail set a
  level's ``all_indicators`` covers the indicators that name the level (or
  name none). Without ``[pass]``, *passed* means the first level is reached.

An evaluation with a missing or invalid score is never passed; its
``issues`` say which, and ``reasons`` say why a complete one did not pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from xhht_desktop.errors import FieldIssue
from xhht_desktop.forms.definitions import (
    Criterion,
    Definition,
    DefinitionKey,
    Indicator,
    Level,
    PassRule,
)
from xhht_desktop.forms.fieldtypes import InvalidValue, format_number, is_empty


@dataclass(frozen=True)
class LineScore:
    """One scored line: an indicator, or a criterion without indicators.

    Attributes:
        value: Points (``Decimal``) or pass mark (``bool``); ``None`` if missing.
        max: Its maximum points (``None`` in a pass/fail set).
        levels: The levels that require it (empty: all).
    """

    id: str
    title: str
    value: Decimal | bool | None
    max: Decimal | None
    levels: tuple[str, ...] = ()

    @property
    def points(self) -> Decimal:
        return self.value if isinstance(self.value, Decimal) else Decimal(0)

    @property
    def passed(self) -> bool:
        return self.value is True


@dataclass(frozen=True)
class CriterionScore:
    """A criterion's result: points (or indicators passed) out of its maximum."""

    id: str
    title: str
    score: Decimal
    max: Decimal
    lines: tuple[LineScore, ...]
    pass_min: Decimal | None = None


@dataclass(frozen=True)
class ScoreResult:
    """The result of scoring one evaluation.

    Attributes:
        definition: The id and version of the set used: store them with it.
        total: Points in a points set; indicators passed in a pass/fail set.
        maximum: The set's total; the number of indicators in a pass/fail set.
        passed: Whether the evaluation passes the set's rule.
        level: The id of the highest level reached, if the set has levels.
        level_title: That level's title.
        variant: The pass-rule variant used, if any.
        reasons: Why it did not pass, in Vietnamese (empty when passed).
        issues: Scores that are missing or invalid.
    """

    definition: DefinitionKey
    criteria: tuple[CriterionScore, ...]
    total: Decimal
    maximum: Decimal
    passed: bool
    level: str | None = None
    level_title: str | None = None
    variant: str | None = None
    reasons: tuple[str, ...] = ()
    issues: tuple[FieldIssue, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.issues

    def criterion(self, criterion_id: str) -> CriterionScore:
        """The result of one criterion.

        Raises:
            KeyError: when the set has no such criterion.
        """
        for item in self.criteria:
            if item.id == criterion_id:
                return item
        raise KeyError(criterion_id)


def _line(
    definition: Definition, line: Indicator, scores: Mapping[str, object], issues: list[FieldIssue]
) -> LineScore:
    field = definition.field(line.id)
    value: object = None
    try:
        value = field.type.coerce(scores.get(line.id))
    except InvalidValue as exc:
        issues.append(FieldIssue(line.id, exc.message))
        return LineScore(line.id, line.title, None, line.max, line.levels)
    if is_empty(value):
        issues.append(FieldIssue(line.id, field.type.required_message(field.label)))
        value = None
    else:
        message = field.type.check(value, field.label)
        if message is not None:
            issues.append(FieldIssue(line.id, message))
            value = None
    return LineScore(line.id, line.title, value, line.max, line.levels)  # type: ignore[arg-type]


def _criterion(
    definition: Definition,
    criterion: Criterion,
    scores: Mapping[str, object],
    issues: list[FieldIssue],
) -> CriterionScore:
    lines = tuple(_line(definition, line, scores, issues) for line in criterion.scored)
    if definition.scoring == "points":
        score = sum((line.points for line in lines), Decimal(0))
        maximum = criterion.max or Decimal(0)
    else:
        score = Decimal(sum(1 for line in lines if line.passed))
        maximum = Decimal(len(lines))
    return CriterionScore(criterion.id, criterion.title, score, maximum, lines, criterion.pass_min)


def _failures(
    rule: PassRule, criteria: tuple[CriterionScore, ...], total: Decimal, level: str | None = None
) -> list[str]:
    """Why ``rule`` does not hold, one sentence per failed condition."""
    failures: list[str] = []
    n = format_number
    if rule.min_total is not None and total < rule.min_total:
        failures.append(f"Tổng điểm {n(total)} thấp hơn mức cần đạt {n(rule.min_total)}.")
    for crit in criteria:
        least = crit.pass_min
        if rule.min_per_criterion is not None:
            least = max(least or Decimal(0), rule.min_per_criterion)
        if least is not None and crit.score < least:
            failures.append(
                f"Tiêu chí '{crit.title}' được {n(crit.score)} điểm, dưới mức cần đạt {n(least)}."
            )
        for line in crit.lines:
            applies = level is None or not line.levels or level in line.levels
            if rule.min_per_indicator is not None and line.points < rule.min_per_indicator:
                failures.append(
                    f"Chỉ số '{line.title}' được {n(line.points)} điểm, "
                    f"dưới mức tối thiểu {n(rule.min_per_indicator)}."
                )
            if rule.all_indicators and applies and not line.passed:
                failures.append(f"Chỉ tiêu '{line.title}' chưa đạt.")
    if rule.min_passed is not None:
        passed = sum(1 for crit in criteria for line in crit.lines if line.passed)
        if passed < rule.min_passed:
            failures.append(f"Mới đạt {passed} chỉ tiêu, cần ít nhất {rule.min_passed}.")
    return failures


def score(
    definition: Definition, scores: Mapping[str, object], variant: str | None = None
) -> ScoreResult:
    """Score an evaluation by the rules of its criteria set.

    Args:
        definition: A criteria set (``kind = "criteria"``).
        scores: Points or pass marks by indicator id (typed, or text to parse);
            other keys (notes, declared fields) are ignored here.
        variant: The id of a ``[[pass.variants]]`` rule to use instead of ``[pass]``.

    Raises:
        ValueError: when ``definition`` is not a criteria set, or has no such variant.
    """
    if definition.kind != "criteria":
        raise ValueError(f"'{definition.id}' is a {definition.kind}, not a criteria set")
    rule = definition.pass_rule
    if variant is not None:
        chosen = next((v for v in definition.variants if v.id == variant), None)
        if chosen is None:
            raise ValueError(f"criteria set '{definition.id}' has no variant '{variant}'")
        rule = chosen.rule
    issues: list[FieldIssue] = []
    criteria = tuple(_criterion(definition, c, scores, issues) for c in definition.criteria)
    total = sum((c.score for c in criteria), Decimal(0))
    maximum = sum((c.max for c in criteria), Decimal(0))
    reached: Level | None = None
    first_failures: list[str] = []
    for index, level in enumerate(definition.levels):
        failures = _failures(level.rule, criteria, total, level.id)
        if failures:
            if index == 0:
                first_failures = failures
            break
        reached = level
    reasons = _failures(rule, criteria, total) if rule is not None else first_failures
    if issues:
        reasons = [f"Chưa chấm đủ hoặc có điểm không hợp lệ ({len(issues)} chỉ số).", *reasons]
        reached = None
    return ScoreResult(
        definition=definition.key,
        criteria=criteria,
        total=total,
        maximum=maximum,
        passed=not reasons,
        level=reached.id if reached else None,
        level_title=reached.title if reached else None,
        variant=variant,
        reasons=tuple(reasons),
        issues=tuple(issues),
    )
