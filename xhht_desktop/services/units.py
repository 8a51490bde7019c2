"""Units (đơn vị): agencies, schools, enterprises, cooperatives, armed-forces units."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xhht_desktop.core.models_cycle import UnitDraft, normalise_unit, validate_unit
from xhht_desktop.errors import FieldIssue, NotFound, StaleRecord, ValidationFailed
from xhht_desktop.services.dependants import deletion_refusal
from xhht_desktop.store import model_queries as queries
from xhht_desktop.store.models import Unit, utcnow
from xhht_desktop.store.repositories import VillageRepository

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext

_NOT_FOUND = "Không tìm thấy đơn vị này (có thể đã bị xóa)."


class UnitService:
    """Add, change and delete the units managed at commune level."""

    def __init__(self, context: AppContext) -> None:
        self.context = context

    def list(self, search: str = "") -> list[queries.UnitRow]:
        """Live units in name order."""
        with self.context.reading() as session:
            return queries.unit_rows(session, search)

    def get(self, unit_id: str) -> queries.UnitRow:
        with self.context.reading() as session:
            rows = queries.unit_rows(session, unit_ids=[unit_id])
        if not rows:
            raise NotFound(_NOT_FOUND)
        return rows[0]

    def check(self, draft: UnitDraft) -> list[FieldIssue]:
        """Problems of a draft without saving it (for messages while typing)."""
        return validate_unit(normalise_unit(draft))

    def save(
        self, draft: UnitDraft, unit_id: str | None = None, expected_revision: int | None = None
    ) -> queries.UnitRow:
        """Add a unit (``unit_id`` is None) or change one.

        Raises:
            ValidationFailed: a field is wrong, the village is gone, or the
                commune has a unit of that name.
            NotFound: the unit to change is gone.
            StaleRecord: someone changed it since ``expected_revision``.
        """
        self.context.require("edit_registers")
        owner = self.context.setup.require().owner_code
        draft = normalise_unit(draft)
        issues = validate_unit(draft)
        with self.context.transaction() as session:
            if draft.village_id and VillageRepository(session).get(draft.village_id) is None:
                issues.append(
                    FieldIssue("village_id", "Thôn/tổ dân phố đã chọn không còn tồn tại.")
                )
            same = queries.unit_by_name(session, owner, draft.name) if draft.name else None
            if same is not None and same.id != unit_id:
                issues.append(FieldIssue("name", f"Xã đã có đơn vị tên «{draft.name}»."))
            if issues:
                raise ValidationFailed(issues)
            if unit_id is None:
                unit = Unit(commune_code=owner)
                session.add(unit)
            else:
                found = queries.live_unit(session, unit_id)
                if found is None:
                    raise NotFound(_NOT_FOUND)
                if expected_revision is not None and found.revision != expected_revision:
                    raise StaleRecord()
                unit = found
            unit.name = draft.name
            unit.kind = draft.kind
            unit.address = draft.address
            unit.head_name = draft.head_name
            unit.staff_count = draft.staff_count
            unit.village_id = draft.village_id
            session.flush()
            unit_id = unit.id
        return self.get(unit_id)

    def deletion_refusal(self, unit_id: str) -> str | None:
        """Why the unit cannot be deleted (its "Đơn vị học tập" entries), if it cannot.

        Raises:
            NotFound: the unit is gone.
        """
        with self.context.reading() as session:
            unit = queries.live_unit(session, unit_id)
            if unit is None:
                raise NotFound(_NOT_FOUND)
            return deletion_refusal(session, "dvht", unit_id, "đơn vị", unit.name)

    def delete(self, unit_id: str) -> None:
        """Soft-delete a unit.

        Refused while the unit holds registrations, evaluations or outcomes of
        the "Đơn vị học tập" model (withdrawn registrations do not count):
        they would point at nothing.

        Raises:
            NotFound: the unit is gone.
            ValidationFailed: the message names the entries and their years.
        """
        self.context.require("edit_registers")
        with self.context.transaction() as session:
            unit = queries.live_unit(session, unit_id)
            if unit is None:
                raise NotFound(_NOT_FOUND)
            refusal = deletion_refusal(session, "dvht", unit_id, "đơn vị", unit.name)
            if refusal is not None:
                raise ValidationFailed([FieldIssue("unit_id", refusal)])
            unit.deleted_at = utcnow()
