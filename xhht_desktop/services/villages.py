"""Villages (thôn, bon, buôn, bản, làng, ấp, tổ dân phố) of the commune."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select

from xhht_desktop.core.registers import VillageDraft, normalise_village, validate_village
from xhht_desktop.errors import FieldIssue, NotFound, StaleRecord, ValidationFailed
from xhht_desktop.store.models import Household, Village, utcnow
from xhht_desktop.store.repositories import VillageRepository, VillageRow

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext


class VillageService:
    def __init__(self, context: AppContext) -> None:
        self.context = context

    def list(self) -> list[VillageRow]:
        with self.context.reading() as session:
            return VillageRepository(session).list()

    def save(
        self,
        draft: VillageDraft,
        village_id: str | None = None,
        expected_revision: int | None = None,
    ) -> VillageRow:
        """Add a village (``village_id`` is None) or change one."""
        self.context.require("edit_registers")
        owner = self.context.setup.require().owner_code
        draft = normalise_village(draft)
        issues = validate_village(draft)
        with self.context.transaction() as session:
            repo = VillageRepository(session)
            same_name = repo.by_name(owner, draft.name) if draft.name else None
            if same_name is not None and same_name.id != village_id:
                issues.append(FieldIssue("name", f"Xã đã có thôn/tổ dân phố tên '{draft.name}'."))
            if issues:
                raise ValidationFailed(issues)
            if village_id is None:
                village = Village(commune_code=owner, kind=draft.kind, name=draft.name)
                session.add(village)
            else:
                found = repo.get(village_id)
                if found is None:
                    raise NotFound("Không tìm thấy thôn/tổ dân phố này (có thể đã bị xóa).")
                if expected_revision is not None and found.revision != expected_revision:
                    raise StaleRecord()
                village = found
                village.kind, village.name = draft.kind, draft.name
            session.flush()
            village_id = village.id
        return next(v for v in self.list() if v.id == village_id)

    def delete(self, village_id: str) -> None:
        """Soft-delete a village; refused while live households belong to it."""
        self.context.require("edit_registers")
        with self.context.transaction() as session:
            village = VillageRepository(session).get(village_id)
            if village is None:
                raise NotFound("Không tìm thấy thôn/tổ dân phố này.")
            households = session.scalar(
                select(func.count())
                .select_from(Household)
                .where(Household.village_id == village_id, Household.deleted_at.is_(None))
            )
            if households:
                raise ValidationFailed(
                    [
                        FieldIssue(
                            "village_id",
                            f"Không xóa được: thôn '{village.name}' còn {households} hộ. "
                            "Hãy chuyển hoặc xóa các hộ trước.",
                        )
                    ]
                )
            village.deleted_at = utcnow()
