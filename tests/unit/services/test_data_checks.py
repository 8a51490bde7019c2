"""Tests of services/data_checks.py: cross-record problems that would make a figure wrong."""

from __future__ import annotations

import textwrap
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from xhht_desktop.core.models_cycle import ClanDraft, DecisionDraft, UnitDraft
from xhht_desktop.core.registers import HouseholdDraft, PersonDraft, VillageDraft
from xhht_desktop.core.targets import Status
from xhht_desktop.services.data_checks import CHECKS
from xhht_desktop.services.learning_models import Evaluation
from xhht_desktop.store.models import Clan, ModelEntry, utcnow

YEAR = 2026
TODAY = date(2026, 12, 20)
DECISION = DecisionDraft("15/QĐ-UBND", date(2026, 12, 15), "Nguyễn Văn Minh", "Chủ tịch")

# The workers' form as a province adapted it (version 2, in the user's folder),
# without the "numerator ≤ denominator" check: what an older or adapted form
# lets through.
ADAPTED_WORKERS = textwrap.dedent(
    """
    id = "cong-nhan-lao-dong"
    version = 2
    kind = "aggregate"
    scope = "commune"
    title = "Công nhân lao động (bản của tỉnh)"

    [[fields]]
    id = "cong_nhan"
    type = "integer"
    label = "Số công nhân lao động"
    min = 0

    [[fields]]
    id = "cong_nhan_thpt"
    type = "integer"
    label = "Trong đó: có trình độ THPT"
    min = 0
    """
)


def _person(context, household, name, born=1990, sex="M", grade=9, stage=0):
    return context.persons.save(
        PersonDraft(household, name, born, sex, "01", grade=grade, literacy_stage=stage)
    ).id


@pytest.fixture
def records(context):
    one = context.villages.save(VillageDraft("thon", "Thôn 1")).id
    two = context.villages.save(VillageDraft("thon", "Thôn 2")).id
    households = {
        code: context.households.save(HouseholdDraft(code, village, head)).id
        for code, village, head in (
            ("H01", one, "Lò Văn An"),
            ("H02", one, "Nguyễn Văn Bình"),
            ("H03", two, "Trần Thị Cúc"),
            ("H04", two, "Hộ Trống"),
        )
    }
    _person(context, households["H01"], "Lò Văn An")
    # Case and diacritics aside, the same name: not a problem.
    _person(context, households["H02"], "NGUYỄN VĂN BÌNH")
    _person(context, households["H03"], "Trần Văn Dũng")
    # 11 years old in 2026 with grade 9 completed.
    child = _person(context, households["H03"], "Trần Văn Em", born=2015, grade=9)
    return {"v1": one, "v2": two, "child": child, **households}


def test_a_clean_commune_has_no_problem(context):
    village = context.villages.save(VillageDraft("thon", "Thôn 1")).id
    home = context.households.save(HouseholdDraft("H01", village, "Lò Văn An")).id
    _person(context, home, "Lò Văn An")
    report = context.data_checks.run(YEAR)
    assert report.problems == ()
    assert report.counts() == dict.fromkeys(CHECKS, 0)


def test_households_without_members_and_heads_not_among_them(context, records):
    report = context.data_checks.run(YEAR)
    empty = report.of("household_without_members")
    assert [(p.entity, p.record_id, p.village_name) for p in empty] == [
        ("household", records["H04"], "Thôn 2")
    ]
    assert "Hộ H04 (Hộ Trống), Thôn 2: chưa có nhân khẩu nào" in empty[0].message
    heads = report.of("head_not_member")
    assert [(p.record_id, p.severity) for p in heads] == [(records["H03"], "warning")]
    assert "chủ hộ «Trần Thị Cúc» không có tên" in heads[0].message


def test_contradictory_schooling_links_to_the_person(context, records):
    (problem,) = context.data_checks.run(YEAR).of("schooling_contradiction")
    assert (problem.entity, problem.record_id) == ("person", records["child"])
    assert problem.message.startswith("Trần Văn Em (hộ H03, sinh năm 2015): 11 tuổi")


def test_recognitions_without_a_passed_evaluation(context, records):
    service = context.learning_models
    service.register("gdht", YEAR, [records["H01"], records["H02"]], date(2026, 1, 10), today=TODAY)
    criteria = service.criteria("gdht")
    scores = {f.id: f.type.max * Decimal("0.9") for f in criteria.scored_fields}
    service.evaluate(
        "gdht", YEAR, Evaluation(records["H01"], scores, date(2026, 11, 20)), today=TODAY
    )
    service.recognise("gdht", YEAR, [records["H01"]], DECISION, today=TODAY)
    decision = service.decisions(YEAR)[0].id
    service.recognise(
        "gdht",
        YEAR,
        [records["H02"]],
        decision,
        override_reason="Gia đình tiêu biểu của thôn",
        today=TODAY,
    )
    (override,) = context.data_checks.run(YEAR).of("recognised_without_pass")
    assert (override.severity, override.entity, override.record_id) == (
        "info",
        "household",
        records["H02"],
    )
    assert "chưa đánh giá" in override.message and "Gia đình tiêu biểu của thôn" in override.message
    # An entry that arrives without its reason (a package from an older
    # version, a hand-edited file) is an error.
    with context.transaction() as session:
        entry = session.scalars(
            select(ModelEntry).where(ModelEntry.subject_id == records["H02"])
        ).one()
        entry.override_reason = ""
    (error,) = context.data_checks.run(YEAR).of("recognised_without_pass")
    assert error.severity == "error" and "không có lý do ngoại lệ" in error.message


