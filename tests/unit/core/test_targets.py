from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xhht_desktop.core.targets import Comparison, Status, Target, check, format_percent

AT_LEAST_98_5 = Target(Comparison.AT_LEAST, Fraction("98.5"))
MORE_THAN_60 = Target(Comparison.MORE_THAN, Fraction(60))
RANGE_65_70 = Target(Comparison.RANGE, Fraction(65), Fraction(70))
ALL = Target(Comparison.EQUAL, Fraction(100))


@pytest.mark.parametrize(
    ("target", "numerator", "denominator", "status", "gap"),
    [
        (AT_LEAST_98_5, 985, 1000, Status.MET, 0),
        (AT_LEAST_98_5, 984, 1000, Status.NOT_MET, 1),
        (AT_LEAST_98_5, 0, 1000, Status.NOT_MET, 985),
        # 60% of 200 is 120: "more than 60%" needs 121.
        (MORE_THAN_60, 120, 200, Status.NOT_MET, 1),
        (MORE_THAN_60, 121, 200, Status.MET, 0),
        (RANGE_65_70, 64, 100, Status.NOT_MET, 1),
        (RANGE_65_70, 65, 100, Status.WITHIN_RANGE, 0),
        (RANGE_65_70, 70, 100, Status.WITHIN_RANGE, 0),
        (RANGE_65_70, 71, 100, Status.ABOVE_STRETCH, 0),
        (ALL, 40, 40, Status.MET, 0),
        (ALL, 37, 40, Status.NOT_MET, 3),
    ],
)
def test_status_and_gap(target, numerator, denominator, status, gap):
    result = check(target, numerator, denominator)
    assert (result.status, result.gap) == (status, gap)
    assert result.value == Fraction(numerator * 100, denominator)


@pytest.mark.parametrize(("numerator", "denominator"), [(None, 100), (0, 0), (5, None)])
def test_no_denominator_is_no_data_never_zero_percent(numerator, denominator):
    result = check(AT_LEAST_98_5, numerator, denominator)
    assert result.status is Status.NO_DATA
    assert result.value is None and result.gap is None
    assert not result.status.reached


def test_range_shows_all_four_statuses_with_one_target():
    statuses = {check(RANGE_65_70, n, 100).status for n in (10, 67, 90)}
    statuses.add(check(RANGE_65_70, None, None).status)
    assert statuses == {Status.NOT_MET, Status.WITHIN_RANGE, Status.ABOVE_STRETCH, Status.NO_DATA}


@given(st.integers(0, 5000), st.integers(1, 5000), st.fractions(0, 100))
def test_gap_is_exactly_what_reaches_the_target(numerator, denominator, share):
    numerator = min(numerator, denominator)
    target = Target(Comparison.AT_LEAST, share)
    result = check(target, numerator, denominator)
    reached = check(target, numerator + result.gap, denominator)
    assert reached.status is Status.MET
    if result.gap:
        assert check(target, numerator + result.gap - 1, denominator).status is Status.NOT_MET


def test_targets_describe_themselves_in_vietnamese():
    assert AT_LEAST_98_5.describe() == "≥ 98,5%"
    assert MORE_THAN_60.describe() == "> 60%"
    assert RANGE_65_70.describe() == "65–70%"
    assert ALL.describe() == "100%"
    assert format_percent(Fraction(2, 3) * 100) == "66,67"
    assert Status.NO_DATA.label == "Chưa có số liệu"


def test_a_range_needs_a_stretch_above_its_minimum():
    with pytest.raises(ValueError):
        Target(Comparison.RANGE, Fraction(70))
    with pytest.raises(ValueError):
        Target(Comparison.RANGE, Fraction(70), Fraction(65))


def test_stretch_gap_counts_the_units_to_the_stretch_value():
    from xhht_desktop.core.targets import stretch_gap

    assert stretch_gap(RANGE_65_70, 67, 100) == 3
    assert stretch_gap(RANGE_65_70, 75, 100) == 0
    assert stretch_gap(RANGE_65_70, None, None) is None
    assert stretch_gap(AT_LEAST_98_5, 5, 10) is None


def test_a_combined_target_is_reached_only_when_every_part_is():
    from xhht_desktop.core.targets import combine

    met, short = check(ALL, 40, 40), check(ALL, 37, 40)
    unknown = check(ALL, None, None)
    both = combine([met, short])
    assert (both.status, both.gap, both.numerator) == (Status.NOT_MET, 3, 37)
    assert combine([met, check(ALL, 9, 9)]).status is Status.MET
    assert combine([met, unknown]).status is Status.NO_DATA
    # A part known to fall short decides, even when another has no data.
    failing = combine([unknown, short])
    assert (failing.status, failing.gap, failing.numerator) == (Status.NOT_MET, None, 37)
    two_short = combine([check(ALL, 1, 2), check(ALL, 1, 4)])
    assert (two_short.value, two_short.gap) == (Fraction(25), 4)
