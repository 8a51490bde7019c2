"""Persons: the members of households, as the literacy survey records them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from xhht_desktop.core.registers import PersonDraft, normalise_person, validate_person
from xhht_desktop.errors import FieldIssue, NotFound, StaleRecord, ValidationFailed
from xhht_desktop.store.models import Person, utcnow
from xhht_desktop.store.repositories import (
    HouseholdRepository,
    PersonFilter,
    PersonRepository,
    PersonRow,
)

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext

_FIELDS = (
    "household_id",
    "full_name",
    "relationship_to_head",
    "birth_date",
    "birth_year",
    "sex",
    "ethnicity_code",
    "grade",
    "literacy_stage",
    "disabled",
    "residence",
)


class PersonService:
    def __init__(self, context: AppContext) -> None:
        self.context = context

    def count(self, flt: PersonFilter) -> int:
        with self.context.reading() as session:
            return PersonRepository(session).count(flt)

    def page(self, flt: PersonFilter, offset: int, limit: int) -> list[PersonRow]:
        with self.context.reading() as session:
            return PersonRepository(session).page(flt, offset, limit)

    def get(self, person_id: str) -> PersonRow:
        with self.context.reading() as session:
            row = PersonRepository(session).row(person_id)
        if row is None:
            raise NotFound("Không tìm thấy người này (có thể đã bị xóa).")
        return row

    def register_count(self) -> int:
        """How many persons :meth:`in_register_order` yields."""
        with self.context.reading() as session:
            return PersonRepository(session).register_count()

    def in_register_order(self) -> Iterator[PersonRow]:
        """Every live person, by village, household code, head first, then oldest first.

        For the Sổ theo dõi: streamed from one query; the reading session
        stays open until the rows are read to the end or the iterator is closed.
        """
        with self.context.reading() as session:
            yield from PersonRepository(session).in_register_order()

    def members(self, household_id: str) -> list[PersonRow]:
        return self.page(PersonFilter(household_id=household_id), 0, 1000)

    def check(self, draft: PersonDraft, today: date | None = None) -> list[FieldIssue]:
        """Problems of a draft without saving it (for messages while typing)."""
        return validate_person(normalise_person(draft), today or date.today())

    def save(
        self, draft: PersonDraft, person_id: str | None = None, expected_revision: int | None = None
    ) -> PersonRow:
        """Add a person (``person_id`` is None) or change one."""
        self.context.require("edit_registers")
        owner = self.context.setup.require().owner_code
        draft = normalise_person(draft)
        issues = validate_person(draft, date.today())
        with self.context.transaction() as session:
            if draft.household_id and HouseholdRepository(session).get(draft.household_id) is None:
                issues.append(FieldIssue("household_id", "Hộ gia đình đã chọn không còn tồn tại."))
            if issues:
                raise ValidationFailed(issues)
            if person_id is None:
                person = Person(commune_code=owner)
                session.add(person)
            else:
                found = PersonRepository(session).get(person_id)
                if found is None:
                    raise NotFound("Không tìm thấy người này (có thể đã bị xóa).")
                if expected_revision is not None and found.revision != expected_revision:
                    raise StaleRecord()
                person = found
            for name in _FIELDS:
                setattr(person, name, getattr(draft, name))
            session.flush()
            person_id = person.id
        return self.get(person_id)

    def delete(self, person_id: str) -> None:
        self.context.require("edit_registers")
        with self.context.transaction() as session:
            person = PersonRepository(session).get(person_id)
            if person is None:
                raise NotFound("Không tìm thấy người này.")
            person.deleted_at = utcnow()
