"""Consolidation: three communes export, one office imports; its figures are theirs.

Each commune's figures at the office must equal what the commune computes
for itself (indicators of both seed plans, literacy rates and verdicts), the
office's totals must be sums of numerators and denominators, and the office's
literacy verdict (Art. 20.2, 21.2) must count the communes meeting each level.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from xhht_desktop.context import AppContext
from xhht_desktop.core import indicators as registry
from xhht_desktop.core.targets import Status
from xhht_desktop.services.consolidation import sum_value

YEAR = 2026
PLANS = ("dak-song-138-2020", "dong-trieu-2011")
# Two communes of different provinces and a ward, each with its own demo data.
CODES = {"24717": 1, "23842": 2, "24823": 3}
DIFFICULT = "23842"
"""Keeps the especially-difficult literacy setting: it must travel and be used."""
FAILING = "24823"
"""Has young people made not literate: it fails the level 1 standard."""


@pytest.fixture(scope="module")
def units(communes_and_office) -> Iterator[dict[str, AppContext]]:
    """Three communes with data and one office that imported each one's package."""
    with communes_and_office(CODES, year=YEAR, failing=FAILING, difficult=DIFFICULT) as opened:
        yield opened


def test_the_office_lists_the_communes_it_holds(units):
    entries = units["office"].consolidation.communes()
    assert sorted(e.code for e in entries) == sorted(CODES)
    for entry in entries:
        assert entry.name == units[entry.code].setup.require().commune_name
        assert entry.last_sequence == 1
        assert entry.last_import_at is not None


def test_a_commune_lists_nobody_but_itself_is_not_listed(units):
    assert units["24717"].consolidation.communes() == []


@pytest.mark.parametrize("plan_id", PLANS)
def test_each_commune_checked_at_the_office_equals_its_own_check(units, plan_id):
    office = units["office"]
    consolidated = office.consolidation.evaluations(YEAR, plan_id)
    assert consolidated.plan_id == plan_id
    assert set(consolidated.per_commune) == set(CODES)
    for code in CODES:
        own = units[code].indicators.evaluate(YEAR, plan_id)
        assert consolidated.per_commune[code].as_dict() == own.as_dict()
        # The scope parameter gives the same at the commune itself.
        assert units[code].indicators.evaluate(YEAR, plan_id, code).as_dict() == own.as_dict()


@pytest.mark.parametrize("plan_id", PLANS)
def test_the_office_total_sums_numerators_and_denominators(units, plan_id):
    consolidated = units["office"].consolidation.evaluations(YEAR, plan_id)
    own = {code: units[code].indicators.evaluate(YEAR, plan_id) for code in CODES}
    checked = 0
    for row in consolidated.total.rows:
        code = row.indicator.code
        if row.indicator.scope == "office" or row.indicator.parts:
            continue
        numerators = [own[c].values[code].numerator for c in CODES]
        denominators = [own[c].values[code].denominator for c in CODES]
        known = [n for n in numerators if n is not None]
        assert row.value.numerator == (sum(known) if known else None), code
        known = [d for d in denominators if d is not None]
        assert row.value.denominator == (sum(known) if known else None), code
        assert row.villages == ()
        checked += row.value.denominator is not None
    assert checked >= 5
    registers = [r for r in consolidated.total.rows if r.indicator.source == "register"]
    assert registers
    assert all(r.check.status is not Status.NO_DATA for r in registers)


def test_a_total_is_not_an_average_of_percentages():
    small = registry.IndicatorValue("gdht-dang-ky", 1, 2)
    large = registry.IndicatorValue("gdht-dang-ky", 90, 100)
    total = sum_value("gdht-dang-ky", [small, large])
    assert (total.numerator, total.denominator) == (91, 102)
    nothing = registry.IndicatorValue("tap-huan-xhht", None, None)
    entered = registry.IndicatorValue("tap-huan-xhht", 3, 4)
    assert sum_value("tap-huan-xhht", [nothing, nothing]).denominator is None
    assert (sum_value("tap-huan-xhht", [nothing, entered]).numerator) == 3


def test_a_composite_total_is_its_lowest_summed_part():
    composite = next(i for i in registry.REGISTRY.values() if i.parts)
    first, second = composite.parts

    def value(a: tuple[int, int], b: tuple[int, int] | None) -> registry.IndicatorValue:
        parts = (
            registry.IndicatorValue(first, *a),
            registry.IndicatorValue(second, *(b or (None, None))),
        )
        return registry.IndicatorValue(composite.code, None, None, parts=parts)

    total = sum_value(composite.code, [value((9, 10), (1, 10)), value((1, 10), (9, 10))])
    assert [(p.numerator, p.denominator) for p in total.parts] == [(10, 20), (10, 20)]
    assert (total.numerator, total.denominator) == (10, 20)
    total = sum_value(composite.code, [value((9, 10), None), value((1, 10), None)])
    assert total.denominator is None


