"""Tests of xhht_desktop.services.demo: the generated demo commune."""

from __future__ import annotations

import tomllib
import unicodedata
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import select

from xhht_desktop.context import Actor, open_context
from xhht_desktop.core.registers import (
    RELATIONSHIPS,
    PersonDraft,
    VillageDraft,
    normalise_person,
    validate_person,
)
from xhht_desktop.errors import DemoRefused
from xhht_desktop.resources import resource
from xhht_desktop.services.demo import DemoService, parse_population, population, village_count
from xhht_desktop.services.setup import CommuneSetup, OfficeSetup
from xhht_desktop.settings import Settings
from xhht_desktop.store.engine import database_url
from xhht_desktop.store.models import AuditEntry, Household, Person, Village
from xhht_desktop.store.repositories import HouseholdFilter, PersonFilter

YEAR = 2026
ALL = 10**7


@pytest.fixture
def fresh_context(tmp_path):
    """Open set-up commune contexts on new databases; closed at the end."""
    opened = []

    def make(name: str):
        folder = tmp_path / name
        settings = Settings(data_dir=folder, database_url=database_url(folder / "x.sqlite"))
        context = open_context(settings, Actor("test:admin"))
        context.setup.init_commune(CommuneSetup(commune_code="24717", year=YEAR))
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()


def _dump(context):
    """Everything the services show of the registers, in list order."""
    return (
        context.villages.list(),
        context.households.page(HouseholdFilter(), 0, ALL),
        context.persons.page(PersonFilter(), 0, ALL),
    )


def _generate(context, persons, seed=7):
    return DemoService(context).generate(persons=persons, seed=seed, year=YEAR)


def _age(person):
    return YEAR - person.birth_year


@pytest.mark.parametrize("persons", [0, 1, 7, 1000])
def test_exactly_the_persons_asked_for(context, persons):
    summary = _generate(context, persons)
    assert summary.persons == persons
    assert context.setup.counts() == {
        "villages": summary.villages,
        "households": summary.households,
        "persons": persons,
    }
    assert (summary.villages >= 1) == (persons >= 1)
    assert summary.households <= persons


def test_the_same_seed_gives_the_same_commune_and_another_seed_another(fresh_context):
    first, second, other = fresh_context("a"), fresh_context("b"), fresh_context("c")
    _generate(first, 1500, seed=11)
    _generate(second, 1500, seed=11)
    _generate(other, 1500, seed=12)
    assert _dump(first) == _dump(second)
    _, _, persons = _dump(first)
    _, _, other_persons = _dump(other)
    assert {p.id for p in persons}.isdisjoint(p.id for p in other_persons)
    assert [p.full_name for p in persons] != [p.full_name for p in other_persons]


@pytest.fixture(scope="module")
def commune(tmp_path_factory):
    """A demo commune of 4,000 persons, generated once for the checks below."""
    folder = tmp_path_factory.mktemp("demo")
    settings = Settings(data_dir=folder, database_url=database_url(folder / "x.sqlite"))
    context = open_context(settings, Actor("test:admin"))
    context.setup.init_commune(CommuneSetup(commune_code="24717", year=YEAR))
    summary = _generate(context, 4000, seed=5)
    villages, households, persons = _dump(context)
    yield context, summary, villages, households, persons
    context.close()


def test_every_person_is_valid_and_written_in_nfc(commune):
    *_, persons = commune
    today = date.today()
    for p in persons:
        draft = PersonDraft(
            household_id=p.household_id,
            full_name=p.full_name,
            birth_year=p.birth_year,
            sex=p.sex,
            ethnicity_code=p.ethnicity_code,
            birth_date=p.birth_date,
            relationship_to_head=p.relationship_to_head,
            grade=p.grade,
            literacy_stage=p.literacy_stage,
            disabled=p.disabled,
            residence=p.residence,
        )
        assert normalise_person(draft) == draft, p
        assert validate_person(draft, today) == [], p
        assert unicodedata.is_normalized("NFC", p.full_name)
        assert p.relationship_to_head in RELATIONSHIPS
        assert YEAR - 96 <= p.birth_year <= YEAR
        assert p.birth_date is None or p.birth_date.year == p.birth_year