def test_registrations_of_deleted_subjects(context, records):
    clan = context.clans.save(ClanDraft("Họ Trần")).id
    unit = context.units.save(UnitDraft("Hợp tác xã Đức An", "hop_tac_xa")).id
    service = context.learning_models
    service.register("dhht", YEAR, [clan], date(2026, 1, 10), today=TODAY)
    service.register("dvht", YEAR, [unit], date(2026, 1, 10), today=TODAY)
    service.register("gdht", YEAR, [records["H02"]], date(2026, 1, 10), today=TODAY)
    # The clans service refuses to delete a registered clan; data written by an
    # older version (or imported) may still hold one, which the check finds.
    with context.transaction() as session:
        session.get(Clan, clan).deleted_at = utcnow()
    context.households.delete(records["H02"])
    problems = context.data_checks.run(YEAR).of("entry_subject_deleted")
    assert [(p.model, p.entity) for p in problems] == [
        ("gdht", "model_entry"),
        ("dhht", "model_entry"),
    ]
    assert "Dòng họ «Họ Trần» đã bị xóa nhưng vẫn còn đăng ký" in problems[1].message
    assert "Hộ gia đình «Nguyễn Văn Bình»" in problems[0].message
    # Another year's registrations are another year's problem.
    assert context.data_checks.run(2025).of("entry_subject_deleted") == []


def test_aggregate_figures_over_their_denominator_and_villages_left_out(context, records, data_dir):
    folder = data_dir / "forms" / "aggregates"
    folder.mkdir(parents=True)
    (folder / "cong_nhan_tinh.toml").write_text(ADAPTED_WORKERS, encoding="utf-8")
    row = context.aggregates.save(
        "cong-nhan-lao-dong", YEAR, {"cong_nhan": 20, "cong_nhan_thpt": 25}
    )
    context.aggregates.save(
        "chi-hoi-khuyen-hoc",
        YEAR,
        {"co_chi_hoi_khuyen_hoc": True, "so_hoi_vien_khuyen_hoc": 40, "dan_so": 300},
        records["v1"],
    )
    report = context.data_checks.run(YEAR)
    (over,) = report.of("aggregate_over_denominator")
    assert (over.entity, over.record_id, over.form_id) == (
        "aggregate",
        row.entry_id,
        row.definition_id,
    )
    assert over.message == (
        "Biểu «Công nhân lao động (bản của tỉnh)» năm 2026, Toàn xã: có trình độ THPT (25) "
        "lớn hơn Số công nhân lao động (20). Tỷ lệ sẽ trên 100%; hãy sửa số liệu."
    )
    # The figure the check warns about: 125%, which the dashboard would show.
    check = context.indicators.values(YEAR, ["cong-nhan-thpt"])["cong-nhan-thpt"]
    assert (check.numerator, check.denominator) == (25, 20)
    (missing,) = report.of("aggregate_village_missing")
    assert (missing.village_id, missing.form_id) == (records["v2"], "chi-hoi-khuyen-hoc")
    assert "Thôn 2 chưa nhập số liệu" in missing.message
    evaluation = context.indicators.evaluate(YEAR, "dak-song-138-2020")
    branches = next(r for r in evaluation.rows if r.indicator.code == "chi-hoi-khuyen-hoc")
    assert branches.village(records["v2"]).check.status is Status.NO_DATA


def test_women_made_literate_in_the_form_and_in_the_register(context, records):
    woman = context.households.save(HouseholdDraft("H05", records["v1"], "Lò Thị Gấm")).id
    _person(context, woman, "Lò Thị Gấm", born=1996, sex="F", grade=0, stage=1)
    context.aggregates.save(
        "phu-nu-sau-xoa-mu-chu", YEAR, {"phu_nu_duoi_40_da_xmc": 3, "phu_nu_duoi_40_hoc_sau_xmc": 2}
    )
    (mismatch,) = context.data_checks.run(YEAR).of("aggregate_register_mismatch")
    assert "ghi 3 phụ nữ" in mismatch.message and "sổ nhân khẩu có 1 người" in mismatch.message
    context.aggregates.save(
        "phu-nu-sau-xoa-mu-chu", YEAR, {"phu_nu_duoi_40_da_xmc": 1, "phu_nu_duoi_40_hoc_sau_xmc": 1}
    )
    assert context.data_checks.run(YEAR).of("aggregate_register_mismatch") == []


def test_the_report_as_json(context, records):
    data = context.data_checks.run(YEAR).as_dict()
    assert data["year"] == YEAR
    assert data["counts"]["household_without_members"] == 1
    first = data["problems"][0]
    assert set(first) >= {"check", "title", "severity", "message", "entity", "record_id"}
    assert first["title"] == "Hộ không có nhân khẩu"
