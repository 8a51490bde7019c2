"""The indicator registry (core/indicators.py): its entries and each kind of compute function."""

from __future__ import annotations

from fractions import Fraction

import pytest

from xhht_desktop.core import indicators as registry
from xhht_desktop.core.indicators import (
    GROUPS,
    REGISTRY,
    SCOPES,
    SOURCES,
    UNITS,
    AggregatePair,
    AggregateYes,
    Composite,
    LiterateShare,
    ModelShare,
    Sources,
    SubjectCounts,
    compute_all,
    format_count,
)
from xhht_desktop.core.literacy import Band, GroupCount
from xhht_desktop.forms import load_definitions

YEAR = 2026
VILLAGES = (("v1", "Bon Bu Bir"), ("v2", "Thôn 1"), ("v3", "Thôn 2"))


def _person(age, sex="M", ethnicity="01", level=1, count=1, village="v1", disabled=False):
    return GroupCount(YEAR - age, sex, ethnicity, disabled, level, count, village)


def test_every_entry_is_complete_and_uses_the_vocabularies():
    assert len(REGISTRY) == len({i.code for i in REGISTRY.values()})
    for code, item in REGISTRY.items():
        assert item.code == code
        assert item.group in GROUPS and item.unit in UNITS and item.scope in SCOPES
        assert item.source in SOURCES
        assert item.label and item.unit_noun and item.gap_phrase
        assert item.numerator_label and item.denominator_label
        assert code == code.lower() and " " not in code


def test_a_composite_is_made_of_plain_indicators():
    composites = [i for i in REGISTRY.values() if isinstance(i.spec, Composite)]
    assert [i.code for i in composites] == ["phu-nu-duoi-40-xmc"]
    for item in composites:
        assert item.parts == ("biet-chu-nu-15-39", "phu-nu-duoi-40-sau-xmc")
        assert all(not REGISTRY[p].parts for p in item.parts)


def test_every_aggregate_indicator_names_a_shipped_form_and_fields_of_the_right_type():
    definitions, problems = load_definitions()
    assert problems == []
    for item in REGISTRY.values():
        spec = item.spec
        if not isinstance(spec, AggregatePair | AggregateYes):
            continue
        form = definitions.get(spec.form)
        assert form is not None and form.kind == "aggregate", item.code
        if isinstance(spec, AggregatePair):
            assert form.field(spec.numerator).type.name == "integer", item.code
            assert form.field(spec.denominator).type.name == "integer", item.code
            # A pair is summed over the villages of a village form.
            assert item.scope == form.scope, item.code
        else:
            assert form.field(spec.numerator).type.name == "yes_no", item.code
            expected = "village" if spec.denominator == "villages" else "commune"
            assert form.scope == expected and item.scope == expected, item.code


def test_model_shares_count_the_subjects_in_scope_by_village():
    sources = Sources(
        YEAR,
        VILLAGES,
        models={
            "gdht": {
                "v1": SubjectCounts(in_scope=10, registered=7, recognised=4),
                "v2": SubjectCounts(in_scope=5, registered=1, recognised=1),
            },
            "dvht": {None: SubjectCounts(in_scope=3, registered=3), "v1": SubjectCounts(2, 1)},
        },
    )
    registered = REGISTRY["gdht-dang-ky"].compute(sources)
    assert (registered.numerator, registered.denominator) == (8, 15)
    assert [(v.village_name, v.numerator, v.denominator) for v in registered.by_village] == [
        ("Bon Bu Bir", 7, 10),
        ("Thôn 1", 1, 5),
        ("Thôn 2", 0, 0),
    ]
    assert registered.by_village[2].value is None
    recognised = REGISTRY["gdht-cong-nhan"].compute(sources)
    assert (recognised.numerator, recognised.value) == (5, Fraction(100, 3))
    # Units without a village count for the commune; the scope is the commune.
    units = REGISTRY["dvht-dang-ky"].compute(sources)
    assert (units.numerator, units.denominator, units.by_village) == (4, 5, ())
    # No clans at all: 0 of 0, which the target check calls no data.
    clans = REGISTRY["dhht-dang-ky"].compute(sources)
    assert (clans.numerator, clans.denominator, clans.value) == (0, 0, None)


def test_literate_shares_select_band_sex_and_ethnicity_and_leave_the_exempt_out():
    persons = [
        _person(15, level=1),
        _person(60, level=2, village="v2"),
        _person(14, level=1),  # too young
        _person(61, level=0),  # too old
        _person(30, level=0, count=3),
        _person(30, sex="F", ethnicity="08", level=0, count=2),
        _person(30, sex="F", ethnicity="08", level=1),
        _person(38, sex="F", ethnicity="08", level=0, disabled=True, count=5),
        _person(39, sex="F", level=2, village="v2"),
        _person(40, sex="F", level=0, village="v2"),
    ]
    sources = Sources(YEAR, VILLAGES, persons=persons)
    values = compute_all(sources)
    figures = {
        code: (values[code].numerator, values[code].denominator)
        for code in (
            "biet-chu-15-60",
            "biet-chu-15-35",
            "biet-chu-nu-15-60",
            "biet-chu-hmong-15-60",
            "biet-chu-hmong-15-35",
            "biet-chu-nu-15-39",
        )
    }
    assert figures == {
        "biet-chu-15-60": (4, 10),
        "biet-chu-15-35": (2, 7),
        "biet-chu-nu-15-60": (2, 5),
        "biet-chu-hmong-15-60": (1, 3),
        "biet-chu-hmong-15-35": (1, 3),
        "biet-chu-nu-15-39": (2, 4),
    }
    line = values["biet-chu-15-60"].by_village
    assert [(v.village_id, v.numerator, v.denominator) for v in line] == [
        ("v1", 2, 7),
        ("v2", 2, 3),
        ("v3", 0, 0),
    ]


