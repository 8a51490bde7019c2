"""Plans as data (core/plans.py): the presets, the strict loader, drafts and the target check."""

from __future__ import annotations

import textwrap
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from xhht_desktop.core.indicators import IndicatorValue, VillageFigure
from xhht_desktop.core.plans import (
    PlanDraft,
    TargetDraft,
    check_draft,
    draft_of,
    evaluate,
    gap_text,
    header_comment,
    load_plan_text,
    load_plans,
    plan_to_toml,
)
from xhht_desktop.core.targets import Comparison, Status, Target, check
from xhht_desktop.resources import forms_dir

PRESETS = forms_dir() / "plans"

# Every target row of DOMAIN.md's two tables and the national programme:
# (plan, indicator, comparison, value, stretch, deadline).
DOMAIN_ROWS = [
    ("dak-song-138-2020", "chi-hoi-khuyen-hoc", ">=", 95, None, 2020),
    ("dak-song-138-2020", "hoi-vien-khuyen-hoc", ">=", 25, None, 2020),
    ("dak-song-138-2020", "tap-huan-xhht", ">=", 100, None, 2020),
    ("dak-song-138-2020", "gdht-dang-ky", ">", 60, None, 2020),
    ("dak-song-138-2020", "dhht-dang-ky", ">", 70, None, 2020),
    ("dak-song-138-2020", "cdht-dang-ky", ">", 60, None, 2020),
    ("dak-song-138-2020", "dvht-dang-ky", ">", 60, None, 2020),
    ("dak-song-138-2020", "lao-dong-nong-thon-tthtcd", ">=", 80, None, 2020),
    ("dak-song-138-2020", "cong-nhan-thpt", ">=", 90, None, 2020),
    ("dak-song-138-2020", "cong-nhan-dao-tao-nghe", ">=", 95, None, 2020),
    ("dak-song-138-2020", "biet-chu-15-60", ">=", Fraction("98.5"), None, 2020),
    ("dak-song-138-2020", "biet-chu-15-35", ">=", 99, None, 2020),
    ("dak-song-138-2020", "biet-chu-nu-15-60", ">=", 88, None, 2020),
    ("dak-song-138-2020", "biet-chu-hmong-15-60", ">", 70, None, 2020),
    ("dak-song-138-2020", "biet-chu-hmong-15-35", ">=", 80, None, 2020),
    ("dak-song-138-2020", "nguoi-moi-biet-chu-tiep-tuc-hoc", ">=", 90, None, 2020),
    ("dong-trieu-2011", "internet-thu-vien-thon", ">=", 100, None, 2011),
    ("dong-trieu-2011", "buu-dien-van-hoa-xa", ">=", 100, None, 2011),
    ("dong-trieu-2011", "tthtcd-ung-dung-khcn", ">=", 100, None, 2011),
    ("dong-trieu-2011", "thi-dua-tu-hoc", ">=", 100, None, 2011),
    ("dong-trieu-2011", "nha-van-hoa-thon", ">=", 100, None, 2012),
    ("dong-trieu-2011", "mam-non-csvc", ">=", 100, None, 2012),
    ("dong-trieu-2011", "mam-non-chuan-quoc-gia", ">=", 30, None, 2012),
    ("dong-trieu-2011", "gdht-cong-nhan", "range", 65, 70, 2015),
    ("dong-trieu-2011", "dhht-cong-nhan", "range", 60, 65, 2015),
    ("dong-trieu-2011", "dvht-cong-nhan", "range", 80, 85, 2015),
    ("dong-trieu-2011", "cbccvc-boi-duong", ">=", 100, None, 2015),
    ("dong-trieu-2011", "lao-dong-qua-dao-tao", "range", 60, 65, 2015),
    ("dong-trieu-2011", "lao-dong-nong-nghiep-boi-duong", ">=", 100, None, 2015),
    ("dong-trieu-2011", "cbcc-huyen-dai-hoc", ">=", 80, None, 2015),
    ("dong-trieu-2011", "cbcc-huyen-qlnn", ">=", 100, None, 2015),
    ("dong-trieu-2011", "cbcc-huyen-trung-cap-llct", ">=", 50, None, 2015),
    ("dong-trieu-2011", "cbcc-huyen-sau-dai-hoc", "range", 5, 7, 2015),
    ("dong-trieu-2011", "can-bo-chu-chot-cao-dang", ">=", 100, None, 2015),
    ("dong-trieu-2011", "can-bo-chu-chot-dai-hoc", ">=", 60, None, 2015),
    ("dong-trieu-2011", "can-bo-chu-chot-qlnn", ">=", 100, None, 2015),
    ("dong-trieu-2011", "cbcc-huyen-sau-dai-hoc", ">=", 10, None, 2020),
    ("dong-trieu-2011", "can-bo-chuyen-trach-huyen-dh-llct", ">=", 100, None, 2020),
    ("dong-trieu-2011", "cbcc-xa-trung-cap", ">=", 100, None, 2020),
    ("dong-trieu-2011", "phu-nu-duoi-40-xmc", ">=", 100, None, 2020),
    ("qd-387-2025", "gdht-cong-nhan", ">=", 70, None, 2025),
    ("qd-387-2025", "dhht-cong-nhan", ">=", 65, None, 2025),
    ("qd-387-2025", "cdht-cong-nhan", ">=", 65, None, 2025),
    ("qd-387-2025", "dvht-cong-nhan", ">=", 80, None, 2025),
]
# Rows of the plans' own text that DOMAIN.md's tables leave out.
EXTRA_ROWS = [("dong-trieu-2011", "can-bo-chu-chot-cao-dang", ">=", 100, None, 2020)]

