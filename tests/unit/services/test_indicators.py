"""Every seed-plan indicator on a small commune built through the services, counted by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from xhht_desktop.core.literacy import Band
from xhht_desktop.core.models_cycle import ClanDraft, DecisionDraft, UnitDraft
from xhht_desktop.core.registers import HouseholdDraft, PersonDraft, VillageDraft
from xhht_desktop.core.targets import Status
from xhht_desktop.errors import NotFound
from xhht_desktop.services.learning_models import Evaluation

YEAR = 2026
TODAY = date(2026, 12, 20)
DECISION = DecisionDraft("15/QĐ-UBND", date(2026, 12, 15), "Nguyễn Văn Minh", "Chủ tịch")

# (household, name, birth year, sex, ethnicity, grade, stage, disabled, residence);
# ages are counted in 2026. The first person of each household is its head.
PEOPLE = (
    ("H01", "Lò Văn An", 1990, "M", "01", 9, 0, False, "thuong_tru"),  # 36, literate
    ("H01", "Giàng Thị Bầu", 2000, "F", "08", 0, 0, False, "thuong_tru"),  # 26, not literate
    ("H01", "Giàng Thị Cở", 1995, "F", "08", 0, 1, False, "thuong_tru"),  # 31, stage 1
    ("H02", "Lò Văn Dũng", 1950, "M", "01", 0, 0, False, "thuong_tru"),  # 76: no band
    ("H02", "Lò Thị Én", 1970, "F", "01", 2, 0, False, "thuong_tru"),  # 56, grade 2: no
    ("H02", "Giàng A Khư", 1970, "M", "08", 0, 0, False, "thuong_tru"),  # 56, not literate
    ("H03", "Giàng A Phừ", 2005, "M", "08", 12, 0, False, "thuong_tru"),  # 21, literate
    ("H03", "Giàng Thị Gia", 1988, "F", "08", 0, 0, True, "thuong_tru"),  # 38, exempt
    ("H04", "Giàng Thị Hoa", 2010, "F", "08", 5, 0, False, "thuong_tru"),  # 16, literate
    ("H04", "Lò Văn Ích", 1992, "M", "01", 0, 0, False, "chuyen_di"),  # moved away
    ("H04", "Vũ Thị Jin", 1985, "F", "01", 4, 0, False, "tam_tru"),  # 41, temporary, literate
)
VILLAGE_OF = {"H01": "v1", "H02": "v1", "H03": "v2", "H04": "v2", "H05": "v2"}

# Counted by hand from PEOPLE and the fixture below: code -> (numerator, denominator).
EXPECTED: dict[str, tuple[int | None, int | None]] = {
    # 15–60, counted, not exempt: An, Bầu, Cở, Én, Khư, Phừ, Hoa, Jin;
    # literate An, Cở, Phừ, Hoa, Jin
    "biet-chu-15-60": (5, 8),
    # 15–35: Bầu, Cở, Phừ, Hoa; literate Cở, Phừ, Hoa
    "biet-chu-15-35": (3, 4),
    # women 15–60: Bầu, Cở, Én, Hoa, Jin; literate Cở, Hoa, Jin
    "biet-chu-nu-15-60": (3, 5),
    # H'Mông 15–60: Bầu, Cở, Khư, Phừ, Hoa (Gia is exempt); literate Cở, Phừ, Hoa
    "biet-chu-hmong-15-60": (3, 5),
    "biet-chu-hmong-15-35": (3, 4),
    # women 15–39: Bầu, Cở, Hoa; literate Cở, Hoa
    "biet-chu-nu-15-39": (2, 3),
    # households with members: H01–H04 (H05 is empty)
    "gdht-dang-ky": (3, 4),
    "gdht-cong-nhan": (2, 4),
    "dhht-dang-ky": (2, 3),
    "dhht-cong-nhan": (1, 3),
    "cdht-dang-ky": (1, 2),
    "cdht-cong-nhan": (0, 2),
    "dvht-dang-ky": (2, 2),
    "dvht-cong-nhan": (1, 2),
    "chi-hoi-khuyen-hoc": (1, 2),
    "hoi-vien-khuyen-hoc": (80, 300),
    "tap-huan-xhht": (40, 50),
    "lao-dong-nong-thon-tthtcd": (80, 100),
    "cong-nhan-thpt": (18, 20),
    "cong-nhan-dao-tao-nghe": (19, 20),
    "nguoi-moi-biet-chu-tiep-tuc-hoc": (9, 10),
    "internet-thu-vien-thon": (1, 2),
    "buu-dien-van-hoa-xa": (1, 1),
    "tthtcd-ung-dung-khcn": (1, 1),
    "thi-dua-tu-hoc": (12, 12),
    "nha-van-hoa-thon": (2, 2),
    "mam-non-csvc": (2, 3),
    "mam-non-chuan-quoc-gia": (1, 3),
    "cbccvc-boi-duong": (38, 40),
    "lao-dong-qua-dao-tao": (124, 200),
    "lao-dong-nong-nghiep-boi-duong": (90, 90),
    # the office's own officials: nobody entered them in a commune
    "cbcc-huyen-dai-hoc": (None, None),
    "cbcc-huyen-qlnn": (None, None),
    "cbcc-huyen-trung-cap-llct": (None, None),
    "cbcc-huyen-sau-dai-hoc": (None, None),
    "can-bo-chuyen-trach-huyen-dh-llct": (None, None),
    "can-bo-chu-chot-cao-dang": (9, 10),
    "can-bo-chu-chot-dai-hoc": (6, 10),
    "can-bo-chu-chot-qlnn": (10, 10),
    "cbcc-xa-trung-cap": (19, 20),
    "phu-nu-duoi-40-sau-xmc": (1, 1),
    # the composite shows its lower part: women under 40 literate, 2 of 3
    "phu-nu-duoi-40-xmc": (2, 3),
}

# Per village (Thôn 1, Bon Bu Bir), by hand.
EXPECTED_VILLAGES: dict[str, dict[str, tuple[int | None, int | None]]] = {
    "biet-chu-15-60": {"v1": (2, 5), "v2": (3, 3)},
    "biet-chu-hmong-15-35": {"v1": (1, 2), "v2": (2, 2)},
    "gdht-dang-ky": {"v1": (2, 2), "v2": (1, 2)},
    "gdht-cong-nhan": {"v1": (1, 2), "v2": (1, 2)},
    "cdht-dang-ky": {"v1": (1, 1), "v2": (0, 1)},
    "chi-hoi-khuyen-hoc": {"v1": (1, 1), "v2": (0, 1)},
    "hoi-vien-khuyen-hoc": {"v1": (50, 200), "v2": (30, 100)},
    "internet-thu-vien-thon": {"v1": (1, 1), "v2": (0, 1)},
}

AGGREGATES = {
    "boi-duong-xhht": {"can_bo_hoi_vien": 50, "can_bo_hoi_vien_tap_huan": 40},
    "lao-dong-hoc-tap": {
        "lao_dong_nong_thon": 100,
        "lao_dong_nong_thon_hoc_tthtcd": 80,
        "lao_dong": 200,
        "lao_dong_qua_dao_tao": 124,
        "lao_dong_nong_nghiep": 90,
        "lao_dong_nong_nghiep_boi_duong": 90,
    },
    "cong-nhan-lao-dong": {"cong_nhan": 20, "cong_nhan_thpt": 18, "cong_nhan_dao_tao_nghe": 19},
    "nguoi-moi-biet-chu": {"nguoi_moi_biet_chu": 10, "nguoi_moi_biet_chu_tiep_tuc_hoc": 9},
    "buu-dien-tthtcd-xa": {
        "co_buu_dien_van_hoa_xa": True,
        "so_tthtcd": 1,
        "so_tthtcd_ung_dung_khcn": 1,
    },
    "thi-dua-tu-hoc": {"co_quan_ban_nganh": 12, "co_quan_cham_diem_tu_hoc": 12},
    "truong-mam-non": {
        "truong_mam_non": 3,
        "truong_mam_non_csvc_dat_chuan": 2,
        "truong_mam_non_chuan_quoc_gia": 1,
    },
    "can-bo-cong-chuc-xa": {
        "dang_vien_cbccvc": 40,
        "dang_vien_cbccvc_boi_duong": 38,
        "can_bo_chu_chot": 10,
        "can_bo_chu_chot_cao_dang": 9,
        "can_bo_chu_chot_dai_hoc": 6,
        "can_bo_chu_chot_qlnn": 10,
        "cbcc_xa": 20,
        "cbcc_xa_trung_cap": 19,
    },
    "phu-nu-sau-xoa-mu-chu": {"phu_nu_duoi_40_da_xmc": 1, "phu_nu_duoi_40_hoc_sau_xmc": 1},
}


def _scores(context, model, share):
    criteria = context.learning_models.criteria(model)
    return {f.id: f.type.max * Decimal(str(share)) for f in criteria.scored_fields}


def _cycle(context, model, registered, passed=(), failed=(), recognised=(), override=()):
    service = context.learning_models
    if registered:
        service.register(model, YEAR, registered, date(2026, 1, 10), today=TODAY)
    evaluations = [
        Evaluation(s, _scores(context, model, share), date(2026, 11, 20))
        for subjects, share in ((passed, 0.9), (failed, 0.5))
        for s in subjects
    ]
    if evaluations:
        service.evaluate_many(model, YEAR, evaluations, today=TODAY)
    if recognised:
        # One decision recognises every model (its annex lists them all).
        stored = service.decisions(YEAR)
        decision = stored[0].id if stored else DECISION
        service.recognise(model, YEAR, recognised, decision, today=TODAY)
    if override:
        decision = service.decisions(YEAR)[0].id
        service.recognise(
            model,
            YEAR,
            override,
            decision,
            override_reason="Hộ tiêu biểu, Hội Khuyến học đề nghị",
            today=TODAY,
        )


def build_commune(context) -> dict[str, str]:
    """The hand-counted commune of this module; returns the ids by short name."""
    ids = {
        "v1": context.villages.save(VillageDraft("thon", "Thôn 1")).id,
        "v2": context.villages.save(VillageDraft("bon", "Bon Bu Bir")).id,
    }
    heads: dict[str, str] = {}
    for code, name, *_ in PEOPLE:
        heads.setdefault(code, name)
    heads["H05"] = "Hộ không người"
    for code in ("H01", "H02", "H03", "H04", "H05"):
        draft = HouseholdDraft(code, ids[VILLAGE_OF[code]], heads[code])
        ids[code] = context.households.save(draft).id
    for code, name, born, sex, ethnicity, grade, stage, disabled, residence in PEOPLE:
        context.persons.save(
            PersonDraft(
                ids[code],
                name,
                born,
                sex,
                ethnicity,
                grade=grade,
                literacy_stage=stage,
                disabled=disabled,
                residence=residence,
            )
        )
    for n, name in enumerate(("Họ Giàng", "Họ Lò", "Họ Vũ")):
        ids[f"c{n}"] = context.clans.save(ClanDraft(name)).id
    ids["u0"] = context.units.save(
        UnitDraft("Trường Tiểu học", "truong_hoc", village_id=ids["v1"])
    ).id
    ids["u1"] = context.units.save(UnitDraft("Hợp tác xã Đức An", "hop_tac_xa")).id

    _cycle(
        context,
        "gdht",
        [ids["H01"], ids["H02"], ids["H03"]],
        passed=[ids["H01"]],
        failed=[ids["H02"]],
        recognised=[ids["H01"]],
        override=[ids["H03"]],
    )
    _cycle(context, "dhht", [ids["c0"], ids["c1"]], passed=[ids["c0"]], recognised=[ids["c0"]])
    _cycle(context, "cdht", [ids["v1"]])
    _cycle(
        context,
        "dvht",
        [ids["u0"], ids["u1"]],
        passed=[ids["u0"], ids["u1"]],
        recognised=[ids["u0"]],
    )

    aggregates = context.aggregates
    aggregates.save_grid(
        "chi-hoi-khuyen-hoc",
        YEAR,
        [
            (
                ids["v1"],
                {"co_chi_hoi_khuyen_hoc": True, "so_hoi_vien_khuyen_hoc": 50, "dan_so": 200},
            ),
            (
                ids["v2"],
                {"co_chi_hoi_khuyen_hoc": False, "so_hoi_vien_khuyen_hoc": 30, "dan_so": 100},
            ),
        ],
    )
    aggregates.save_grid(
        "thiet-che-van-hoa-thon",
        YEAR,
        [
            (ids["v1"], {"internet_va_thu_vien": "Có", "nha_van_hoa_dat_chuan": "Có"}),
            (ids["v2"], {"internet_va_thu_vien": "Không", "nha_van_hoa_dat_chuan": "Có"}),
        ],
    )
    for form, values in AGGREGATES.items():
        aggregates.save(form, YEAR, values)
    return ids


@pytest.fixture
def commune(context):
    return build_commune(context)


def test_every_indicator_agrees_with_the_hand_count(context, commune):
    values = context.indicators.values(YEAR)
    assert set(values) == set(EXPECTED)
    got = {code: (v.numerator, v.denominator) for code, v in values.items()}
    assert got == EXPECTED


def test_village_figures_agree_with_the_hand_count(context, commune):
    values = context.indicators.values(YEAR, EXPECTED_VILLAGES)
    for code, villages in EXPECTED_VILLAGES.items():
        got = {
            key: (
                values[code].village(commune[key]).numerator,
                values[code].village(commune[key]).denominator,
            )
            for key in villages
        }
        assert got == villages, code
        # Villages add up to the commune, village by village.
        line = values[code].by_village
        assert [v.village_name for v in line] == ["Bon Bu Bir", "Thôn 1"]
        assert sum(v.numerator or 0 for v in line) == values[code].numerator


def test_the_literacy_indicators_agree_with_the_literacy_survey(context, commune):
    report = context.literacy.rates(YEAR)
    values = context.indicators.values(YEAR, ["biet-chu-15-60", "biet-chu-15-35"])
    for code, band in (("biet-chu-15-60", Band(15, 60)), ("biet-chu-15-35", Band(15, 35))):
        rate = report.rate(band, 1)
        assert (values[code].numerator, values[code].denominator) == (rate.literate, rate.counted)


def test_both_seed_plans_are_checked_with_status_gap_and_sentence(context, commune):
    dak_song = context.indicators.evaluate(YEAR, "dak-song-138-2020")
    rows = {row.indicator.code: row for row in dak_song.rows}
    assert len(dak_song.rows) == 16
    # > 60% of 4 households: 3 registered is 75%.
    assert rows["gdht-dang-ky"].check.status is Status.MET
    # > 70% of 3 clans needs 3; 2 registered.
    clans = rows["dhht-dang-ky"]
    assert (clans.check.status, clans.check.gap) == (Status.NOT_MET, 1)
    assert clans.gap_text == "cần thêm 1 dòng họ đăng ký Dòng họ học tập"
    # 98.5% of 8 people needs 8; 5 are literate.
    assert rows["biet-chu-15-60"].check.gap == 3
    assert rows["biet-chu-15-60"].gap_text == "cần thêm 3 người 15–60 tuổi biết chữ"
    village = rows["biet-chu-15-60"].village(commune["v2"])
    assert (village.check.status, village.gap_text) == (Status.MET, "đã đạt")
    # H'Mông 15–60 > 70%: 3 of 5 is 60%, 4 of 5 is 80%.
    assert rows["biet-chu-hmong-15-60"].check.gap == 1
    assert rows["nguoi-moi-biet-chu-tiep-tuc-hoc"].check.status is Status.MET

    dong_trieu = context.indicators.evaluate(YEAR, "dong-trieu-2011")
    rows = {(row.indicator.code, row.target.deadline): row for row in dong_trieu.rows}
    # 62% trained workers against 60–65%: within range, 6 more reach 65%.
    trained = rows[("lao-dong-qua-dao-tao", 2015)]
    assert trained.check.status is Status.WITHIN_RANGE
    assert trained.stretch_gap == 6
    assert trained.gap_text.endswith("cần thêm 6 lao động qua đào tạo để đạt mức phấn đấu 65%")
    # 2 of 4 households recognised (one by an override) against 65–70%.
    assert rows[("gdht-cong-nhan", 2015)].check.gap == 1
    # District officials are the office's figures: no data in a commune, never 0%.
    office = rows[("cbcc-huyen-sau-dai-hoc", 2020)]
    assert (office.check.status, office.check.value, office.gap_text) == (
        Status.NO_DATA,
        None,
        "chưa nhập số liệu",
    )
    # Women under 40: literate 2 of 3 (not met), post-literacy 1 of 1 (met).
    women = rows[("phu-nu-duoi-40-xmc", 2020)]
    assert [p.check.status for p in women.parts] == [Status.NOT_MET, Status.MET]
    assert (women.check.status, women.check.gap) == (Status.NOT_MET, 1)
    assert women.gap_text == "cần thêm 1 phụ nữ dưới 40 tuổi biết chữ"

    national = context.indicators.evaluate(YEAR, "qd-387-2025")
    assert [r.check.value for r in national.rows] == [
        Fraction(50),
        Fraction(100, 3),
        Fraction(0),
        Fraction(50),
    ]


def test_a_missing_denominator_is_no_data_and_a_part_of_it_stays_unknown(context, commune):
    context.aggregates.delete("phu-nu-sau-xoa-mu-chu", YEAR)
    evaluation = context.indicators.evaluate(YEAR, "dong-trieu-2011")
    women = next(r for r in evaluation.rows if r.indicator.code == "phu-nu-duoi-40-xmc")
    # One part fails, the other has no data: not met, with an unknown gap.
    assert [p.check.status for p in women.parts] == [Status.NOT_MET, Status.NO_DATA]
    assert (women.check.status, women.check.gap) == (Status.NOT_MET, None)
    # Another year has nothing at all: every aggregate target says no data.
    empty = context.indicators.evaluate(2025, "dak-song-138-2020")
    for row in empty.rows:
        if row.indicator.source == "aggregate":
            assert row.check.status is Status.NO_DATA and row.check.numerator is None


def test_an_empty_commune_has_no_data_anywhere(context):
    evaluation = context.indicators.evaluate(YEAR, "dak-song-138-2020")
    assert {row.check.status for row in evaluation.rows} == {Status.NO_DATA}
    assert all(row.check.value is None for row in evaluation.rows)


def test_each_source_is_read_once_per_call(context, commune, monkeypatch):
    from xhht_desktop.services import indicators as module

    calls: dict[str, int] = {"counts": 0, "persons": 0, "aggregates": 0}
    original_counts = type(context.learning_models).counts
    original_persons = module._persons_groups
    original_aggregates = module.stored_aggregates

    def counts(self, year):
        calls["counts"] += 1
        return original_counts(self, year)

    def persons(*args):
        calls["persons"] += 1
        return original_persons(*args)

    def aggregates(*args):
        calls["aggregates"] += 1
        return original_aggregates(*args)

    monkeypatch.setattr(type(context.learning_models), "counts", counts)
    monkeypatch.setattr(module, "_persons_groups", persons)
    monkeypatch.setattr(module, "stored_aggregates", aggregates)
    context.indicators.values(YEAR)
    assert calls == {"counts": 1, "persons": 1, "aggregates": 1}
    context.indicators.values(YEAR, ["gdht-dang-ky"])
    assert calls == {"counts": 2, "persons": 1, "aggregates": 1}


def test_the_records_behind_a_figure(context, commune):
    service = context.indicators
    # The household not yet registered in Bon Bu Bir.
    behind = service.behind("gdht-dang-ky", YEAR, commune["v2"])
    assert (behind.kind, behind.total) == ("entries", 1)
    assert [e.subject.code for e in behind.entries] == ["H04"]
    # Not-literate H'Mông aged 15–60: Bầu and Khư (Gia is exempt).
    people = service.behind("biet-chu-hmong-15-60", YEAR)
    assert sorted(p.full_name for p in people.persons) == ["Giàng A Khư", "Giàng Thị Bầu"]
    assert people.total == 2
    # Not recognised: H02 and H04 (H03 is, by an override).
    recognised = service.behind("gdht-cong-nhan", YEAR)
    assert sorted(e.subject.code for e in recognised.entries) == ["H02", "H04"]
    form = service.behind("chi-hoi-khuyen-hoc", YEAR)
    assert (form.kind, form.form_id, form.total) == ("aggregate", "chi-hoi-khuyen-hoc", 2)
    women = service.behind("phu-nu-duoi-40-xmc", YEAR)
    assert [p.kind for p in women.parts] == ["persons", "aggregate"]
    assert [p.full_name for p in women.parts[0].persons] == ["Giàng Thị Bầu"]
    with pytest.raises(NotFound):
        service.behind("no-such-indicator", YEAR)


def test_the_active_plan_is_evaluated_by_default(context, commune):
    assert context.indicators.evaluate(YEAR).plan.id == "qd-387-2025"
    context.plans.activate("dak-song-138-2020")
    evaluation = context.indicators.evaluate(YEAR)
    assert evaluation.plan.id == "dak-song-138-2020"
    data = evaluation.as_dict()
    assert (data["year"], data["plan"]) == (YEAR, "dak-song-138-2020")
    first = data["targets"][0]
    assert {
        "code",
        "label",
        "numerator",
        "denominator",
        "value",
        "target",
        "comparison",
        "status",
        "gap",
    } <= set(first)
    village = evaluation.as_dict(commune["v1"])
    assert village["village"] == {"id": commune["v1"], "name": "Thôn 1"}
    assert all(t["scope"] == "village" for t in village["targets"])
    literacy = next(t for t in village["targets"] if t["code"] == "biet-chu-15-60")
    assert (literacy["numerator"], literacy["denominator"], literacy["value"]) == (2, 5, 40.0)
    ranking = evaluation.village_ranking()
    assert [r.village_name for r in ranking] == ["Bon Bu Bir", "Thôn 1"]
