"""Households: code, head, village, address; and their members."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xhht_desktop.core.registers import HouseholdDraft, normalise_household, validate_household
from xhht_desktop.errors import FieldIssue, NotFound, StaleRecord, ValidationFailed
from xhht_desktop.store.models import Household, utcnow
from xhht_desktop.store.repositories import (
    HouseholdFilter,
    HouseholdRepository,
    HouseholdRow,
    PersonRepository,
    VillageRepository,
)

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext


class HouseholdService:
    def __init__(self, context: AppContext) -> None:
        self.context = context

    def count(self, flt: HouseholdFilter) -> int:
        with self.context.reading() as session:
            return HouseholdRepository(session).count(flt)

    def page(self, flt: HouseholdFilter, offset: int, limit: int) -> list[HouseholdRow]:
        with self.context.reading() as session:
            return HouseholdRepository(session).page(flt, offset, limit)

    def get(self, household_id: str) -> HouseholdRow:
        with self.context.reading() as session:
            rows = HouseholdRepository(session).rows([household_id])
        if not rows:
            raise NotFound("Không tìm thấy hộ gia đình này (có thể đã bị xóa).")
        return rows[0]

    def save(
        self,
        draft: HouseholdDraft,
        household_id: str | None = None,
        expected_revision: int | None = None,
    ) -> HouseholdRow:
        """Add a household (``household_id`` is None) or change one."""
        self.context.require("edit_registers")
        owner = self.context.setup.require().owner_code
        draft = normalise_household(draft)
        issues = validate_household(draft)
        with self.context.transaction() as session:
            repo = HouseholdRepository(session)
            if draft.village_id and VillageRepository(session).get(draft.village_id) is None:
                issues.append(
                    FieldIssue("village_id", "Thôn/tổ dân phố đã chọn không còn tồn tại.")
                )
            same_code = repo.by_code(owner, draft.code) if draft.code else None
            if same_code is not None and same_code.id != household_id:
                issues.append(
                    FieldIssue(
                        "code", f"Mã hộ '{draft.code}' đã dùng cho hộ {same_code.head_name}."
                    )
                )
            if issues:
                raise ValidationFailed(issues)
            if household_id is None:
                household = Household(
                    commune_code=owner,
                    code=draft.code,
                    village_id=draft.village_id,
                    head_name=draft.head_name,
                    address=draft.address,
                )
                session.add(household)
            else:
                found = repo.get(household_id)
                if found is None:
                    raise NotFound("Không tìm thấy hộ gia đình này (có thể đã bị xóa).")
                if expected_revision is not None and found.revision != expected_revision:
                    raise StaleRecord()
                household = found
                household.code = draft.code
                household.village_id = draft.village_id
                household.head_name = draft.head_name
                household.address = draft.address
            session.flush()
            household_id = household.id
        return self.get(household_id)

    def delete(self, household_id: str) -> int:
        """Soft-delete a household and its members; returns how many members went."""
        self.context.require("edit_registers")
        with self.context.transaction() as session:
            household = HouseholdRepository(session).get(household_id)
            if household is None:
                raise NotFound("Không tìm thấy hộ gia đình này.")
            now = utcnow()
            members = PersonRepository(session).of_household(household_id)
            for person in members:
                person.deleted_at = now
            household.deleted_at = now
            return len(members)
