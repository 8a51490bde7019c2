"""The literacy rules of Nghị định 20/2014/NĐ-CP, at every boundary."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xhht_desktop.core import literacy
from xhht_desktop.core.literacy import (
    Band,
    Figures,
    GroupCount,
    LiteracySettings,
    build_report,
    level,
    needed,
    percent,
    quality_issues,
    tally,
    village_table,
)

YEAR = 2026


def born(person_age: int) -> int:
    return YEAR - person_age


def group(person_age, sex="M", code="01", lvl=0, count=1, disabled=False, village=None):
    return GroupCount(born(person_age), sex, code, disabled, lvl, count, village)


# --- Art. 19: a person's level ---------------------------------------------


@pytest.mark.parametrize(
    ("grade", "stage", "expected"),
    [
        (0, 0, 0),
        (1, 0, 0),
        (2, 0, 0),
        (3, 0, 1),
        (4, 0, 1),
        (5, 0, 2),
        (9, 0, 2),
        (12, 0, 2),
        (0, 1, 1),
        (2, 1, 1),
        (4, 1, 1),
        (0, 2, 2),
        (2, 2, 2),
        (3, 2, 2),
        (5, 1, 2),
    ],
)
def test_level_follows_article_19(grade, stage, expected):
    assert level(grade, stage) == expected


def test_level_thresholds_are_the_named_constants():
    assert (literacy.LEVEL_1_MIN_GRADE, literacy.LEVEL_1_MIN_STAGE) == (3, 1)
    assert (literacy.LEVEL_2_MIN_GRADE, literacy.LEVEL_2_MIN_STAGE) == (5, 2)
    # Every combination the register can hold: level 2 implies level 1.
    for grade in range(13):
        for stage in range(3):
            lv = level(grade, stage)
            assert literacy.is_literate(grade, stage, 1) == (lv >= 1)
            assert literacy.is_literate(grade, stage, 2) == (lv == 2)
            assert lv == max(
                (2 if grade >= 5 or stage >= 2 else 0), (1 if grade >= 3 or stage >= 1 else 0)
            )


def test_age_is_counted_by_year_of_birth():
    assert literacy.age(2011, 2026) == 15
    assert literacy.age(2026, 2026) == 0


@pytest.mark.parametrize(
    ("residence", "counted"),
    [("thuong_tru", True), ("tam_tru", True), ("chuyen_di", False), ("da_mat", False)],
)
def test_moved_and_died_people_are_not_counted(residence, counted):
    assert literacy.is_counted(residence) is counted


# --- Bands at every boundary ------------------------------------------------


@pytest.mark.parametrize(
    ("person_age", "bands"),
    [
        (14, set()),
        (15, {(15, 25), (15, 35), (15, 60)}),
        (25, {(15, 25), (15, 35), (15, 60)}),
        (26, {(15, 35), (15, 60)}),
        (35, {(15, 35), (15, 60)}),
        (36, {(15, 60)}),
        (60, {(15, 60)}),
        (61, set()),
    ],
)
def test_each_boundary_age_falls_in_the_right_bands(person_age, bands):
    figures = tally([group(person_age, lvl=2)], YEAR, literacy.DEFAULT_BANDS)
    counted_in = {
        (band.age_from, band.age_to)
        for (band, sex, code), f in figures.items()
        if sex == "all" and code is None and f.counted
    }
    assert counted_in == bands


@pytest.mark.parametrize(
    ("person_age", "in_target"), [(60, True), (61, True), (62, True), (63, False)]
)
def test_upper_age_62_widens_the_target_group_and_the_level_2_band(person_age, in_target):
    settings = LiteracySettings(upper_age=62)
    assert settings.target_band == Band(15, 62)
    assert settings.standard_band(2) == Band(15, 62)
    assert Band(15, 62) in settings.report_bands()
    report = build_report([group(person_age, lvl=0)], YEAR, settings)
    assert report.rate(Band(15, 62), 2).counted == (1 if in_target else 0)
    assert report.standards.level_2.counted == (1 if in_target else 0)
    # The default settings stop at 60.
    default = build_report([group(person_age, lvl=0)], YEAR, LiteracySettings())
    assert default.standards.level_2.band == Band(15, 60)
    assert default.standards.level_2.counted == (1 if person_age <= 60 else 0)


def test_difficult_areas_use_the_younger_bands():
    normal, difficult = LiteracySettings(), LiteracySettings(difficult_area=True)
    assert (normal.standard_band(1), normal.standard_band(2)) == (Band(15, 35), Band(15, 60))
    assert (difficult.standard_band(1), difficult.standard_band(2)) == (Band(15, 25), Band(15, 35))
    groups = [
        group(20, lvl=1),  # 15–25: reads at level 1
        group(30, lvl=0),  # 26–35: does not read
    ]
    report = build_report(groups, YEAR, difficult)
    one, two = report.standards.level_1, report.standards.level_2
    assert (one.band, one.counted, one.literate, one.met) == (Band(15, 25), 1, 1, True)
    assert (two.band, two.counted, two.literate, two.met) == (Band(15, 35), 2, 0, False)
    assert one.difficult_area and two.difficult_area
    assert build_report(groups, YEAR, normal).standards.level_1.met is False


# --- Exact rates and the standards' arithmetic ------------------------------


@pytest.mark.parametrize(
    ("counted", "literate", "met", "more"),
    [
        (1000, 899, False, 1),
        (1000, 900, True, 0),
        (1000, 1000, True, 0),
        (10, 9, True, 0),
        (10, 8, False, 1),
        (11, 9, False, 1),  # 90% of 11 is 9.9: ten are needed
        (1, 0, False, 1),
        (0, 0, False, 0),  # nobody counted: nothing meets the standard
    ],
)
def test_needed_and_met(counted, literate, met, more):
    verdict = literacy.StandardVerdict(1, Band(15, 35), counted, literate, 90, False)
    assert verdict.met is met
    assert verdict.needed == more


@given(
    counted=st.integers(min_value=0, max_value=10**6),
    share=st.fractions(min_value=0, max_value=1),
    threshold=st.integers(min_value=1, max_value=100),
)
def test_needed_is_exact_for_any_threshold(counted, share, threshold):
    literate = int(share * counted)
    required = Fraction(threshold * counted, 100)
    exact = max(0, -(-required.numerator // required.denominator) - literate)
    assert needed(counted, literate, threshold) == exact
    assert literacy.meets(counted, literate, threshold) == (counted > 0 and exact == 0)


def test_integer_arithmetic_where_floats_round_wrong():
    # 0.07 × 100 is 7.000000000000001 in floating point: ceil() would ask for 8.
    assert needed(100, 7, 7) == 0
    assert literacy.meets(100, 7, 7)


@pytest.mark.parametrize(
    ("num", "den", "expected"),
    [(2, 3, 66.67), (1, 3, 33.33), (1, 8, 12.5), (1, 800, 0.13), (899, 1000, 89.9), (5, 5, 100.0)],
)
def test_percent_rounds_half_up_to_two_decimals(num, den, expected):
    assert percent(num, den) == expected


def test_no_one_counted_gives_no_rate_not_zero():
    assert percent(0, 0) is None
    assert literacy.fraction(0, 0) is None
    rate = build_report([], YEAR, LiteracySettings()).rate(Band(15, 35), 1)
    assert (rate.counted, rate.percent, rate.fraction) == (0, None, None)
    assert rate.as_dict()["rate"] is None


def test_the_exact_fraction_is_kept():
    report = build_report([group(20, lvl=1, count=2), group(20, lvl=0)], YEAR, LiteracySettings())
    rate = report.rate(Band(15, 25), 1)
    assert rate.fraction == Fraction(2, 3)
    assert rate.percent == 66.67


def test_district_and_province_shares():
    assert literacy.district_standard(1, communes=10, communes_met=9).met
    short = literacy.district_standard(2, communes=10, communes_met=8)
    assert (short.met, short.needed, short.percent) == (False, 1, 80.0)
    # A province meets level 2 only with every district.
    assert literacy.province_standard(1, districts=10, districts_met=9).met
    strict = literacy.province_standard(2, districts=10, districts_met=9)
    assert (strict.met, strict.needed) == (False, 1)
    assert literacy.district_standard(1, 0, 0).met is False


# --- Aggregation of group rows (hand-counted) -------------------------------


@pytest.fixture
def groups():
    """Ten people in groups, as the store hands them over.

    15–25: M 01 L2 ×2, F 08 L1, F 08 L0
    26–35: M 01 L1, M 08 exempt (L0)
    36–60: F 01 L2, M 08 L0 ×2
    61:    F 01 L0 (outside every default band)
    """
    return [
        group(15, "M", "01", 2, count=2),
        group(25, "F", "08", 1),
        group(25, "F", "08", 0),
        group(26, "M", "01", 1),
        group(35, "M", "08", 0, disabled=True),
        group(36, "F", "01", 2),
        group(60, "M", "08", 0, count=2),
        group(61, "F", "01", 0),
    ]


def test_tally_counts_by_band_sex_and_ethnicity(groups):
    figures = tally(groups, YEAR, literacy.DEFAULT_BANDS)
    b25, b35, b60 = literacy.DEFAULT_BANDS
    assert figures[(b25, "all", None)] == Figures(counted=4, level_1=3, level_2=2, exempt=0)
    assert figures[(b35, "all", None)] == Figures(counted=5, level_1=4, level_2=2, exempt=1)
    assert figures[(b60, "all", None)] == Figures(counted=8, level_1=5, level_2=3, exempt=1)
    assert figures[(b60, "male", None)] == Figures(counted=5, level_1=3, level_2=2, exempt=1)
    assert figures[(b60, "female", None)] == Figures(counted=3, level_1=2, level_2=1, exempt=0)
    assert figures[(b60, "all", "08")] == Figures(counted=4, level_1=1, level_2=0, exempt=1)
    assert figures[(b25, "female", "08")] == Figures(counted=2, level_1=1, level_2=0, exempt=0)
    assert figures[(b25, "male", "08")] == Figures()  # present, but nobody in it


def test_report_holds_every_combination_once(groups):
    report = build_report(groups, YEAR, LiteracySettings())
    assert report.ethnicities == ("01", "08")
    keys = [(r.age_from, r.age_to, r.sex, r.ethnicity, r.level) for r in report.rates]
    assert len(keys) == len(set(keys)) == 3 * 3 * 2 * 3
    expected = {
        (a, b, sex, code, lv)
        for a, b in ((15, 25), (15, 35), (15, 60))
        for sex in ("all", "male", "female")
        for code in (None, "01", "08")
        for lv in (1, 2)
    }
    assert set(keys) == expected
    line = report.rate(Band(15, 60), 2, "male", "08")
    assert (line.counted, line.literate, line.exempt) == (2, 0, 1)
    assert report.standards.level_1.as_dict() == {
        "level": 1,
        "age_from": 15,
        "age_to": 35,
        "counted": 5,
        "literate": 4,
        "rate": 80.0,
        "threshold": 90,
        "met": False,
        "needed": 1,
        "difficult_area": False,
    }
    assert report.standards.level_2.needed == 5  # ceil(90% of 8) = 8, 3 at level 2
    assert set(report.as_dict()) == {"year", "rates", "standards"}


def test_village_table_adds_up_to_the_total():
    groups = [
        group(20, lvl=2, village="a"),
        group(30, lvl=1, village="a"),
        group(50, lvl=0, village="a", disabled=True),
        group(20, lvl=0, village="b", count=3),
        group(45, lvl=2, village="gone"),
    ]
    table = village_table(
        groups,
        YEAR,
        literacy.DEFAULT_BANDS,
        [("b", "Bon Bu Bir"), ("a", "Thôn 1"), ("c", "Thôn 3")],
    )
    names = [line.village_name for line in table.lines]
    assert names == ["Bon Bu Bir", "Thôn 1", "Thôn 3", literacy.UNKNOWN_VILLAGE_LABEL]
    a = table.lines[1].figures
    assert a == (Figures(1, 1, 1, 0), Figures(2, 2, 1, 0), Figures(2, 2, 1, 1))
    assert table.lines[0].figures[0] == Figures(3, 0, 0, 0)
    assert table.lines[2].figures == (Figures(),) * 3
    assert table.lines[2].figures[0].percent(1) is None
    assert table.total.village_name == "Toàn xã"
    assert table.total.figures == (Figures(4, 1, 1, 0), Figures(5, 2, 1, 0), Figures(6, 3, 2, 1))


# --- Data quality ----------------------------------------------------------


def issues(person_age, grade, stage=0):
    return quality_issues(birth_year=born(person_age), grade=grade, stage=stage, year=YEAR)


@pytest.mark.parametrize(
    ("person_age", "grade", "stage", "flagged"),
    [
        (40, 9, 1, "lớp 9"),  # grade 9 but stage 1
        (40, 5, 2, "giai đoạn 2"),
        (40, 4, 1, None),  # may have relapsed and taken stage 1: plausible
        (40, 2, 2, None),
        (3, 5, 0, "chưa đến tuổi vào lớp 1"),
        (5, 1, 0, "chưa đến tuổi vào lớp 1"),
        (6, 1, 0, None),  # grade g is plausible from age g + 5
        (9, 5, 0, "sớm nhất là 10 tuổi"),
        (10, 5, 0, None),
        (16, 12, 0, "sớm nhất là 17 tuổi"),
        (17, 12, 0, None),
        (7, 0, 1, "sớm nhất là 8 tuổi"),
        (8, 0, 1, None),
        (9, 0, 2, "sớm nhất là 10 tuổi"),
        (10, 0, 2, None),
        (111, 0, 0, "kiểm tra lại năm sinh"),
        (-1, 0, 0, "sau năm điều tra"),
        (30, 0, 0, None),
    ],
)
def test_quality_checks(person_age, grade, stage, flagged):
    found = issues(person_age, grade, stage)
    if flagged is None:
        assert found == []
    else:
        assert any(flagged in message for message in found), found


def test_quality_messages_are_vietnamese_sentences():
    (message,) = issues(40, 9, 1)
    assert message.startswith("Đã hoàn thành lớp 9")
    assert message.endswith(".")


# --- Settings ---------------------------------------------------------------


def test_settings_defaults_follow_the_decree():
    settings = LiteracySettings()
    assert settings.bands == (Band(15, 25), Band(15, 35), Band(15, 60))
    assert (settings.upper_age, settings.difficult_area, settings.threshold_percent) == (
        60,
        False,
        90,
    )
    assert settings.report_bands() == settings.bands


def test_settings_round_trip_through_json():
    settings = LiteracySettings(
        bands=(Band(15, 35), Band(15, 62)), upper_age=62, difficult_area=True
    )
    assert LiteracySettings.from_json(settings.to_json()) == settings
    assert LiteracySettings.from_json({}) == LiteracySettings()
    assert LiteracySettings.from_json({"upper_age": 62}).upper_age == 62


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"upper_age": "60"},
        {"difficult_area": 1},
        {"bands": [[35, 15]]},
        {"bands": [[15]]},
        {"bands": "15-60"},
        {"upper_age": 20},
        {"threshold_percent": 0},
    ],
)
def test_damaged_settings_are_refused(data):
    with pytest.raises(ValueError):
        LiteracySettings.from_json(data)


def test_settings_problems_speak_vietnamese():
    problems = literacy.settings_problems(
        LiteracySettings(bands=(Band(15, 25), Band(15, 25)), upper_age=200)
    )
    fields = [name for name, _ in problems]
    assert fields == ["bands", "upper_age"]
    assert "lặp lại" in problems[0][1]
    assert "Tuổi cao nhất" in problems[1][1]
    assert literacy.settings_problems(LiteracySettings(bands=())) == [
        ("bands", "Cần ít nhất một nhóm tuổi.")
    ]


@pytest.mark.parametrize(
    ("bands", "segments"),
    [
        (literacy.DEFAULT_BANDS, [(15, 25), (26, 35), (36, 60)]),
        ((Band(15, 25), Band(40, 60)), [(15, 25), (40, 60)]),
        ((Band(15, 35), Band(20, 40)), [(15, 19), (20, 35), (36, 40)]),
        ((Band(15, 15),), [(15, 15)]),
    ],
)
def test_age_segments_split_the_bands_into_disjoint_pieces(bands, segments):
    found = literacy.age_segments(bands)
    assert [(s.age_from, s.age_to) for s in found] == segments
    # Every age of a segment falls in the same bands.
    for segment in found:
        memberships = {
            tuple(a in band for band in bands) for a in range(segment.age_from, segment.age_to + 1)
        }
        assert len(memberships) == 1
