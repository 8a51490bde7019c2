"""Indicator values and plan checks for a year: the one place figures come from.

The dashboard, the reports and ``xhht indicators`` call :meth:`IndicatorService.values`
or :meth:`IndicatorService.evaluate`; both compute through the registry of
:mod:`xhht_desktop.core.indicators`, so a report cannot disagree with the
screen. Each source is read once per call, and only if an asked indicator
needs it: the learning models' counting query (``learning_models.counts``),
one grouped query of the persons register, and one read of the year's
aggregate-form rows.

:meth:`IndicatorService.behind` lists the records behind a figure (the
households not yet registered in Thôn 4, the not-literate H'Mông women…)
for a dashboard's drill-down.

At a consolidating office, :meth:`IndicatorService.values` and
:meth:`IndicatorService.evaluate` take a ``commune_code``: the same reads,
restricted to that commune's records, so that the office's figures of a
commune are computed by the very code the commune computes them with
(``services.consolidation`` sums them into the office's totals).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, case, func, literal, select
from sqlalchemy.orm import Session

from xhht_desktop.core import indicators as registry
from xhht_desktop.core.indicators import (
    AggregatePair,
    AggregateYes,
    Indicator,
    IndicatorValue,
    LiterateShare,
    ModelShare,
    Sources,
    SubjectCounts,
)
from xhht_desktop.core.literacy import LEVEL_1, NOT_LITERATE, GroupCount, age_segments
from xhht_desktop.core.plans import PlanEvaluation, evaluate
from xhht_desktop.errors import NotFound
from xhht_desktop.forms import Definitions
from xhht_desktop.forms.validation import typed_values
from xhht_desktop.services.aggregates import AggregateRow
from xhht_desktop.services.learning_models import current_definitions, figures
from xhht_desktop.store.literacy_queries import counted_conditions, level_expression
from xhht_desktop.store.model_queries import EntryFilter, EntryRow, count_models
from xhht_desktop.store.models import AggregateValue, Household, Person, Village
from xhht_desktop.store.repositories import PersonRow

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext

DEFAULT_PAGE = 1000


@dataclass(frozen=True)
class StoredAggregate:
    """One stored row of an aggregate form, typed by the definition it was entered with."""

    entry_id: str
    definition_id: str
    definition_version: int
    village_id: str | None
    values: dict[str, object]


def live_villages(session: Session, commune_code: str | None = None) -> tuple[tuple[str, str], ...]:
    """``(id, name)`` of every live village (of ``commune_code`` if given), in Vietnamese order."""
    stmt = select(Village.id, Village.name).where(Village.deleted_at.is_(None))
    if commune_code is not None:
        stmt = stmt.where(Village.commune_code == commune_code)
    rows = session.execute(stmt.order_by(Village.sort_key, Village.id))
    return tuple((village_id, name) for village_id, name in rows)


def stored_aggregates(
    session: Session,
    year: int,
    definitions: Definitions,
    village_ids: Iterable[str],
    commune_code: str | None = None,
) -> list[StoredAggregate]:
    """Every live aggregate-form row of ``year`` whose scope still exists, typed.

    A village-form row of a deleted village is left out, as the form's grid
    leaves it out; so is a row whose form no longer loads.

    Args:
        commune_code: Only the rows this commune (or office) owns. An office
            holds the rows of many communes, which are consolidated, not
            mixed (the consolidation comes with the data packages).
    """
    villages = set(village_ids)
    found = []
    stmt = select(AggregateValue).where(
        AggregateValue.year == year, AggregateValue.deleted_at.is_(None)
    )
    if commune_code is not None:
        stmt = stmt.where(AggregateValue.commune_code == commune_code)
    for row in session.scalars(stmt):
        definition = definitions.get(row.definition_id, row.definition_version) or (
            definitions.get(row.definition_id)
        )
        if definition is None or definition.kind != "aggregate":
            continue
        if (definition.scope == "village") != (row.village_id is not None):
            continue
        if row.village_id is not None and row.village_id not in villages:
            continue
        typed, _errors = typed_values(definition, json.loads(row.figures or "{}"))
        found.append(
            StoredAggregate(
                row.id, row.definition_id, row.definition_version, row.village_id, typed
            )
        )
    return found


def _persons_groups(
    session: Session, year: int, codes: Iterable[str], commune_code: str | None = None
) -> list[GroupCount]:
    """The counted, not exempt persons the persons indicators among ``codes`` count.

    Grouped as coarsely as the indicators allow, so that the database adds
    up and hands back a few hundred rows rather than one per birth year:
    by village, sex, literate or not, age segment (``core.literacy.
    age_segments`` of the bands asked for; a row's ``birth_year`` stands for
    its whole segment) and ethnicity (the codes an indicator names; others
    are ``""``). Only ``commune_code``'s persons when it is given.
    """
    specs = [
        spec
        for spec in (registry.indicator(c).spec for c in registry.expand(codes))
        if isinstance(spec, LiterateShare)
    ]
    if not specs:
        return []
    segments = age_segments(spec.band for spec in specs)
    segment = case(
        *(
            (Person.birth_year.between(*seg.birth_years(year)), year - seg.age_from)
            for seg in segments
        ),
        else_=None,
    ).label("segment")
    named = sorted({spec.ethnicity for spec in specs if spec.ethnicity is not None})
    ethnicity = (
        case((Person.ethnicity_code.in_(named), Person.ethnicity_code), else_="")
        if named
        else literal("")
    ).label("ethnicity")
    literate = case((level_expression() >= LEVEL_1, LEVEL_1), else_=NOT_LITERATE).label("level")
    first = min(seg.birth_years(year)[0] for seg in segments)
    last = max(seg.birth_years(year)[1] for seg in segments)
    keys: list[ColumnElement[Any]] = [
        literate,
        Person.sex,
        ethnicity,
        segment,
        Household.village_id,
    ]
    # The same counted persons as the literacy survey (live, thường trú or tạm
    # trú), of live households so that each has its village; the exempt are
    # in no indicator's numerator or denominator.
    stmt = (
        select(*keys, func.count())
        .join(Household, Household.id == Person.household_id)
        .where(
            *counted_conditions(),
            Person.disabled.is_(False),
            Household.deleted_at.is_(None),
            (Person.birth_year + 0).between(first, last),
        )
        .group_by(*keys)
    )
    if commune_code is not None:
        stmt = stmt.where(Person.commune_code == commune_code)
    return [
        GroupCount(
            birth_year=birth_year,
            sex=sex,
            ethnicity_code=code,
            disabled=False,
            level=level,
            count=count,
            village_id=village_id,
        )
        for level, sex, code, birth_year, village_id, count in session.execute(stmt)
        if birth_year is not None
    ]


@dataclass(frozen=True)
class RecordsBehind:
    """The records behind one figure, for a drill-down.

    Attributes:
        kind: ``entries`` (learning-model subjects still missing: not
            registered / not recognised), ``persons`` (not literate),
            ``aggregate`` (the form's rows), or ``composite`` (see ``parts``).
        total: How many records there are in all (``rows`` is one page).
        entries: For ``entries``.
        persons: For ``persons``.
        aggregates: For ``aggregate``.
    """

    code: str
    kind: str
    total: int
    entries: tuple[EntryRow, ...] = ()
    persons: tuple[PersonRow, ...] = ()
    aggregates: tuple[AggregateRow, ...] = ()
    parts: tuple[RecordsBehind, ...] = ()
    model: str | None = None
    status: str | None = None
    form_id: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


class IndicatorService:
    """The registry's values and the plans' target checks."""

    def __init__(self, context: AppContext) -> None:
        self.context = context

    def registry(self) -> list[Indicator]:
        """Every indicator, in display order."""
        return list(registry.REGISTRY.values())

    def indicator(self, code: str) -> Indicator:
        """The indicator ``code``.

        Raises:
            NotFound: no indicator has that code.
        """
        found = registry.REGISTRY.get(code)
        if found is None:
            raise NotFound(f"Không có chỉ số «{code}» trong danh mục chỉ số.")
        return found

    def _year(self, year: int | None) -> int:
        return self.context.setup.require().year if year is None else year

    def sources(
        self,
        year: int | None = None,
        codes: Iterable[str] | None = None,
        commune_code: str | None = None,
    ) -> Sources:
        """Read what the indicators ``codes`` (all by default) need for ``year``, once each.

        Args:
            commune_code: Only this commune's records (at an office, which
                holds many communes'). ``None``: every record of the
                database, and this unit's own aggregate-form rows.
        """
        year = self._year(year)
        wanted = registry.expand(registry.REGISTRY if codes is None else list(codes))
        needed = registry.needed_sources(wanted)
        models: dict[str, dict[str | None, SubjectCounts]] = {}
        if "register" in needed:
            if commune_code is None:
                report = self.context.learning_models.counts(year)
            else:
                with self.context.reading() as session:
                    report = figures(year, count_models(session, year, commune_code))
            for row in report.models:
                models[row.model.code] = {
                    r.village_id: SubjectCounts(
                        r.in_scope, r.registered, r.evaluated, r.passed, r.recognised
                    )
                    for r in row.by_village
                }
        aggregates: dict[str, dict[str | None, Mapping[str, object]]] = {}
        with self.context.reading() as session:
            villages = live_villages(session, commune_code)
            persons: list[GroupCount] = []
            if "persons" in needed:
                persons = _persons_groups(session, year, wanted, commune_code)
            if "aggregate" in needed:
                definitions = current_definitions(self.context.settings.data_dir)
                ids = (vid for vid, _ in villages)
                owner = commune_code or self.context.setup.require().owner_code
                for row in stored_aggregates(session, year, definitions, ids, owner):
                    aggregates.setdefault(row.definition_id, {})[row.village_id] = row.values
        return Sources(year, villages, models, persons, aggregates)

    def values(
        self,
        year: int | None = None,
        codes: Iterable[str] | None = None,
        commune_code: str | None = None,
    ) -> dict[str, IndicatorValue]:
        """The value of every indicator among ``codes`` (all by default) for ``year``.

        Args:
            year: The year; the installation's reporting year when ``None``.
            codes: Indicator codes; the parts of a composite come along.
            commune_code: Only this commune's records (see :meth:`sources`).

        Raises:
            NotFound: an unknown code.
        """
        wanted = list(registry.REGISTRY if codes is None else codes)
        for code in wanted:
            self.indicator(code)
        return registry.compute_all(self.sources(year, wanted, commune_code), wanted)

    def evaluate(
        self,
        year: int | None = None,
        plan_id: str | None = None,
        commune_code: str | None = None,
    ) -> PlanEvaluation:
        """Check the targets of a plan (the active one by default) for ``year``.

        Args:
            commune_code: Check one commune's records only (at an office).

        Raises:
            NotFound: no plan ``plan_id``.
        """
        year = self._year(year)
        plan = self.context.plans.active() if plan_id is None else self.context.plans.get(plan_id)
        return evaluate(plan, self.values(year, plan.indicator_codes, commune_code), year)

    # -- drill-down ------------------------------------------------------------------

    def behind(
        self,
        code: str,
        year: int | None = None,
        village_id: str | None = None,
        offset: int = 0,
        limit: int = DEFAULT_PAGE,
    ) -> RecordsBehind:
        """The records behind indicator ``code``'s gap, in a village or the commune.

        * learning models: the subjects in scope not yet registered (or not
          recognised) in ``year``;
        * literacy: the counted, not exempt people of the band (sex,
          ethnicity) who reach no literacy level;
        * aggregate forms: the form's rows of ``year`` (entered or not);
        * a composite: each part's records.
        """
        year = self._year(year)
        found = self.indicator(code)
        spec = found.spec
        if isinstance(spec, ModelShare):
            status = spec.missing_status
            flt = EntryFilter(village_id=village_id, status=status)
            service = self.context.learning_models
            return RecordsBehind(
                code,
                "entries",
                service.count_entries(spec.model, year, flt),
                entries=tuple(service.entries(spec.model, year, flt, offset, limit)),
                model=spec.model,
                status=status,
            )
        if isinstance(spec, LiterateShare):
            return self._persons_behind(code, spec, year, village_id, offset, limit)
        if isinstance(spec, AggregatePair | AggregateYes):
            rows = [
                row
                for row in self.context.aggregates.values(spec.form, year)
                if village_id is None or row.village_id in (village_id, None)
            ]
            return RecordsBehind(
                code, "aggregate", len(rows), aggregates=tuple(rows), form_id=spec.form
            )
        parts = tuple(self.behind(part, year, village_id, offset, limit) for part in found.parts)
        return RecordsBehind(code, "composite", sum(p.total for p in parts), parts=parts)

    def _persons_behind(
        self,
        code: str,
        spec: LiterateShare,
        year: int,
        village_id: str | None,
        offset: int,
        limit: int,
    ) -> RecordsBehind:
        first, last = spec.band.birth_years(year)
        conditions: list[ColumnElement[bool]] = [
            *counted_conditions(),
            Household.deleted_at.is_(None),
            Person.birth_year.between(first, last),
            Person.disabled.is_(False),
            level_expression() == NOT_LITERATE,
        ]
        if spec.sex is not None:
            conditions.append(Person.sex == spec.sex)
        if spec.ethnicity is not None:
            conditions.append(Person.ethnicity_code == spec.ethnicity)
        if village_id is not None:
            conditions.append(Household.village_id == village_id)
        with self.context.reading() as session:
            total = session.scalar(
                select(func.count())
                .select_from(Person)
                .join(Household, Household.id == Person.household_id)
                .where(*conditions)
            )
            rows = session.execute(
                select(Person, Household.code, Household.village_id, Village.name)
                .join(Household, Household.id == Person.household_id)
                .join(Village, Village.id == Household.village_id)
                .where(*conditions)
                .order_by(Village.sort_key, Village.id, Person.sort_key, Person.id)
                .offset(offset)
                .limit(limit)
            ).all()
        persons = tuple(
            PersonRow(
                id=p.id,
                household_id=p.household_id,
                household_code=household_code,
                village_id=village,
                village_name=village_name,
                full_name=p.full_name,
                relationship_to_head=p.relationship_to_head,
                birth_date=p.birth_date,
                birth_year=p.birth_year,
                sex=p.sex,
                ethnicity_code=p.ethnicity_code,
                grade=p.grade,
                literacy_stage=p.literacy_stage,
                disabled=p.disabled,
                residence=p.residence,
                revision=p.revision,
            )
            for p, household_code, village, village_name in rows
        )
        return RecordsBehind(code, "persons", int(total or 0), persons=persons)
