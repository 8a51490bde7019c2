"""The literacy service on a small commune whose every figure is counted by hand.

Survey year 2026. Ages: 2026 − birth year.

=== ======= ============ === === ==== ===== ===== ======== =========================
 #  village  name         age sex eth. grade stage level    note
=== ======= ============ === === ==== ===== ===== ======== =========================
 1  Thôn 1  Lò Văn Bảy    14   M  01     7     0       2    too young for any band
 2  Thôn 1  Hà Thị Cúc    15   F  01     9     0       2
 3  Thôn 1  Lò Văn Dũng   25   M  01     4     0       1
 4  Thôn 1  Giàng Thị Dợ  26   F  08     0     0       0
 5  Thôn 1  Giàng A Páo   35   M  08     0     1       1
 6  Thôn 1  Sùng Thị Mai  36   F  08     0     2       2
 7  Thôn 1  Lò Văn Tám    60   M  01     2     0       0
 8  Thôn 1  Hà Thị Xuân   61   F  01     0     0       0    only with upper age 62
 9  Thôn 1  Giàng A Lử    30   M  08     0     0       0    exempt (disability)
10  Thôn 1  Hà Văn Đi     40   F  01    12     1       2    moved away: not counted
11  Thôn 1  Lò Văn Mất    20   M  01     0     0       0    died: not counted
12  Bon     H'Bia         20   F  20     3     0       1    temporary resident
13  Bon     Điểu Lâm      50   M  20     1     0       0
14  Bon     Thị Rơi       62   F  20     0     0       0    only with upper age 62
15  Bon     Điểu Xóa      30   M  20     0     0       0    deleted
16  Bon     Điểu Sơn      45   M  20     9     1       2    quality: grade 9 + stage 1
17  Bon     Thị Nhỏ        3   F  20     5     0       2    quality: age 3, grade 5
=== ======= ============ === === ==== ===== ===== ======== =========================

"Thôn 3" has nobody. Bon is "Bon Bu Bir", first in Vietnamese order.
"""

import json

import pytest
from sqlalchemy import select

from xhht_desktop.core.literacy import Band, Figures, LiteracySettings
from xhht_desktop.core.registers import HouseholdDraft, PersonDraft, VillageDraft
from xhht_desktop.errors import NotSetUp, ValidationFailed
from xhht_desktop.store.models import AppSetting, AuditEntry
from xhht_desktop.store.repositories import PersonFilter

YEAR = 2026
B25, B35, B60 = Band(15, 25), Band(15, 35), Band(15, 60)

PEOPLE = [
    # (key, village, name, age, sex, ethnicity, grade, stage, extra)
    (1, "a", "Lò Văn Bảy", 14, "M", "01", 7, 0, {}),
    (2, "a", "Hà Thị Cúc", 15, "F", "01", 9, 0, {}),
    (3, "a", "Lò Văn Dũng", 25, "M", "01", 4, 0, {}),
    (4, "a", "Giàng Thị Dợ", 26, "F", "08", 0, 0, {}),
    (5, "a", "Giàng A Páo", 35, "M", "08", 0, 1, {}),
    (6, "a", "Sùng Thị Mai", 36, "F", "08", 0, 2, {}),
    (7, "a", "Lò Văn Tám", 60, "M", "01", 2, 0, {}),
    (8, "a", "Hà Thị Xuân", 61, "F", "01", 0, 0, {}),
    (9, "a", "Giàng A Lử", 30, "M", "08", 0, 0, {"disabled": True}),
    (10, "a", "Hà Văn Đi", 40, "F", "01", 12, 1, {"residence": "chuyen_di"}),
    (11, "a", "Lò Văn Mất", 20, "M", "01", 0, 0, {"residence": "da_mat"}),
    (12, "b", "H'Bia", 20, "F", "20", 3, 0, {"residence": "tam_tru"}),
    (13, "b", "Điểu Lâm", 50, "M", "20", 1, 0, {}),
    (14, "b", "Thị Rơi", 62, "F", "20", 0, 0, {}),
    (15, "b", "Điểu Xóa", 30, "M", "20", 0, 0, {}),
    (16, "b", "Điểu Sơn", 45, "M", "20", 9, 1, {}),
    (17, "b", "Thị Nhỏ", 3, "F", "20", 5, 0, {}),
]


