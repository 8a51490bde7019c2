"""Literacy queries: the survey's group counts and its lists, in SQL.

Rates over 200,000 persons must not pull 200,000 rows into Python. The
database groups the counted persons by birth year, sex, ethnicity, exemption
and literacy level (and village, for the statistical table) — a few thousand
rows — and ``core.literacy`` adds those up into bands. The level is a SQL
``CASE`` built from ``core.literacy.LEVEL_RULES``, so SQL and Python apply the
same thresholds (a test compares them on every grade × stage).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from xhht_desktop.core import literacy
from xhht_desktop.core.registers import COUNTED_RESIDENCES
from xhht_desktop.store.models import Household, Person, Village
from xhht_desktop.store.repositories import PersonRow, _person_row


def level_expression(
    grade: ColumnElement[int] | None = None, stage: ColumnElement[int] | None = None
) -> ColumnElement[int]:
    """The literacy level (0, 1, 2) of a row, as ``core.literacy.level`` gives it.

    Args:
        grade: The grade column; ``persons.grade`` by default.
        stage: The literacy-stage column; ``persons.literacy_stage`` by default.
    """
    grade = Person.grade if grade is None else grade
    stage = Person.literacy_stage if stage is None else stage
    return case(
        *(
            (or_(grade >= rule.min_grade, stage >= rule.min_stage), rule.level)
            for rule in literacy.LEVEL_RULES
        ),
        else_=literacy.NOT_LITERATE,
    )


def counted_conditions() -> list[ColumnElement[bool]]:
    """Live persons whose residence the survey counts (thường trú, tạm trú)."""
    return [Person.deleted_at.is_(None), Person.residence.in_(sorted(COUNTED_RESIDENCES))]


def _of_commune(commune_code: str | None) -> list[ColumnElement[bool]]:
    """Only ``commune_code``'s persons (an office holds many communes'); all when ``None``."""
    return [] if commune_code is None else [Person.commune_code == commune_code]


def _unindexed_birth_year(first: int, last: int) -> ColumnElement[bool]:
    """``birth_year BETWEEN first AND last``, in a form no index can serve."""
    return (Person.birth_year + 0).between(first, last)


def _age_between(year: int, band: literacy.Band) -> ColumnElement[bool]:
    # The target group holds most people: a straight read of the table is
    # about five times faster than hopping from the birth-year index (the
    # lists for action are read on the GUI thread).
    return _unindexed_birth_year(*band.birth_years(year))


@dataclass(frozen=True)
class ListQuery:
    """Which people a literacy list holds.

    Attributes:
        year: Survey year; ages are counted in it.
        band: Ages to include (the target group, 15 to the upper age).
        village_id: Only this village; ``None`` for the whole commune.
        commune_code: Only this commune's people (at an office); ``None``
            for every person in the database.
    """

    year: int
    band: literacy.Band
    village_id: str | None = None
    commune_code: str | None = None


class LiteracyQueries:
    """Read-only queries of the literacy survey, on one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def groups(
        self, birth_year_from: int, birth_year_to: int, commune_code: str | None = None
    ) -> list[literacy.GroupCount]:
        """Counted persons born in the range, grouped for ``core.literacy``.

        One row per birth year × sex × ethnicity × exemption × level; the
        persons table is read once, without the households.

        Args:
            birth_year_from: Earliest birth year to count.
            birth_year_to: Latest birth year to count.
            commune_code: Only this commune's persons (an office holds many
                communes'); every person when ``None``.
        """
        level = level_expression().label("level")
        # The leading GROUP BY column has no index and the birth-year range is
        # written as an expression: SQLite then reads the table straight
        # through instead of hopping from the birth-year index to each row,
        # which is three times slower when the range holds most people.
        keys: list[ColumnElement[object]] = [
            Person.disabled,
            level,
            Person.sex,
            Person.ethnicity_code,
            Person.birth_year,
        ]
        stmt = (
            select(*keys, func.count())
            .where(
                *counted_conditions(),
                *_of_commune(commune_code),
                _unindexed_birth_year(birth_year_from, birth_year_to),
            )
            .group_by(*keys)
        )
        return [
            literacy.GroupCount(
                birth_year=birth_year,
                sex=sex,
                ethnicity_code=code,
                disabled=bool(disabled),
                level=lv,
                count=count,
            )
            for disabled, lv, sex, code, birth_year, count in self.session.execute(stmt)
        ]

    def village_groups(
        self, year: int, segments: Sequence[literacy.Band], commune_code: str | None = None
    ) -> list[literacy.GroupCount]:
        """Counted persons grouped by village, exemption, level and age segment.

        For the statistical table, which needs neither sex nor ethnicity
        (left empty in the rows). Ages are grouped into ``segments``
        (``core.literacy.age_segments``): every age of a segment falls in the
        same bands, so each row's ``birth_year`` is the segment's latest birth
        year and stands for all of them. A few thousand rows instead of one
        per village × birth year × sex × ethnicity.

        Args:
            year: Survey year.
            segments: Disjoint age segments covering the table's bands.
            commune_code: Only this commune's persons; all when ``None``.
        """
        if not segments:
            return []
        segment = case(
            *(
                (Person.birth_year.between(*seg.birth_years(year)), year - seg.age_from)
                for seg in segments
            ),
            else_=None,
        ).label("segment")
        level = level_expression().label("level")
        first = min(seg.birth_years(year)[0] for seg in segments)
        last = max(seg.birth_years(year)[1] for seg in segments)
        keys: list[ColumnElement[object]] = [
            Person.disabled,
            level,
            segment,
            Household.village_id,
        ]
        stmt = (
            select(*keys, func.count())
            .join(Household, Household.id == Person.household_id)
            .where(
                *counted_conditions(),
                *_of_commune(commune_code),
                Household.deleted_at.is_(None),
                _unindexed_birth_year(first, last),
            )
            .group_by(*keys)
        )
        return [
            literacy.GroupCount(
                birth_year=birth_year,
                sex="",
                ethnicity_code="",
                disabled=bool(disabled),
                level=lv,
                count=count,
                village_id=village_id,
            )
            for disabled, lv, birth_year, village_id, count in self.session.execute(stmt)
            if birth_year is not None
        ]

    def villages(self, commune_code: str | None = None) -> list[tuple[str, str]]:
        """``(id, name)`` of every live village (of one commune if given), in Vietnamese order."""
        stmt = select(Village.id, Village.name).where(Village.deleted_at.is_(None))
        if commune_code is not None:
            stmt = stmt.where(Village.commune_code == commune_code)
        rows = self.session.execute(stmt.order_by(Village.sort_key, Village.id))
        return [(village_id, name) for village_id, name in rows]

    # -- lists, ordered by village, then as registers order names ---------

    def _not_literate(self, query: ListQuery) -> list[ColumnElement[bool]]:
        return [
            *counted_conditions(),
            *_of_commune(query.commune_code),
            _age_between(query.year, query.band),
            Person.disabled.is_(False),
            level_expression() == literacy.NOT_LITERATE,
        ]

    def _exempt(self, query: ListQuery) -> list[ColumnElement[bool]]:
        return [
            *counted_conditions(),
            *_of_commune(query.commune_code),
            _age_between(query.year, query.band),
            Person.disabled,
        ]

    def not_literate_count(self, query: ListQuery) -> int:
        return self._count(self._not_literate(query), query.village_id)

    def not_literate(self, query: ListQuery, offset: int, limit: int) -> list[PersonRow]:
        """People of the band who reach no level and are not exempt."""
        return self._page(self._not_literate(query), query.village_id, offset, limit)

    def exempt_count(self, query: ListQuery) -> int:
        return self._count(self._exempt(query), query.village_id)

    def exempt(self, query: ListQuery, offset: int, limit: int) -> list[PersonRow]:
        """People of the band with a disability that prevents learning."""
        return self._page(self._exempt(query), query.village_id, offset, limit)

    def quality_candidates(self, year: int, commune_code: str | None = None) -> list[PersonRow]:
        """Counted persons whose record *may* contradict itself in ``year``.

        A coarse SQL filter that holds every record ``core.literacy.
        quality_issues`` can flag (and a few more); the caller applies the
        rules themselves to these rows only.
        """
        person_age = year - Person.birth_year
        youngest_stage = literacy.earliest_age(max(literacy.STAGE_EQUIVALENT_GRADE.values()))
        suspicious = or_(
            Person.birth_year > year,
            person_age > literacy.MAX_PLAUSIBLE_AGE,
            and_(Person.grade >= literacy.LEVEL_2_MIN_GRADE, Person.literacy_stage > 0),
            and_(
                Person.grade > 0,
                person_age - Person.grade < literacy.EARLIEST_COMPLETION_OFFSET,
            ),
            and_(Person.literacy_stage > 0, person_age < youngest_stage),
        )
        return self._page(
            [*counted_conditions(), *_of_commune(commune_code), suspicious], None, 0, None
        )

    def _count(self, conditions: list[ColumnElement[bool]], village_id: str | None) -> int:
        stmt = select(func.count()).select_from(Person)
        if village_id is not None:
            stmt = stmt.join(Household, Household.id == Person.household_id).where(
                Household.village_id == village_id
            )
        return int(self.session.scalar(stmt.where(*conditions)) or 0)

    def _page(
        self,
        conditions: list[ColumnElement[bool]],
        village_id: str | None,
        offset: int,
        limit: int | None,
    ) -> list[PersonRow]:
        stmt: Select[tuple[Person, str, str, str]] = (
            select(Person, Household.code, Household.village_id, Village.name)
            .join(Household, Household.id == Person.household_id)
            .join(Village, Village.id == Household.village_id)
            .where(*conditions)
            .order_by(Village.sort_key, Village.id, Person.sort_key, Person.id)
            .offset(offset)
            .limit(limit)
        )
        if village_id is not None:
            stmt = stmt.where(Household.village_id == village_id)
        return [
            _person_row(person, code, village, name)
            for person, code, village, name in self.session.execute(stmt)
        ]