def test_every_household_has_one_head_first_and_unique_code(commune):
    _, summary, villages, households, persons = commune
    members: dict[str, list] = {}
    for p in persons:
        members.setdefault(p.household_id, []).append(p)
    assert len(households) == summary.households
    assert len({h.code for h in households}) == len(households)
    for h in households:
        own = members[h.id]
        assert 1 <= len(own) <= 9 and h.members == len(own)
        heads = [p for p in own if p.relationship_to_head == "Chủ hộ"]
        assert len(heads) == 1
        assert heads[0].full_name == h.head_name
        assert heads[0].residence in ("thuong_tru", "tam_tru")
        assert h.address
    assert sum(v.persons for v in villages) == summary.persons
    assert all(v.households >= 1 for v in villages)
    assert len({v.name for v in villages}) == len(villages)


def test_the_ethnic_mix_of_the_commune(commune):
    *_, persons = commune
    shares = Counter(p.ethnicity_code for p in persons)
    # Kinh, Mông, Mnông, Ê Đê, Tày, Nùng: all present, Kinh the largest group.
    assert {"01", "08", "20", "11", "02", "07"} <= set(shares)
    assert shares.most_common(1)[0][0] == "01"
    assert shares["01"] < len(persons) * 0.8


def test_names_fit_the_group(commune):
    *_, persons = commune
    mong_surnames = set(population().groups["mong"].pools["surname"].items)
    for p in persons:
        first = p.full_name.split(" ")[0]
        if p.ethnicity_code == "08":
            assert first in mong_surnames, p.full_name
        elif p.ethnicity_code == "11":
            assert p.full_name.startswith("Y " if p.sex == "M" else "H'"), p.full_name
        elif p.ethnicity_code == "20":
            prefixes = ("Điểu ", "Y ", "K'") if p.sex == "M" else ("Thị ", "H'")
            assert p.full_name.startswith(prefixes), p.full_name


def test_households_mostly_share_one_group(commune):
    _, _, _, households, persons = commune
    by_household: dict[str, set[str]] = {}
    for p in persons:
        by_household.setdefault(p.household_id, set()).add(p.ethnicity_code)
    mixed = sum(1 for codes in by_household.values() if len(codes) > 1)
    assert mixed < 0.2 * len(households)


def test_schooling_fits_age_sex_and_group(commune):
    *_, persons = commune
    for p in persons:
        assert p.grade <= max(0, _age(p) - 6), p
        if _age(p) <= 6:
            assert p.grade == 0
        if p.literacy_stage:
            assert p.grade <= 2 and _age(p) >= 15
    young = [p for p in persons if 20 <= _age(p) <= 35 and not p.disabled]
    assert sum(p.grade >= 9 for p in young) > 0.6 * len(young)
    old_women = [
        p
        for p in persons
        if p.sex == "F" and p.ethnicity_code in ("08", "20") and p.birth_year < 1975
    ]
    unschooled = [p for p in old_women if p.grade <= 2]
    assert len(unschooled) > 0.25 * len(old_women)
    assert any(p.literacy_stage == 1 for p in unschooled)
    assert any(p.literacy_stage == 2 for p in unschooled)


