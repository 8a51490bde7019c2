"""Tests of the clans and units registers (services/clans.py, services/units.py)."""

from __future__ import annotations

from datetime import date

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


def _audit_count(context) -> int:
    with context.reading() as session:
        return len(session.scalars(select(AuditEntry.id)).all())


def test_a_clan_and_its_households_are_one_transaction(context, village):
    homes = {
        code: context.households.save(HouseholdDraft(code, village, f"Nguyễn Văn {code}")).id
        for code in ("H01", "H02", "H03")
    }
    clan = context.clans.save(ClanDraft("Họ Nguyễn"), household_ids=[homes["H01"], homes["H02"]])
    assert (clan.households, clan.revision) == (2, 1)
    context.households.delete(homes["H03"])
    assert context.clans.gone_households([homes["H01"], homes["H03"], "no-such-id"]) == [
        homes["H03"],
        "no-such-id",
    ]
    before = _audit_count(context)

    # A change whose household part fails stores nothing of the clan's change.
    with pytest.raises(ValidationFailed) as refused:
        context.clans.save(
            ClanDraft("Họ Nguyễn Văn", "Nguyễn Văn An"),
            clan.id,
            expected_revision=1,
            household_ids=[homes["H01"], homes["H03"]],
        )
    assert [(i.field, i.message, i.row) for i in refused.value.issues] == [
        (
            "household_id",
            "Các hộ thuộc dòng họ: hộ H03 (Nguyễn Văn H03) không còn tồn tại (đã bị xóa khỏi "
            "sổ hộ gia đình); chưa lưu gì.",
            2,
        )
    ]
    kept = context.clans.get(clan.id)
    assert (kept.name, kept.contact_person, kept.revision, kept.households) == (
        "Họ Nguyễn",
        "",
        1,
        2,
    )
    assert [h.code for h in context.clans.households(clan.id)] == ["H01", "H02"]
    assert _audit_count(context) == before

    # A new clan: neither the clan nor a household's move is stored.
    with pytest.raises(ValidationFailed, match="H03"):
        context.clans.save(ClanDraft("Họ Lê"), household_ids=[homes["H02"], homes["H03"]])
    assert [c.name for c in context.clans.list()] == ["Họ Nguyễn"]
    assert context.clans.clan_of(homes["H02"]) == clan.id
    assert _audit_count(context) == before

    # Every problem at once: the name beside its field, the household too.
    with pytest.raises(ValidationFailed) as refused:
        context.clans.save(ClanDraft(""), household_ids=["no-such-id"])
    assert [(i.field, i.message) for i in refused.value.issues] == [
        ("name", "Tên dòng họ không được để trống."),
        (
            "household_id",
            "Các hộ thuộc dòng họ: một hộ đã chọn không còn tồn tại (đã bị xóa khỏi sổ hộ "
            "gia đình); chưa lưu gì.",
        ),
    ]

    # A change made meanwhile by someone else: the households stay as they were.
    context.clans.save(ClanDraft("Họ Nguyễn", "Nguyễn Văn Bình"), clan.id, expected_revision=1)
    with pytest.raises(StaleRecord):
        context.clans.save(ClanDraft("Họ Nguyễn"), clan.id, 1, household_ids=[homes["H01"]])
    assert context.clans.get(clan.id).households == 2

    # And a change that succeeds sets exactly the households given.
    changed = context.clans.save(
        ClanDraft("Họ Nguyễn Văn"), clan.id, 2, household_ids=[homes["H02"]]
    )
    assert (changed.name, changed.revision, changed.households) == ("Họ Nguyễn Văn", 3, 1)
    assert context.clans.clan_of(homes["H01"]) is None
    # Without household_ids the households are left alone.
    assert context.clans.save(ClanDraft("Họ Nguyễn"), clan.id, 3).households == 1


TODAY = date(2026, 12, 20)


def _register(context, model, subject_id, year):
    context.learning_models.register(
        model, year, [subject_id], date(year, 1, 10), "Người đăng ký", today=TODAY
    )


def test_a_clan_registered_in_the_learning_model_is_not_deleted(context, village):
    home = context.households.save(HouseholdDraft("H01", village, "Nguyễn Văn An")).id
    clan = context.clans.save(ClanDraft("Họ Nguyễn"), household_ids=[home]).id
    _register(context, "dhht", clan, 2025)
    _register(context, "dhht", clan, 2026)
    expected = (
        "Không xóa được dòng họ «Họ Nguyễn»: dòng họ có 2 lượt đăng ký/công nhận «Dòng họ học "
        "tập» (năm 2025, 2026); hãy hủy các lượt đăng ký đó trước rồi xóa lại."
    )
    assert context.clans.deletion_refusal(clan) == expected
    with pytest.raises(ValidationFailed) as refused:
        context.clans.delete(clan)
    assert [(i.field, i.message) for i in refused.value.issues] == [("clan_id", expected)]
    assert context.clans.get(clan).households == 1
    assert context.clans.clan_of(home) == clan

    # Withdrawn registrations leave nothing that depends on the clan.
    for year in (2025, 2026):
        context.learning_models.unregister("dhht", year, [clan])
    assert context.clans.deletion_refusal(clan) is None
    assert context.clans.delete(clan) == 1
    with pytest.raises(NotFound):
        context.clans.deletion_refusal(clan)


def test_an_evaluated_clan_is_kept_as_a_record(context):
    from decimal import Decimal

    from xhht_desktop.services.learning_models import Evaluation

    clan = context.clans.save(ClanDraft("Họ Lê")).id
    _register(context, "dhht", clan, 2025)
    _register(context, "dhht", clan, 2026)
    criteria = context.learning_models.criteria("dhht")
    scores = {f.id: f.type.max * Decimal("0.9") for f in criteria.scored_fields}
    context.learning_models.evaluate(
        "dhht", 2025, Evaluation(clan, scores, date(2025, 11, 20)), today=TODAY
    )
    with pytest.raises(ValidationFailed) as refused:
        context.clans.delete(clan)
    assert refused.value.issues[0].message == (
        "Không xóa được dòng họ «Họ Lê»: dòng họ có 2 lượt đăng ký/công nhận «Dòng họ học tập» "
        "(năm 2025, 2026); lượt năm 2025 đã đánh giá hoặc đã có quyết định nên được giữ làm hồ "
        "sơ, vì vậy dòng họ này phải giữ trong sổ (lượt năm 2026 chỉ mới đăng ký, có thể hủy "
        "nếu ghi nhầm)."
    )
    assert [c.name for c in context.clans.list()] == ["Họ Lê"]


def test_a_unit_registered_in_the_learning_model_is_not_deleted(context, village):
    unit = context.units.save(UnitDraft("Trường THCS Đức An", "truong_hoc")).id
    other = context.units.save(UnitDraft("Trạm Y tế xã", "co_quan")).id
    _register(context, "dvht", unit, 2026)
    with pytest.raises(ValidationFailed) as refused:
        context.units.delete(unit)
    assert [(i.field, i.message) for i in refused.value.issues] == [
        (
            "unit_id",
            "Không xóa được đơn vị «Trường THCS Đức An»: đơn vị có 1 lượt đăng ký/công nhận "
            "«Đơn vị học tập» (năm 2026); hãy hủy các lượt đăng ký đó trước rồi xóa lại.",
        )
    ]
    assert {u.name for u in context.units.list()} == {"Trường THCS Đức An", "Trạm Y tế xã"}
    assert context.units.deletion_refusal(other) is None
    context.units.delete(other)

    context.learning_models.unregister("dvht", 2026, [unit])
    context.units.delete(unit)
    assert context.units.list() == []