def test_each_communes_literacy_at_the_office_equals_its_own(units):
    consolidated = units["office"].consolidation.literacy(YEAR)
    assert consolidated.communes_total == 3
    for item in consolidated.per_commune:
        own = units[item.code].literacy.rates(YEAR)
        assert item.rates.as_dict() == own.as_dict()
        assert item.level_1_met == own.standards.level_1.met
        assert item.level_2_met == own.standards.level_2.met
        assert item.name == units[item.code].setup.require().commune_name
    difficult = next(i for i in consolidated.per_commune if i.code == DIFFICULT)
    assert difficult.rates.settings.difficult_area


def test_the_office_literacy_verdict_counts_the_communes_meeting_each_level(units):
    consolidated = units["office"].consolidation.literacy(YEAR)
    failing = next(i for i in consolidated.per_commune if i.code == FAILING)
    assert not failing.level_1_met
    assert all(i.level_1_met for i in consolidated.per_commune if i.code != FAILING)
    assert consolidated.communes_level_1 == 2
    expected_2 = sum(units[c].literacy.standards(YEAR).level_2.met for c in CODES)
    assert consolidated.communes_level_2 == expected_2
    # Art. 20.2: 90% of the communes; 2 of 3 is not enough, one more is needed.
    assert (consolidated.level_1.units, consolidated.level_1.units_met) == (3, 2)
    assert not consolidated.level_1.met
    assert consolidated.level_1.needed == 1
    data = consolidated.as_dict()
    assert data["office"]["level_1"]["communes_met"] == 2
    assert [c["code"] for c in data["communes"]] == [i.code for i in consolidated.per_commune]


def test_the_office_literacy_total_is_the_sum_of_the_communes(units):
    consolidated = units["office"].consolidation.literacy(YEAR)
    total = consolidated.total_rates
    bands = set(total.settings.report_bands())
    for item in consolidated.per_commune:
        bands &= set(item.rates.settings.report_bands())
    assert bands
    for band in bands:
        for level in (1, 2):
            for sex in ("all", "male", "female"):
                line = total.rate(band, level, sex)
                parts = [units[c].literacy.rates(YEAR).rate(band, level, sex) for c in CODES]
                assert line.counted == sum(p.counted for p in parts)
                assert line.literate == sum(p.literate for p in parts)
                assert line.exempt == sum(p.exempt for p in parts)


def test_office_scope_targets_come_from_the_offices_own_rows(units):
    office = units["office"]
    office.aggregates.save(
        "can-bo-cong-chuc-huyen",
        YEAR,
        {
            "cbcc_huyen": 50,
            "cbcc_huyen_dai_hoc": 40,
            "cbcc_huyen_sau_dai_hoc": 5,
            "cbcc_huyen_qlnn": 50,
            "cbcc_huyen_trung_cap_llct": 20,
            "can_bo_chuyen_trach_huyen": 10,
            "can_bo_chuyen_trach_huyen_dh_llct": 9,
        },
    )
    consolidated = office.consolidation.evaluations(YEAR, "dong-trieu-2011")
    rows = [r for r in consolidated.total.rows if r.indicator.scope == "office"]
    assert rows
    by_code = {r.indicator.code: r for r in rows}
    assert (
        by_code["cbcc-huyen-dai-hoc"].value.numerator,
        by_code["cbcc-huyen-dai-hoc"].value.denominator,
    ) == (40, 50)
    assert by_code["cbcc-huyen-dai-hoc"].check.status is Status.MET
    # Whatever a commune typed in that form is its own (the demo fills it):
    # the office's figure is not the sum of theirs.
    for code, evaluation in consolidated.per_commune.items():
        row = next(r for r in evaluation.rows if r.indicator.code == "cbcc-huyen-dai-hoc")
        own = units[code].indicators.values(YEAR, ["cbcc-huyen-dai-hoc"])["cbcc-huyen-dai-hoc"]
        assert (row.value.numerator, row.value.denominator) == (own.numerator, own.denominator)


def test_the_literacy_lists_and_table_of_one_commune_are_its_own(units):
    office = units["office"]
    for code in CODES:
        commune = units[code]
        literacy = office.literacy
        assert literacy.by_village(YEAR, code) == commune.literacy.by_village(YEAR)
        assert literacy.not_literate_count(YEAR, commune_code=code) == (
            commune.literacy.not_literate_count(YEAR)
        )
        assert [p.id for p in literacy.not_literate(YEAR, commune_code=code)] == [
            p.id for p in commune.literacy.not_literate(YEAR)
        ]
        assert literacy.exempt_count(YEAR, commune_code=code) == commune.literacy.exempt_count(YEAR)
        assert literacy.quality_warnings(YEAR, code) == commune.literacy.quality_warnings(YEAR)
    everyone = office.literacy.not_literate_count(YEAR)
    assert everyone == sum(units[c].literacy.not_literate_count(YEAR) for c in CODES)
