from datetime import date

import pytest

from xhht_desktop.core.registers import (
    HouseholdDraft,
    PersonDraft,
    VillageDraft,
    format_birth,
    normalise_household,
    normalise_person,
    parse_birth,
    validate_household,
    validate_person,
    validate_village,
)

TODAY = date(2026, 11, 23)


def _person(**changes):
    values = dict(
        household_id="h1", full_name="Nguyễn Văn An", birth_year=1990, sex="M", ethnicity_code="01"
    )
    values.update(changes)
    return normalise_person(PersonDraft(**values))


def _fields(issues):
    return [issue.field for issue in issues]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("05/09/1987", (date(1987, 9, 5), 1987)),
        ("5/9/1987", (date(1987, 9, 5), 1987)),
        ("05-09-1987", (date(1987, 9, 5), 1987)),
        (" 1987 ", (None, 1987)),
    ],
)
def test_parse_birth_reads_what_officials_write(typed, expected):
    assert parse_birth(typed) == expected


@pytest.mark.parametrize("typed", ["31/02/1990", "1987/09/05", "abc", "", "87"])
def test_parse_birth_refuses_other_text_in_vietnamese(typed):
    with pytest.raises(ValueError, match="Ngày sinh"):
        parse_birth(typed)


def test_format_birth_round_trips():
    assert format_birth(date(1987, 9, 5), 1987) == "05/09/1987"
    assert format_birth(None, 1987) == "1987"


def test_a_valid_person_has_no_issues():
    assert validate_person(_person(), TODAY) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"full_name": "   "}, "full_name"),
        ({"birth_year": 2027}, "birth"),
        ({"birth_year": 1899}, "birth"),
        ({"birth_year": None}, "birth"),
        ({"birth_date": date(2026, 12, 1)}, "birth"),
        ({"sex": "X"}, "sex"),
        ({"ethnicity_code": "99"}, "ethnicity_code"),
        ({"grade": 13}, "grade"),
        ({"grade": -1}, "grade"),
        ({"literacy_stage": 3}, "literacy_stage"),
        ({"residence": "unknown"}, "residence"),
        ({"household_id": ""}, "household_id"),
    ],
)
def test_each_invalid_field_is_named(changes, field):
    issues = validate_person(_person(**changes), TODAY)
    assert _fields(issues) == [field]
    assert all(issue.message for issue in issues)


def test_boundary_birth_years_are_accepted():
    assert validate_person(_person(birth_year=1900), TODAY) == []
    assert validate_person(_person(birth_year=2026), TODAY) == []


def test_birth_date_sets_birth_year():
    person = _person(birth_date=date(1987, 9, 5), birth_year=None)
    assert person.birth_year == 1987


def test_normalisation_cleans_names_and_pads_codes():
    person = _person(full_name="  nguyễn   văn  an", ethnicity_code="8")
    assert person.full_name == "nguyễn văn an"
    assert person.ethnicity_code == "08"


def test_household_rules():
    draft = normalise_household(HouseholdDraft(code=" hgđ-01 ", village_id="v", head_name=" A "))
    assert draft.code == "HGĐ-01"
    assert validate_household(draft) == []
    bad = normalise_household(HouseholdDraft(code="", village_id="", head_name=""))
    assert _fields(validate_household(bad)) == ["code", "head_name", "village_id"]


def test_village_rules():
    assert validate_village(VillageDraft("thon", "Thôn 1")) == []
    assert _fields(validate_village(VillageDraft("xyz", ""))) == ["name", "kind"]