CITATIONS = {
    "dak-song-138-2020": ("138/KH-UBND", "15/6/2020", "Đăk Song"),
    "dong-trieu-2011": ("01-NQ/TV", "29/7/2011", "Đông Triều"),
    "qd-387-2025": ("387/QĐ-TTg", "25/3/2022", "Thủ tướng Chính phủ"),
}


@pytest.fixture(scope="module")
def presets():
    plans, problems = load_plans(PRESETS)
    assert problems == []
    return {plan.id: plan for plan in plans}


def _row(target):
    t = target.target
    return (
        target.indicator,
        t.comparison.value,
        t.value,
        t.stretch,
        target.deadline,
    )


def test_every_target_row_of_the_seed_plans_is_a_preset_row(presets):
    assert set(presets) == {"dak-song-138-2020", "dong-trieu-2011", "qd-387-2025"}
    for plan_id, plan in presets.items():
        expected = [r[1:] for r in DOMAIN_ROWS + EXTRA_ROWS if r[0] == plan_id]
        rows = [_row(t) for t in plan.targets]
        assert sorted(rows, key=str) == sorted(
            [
                (c, op, Fraction(v), None if s is None else Fraction(s), d)
                for c, op, v, s, d in expected
            ],
            key=str,
        ), plan_id
        assert plan.preset and plan.version == 1


def test_the_presets_cite_their_documents_and_keep_the_plans_wording(presets):
    for plan_id, words in CITATIONS.items():
        plan = presets[plan_id]
        header = header_comment(plan.text)
        assert all(word in header for word in words), plan_id
        assert all(t.wording.endswith(".") and "%" in t.wording for t in plan.targets)
    dak_song = presets["dak-song-138-2020"]
    assert (dak_song.number, dak_song.issued_on) == ("138/KH-UBND", date(2020, 6, 15))
    assert dak_song.document.startswith("138/KH-UBND ngày 15/6/2020 của Ủy ban nhân dân huyện")
    wording = {t.indicator: t.wording for t in dak_song.targets}
    assert "98,5%" in wording["biet-chu-15-60"]
    assert "trên 70%" in wording["biet-chu-hmong-15-60"]
    assert presets["qd-387-2025"].issued_on == date(2022, 3, 25)


PLAN = """\
id = "thu-nghiem"
version = 1
title = "Kế hoạch thử nghiệm"

[[targets]]
indicator = "gdht-dang-ky"
comparison = ">"
value = 60
deadline = 2025
wording = "Trên 60% hộ đăng ký."
"""


def _problems(text):
    plan, problems = load_plan_text(textwrap.dedent(text), Path("ke-hoach.toml"))
    return plan, [(p.code, p.line) for p in problems], problems


def test_a_good_plan_loads():
    plan, found, _ = _problems(PLAN)
    assert found == [] and plan is not None
    assert plan.targets[0].target == Target(Comparison.MORE_THAN, Fraction(60))
    assert plan.targets[0].line == 5


