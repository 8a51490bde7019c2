"""Clans (dòng họ) of the commune and the households that belong to them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from xhht_desktop.core.models_cycle import ClanDraft, normalise_clan, validate_clan
from xhht_desktop.errors import FieldIssue, NotFound, StaleRecord, ValidationFailed
from xhht_desktop.services.dependants import deletion_refusal
from xhht_desktop.store import model_queries as queries
from xhht_desktop.store.models import Clan, Household, Village, utcnow
from xhht_desktop.store.repositories import HouseholdRepository, HouseholdRow

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext

_NOT_FOUND = "Không tìm thấy dòng họ này (có thể đã bị xóa)."


def _gone(session: Session, household_id: str) -> str:
    """The message for a chosen household that is no longer in the register."""
    # A deleted household is a tombstone: its code and head still name it.
    tombstone = session.get(Household, household_id)
    which = (
        f"hộ {tombstone.code} ({tombstone.head_name})"
        if tombstone is not None
        else "một hộ đã chọn"
    )
    return (
        f"Các hộ thuộc dòng họ: {which} không còn tồn tại (đã bị xóa khỏi sổ hộ gia đình); "
        "chưa lưu gì."
    )


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
        self,
        draft: ClanDraft,
        clan_id: str | None = None,
        expected_revision: int | None = None,
        *,
        household_ids: Sequence[str] | None = None,
    ) -> queries.ClanRow:
        """Add a clan (``clan_id`` is None) or change one, with its households.

        The clan and its households are one transaction: when a household is
        refused, nothing of the clan's change is stored either.

        Args:
            draft: The clan's fields.
            clan_id: The clan to change; ``None`` adds one.
            expected_revision: The revision the form read, to detect a change
                made meanwhile by someone else.
            household_ids: Exactly the clan's households from now on (a
                household of another clan moves to this one); ``None`` leaves
                them as they are.

        Raises:
            ValidationFailed: a field is wrong, the commune has a clan of that
                name, or a household is gone (field ``household_id``, ``row``
                its position in ``household_ids``); nothing was stored.
            NotFound: the clan to change is gone.
            StaleRecord: someone changed it since ``expected_revision``.
        """
        self.context.require("edit_registers")
        owner = self.context.setup.require().owner_code
        draft = normalise_clan(draft)
        issues = validate_clan(draft)
        with self.context.transaction() as session:
            same = queries.clan_by_name(session, owner, draft.name) if draft.name else None
            if same is not None and same.id != clan_id:
                issues.append(FieldIssue("name", f"Xã đã có dòng họ tên «{draft.name}»."))
            members: list[Household] = []
            if household_ids is not None:
                try:
                    members = self._load(session, household_ids)
                except ValidationFailed as refused:
                    issues += refused.issues
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
            if household_ids is not None:
                self._replace_members(session, clan_id, members)
        return self.get(clan_id)

    def deletion_refusal(self, clan_id: str) -> str | None:
        """Why the clan cannot be deleted (its "Dòng họ học tập" entries), if it cannot.

        Raises:
            NotFound: the clan is gone.
        """
        with self.context.reading() as session:
            clan = queries.live_clan(session, clan_id)
            if clan is None:
                raise NotFound(_NOT_FOUND)
            return deletion_refusal(session, "dhht", clan_id, "dòng họ", clan.name)

    def delete(self, clan_id: str) -> int:
        """Soft-delete a clan; its households stay, belonging to no clan.

        Refused while the clan holds registrations, evaluations or outcomes of
        the "Dòng họ học tập" model (withdrawn registrations do not count).

        Returns:
            How many households left the clan.

        Raises:
            NotFound: the clan is gone.
            ValidationFailed: the message names the entries and their years.
        """
        self.context.require("edit_registers")
        with self.context.transaction() as session:
            clan = queries.live_clan(session, clan_id)
            if clan is None:
                raise NotFound(_NOT_FOUND)
            refusal = deletion_refusal(session, "dhht", clan_id, "dòng họ", clan.name)
            if refusal is not None:
                raise ValidationFailed([FieldIssue("clan_id", refusal)])
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

    def gone_households(self, household_ids: Sequence[str]) -> list[str]:
        """Those of ``household_ids`` that are no longer in the register (deleted or unknown)."""
        with self.context.reading() as session:
            repo = HouseholdRepository(session)
            return [i for i in dict.fromkeys(household_ids) if repo.get(i) is None]

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
        self.context.require("edit_registers")
        return self._assign(clan_id, household_ids)

    def remove_households(self, clan_id: str, household_ids: Sequence[str]) -> int:
        """Take households out of a clan; those not in it are left alone."""
        self.context.require("edit_registers")
        with self.context.transaction() as session:
            changed = 0
            for household in self._load(session, household_ids):
                if household.clan_id == clan_id:
                    household.clan_id = None
                    changed += 1
            return changed

    def set_households(self, clan_id: str, household_ids: Sequence[str]) -> int:
        """Make ``household_ids`` exactly the clan's households (a checklist saved)."""
        self.context.require("edit_registers")
        with self.context.transaction() as session:
            if queries.live_clan(session, clan_id) is None:
                raise NotFound(_NOT_FOUND)
            return self._replace_members(session, clan_id, self._load(session, household_ids))

    def _replace_members(self, session: Session, clan_id: str, members: list[Household]) -> int:
        """Make ``members`` exactly the clan's live households; how many changed clan."""
        wanted = {household.id for household in members}
        current = session.scalars(
            select(Household).where(Household.clan_id == clan_id, Household.deleted_at.is_(None))
        )
        changed = 0
        for household in current:
            if household.id not in wanted:
                household.clan_id = None
                changed += 1
        for household in members:
            if household.clan_id != clan_id:
                household.clan_id = clan_id
                changed += 1
        return changed

    def _load(self, session: Session, household_ids: Sequence[str]) -> list[Household]:
        repo = HouseholdRepository(session)
        found = []
        issues = []
        for index, household_id in enumerate(dict.fromkeys(household_ids), start=1):
            household = repo.get(household_id)
            if household is None:
                issues.append(FieldIssue("household_id", _gone(session, household_id), index))
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
