"""Clans (dòng họ) of the commune and the households that belong to them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from xhht_desktop.core.models_cycle import ClanDraft, normalise_clan, validate_clan
from xhht_desktop.errors import FieldIssue, NotFound, StaleRecord, ValidationFailed
from xhht_desktop.store import model_queries as queries
from xhht_desktop.store.models import Clan, Household, Village, utcnow
from xhht_desktop.store.repositories import HouseholdRepository, HouseholdRow

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext

_NOT_FOUND = "Không tìm thấy dòng họ này (có thể đã bị xóa)."


class ClanService:
    """Add, change and delete clans; say which households belong to which."""

    def __init__(self, context: AppContext) -> None:
        self.context = context

    def list(self, search: str = "") -> list[queries.ClanRow]:
        """Live clans in name order, each with its number of live households."""
        with self.context.reading() as session:
            return queries.clan_rows(session, search)

    def get(self, clan_id: str) -> queries.ClanRow:
        with self.context.reading() as session:
            rows = queries.clan_rows(session, clan_ids=[clan_id])
        if not rows:
            raise NotFound(_NOT_FOUND)
        return rows[0]

    def check(self, draft: ClanDraft) -> list[FieldIssue]:
        """Problems of a draft without saving it (for messages while typing)."""
        return validate_clan(normalise_clan(draft))

    def save(
        self, draft: ClanDraft, clan_id: str | None = None, expected_revision: int | None = None
    ) -> queries.ClanRow:
        """Add a clan (``clan_id`` is None) or change one.

        Raises:
            ValidationFailed: a field is wrong, or the commune has a clan of that name.
            NotFound: the clan to change is gone.
            StaleRecord: someone changed it since ``expected_revision``.
        """
        owner = self.context.setup.require().owner_code
        draft = normalise_clan(draft)
        issues = validate_clan(draft)
        with self.context.transaction() as session:
            same = queries.clan_by_name(session, owner, draft.name) if draft.name else None
            if same is not None and same.id != clan_id:
                issues.append(FieldIssue("name", f"Xã đã có dòng họ tên «{draft.name}»."))
            if issues:
                raise ValidationFailed(issues)
            if clan_id is None:
                clan = Clan(commune_code=owner)
                session.add(clan)
            else:
                found = queries.live_clan(session, clan_id)
                if found is None:
                    raise NotFound(_NOT_FOUND)
                if expected_revision is not None and found.revision != expected_revision:
                    raise StaleRecord()
                clan = found
            clan.name, clan.contact_person, clan.note = (
                draft.name,
                draft.contact_person,
                draft.note,
            )
            session.flush()
            clan_id = clan.id
        return self.get(clan_id)

    def delete(self, clan_id: str) -> int:
        """Soft-delete a clan; its households stay, belonging to no clan.

        Returns:
            How many households left the clan.
        """
        with self.context.transaction() as session:
            clan = queries.live_clan(session, clan_id)
            if clan is None:
                raise NotFound(_NOT_FOUND)
            members = list(
                session.scalars(
                    select(Household).where(
                        Household.clan_id == clan_id, Household.deleted_at.is_(None)
                    )
                )
            )
            for household in members:
                household.clan_id = None
            clan.deleted_at = utcnow()
            return len(members)

    def households(self, clan_id: str) -> list[HouseholdRow]:
        """The live households of a clan, in list order."""
        with self.context.reading() as session:
            ids = list(
                session.scalars(
                    select(Household.id)
                    .where(Household.clan_id == clan_id, Household.deleted_at.is_(None))
                    .order_by(Household.sort_key, Household.id)
                )
            )
            return HouseholdRepository(session).rows(ids)

    def villages_by_clan(self) -> dict[str, list[str]]:
        """Where each clan lives: clan id → names of the villages of its live households.

        Names are in the villages' list order; a clan without households is absent.
        """
        with self.context.reading() as session:
            rows = session.execute(
                select(Household.clan_id, Village.name)
                .join(Village, Village.id == Household.village_id)
                .where(Household.clan_id.is_not(None), Household.deleted_at.is_(None))
                .group_by(Household.clan_id, Village.id, Village.name, Village.sort_key)
                .order_by(Village.sort_key, Village.id)
            ).all()
        found: dict[str, list[str]] = {}
        for clan_id, village_name in rows:
            found.setdefault(clan_id, []).append(village_name)
        return found

    def clan_ids_by_household(self) -> dict[str, str]:
        """Household id → clan id, for every live household that belongs to a clan."""
        with self.context.reading() as session:
            rows = session.execute(
                select(Household.id, Household.clan_id).where(
                    Household.clan_id.is_not(None), Household.deleted_at.is_(None)
                )
            ).all()
        return {household_id: clan_id for household_id, clan_id in rows}

    def clan_of(self, household_id: str) -> str | None:
        """The id of the clan a household belongs to, if any."""
        with self.context.reading() as session:
            household = HouseholdRepository(session).get(household_id)
            if household is None:
                raise NotFound("Không tìm thấy hộ gia đình này (có thể đã bị xóa).")
            return household.clan_id

    def add_households(self, clan_id: str, household_ids: Sequence[str]) -> int:
        """Put households into a clan, in one transaction (moving them from another).

        Returns:
            How many households changed clan.

        Raises:
            NotFound: the clan is gone.
            ValidationFailed: a household is gone; nothing was changed.
        """
        return self._assign(clan_id, household_ids)

    def remove_households(self, clan_id: str, household_ids: Sequence[str]) -> int:
        """Take households out of a clan; those not in it are left alone."""
        with self.context.transaction() as session:
            changed = 0
            for household in self._load(session, household_ids):
                if household.clan_id == clan_id:
                    household.clan_id = None
                    changed += 1
            return changed

    def set_households(self, clan_id: str, household_ids: Sequence[str]) -> int:
        """Make ``household_ids`` exactly the clan's households (a checklist saved)."""
        with self.context.transaction() as session:
            wanted = set(household_ids)
            current = session.scalars(
                select(Household).where(
                    Household.clan_id == clan_id, Household.deleted_at.is_(None)
                )
            )
            changed = 0
            for household in current:
                if household.id not in wanted:
                    household.clan_id = None
                    changed += 1
            return changed + self._assign(clan_id, household_ids, session)

    def _load(self, session: Session, household_ids: Sequence[str]) -> list[Household]:
        repo = HouseholdRepository(session)
        found = []
        issues = []
        for index, household_id in enumerate(dict.fromkeys(household_ids), start=1):
            household = repo.get(household_id)
            if household is None:
                issues.append(
                    FieldIssue("household_id", "Hộ gia đình này không còn tồn tại.", index)
                )
            else:
                found.append(household)
        if issues:
            raise ValidationFailed(issues)
        return found

    def _assign(
        self, clan_id: str, household_ids: Sequence[str], session: Session | None = None
    ) -> int:
        if session is None:
            with self.context.transaction() as own:
                return self._assign(clan_id, household_ids, own)
        if queries.live_clan(session, clan_id) is None:
            raise NotFound(_NOT_FOUND)
        changed = 0
        for household in self._load(session, household_ids):
            if household.clan_id != clan_id:
                household.clan_id = clan_id
                changed += 1
        return changed