def test_shares_of_residence_disability_and_birth_dates(commune):
    *_, persons = commune
    n = len(persons)
    residence = Counter(p.residence for p in persons)
    assert 0.015 * n < residence["tam_tru"] < 0.05 * n
    assert 0.008 * n < residence["chuyen_di"] < 0.04 * n
    assert 0.003 * n < residence["da_mat"] < 0.025 * n
    assert 0.002 * n < sum(p.disabled for p in persons) < 0.015 * n
    assert 0.7 * n < sum(p.birth_date is not None for p in persons) < 0.9 * n
    ages = Counter(min(_age(p) // 20, 4) for p in persons)
    # Children and the young outnumber the old, and every band is there.
    assert ages[0] > ages[3] > ages[4] > 0


def test_records_carry_identity_and_the_derived_keys_the_models_compute(commune):
    context, *_ = commune
    with context.reading() as session:
        for model in (Village, Household, Person):
            for record in session.scalars(select(model).limit(300)):
                assert record.commune_code == "24717"
                assert record.revision == 1 and record.deleted_at is None
                assert record.created_at is not None and record.updated_at is not None
                stored = {key: getattr(record, key) for key in model.DERIVED}
                record.refresh_derived()
                assert {key: getattr(record, key) for key in model.DERIVED} == stored
                session.expunge(record)


def test_the_bulk_write_is_in_the_audit_log(commune):
    context, summary, *_ = commune
    with context.reading() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "bulk_create")
        ).all()
        logged = {e.entity: e.new_value for e in entries}
        assert {e.actor for e in entries} == {"test:admin"}
    assert logged == {
        "villages": f"{summary.villages} bản ghi dữ liệu mẫu",
        "households": f"{summary.households} bản ghi dữ liệu mẫu",
        "persons": f"{summary.persons} bản ghi dữ liệu mẫu",
        "clans": f"{summary.clans} bản ghi dữ liệu mẫu",
        "units": f"{summary.units} bản ghi dữ liệu mẫu",
        "decisions": f"{summary.decisions} bản ghi dữ liệu mẫu",
        "model_entries": f"{summary.entries} bản ghi dữ liệu mẫu",
        "aggregate_values": f"{summary.aggregates} bản ghi dữ liệu mẫu",
    }


def test_a_register_with_records_is_refused_and_left_alone(context):
    context.villages.save(VillageDraft("thon", "Thôn 1"))
    with pytest.raises(DemoRefused, match="Sổ đã có dữ liệu"):
        _generate(context, 100)
    assert context.setup.counts() == {"villages": 1, "households": 0, "persons": 0}


def test_a_second_demo_is_refused(context):
    _generate(context, 50)
    with pytest.raises(DemoRefused, match="cơ sở dữ liệu trống"):
        _generate(context, 50)
    assert context.setup.counts()["persons"] == 50


def test_an_office_gets_no_demo_data(empty_context):
    empty_context.setup.init_office(OfficeSetup("68", "Sở GD&ĐT Lâm Đồng", YEAR))
    with pytest.raises(DemoRefused, match="cấp xã"):
        _generate(empty_context, 10)


def test_villages_scale_with_the_population():
    for persons in (2_000, 30_000, 200_000):
        per_village = persons / village_count(persons)
        assert 300 <= per_village <= 1500
    names = [t.name for t in population().village_templates(400)]
    assert len(set(names)) == 400
    assert {"Thôn 1", "Thôn 10", "Bon Bu Bir", "Bon Ja Ráh", "Tổ dân phố 2"} <= set(names)
    assert "Thôn 11" in names and "Tổ dân phố 5" in names


def _shipped():
    with resource("demo", "population.toml").open("rb") as stream:
        return tomllib.load(stream)


def test_the_definition_loader_is_strict():
    assert parse_population(_shipped()).groups["mong"].code == "08"
    wrong_code = _shipped()
    wrong_code["groups"]["mong"]["code"] = "55"
    with pytest.raises(ValueError, match=r"groups\.mong"):
        parse_population(wrong_code)
    unknown_pool = _shipped()
    unknown_pool["groups"]["ede"]["male_forms"] = {"Y {nickname} {surname}": 1}
    with pytest.raises(ValueError, match="nickname"):
        parse_population(unknown_pool)
    typo = _shipped()
    typo["schooling"]["low"]["dropuot"] = 0.2
    with pytest.raises(ValueError, match="dropuot"):
        parse_population(typo)
    clash = _shipped()
    clash["more_villages"]["first_number"]["thon"] = 9
    with pytest.raises(ValueError, match="Thôn 9"):
        parse_population(clash)
    short = _shipped()
    short["schooling"]["high"]["from_1985"] = [1, 2, 3]
    with pytest.raises(ValueError, match="one weight per grade"):
        parse_population(short)