@pytest.mark.parametrize(
    ("change", "code", "line"),
    [
        (('"gdht-dang-ky"', '"ho-dang-ky"'), "P001", 6),
        (('">"', '"at least"'), "P002", 7),
        (('">"', '"range"'), "P003", 5),
        (("value = 60", "value = 60\nstretch = 65"), "P004", 9),
        (('">"', '"range"\nstretch = 50'), "P005", 8),
        (("value = 60", "value = 160"), "P006", 8),
        (("deadline = 2025", "deadline = 25"), "P007", 9),
        (("value = 60", 'value = "60%"'), "F004", 8),
        (('wording = "Trên 60% hộ đăng ký."\n', ""), "F002", 5),
        (("title = ", "tieu_de = "), "F003", 3),
        (("version = 1", "version = 1\nversion = 2"), "F001", 3),
        (('id = "thu-nghiem"', 'id = "Thử nghiệm"'), "F006", 1),
    ],
)
def test_each_mistake_has_its_code_and_line(change, code, line):
    plan, found, problems = _problems(PLAN.replace(*change))
    assert plan is None
    assert (code, line) in found, found
    assert str(problems[0]).startswith(f"ke-hoach.toml:{problems[0].line}: [{problems[0].code}]")


def test_messages_say_how_to_fix_it():
    _, _, problems = _problems(PLAN.replace('">"', '"range"'))
    assert "stretch" in problems[0].message and "range" in problems[0].message
    _, _, problems = _problems(PLAN.replace('"gdht-dang-ky"', '"ho-dang-ky"'))
    assert "xhht indicators --list" in problems[0].message


def test_a_plan_without_targets_and_a_duplicate_target_are_refused():
    empty = PLAN.split("[[targets]]")[0] + "targets = []\n"
    assert _problems(empty)[1] == [("P008", 5)]
    twice = PLAN + "\n" + PLAN.split("\n\n", 1)[1]
    assert ("P010", 12) in _problems(twice)[1]


def test_a_plan_id_used_twice_is_reported_and_the_later_file_left_out(tmp_path):
    presets, user = tmp_path / "presets", tmp_path / "user"
    presets.mkdir()
    user.mkdir()
    (presets / "a.toml").write_text(PLAN, encoding="utf-8")
    (user / "b.toml").write_text(PLAN.replace("Kế hoạch thử", "Bản khác"), encoding="utf-8")
    (user / "c.toml").write_text("id = \n", encoding="utf-8")
    plans, problems = load_plans(presets, user)
    assert [(p.id, p.preset) for p in plans] == [("thu-nghiem", True)]
    assert [(p.code, p.path.name, p.line) for p in problems] == [
        ("P009", "b.toml", 1),
        ("F001", "c.toml", 1),
    ]


def _value(code, numerator, denominator, villages=()):
    return IndicatorValue(code, numerator, denominator, tuple(villages))


def test_a_range_target_shows_all_four_statuses_and_no_data():
    plan, _, _ = _problems(
        PLAN.replace('">"', '"range"\nstretch = 70').replace("value = 60", "value = 65")
    )
    assert plan is not None
    villages = [
        VillageFigure("v1", "Thôn 1", 10, 100),  # 10%: not met
        VillageFigure("v2", "Thôn 2", 67, 100),  # within 65–70
        VillageFigure("v3", "Thôn 3", 90, 100),  # above the stretch
        VillageFigure("v4", "Thôn 4", 0, 0),  # nobody: no data
    ]
    evaluation = evaluate(plan, {"gdht-dang-ky": _value("gdht-dang-ky", 167, 300, villages)}, 2025)
    (row,) = evaluation.rows
    assert row.check.status is Status.NOT_MET and row.check.gap == 28
    assert [v.check.status for v in row.villages] == [
        Status.NOT_MET,
        Status.WITHIN_RANGE,
        Status.ABOVE_STRETCH,
        Status.NO_DATA,
    ]
    assert [v.gap_text for v in row.villages] == [
        "cần thêm 55 hộ đăng ký Gia đình học tập",
        "đã đạt mức tối thiểu; cần thêm 3 hộ đăng ký Gia đình học tập để đạt mức phấn đấu 70%",
        "đã vượt mức phấn đấu",
        "chưa có số liệu: số hộ trong sổ (có nhân khẩu) bằng 0",
    ]
    # With a second, single-value target, the plan shows met too.
    both = PLAN + PLAN.split("\n\n", 1)[1].replace("gdht-dang-ky", "cdht-dang-ky")
    plan, _, _ = _problems(both)
    values = {
        "gdht-dang-ky": _value("gdht-dang-ky", 61, 100),
        "cdht-dang-ky": _value("cdht-dang-ky", None, None),
    }
    summary = evaluate(plan, values, 2025).summary()
    assert (summary[Status.MET], summary[Status.NO_DATA]) == (1, 1)