def test_a_person_in_a_deleted_village_is_counted_and_shown():
    sources = Sources(YEAR, VILLAGES[:1], persons=[_person(20, village="gone")])
    value = REGISTRY["biet-chu-15-35"].compute(sources)
    assert (value.numerator, value.denominator) == (1, 1)
    assert [v.village_name for v in value.by_village] == ["Bon Bu Bir", "(thôn đã xóa)"]


def test_aggregate_pairs_sum_the_villages_that_entered_them():
    sources = Sources(
        YEAR,
        VILLAGES,
        aggregates={
            "chi-hoi-khuyen-hoc": {
                "v1": {"co_chi_hoi_khuyen_hoc": True, "so_hoi_vien_khuyen_hoc": 50, "dan_so": 200},
                "v2": {"co_chi_hoi_khuyen_hoc": False, "so_hoi_vien_khuyen_hoc": None},
            },
            "cong-nhan-lao-dong": {None: {"cong_nhan": 20, "cong_nhan_thpt": 18}},
        },
    )
    members = REGISTRY["hoi-vien-khuyen-hoc"].compute(sources)
    assert (members.numerator, members.denominator) == (50, 200)
    assert [(v.numerator, v.denominator) for v in members.by_village] == [
        (50, 200),
        (None, None),
        (None, None),
    ]
    # A village answering "Không" counts; one not entered counts as not having it.
    branches = REGISTRY["chi-hoi-khuyen-hoc"].compute(sources)
    assert (branches.numerator, branches.denominator) == (1, 3)
    assert [v.numerator for v in branches.by_village] == [1, 0, None]
    workers = REGISTRY["cong-nhan-thpt"].compute(sources)
    assert (workers.numerator, workers.denominator) == (18, 20)
    # The pair "trained" was left empty in the same row: no data, not 0%.
    trained = REGISTRY["cong-nhan-dao-tao-nghe"].compute(sources)
    assert (trained.numerator, trained.denominator) == (None, None)
    # A form nobody entered.
    nothing = REGISTRY["internet-thu-vien-thon"].compute(sources)
    assert (nothing.numerator, nothing.denominator) == (None, None)


@pytest.mark.parametrize(
    ("answer", "expected"), [(True, (1, 1)), (False, (0, 1)), (None, (None, None))]
)
def test_a_commune_yes_no_counts_the_commune_itself(answer, expected):
    rows = {} if answer is None else {None: {"co_buu_dien_van_hoa_xa": answer}}
    sources = Sources(YEAR, VILLAGES, aggregates={"buu-dien-tthtcd-xa": rows})
    value = REGISTRY["buu-dien-van-hoa-xa"].compute(sources)
    assert (value.numerator, value.denominator) == expected


def test_a_composite_shows_its_lower_part_and_nothing_when_a_part_has_no_data():
    persons = [_person(30, sex="F", level=1, count=9), _person(30, sex="F", level=0)]
    rows = {None: {"phu_nu_duoi_40_da_xmc": 4, "phu_nu_duoi_40_hoc_sau_xmc": 2}}
    sources = Sources(YEAR, VILLAGES, persons=persons, aggregates={"phu-nu-sau-xoa-mu-chu": rows})
    value = REGISTRY["phu-nu-duoi-40-xmc"].compute(sources)
    assert [(p.code, p.numerator, p.denominator) for p in value.parts] == [
        ("biet-chu-nu-15-39", 9, 10),
        ("phu-nu-duoi-40-sau-xmc", 2, 4),
    ]
    assert (value.numerator, value.denominator) == (2, 4)
    partial = REGISTRY["phu-nu-duoi-40-xmc"].compute(Sources(YEAR, VILLAGES, persons=persons))
    assert (partial.numerator, partial.value) == (None, None)


def test_what_a_set_of_indicators_needs_to_read():
    assert registry.expand(["phu-nu-duoi-40-xmc", "gdht-dang-ky"]) == [
        "biet-chu-nu-15-39",
        "phu-nu-duoi-40-sau-xmc",
        "phu-nu-duoi-40-xmc",
        "gdht-dang-ky",
    ]
    assert registry.needed_sources(["phu-nu-duoi-40-xmc"]) == {"persons", "aggregate"}
    assert registry.needed_sources(["dvht-cong-nhan"]) == {"register"}
    assert registry.persons_bands(["biet-chu-15-35", "gdht-dang-ky"]) == [Band(15, 35)]
    assert isinstance(REGISTRY["gdht-dang-ky"].spec, ModelShare)
    assert isinstance(REGISTRY["biet-chu-hmong-15-60"].spec, LiterateShare)
    assert REGISTRY["biet-chu-hmong-15-60"].spec.ethnicity == "08"
    with pytest.raises(KeyError, match="Không có chỉ số"):
        registry.indicator("khong-co")


def test_counts_are_written_the_vietnamese_way():
    assert format_count(1234567) == "1.234.567"
    assert format_count(37) == "37"
