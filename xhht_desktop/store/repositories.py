"""Queries over the registers, handing back plain rows (never live ORM objects).

Repositories read and add; they never commit. The services own transactions.
Lists are paged (``offset``/``limit``) so that a window over 200,000 persons
only ever holds the rows on screen.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from xhht_desktop.core import text as vntext
from xhht_desktop.core.registers import RELATIONSHIPS
from xhht_desktop.store.models import Household, Person, Village

HEAD_OF_HOUSEHOLD = RELATIONSHIPS[0]
""""Chủ hộ": the relationship that lists a person first in their household."""


@dataclass(frozen=True)
class VillageRow:
    id: str
    kind: str
    name: str
    households: int
    persons: int
    revision: int


@dataclass(frozen=True)
class HouseholdRow:
    id: str
    code: str
    village_id: str
    village_name: str
    head_name: str
    address: str
    members: int
    revision: int


@dataclass(frozen=True)
class PersonRow:
    id: str
    household_id: str
    household_code: str
    village_id: str
    village_name: str
    full_name: str
    relationship_to_head: str
    birth_date: date | None
    birth_year: int
    sex: str
    ethnicity_code: str
    grade: int
    literacy_stage: int
    disabled: bool
    residence: str
    revision: int


@dataclass(frozen=True)
class PersonFilter:
    """What the persons list shows; every field left empty means "all"."""

    search: str = ""
    village_id: str | None = None
    household_id: str | None = None
    sex: str | None = None
    ethnicity_code: str | None = None
    birth_year_from: int | None = None
    birth_year_to: int | None = None
    residence: str | None = None
    literacy_level: int | None = None
    """0 not literate, 1 or 2: exactly that level (Nghị định 20/2014, Art. 19)."""
    literacy_level_from: int | None = None
    """At least this level: 1 gives the literate (level 2 implies level 1)."""


@dataclass(frozen=True)
class HouseholdFilter:
    search: str = ""
    village_id: str | None = None


def _live(model: type[Village] | type[Household] | type[Person]) -> object:
    return model.deleted_at.is_(None)


def _match_all(column: object, query: str) -> list[object]:
    # Each word of the query must occur in the folded key: "nguyen an" finds
    # "Nguyễn Văn An". LIKE metacharacters in the query are escaped.
    conditions = []
    for token in vntext.search_tokens(query):
        escaped = token.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(column.like(f"%{escaped}%", escape="\\"))  # type: ignore[attr-defined]
    return conditions


class VillageRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def list(self) -> list[VillageRow]:
        households = (
            select(Household.village_id, func.count().label("n"))
            .where(_live(Household))
            .group_by(Household.village_id)
            .subquery()
        )
        persons = (
            select(Household.village_id, func.count().label("n"))
            .join(Person, Person.household_id == Household.id)
            .where(_live(Household), _live(Person))
            .group_by(Household.village_id)
            .subquery()
        )
        rows = self.session.execute(
            select(Village, func.coalesce(households.c.n, 0), func.coalesce(persons.c.n, 0))
            .outerjoin(households, households.c.village_id == Village.id)
            .outerjoin(persons, persons.c.village_id == Village.id)
            .where(_live(Village))
            .order_by(Village.sort_key)
        ).all()
        return [VillageRow(v.id, v.kind, v.name, n_h, n_p, v.revision) for v, n_h, n_p in rows]

    def get(self, village_id: str) -> Village | None:
        village = self.session.get(Village, village_id)
        return village if village is not None and village.deleted_at is None else None

    def by_name(self, commune_code: str, name: str) -> Village | None:
        return self.session.scalars(
            select(Village).where(
                Village.commune_code == commune_code,
                Village.name_key == vntext.fold(name),
                _live(Village),
            )
        ).first()


class HouseholdRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _members(self) -> Select[tuple[str, int]]:
        return (
            select(Person.household_id, func.count().label("n"))
            .where(_live(Person))
            .group_by(Person.household_id)
        )

    def _filtered(self, flt: HouseholdFilter) -> list[object]:
        conditions: list[object] = [_live(Household)]
        conditions += _match_all(Household.search_key, flt.search)
        if flt.village_id:
            conditions.append(Household.village_id == flt.village_id)
        return conditions

    def count(self, flt: HouseholdFilter) -> int:
        stmt = select(func.count()).select_from(Household).where(*self._filtered(flt))
        return int(self.session.scalar(stmt) or 0)

    def page(self, flt: HouseholdFilter, offset: int, limit: int) -> list[HouseholdRow]:
        ids = (
            select(Household.id)
            .where(*self._filtered(flt))
            .order_by(Household.sort_key, Household.id)
            .offset(offset)
            .limit(limit)
        )
        return self._rows(list(self.session.scalars(ids)))

    def rows(self, household_ids: list[str]) -> list[HouseholdRow]:
        return self._rows(household_ids)

    def _rows(self, household_ids: list[str]) -> list[HouseholdRow]:
        if not household_ids:
            return []
        members = self._members().where(Person.household_id.in_(household_ids)).subquery()
        result = self.session.execute(
            select(Household, Village.name, func.coalesce(members.c.n, 0))
            .join(Village, Village.id == Household.village_id)
            .outerjoin(members, members.c.household_id == Household.id)
            .where(Household.id.in_(household_ids))
        ).all()
        by_id = {
            h.id: HouseholdRow(
                h.id, h.code, h.village_id, village_name, h.head_name, h.address, n, h.revision
            )
            for h, village_name, n in result
        }
        return [by_id[i] for i in household_ids if i in by_id]

    def get(self, household_id: str) -> Household | None:
        household = self.session.get(Household, household_id)
        return household if household is not None and household.deleted_at is None else None

    def by_code(self, commune_code: str, code: str) -> Household | None:
        return self.session.scalars(
            select(Household).where(
                Household.commune_code == commune_code, Household.code == code, _live(Household)
            )
        ).first()


class PersonRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _filtered(self, flt: PersonFilter) -> tuple[list[object], bool]:
        """Conditions for ``flt``, and whether they need the households table."""
        conditions: list[object] = [_live(Person)]
        conditions += _match_all(Person.name_key, flt.search)
        needs_household = False
        if flt.village_id:
            conditions.append(Household.village_id == flt.village_id)
            needs_household = True
        if flt.household_id:
            conditions.append(Person.household_id == flt.household_id)
        if flt.sex:
            conditions.append(Person.sex == flt.sex)
        if flt.ethnicity_code:
            conditions.append(Person.ethnicity_code == flt.ethnicity_code)
        if flt.birth_year_from is not None:
            conditions.append(Person.birth_year >= flt.birth_year_from)
        if flt.birth_year_to is not None:
            conditions.append(Person.birth_year <= flt.birth_year_to)
        if flt.residence:
            conditions.append(Person.residence == flt.residence)
        if flt.literacy_level is not None:
            # Imported here: literacy_queries builds on this module's rows.
            from xhht_desktop.store.literacy_queries import level_expression

            conditions.append(level_expression() == flt.literacy_level)
        if flt.literacy_level_from is not None:
            from xhht_desktop.store.literacy_queries import level_expression

            conditions.append(level_expression() >= flt.literacy_level_from)
        return conditions, needs_household

    def count(self, flt: PersonFilter) -> int:
        conditions, needs_household = self._filtered(flt)
        stmt = select(func.count()).select_from(Person)
        if needs_household:
            stmt = stmt.join(Household, Household.id == Person.household_id)
        return int(self.session.scalar(stmt.where(*conditions)) or 0)

    def page(self, flt: PersonFilter, offset: int, limit: int) -> list[PersonRow]:
        conditions, _ = self._filtered(flt)
        result = self.session.execute(
            select(Person, Household.code, Household.village_id, Village.name)
            .join(Household, Household.id == Person.household_id)
            .join(Village, Village.id == Household.village_id)
            .where(*conditions)
            .order_by(Person.sort_key, Person.id)
            .offset(offset)
            .limit(limit)
        ).all()
        return [
            _person_row(p, code, village_id, village) for p, code, village_id, village in result
        ]

    def row(self, person_id: str) -> PersonRow | None:
        found = self.session.execute(
            select(Person, Household.code, Household.village_id, Village.name)
            .join(Household, Household.id == Person.household_id)
            .join(Village, Village.id == Household.village_id)
            .where(Person.id == person_id, _live(Person))
        ).first()
        return _person_row(*found) if found else None

    def get(self, person_id: str) -> Person | None:
        person = self.session.get(Person, person_id)
        return person if person is not None and person.deleted_at is None else None

    def of_household(self, household_id: str) -> list[Person]:
        return list(
            self.session.scalars(
                select(Person)
                .where(Person.household_id == household_id, _live(Person))
                .order_by(Person.created_at, Person.id)
            )
        )

    def register_count(self) -> int:
        """How many persons :meth:`in_register_order` yields."""
        stmt = (
            select(func.count())
            .select_from(Person)
            .join(Household, Household.id == Person.household_id)
            .where(_live(Person), _live(Household))
        )
        return int(self.session.scalar(stmt) or 0)

    def in_register_order(self, batch: int = 2000) -> Iterator[PersonRow]:
        """Every live person of a live household, in the order a register lists them.

        By village (Vietnamese order), then household code, then the head
        of the household first and the others oldest first. Rows are read
        from the database ``batch`` at a time, so a register of any size
        streams through; columns, not ORM objects, for speed.
        """
        head_first = case((Person.relationship_to_head == HEAD_OF_HOUSEHOLD, 0), else_=1)
        stmt = (
            select(
                Person.id,
                Person.household_id,
                Household.code,
                Household.village_id,
                Village.name,
                Person.full_name,
                Person.relationship_to_head,
                Person.birth_date,
                Person.birth_year,
                Person.sex,
                Person.ethnicity_code,
                Person.grade,
                Person.literacy_stage,
                Person.disabled,
                Person.residence,
                Person.revision,
            )
            .join(Household, Household.id == Person.household_id)
            .join(Village, Village.id == Household.village_id)
            .where(_live(Person), _live(Household))
            .order_by(
                Village.sort_key,
                Village.id,
                Household.code,
                Household.id,
                head_first,
                Person.birth_year,
                Person.sort_key,
                Person.id,
            )
            .execution_options(yield_per=batch)
        )
        for (
            person_id,
            household_id,
            household_code,
            village_id,
            village_name,
            full_name,
            relationship,
            birth_date,
            birth_year,
            sex,
            ethnicity_code,
            grade,
            literacy_stage,
            disabled,
            residence,
            revision,
        ) in self.session.execute(stmt):
            yield PersonRow(
                id=person_id,
                household_id=household_id,
                household_code=household_code,
                village_id=village_id,
                village_name=village_name,
                full_name=full_name,
                relationship_to_head=relationship,
                birth_date=birth_date,
                birth_year=birth_year,
                sex=sex,
                ethnicity_code=ethnicity_code,
                grade=grade,
                literacy_stage=literacy_stage,
                disabled=disabled,
                residence=residence,
                revision=revision,
            )


def _person_row(p: Person, household_code: str, village_id: str, village_name: str) -> PersonRow:
    return PersonRow(
        id=p.id,
        household_id=p.household_id,
        household_code=household_code,
        village_id=village_id,
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


def counts(session: Session) -> dict[str, int]:
    """Live records per register, for ``xhht info`` and the status bar."""
    return {
        name: int(session.scalar(select(func.count()).select_from(model).where(_live(model))) or 0)
        for name, model in (("villages", Village), ("households", Household), ("persons", Person))
    }