def test_the_gap_sentence():
    plan, _, _ = _problems(PLAN)
    from xhht_desktop.core.indicators import REGISTRY

    target = plan.targets[0].target
    # More than 60% of 200 households needs 121; 84 registered.
    result = check(target, 84, 200)
    assert gap_text(REGISTRY["gdht-dang-ky"], target, result) == (
        "cần thêm 37 hộ đăng ký Gia đình học tập"
    )
    assert gap_text(REGISTRY["gdht-dang-ky"], target, check(target, 2000, 2500)) == "đã đạt"
    missing = check(target, None, None)
    assert gap_text(REGISTRY["tap-huan-xhht"], target, missing) == "chưa nhập số liệu"
    big = check(target, 0, 10_000)
    assert gap_text(REGISTRY["gdht-dang-ky"], target, big).startswith("cần thêm 6.001 hộ")


def test_json_rows_carry_the_keys_the_command_prints():
    plan, _, _ = _problems(PLAN.replace("value = 60", "value = 98.5").replace('">"', '">="'))
    data = evaluate(plan, {"gdht-dang-ky": _value("gdht-dang-ky", 2, 3)}, 2025).as_dict()
    (row,) = data["targets"]
    assert (data["year"], data["plan"]) == (2025, "thu-nghiem")
    assert row["value"] == 66.67 and row["target"] == 98.5 and row["comparison"] == ">="
    assert (row["status"], row["gap"], row["stretch"]) == ("not_met", 1, None)


def test_a_draft_is_checked_row_by_row():
    draft = PlanDraft(
        id="ke-hoach-xa",
        title="  Kế hoạch của xã  ",
        targets=(
            TargetDraft("gdht-dang-ky", ">", "60,5", 2026),
            TargetDraft("khong-co", "≥", "abc", "năm nay"),
            TargetDraft("gdht-cong-nhan", "range", 70, 2026, stretch=65),
            TargetDraft("gdht-dang-ky", ">=", 101, 2026, stretch="5"),
        ),
    )
    plan, issues = check_draft(draft)
    assert plan is None
    assert sorted((i.row, i.field) for i in issues) == [
        (2, "deadline"),
        (2, "indicator"),
        (2, "value"),
        (3, "stretch"),
        (4, "stretch"),
        (4, "value"),
    ]
    fixed = PlanDraft(
        id="ke-hoach-xa",
        title="Kế hoạch của xã",
        issued_on=date(2026, 1, 5),
        number="05/KH-UBND",
        targets=(
            TargetDraft("gdht-dang-ky", ">", "60,5", 2026),
            TargetDraft("gdht-cong-nhan", "range", "65", "2026", stretch="70"),
        ),
    )
    plan, issues = check_draft(fixed, version=3)
    assert issues == [] and plan is not None
    # An empty wording takes the indicator's label.
    assert plan.targets[0].wording == "Hộ gia đình đăng ký Gia đình học tập"
    text = plan_to_toml(plan, "# Kế hoạch của xã\n")
    loaded, problems = load_plan_text(text)
    assert problems == [] and loaded is not None
    assert loaded.targets == plan.targets and loaded.version == 3
    assert loaded.targets[0].target.value == Fraction("60.5")
    assert header_comment(text) == "# Kế hoạch của xã\n"
    assert draft_of(loaded).targets[0].value == "60,5"


def test_duplicate_rows_in_a_draft_are_named():
    draft = PlanDraft(
        id="x",
        title="X",
        targets=(
            TargetDraft("gdht-dang-ky", ">", 60, 2026),
            TargetDraft("gdht-dang-ky", ">=", 70, 2026),
        ),
    )
    _plan, issues = check_draft(draft)
    assert [(i.row, i.field) for i in issues] == [(2, "indicator")]
    assert "dòng 1" in issues[0].message
