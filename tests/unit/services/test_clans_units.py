"""Tests of the clans and units registers (services/clans.py, services/units.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from xhht_desktop.core.models_cycle import ClanDraft, UnitDraft
from xhht_desktop.core.registers import HouseholdDraft, VillageDraft
from xhht_desktop.errors import NotFound, StaleRecord, ValidationFailed
from xhht_desktop.store.models import AuditEntry, Clan


@pytest.fixture
def village(context):
    return context.villages.save(VillageDraft("thon", "Thôn 1")).id


def test_clans_are_records_with_identity_audit_and_unique_names(context):
    clan = context.clans.save(ClanDraft("  Họ  Nguyễn ", "Nguyễn Văn An", "Nhà thờ họ ở Thôn 1"))
    assert (clan.name, clan.revision, clan.households) == ("Họ Nguyễn", 1, 0)
    with pytest.raises(ValidationFailed, match="đã có dòng họ"):
        context.clans.save(ClanDraft("HỌ NGUYỄN"))
    changed = context.clans.save(ClanDraft("Họ Nguyễn Văn"), clan.id, expected_revision=1)
    assert changed.revision == 2
    with pytest.raises(StaleRecord):
        context.clans.save(ClanDraft("Họ Lê"), clan.id, expected_revision=1)
    assert [c.name for c in context.clans.list("nguyen van")] == ["Họ Nguyễn Văn"]
    with context.reading() as session:
        fields = {
            e.field
            for e in session.scalars(select(AuditEntry).where(AuditEntry.record_id == clan.id))
        }
        stored = session.get(Clan, clan.id)
        assert stored is not None and stored.commune_code == "24717"
    assert {"name", "contact_person", "note"} <= fields


def test_a_household_belongs_to_at_most_one_clan(context, village):
    homes = [
        context.households.save(HouseholdDraft(f"H0{n}", village, f"Nguyễn Văn {n}")).id
        for n in range(3)
    ]
    first = context.clans.save(ClanDraft("Họ Nguyễn")).id
    second = context.clans.save(ClanDraft("Họ Lê")).id
    assert context.clans.add_households(first, homes) == 3
    assert context.clans.add_households(second, homes[:1]) == 1
    assert context.clans.clan_of(homes[0]) == second
    assert [h.code for h in context.clans.households(first)] == ["H01", "H02"]
    assert context.clans.set_households(first, [homes[2]]) == 1
    assert [c.households for c in context.clans.list()] == [1, 1]
    with pytest.raises(ValidationFailed, match="không còn tồn tại"):
        context.clans.add_households(first, [homes[1], "no-such-id"])
    assert context.clans.clan_of(homes[1]) is None
    assert context.clans.delete(second) == 1
    assert context.clans.clan_of(homes[0]) is None
    with pytest.raises(NotFound):
        context.clans.get(second)


def test_units_with_kind_village_and_staff(context, village):
    unit = context.units.save(
        UnitDraft("Trường THCS Đức An", "truong_hoc", "Thôn 1", "Lê Thị Hoa", 35, village)
    )
    assert (unit.kind, unit.staff_count, unit.village_name) == ("truong_hoc", 35, "Thôn 1")
    with pytest.raises(ValidationFailed) as refused:
        context.units.save(UnitDraft("trường thcs đức an", "nha_may", staff_count=-2))
    assert {i.field for i in refused.value.issues} == {"name", "kind", "staff_count"}
    moved = context.units.save(
        UnitDraft("Trường THCS Đức An", "truong_hoc", staff_count=40), unit.id
    )
    assert moved.village_id is None and moved.revision == 2
    context.units.delete(unit.id)
    assert context.units.list() == []


def test_where_clans_live_and_which_household_is_in_which(context, village):
    other = context.villages.save(VillageDraft("bon", "Bon Bu Bir")).id
    homes = [
        context.households.save(HouseholdDraft(code, where, f"Chủ hộ {code}")).id
        for code, where in (("H01", village), ("H02", other), ("H03", village), ("H04", other))
    ]
    nguyen = context.clans.save(ClanDraft("Họ Nguyễn")).id
    le = context.clans.save(ClanDraft("Họ Lê")).id
    context.clans.save(ClanDraft("Họ Trần"))
    context.clans.add_households(nguyen, homes[:3])
    context.clans.add_households(le, homes[3:])
    # Vietnamese order of the villages: "Bon Bu Bir" before "Thôn 1"; each once.
    assert context.clans.villages_by_clan() == {
        nguyen: ["Bon Bu Bir", "Thôn 1"],
        le: ["Bon Bu Bir"],
    }
    assert context.clans.clan_ids_by_household() == {
        homes[0]: nguyen,
        homes[1]: nguyen,
        homes[2]: nguyen,
        homes[3]: le,
    }
    context.households.delete(homes[1])
    assert context.clans.villages_by_clan()[nguyen] == ["Thôn 1"]
    assert homes[1] not in context.clans.clan_ids_by_household()


def test_clans_differing_only_by_a_tone_mark_are_two_clans(context):
    from xhht_desktop.core.models_cycle import ClanDraft

    context.clans.save(ClanDraft(name="Họ Ma (Tày)"))
    context.clans.save(ClanDraft(name="Họ Mã (Tày)"))
    assert sorted(c.name for c in context.clans.list()) == ["Họ Ma (Tày)", "Họ Mã (Tày)"]