@pytest.fixture
def commune(context):
    a = context.villages.save(VillageDraft("thon", "Thôn 1"))
    b = context.villages.save(VillageDraft("bon", "Bon Bu Bir"))
    c = context.villages.save(VillageDraft("thon", "Thôn 3"))
    households = {
        "a": context.households.save(HouseholdDraft("H01", a.id, "Lò Văn Tám")),
        "b": context.households.save(HouseholdDraft("H02", b.id, "Điểu Lâm")),
    }
    ids = {}
    for key, village, name, age, sex, code, grade, stage, extra in PEOPLE:
        row = context.persons.save(
            PersonDraft(
                households[village].id,
                name,
                YEAR - age,
                sex,
                code,
                grade=grade,
                literacy_stage=stage,
                **extra,
            )
        )
        ids[key] = row.id
    context.persons.delete(ids[15])
    return {"a": a, "b": b, "c": c, "ids": ids}


def figures(report, band, sex="all", code=None):
    one, two = report.rate(band, 1, sex, code), report.rate(band, 2, sex, code)
    assert (one.counted, one.exempt) == (two.counted, two.exempt)
    return Figures(one.counted, one.literate, two.literate, one.exempt)


def test_rates_match_the_hand_count(context, commune):
    report = context.literacy.rates(YEAR)
    assert report.year == YEAR
    assert report.ethnicities == ("01", "08", "20")
    assert figures(report, B25) == Figures(counted=3, level_1=3, level_2=1, exempt=0)
    assert figures(report, B25, "male") == Figures(1, 1, 0, 0)
    assert figures(report, B25, "female") == Figures(2, 2, 1, 0)
    assert figures(report, B35) == Figures(5, 4, 1, 1)
    assert figures(report, B35, "male") == Figures(2, 2, 0, 1)
    assert figures(report, B35, "female") == Figures(3, 2, 1, 0)
    assert figures(report, B60) == Figures(9, 6, 3, 1)
    assert figures(report, B60, "male") == Figures(5, 3, 1, 1)
    assert figures(report, B60, "female") == Figures(4, 3, 2, 0)
    assert figures(report, B60, code="01") == Figures(3, 2, 1, 0)
    assert figures(report, B60, code="08") == Figures(3, 2, 1, 1)
    assert figures(report, B60, code="20") == Figures(3, 2, 1, 0)
    assert figures(report, B25, "male", "20") == Figures()
    rate = report.rate(B60, 1)
    assert rate.percent == 66.67
    assert report.rate(B25, 1, "male", "20").percent is None


def test_year_defaults_to_the_reporting_year(context, commune):
    assert context.literacy.rates().year == YEAR
    # A year later everyone is a year older: #1 turns 15, #7 turns 61.
    later = context.literacy.rates(YEAR + 1)
    assert figures(later, B25) == Figures(3, 3, 2, 0)  # #1 in (L2), #3 out (26)
    assert figures(later, B60).counted == 9  # #1 in, #7 out


def test_standards_match_the_hand_count(context, commune):
    one, two = context.literacy.standards(YEAR).level_1, context.literacy.standards(YEAR).level_2
    assert (one.band, one.counted, one.literate, one.percent) == (B35, 5, 4, 80.0)
    assert (one.met, one.needed) == (False, 1)  # ceil(4.5) = 5
    assert (two.band, two.counted, two.literate, two.percent) == (B60, 9, 3, 33.33)
    assert (two.met, two.needed) == (False, 6)  # ceil(8.1) = 9


def test_difficult_area_and_upper_age_settings_change_the_verdicts(context, commune):
    context.literacy.save_settings(LiteracySettings(difficult_area=True))
    standards = context.literacy.standards(YEAR)
    assert (standards.level_1.band, standards.level_1.met, standards.level_1.needed) == (
        B25,
        True,
        0,
    )
    assert (standards.level_2.band, standards.level_2.counted, standards.level_2.literate) == (
        B35,
        5,
        1,
    )
    assert standards.level_2.needed == 4
    assert standards.level_1.difficult_area

    context.literacy.save_settings(LiteracySettings(upper_age=62))
    report = context.literacy.rates(YEAR)
    two = report.standards.level_2
    assert (two.band, two.counted, two.literate, two.needed) == (Band(15, 62), 11, 3, 7)
    assert figures(report, Band(15, 62), "female", "20") == Figures(2, 1, 0, 0)
    # #8 (61) and #14 (62) join the list of people to invite.
    names = [p.full_name for p in context.literacy.not_literate(YEAR)]
    assert names == ["Điểu Lâm", "Thị Rơi", "Giàng Thị Dợ", "Lò Văn Tám", "Hà Thị Xuân"]


