from datetime import date

import pytest

from xhht_desktop.core.registers import HouseholdDraft, PersonDraft, VillageDraft
from xhht_desktop.errors import StaleRecord, ValidationFailed
from xhht_desktop.store.repositories import HouseholdFilter, PersonFilter


@pytest.fixture
def commune(context):
    """Two villages, two households, four persons."""
    v1 = context.villages.save(VillageDraft("thon", "Thôn 1"))
    v2 = context.villages.save(VillageDraft("bon", "Bon Bu Bir"))
    h1 = context.households.save(HouseholdDraft("H01", v1.id, "Nguyễn Văn An", "Thôn 1"))
    h2 = context.households.save(HouseholdDraft("H02", v2.id, "Điểu K'Lứt"))
    people = [
        PersonDraft(h1.id, "Nguyễn Văn An", None, "M", "01", birth_date=date(1980, 3, 1)),
        PersonDraft(h1.id, "Trần Thị Bình", 1983, "F", "01", grade=9),
        PersonDraft(h1.id, "Nguyễn Văn Ấn", 2008, "M", "01", grade=12),
        PersonDraft(h2.id, "Điểu K'Lứt", 1975, "M", "20", residence="tam_tru"),
    ]
    for draft in people:
        context.persons.save(draft)
    return {"v1": v1, "v2": v2, "h1": h1, "h2": h2}


def _snapshot(context):
    persons = context.persons.page(PersonFilter(), 0, 1000)
    households = context.households.page(HouseholdFilter(), 0, 1000)
    return persons, households, context.villages.list(), context.setup.counts()


def test_search_ignores_diacritics_and_case(context, commune):
    found = context.persons.page(PersonFilter(search="nguyen van"), 0, 10)
    assert sorted(p.full_name for p in found) == ["Nguyễn Văn An", "Nguyễn Văn Ấn"]
    # Ấn and An differ only by diacritics: a search without them finds both.
    assert context.persons.count(PersonFilter(search="NGUYỄN ẤN")) == 2
    assert context.persons.count(PersonFilter(search="binh tran")) == 1
    assert context.persons.count(PersonFilter(search="k'lut")) == 1
    assert context.households.count(HouseholdFilter(search="dieu")) == 1


def test_filters_narrow_the_list(context, commune):
    assert context.persons.count(PersonFilter(village_id=commune["v1"].id)) == 3
    assert context.persons.count(PersonFilter(sex="F")) == 1
    assert context.persons.count(PersonFilter(ethnicity_code="20")) == 1
    assert context.persons.count(PersonFilter(birth_year_from=1980, birth_year_to=1990)) == 2
    assert context.persons.count(PersonFilter(residence="tam_tru")) == 1


def test_lists_are_in_vietnamese_order(context, commune):
    names = [p.full_name for p in context.persons.page(PersonFilter(), 0, 10)]
    assert names == ["Nguyễn Văn An", "Nguyễn Văn Ấn", "Trần Thị Bình", "Điểu K'Lứt"]
    assert [v.name for v in context.villages.list()] == ["Bon Bu Bir", "Thôn 1"]


def test_pages_do_not_overlap(context, commune):
    first = context.persons.page(PersonFilter(), 0, 2)
    second = context.persons.page(PersonFilter(), 2, 2)
    assert len({p.id for p in first + second}) == 4


def test_birth_date_is_kept_and_birth_year_derived(context, commune):
    (an,) = context.persons.page(PersonFilter(search="an", birth_year_to=1990, sex="M"), 0, 10)
    assert (an.birth_date, an.birth_year) == (date(1980, 3, 1), 1980)


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (lambda c: HouseholdDraft("h01", c["v2"].id, "Ai Đó"), "code"),
        (lambda c: HouseholdDraft("H09", "no-such-village", "Ai Đó"), "village_id"),
    ],
)
def test_a_refused_household_changes_nothing(context, commune, draft, field):
    before = _snapshot(context)
    with pytest.raises(ValidationFailed) as refused:
        context.households.save(draft(commune))
    assert refused.value.for_field(field)
    assert _snapshot(context) == before


def test_a_refused_person_changes_nothing(context, commune):
    before = _snapshot(context)
    with pytest.raises(ValidationFailed) as refused:
        context.persons.save(PersonDraft(commune["h1"].id, "", 2999, "M", "01", grade=13))
    assert {i.field for i in refused.value.issues} == {"full_name", "birth", "grade"}
    assert _snapshot(context) == before


def test_duplicate_village_name_is_refused_regardless_of_diacritics(context, commune):
    with pytest.raises(ValidationFailed, match="Thon 1"):
        context.villages.save(VillageDraft("thon", "Thon 1"))


def test_a_stale_edit_is_refused(context, commune):
    row = context.households.get(commune["h2"].id)
    context.households.save(HouseholdDraft("H02", row.village_id, "Điểu K'Lứt", "mới"), row.id)
    with pytest.raises(StaleRecord):
        context.households.save(
            HouseholdDraft("H02", row.village_id, "Khác", ""),
            row.id,
            expected_revision=row.revision,
        )
    assert context.households.get(row.id).head_name == "Điểu K'Lứt"


def test_deleting_a_household_deletes_its_members(context, commune):
    assert context.households.delete(commune["h1"].id) == 3
    assert context.setup.counts() == {"villages": 2, "households": 1, "persons": 1}
    # Its code is free again: the tombstone does not hold it.
    context.households.save(HouseholdDraft("H01", commune["v1"].id, "Hộ mới"))


def test_a_village_with_households_cannot_be_deleted(context, commune):
    with pytest.raises(ValidationFailed, match="còn 1 hộ"):
        context.villages.delete(commune["v1"].id)
    context.households.delete(commune["h1"].id)
    context.villages.delete(commune["v1"].id)
    assert [v.name for v in context.villages.list()] == ["Bon Bu Bir"]


def test_household_rows_count_live_members(context, commune):
    assert context.households.get(commune["h1"].id).members == 3
    (ấn,) = context.persons.page(PersonFilter(search="an", birth_year_from=2000), 0, 10)
    context.persons.delete(ấn.id)
    assert context.households.get(commune["h1"].id).members == 2
