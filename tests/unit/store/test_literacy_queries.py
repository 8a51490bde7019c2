"""The SQL side of the literacy rules agrees with the Python side."""

from sqlalchemy import select

from xhht_desktop.core import literacy
from xhht_desktop.core.registers import HouseholdDraft, PersonDraft, VillageDraft
from xhht_desktop.store.literacy_queries import LiteracyQueries, level_expression
from xhht_desktop.store.models import Person
from xhht_desktop.store.repositories import PersonFilter

COMBINATIONS = [(grade, stage) for grade in range(13) for stage in range(3)]


def _everyone(context):
    village = context.villages.save(VillageDraft("thon", "Thôn 1"))
    household = context.households.save(HouseholdDraft("H01", village.id, "Nguyễn Văn An"))
    for grade, stage in COMBINATIONS:
        context.persons.save(
            PersonDraft(
                household.id,
                f"Người lớp {grade} giai đoạn {stage}",
                1990,
                "M",
                "01",
                grade=grade,
                literacy_stage=stage,
            )
        )


def test_sql_case_agrees_with_python_for_every_grade_and_stage(context):
    _everyone(context)
    with context.reading() as session:
        rows = session.execute(
            select(Person.grade, Person.literacy_stage, level_expression())
        ).all()
    assert sorted((g, s) for g, s, _ in rows) == COMBINATIONS
    for grade, stage, sql_level in rows:
        assert sql_level == literacy.level(grade, stage), (grade, stage)


def test_group_counts_carry_the_same_levels(context):
    _everyone(context)
    with context.reading() as session:
        groups = LiteracyQueries(session).groups(1990, 1990)
    by_level = {g.level: g.count for g in groups}
    expected = {lv: 0 for lv in (0, 1, 2)}
    for grade, stage in COMBINATIONS:
        expected[literacy.level(grade, stage)] += 1
    assert by_level == expected
    with context.reading() as session:
        assert LiteracyQueries(session).groups(1991, 2000) == []


def test_person_filter_by_literacy_level(context):
    _everyone(context)
    for lv in (0, 1, 2):
        rows = context.persons.page(PersonFilter(literacy_level=lv), 0, 100)
        assert rows, lv
        assert all(literacy.level(p.grade, p.literacy_stage) == lv for p in rows)
        assert context.persons.count(PersonFilter(literacy_level=lv)) == len(rows)
    assert context.persons.count(PersonFilter(literacy_level=None)) == len(COMBINATIONS)


def test_person_filter_by_lowest_literacy_level(context):
    _everyone(context)
    for lowest in (0, 1, 2):
        rows = context.persons.page(PersonFilter(literacy_level_from=lowest), 0, 100)
        expected = [(g, s) for g, s in COMBINATIONS if literacy.level(g, s) >= lowest]
        assert sorted((p.grade, p.literacy_stage) for p in rows) == expected
        assert context.persons.count(PersonFilter(literacy_level_from=lowest)) == len(expected)
    literate = context.persons.count(PersonFilter(literacy_level_from=1))
    assert literate == sum(context.persons.count(PersonFilter(literacy_level=lv)) for lv in (1, 2))