def test_statistical_table_by_village(context, commune):
    table = context.literacy.by_village(YEAR)
    assert table.bands == (B25, B35, B60)
    assert [line.village_name for line in table.lines] == ["Bon Bu Bir", "Thôn 1", "Thôn 3"]
    bon, thon1, thon3 = (line.figures for line in table.lines)
    assert thon1 == (Figures(2, 2, 1, 0), Figures(4, 3, 1, 1), Figures(6, 4, 2, 1))
    assert bon == (Figures(1, 1, 0, 0), Figures(1, 1, 0, 0), Figures(3, 2, 1, 0))
    assert thon3 == (Figures(),) * 3
    assert table.total.figures == (Figures(3, 3, 1, 0), Figures(5, 4, 1, 1), Figures(9, 6, 3, 1))
    assert table.total.figures[2].percent(2) == 33.33
    # The table and the rates come from the same rules.
    report = context.literacy.rates(YEAR)
    assert table.total.figures == tuple(figures(report, band) for band in table.bands)


def test_not_literate_list_by_village_then_name(context, commune):
    rows = context.literacy.not_literate(YEAR)
    assert [(p.village_name, p.full_name) for p in rows] == [
        ("Bon Bu Bir", "Điểu Lâm"),
        ("Thôn 1", "Giàng Thị Dợ"),
        ("Thôn 1", "Lò Văn Tám"),
    ]
    assert context.literacy.not_literate_count(YEAR) == 3
    only_a = context.literacy.not_literate(YEAR, village_id=commune["a"].id)
    assert [p.full_name for p in only_a] == ["Giàng Thị Dợ", "Lò Văn Tám"]
    assert context.literacy.not_literate_count(YEAR, village_id=commune["a"].id) == 2
    assert context.literacy.not_literate_count(YEAR, village_id=commune["c"].id) == 0
    page = context.literacy.not_literate(YEAR, offset=1, limit=1)
    assert [p.full_name for p in page] == ["Giàng Thị Dợ"]


def test_exempt_list(context, commune):
    rows = context.literacy.exempt(YEAR)
    assert [p.full_name for p in rows] == ["Giàng A Lử"]
    assert context.literacy.exempt_count(YEAR) == 1
    assert context.literacy.exempt_count(YEAR, village_id=commune["b"].id) == 0


def test_quality_warnings(context, commune):
    warnings = context.literacy.quality_warnings(YEAR)
    assert [(w.village_name, w.full_name, w.household_code) for w in warnings] == [
        ("Bon Bu Bir", "Thị Nhỏ", "H02"),
        ("Bon Bu Bir", "Điểu Sơn", "H02"),
    ]
    small, grown = warnings
    assert small.person_id == commune["ids"][17]
    assert "3 tuổi" in small.message and "lớp 5" in small.message
    assert "lớp 9" in grown.message and "giai đoạn 1" in grown.message
    # #10 has grade 12 and stage 1 too, but moved away: not the survey's concern.


def test_filter_persons_by_level(context, commune):
    # Every live record (any residence), as the persons page lists them.
    counts = {lv: context.persons.count(PersonFilter(literacy_level=lv)) for lv in (0, 1, 2)}
    assert counts == {0: 7, 1: 3, 2: 6}


def test_settings_default_then_saved_and_audited(context):
    assert context.literacy.settings() == LiteracySettings()
    chosen = LiteracySettings(bands=(B25, B35, Band(15, 62)), upper_age=62, difficult_area=True)
    assert context.literacy.save_settings(chosen) == chosen
    assert context.literacy.settings() == chosen
    with context.reading() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "app_settings")).one()
    assert (entry.action, entry.record_id, entry.actor) == ("create", "literacy", "test:admin")
    assert json.loads(entry.new_value)["upper_age"] == 62
    # Saving the same settings again changes nothing and logs nothing.
    context.literacy.save_settings(chosen)
    with context.reading() as session:
        assert (
            len(
                session.scalars(select(AuditEntry).where(AuditEntry.entity == "app_settings")).all()
            )
            == 1
        )


def test_invalid_settings_are_refused_with_nothing_stored(context):
    with pytest.raises(ValidationFailed) as caught:
        context.literacy.save_settings(LiteracySettings(bands=(Band(35, 15),), upper_age=10))
    assert caught.value.for_field("bands") is not None
    assert "Tuổi cao nhất" in (caught.value.for_field("upper_age") or "")
    assert context.literacy.settings() == LiteracySettings()


def test_damaged_stored_settings_are_reported(context):
    with context.transaction() as session:
        session.add(AppSetting(key="literacy", value='{"upper_age": "sáu mươi"}'))
    with pytest.raises(ValidationFailed, match="bị hỏng"):
        context.literacy.settings()


def test_figures_need_a_set_up_database(empty_context):
    with pytest.raises(NotSetUp):
        empty_context.literacy.rates()
