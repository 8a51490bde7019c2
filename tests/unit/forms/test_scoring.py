"""Scoring and every kind of pass rule, as data."""

from decimal import Decimal

import pytest

from xhht_desktop.forms import DefinitionKey, load_definitions, score, validate

POINTS = """
    id = "bo-diem"
    version = 3
    kind = "criteria"
    title = "Bộ chấm điểm"
    subject = "household"
    total = 100

    [pass]
    min_total = 80
    min_per_indicator = 5
      [[pass.variants]]
      id = "kho_khan"
      title = "Vùng đặc biệt khó khăn"
      min_total = 70

    [[criteria]]
    id = "tc1"
    title = "Trẻ em"
    max = 40
    pass_min = 30
      [[criteria.indicators]]
      id = "tc1_1"
      title = "Đi học"
      max = 20
      [[criteria.indicators]]
      id = "tc1_2"
      title = "Kết quả"
      max = 20

    [[criteria]]
    id = "tc2"
    title = "Người lớn"
    max = 60
      [[criteria.indicators]]
      id = "tc2_1"
      title = "Biết chữ"
      max = 30
      [[criteria.indicators]]
      id = "tc2_2"
      title = "Học mỗi năm"
      max = 30
"""


@pytest.fixture
def points(inline):
    return inline.load(POINTS)


def test_totals_per_criterion_and_overall(points):
    result = score(points, {"tc1_1": 20, "tc1_2": "17,5", "tc2_1": 30, "tc2_2": Decimal(25)})
    assert result.definition == DefinitionKey("bo-diem", 3)
    assert [(c.id, c.score, c.max) for c in result.criteria] == [
        ("tc1", Decimal("37.5"), Decimal(40)),
        ("tc2", Decimal(55), Decimal(60)),
    ]
    assert result.criterion("tc1").lines[1].value == Decimal("17.5")
    assert (result.total, result.maximum) == (Decimal("92.5"), Decimal(100))
    assert result.passed and result.reasons == () and result.complete


def test_minimum_total(points):
    result = score(points, {"tc1_1": 20, "tc1_2": 15, "tc2_1": 20, "tc2_2": 20})
    assert not result.passed
    assert result.reasons == ("Tổng điểm 75 thấp hơn mức cần đạt 80.",)


def test_a_variant_rule(points):
    scores = {"tc1_1": 20, "tc1_2": 15, "tc2_1": 20, "tc2_2": 20}
    result = score(points, scores, variant="kho_khan")
    assert result.passed and result.variant == "kho_khan"
    with pytest.raises(ValueError, match="no variant"):
        score(points, scores, variant="mien_nui")


def test_a_variant_keeps_the_rules_it_does_not_change(points):
    result = score(points, {"tc1_1": 20, "tc1_2": 20, "tc2_1": 30, "tc2_2": 4}, variant="kho_khan")
    assert result.reasons == ("Chỉ số 'Học mỗi năm' được 4 điểm, dưới mức tối thiểu 5.",)


def test_minimum_per_indicator(points):
    result = score(points, {"tc1_1": 20, "tc1_2": 20, "tc2_1": 30, "tc2_2": 4})
    assert result.total == Decimal(74)
    assert result.reasons == (
        "Tổng điểm 74 thấp hơn mức cần đạt 80.",
        "Chỉ số 'Học mỗi năm' được 4 điểm, dưới mức tối thiểu 5.",
    )


def test_minimum_per_criterion(points):
    result = score(points, {"tc1_1": 20, "tc1_2": 9, "tc2_1": 30, "tc2_2": 30})
    assert result.total == Decimal(89)
    assert result.reasons == ("Tiêu chí 'Trẻ em' được 29 điểm, dưới mức cần đạt 30.",)


def test_min_per_criterion_for_every_criterion(inline):
    definition = inline.load(
        POINTS.replace("min_per_indicator = 5", "min_per_criterion = 35").replace(
            "pass_min = 30\n", ""
        )
    )
    result = score(definition, {"tc1_1": 20, "tc1_2": 14, "tc2_1": 30, "tc2_2": 30})
    assert result.reasons == ("Tiêu chí 'Trẻ em' được 34 điểm, dưới mức cần đạt 35.",)


def test_a_missing_or_wrong_score_is_never_a_pass(points):
    result = score(points, {"tc1_1": 20, "tc1_2": 20, "tc2_1": 35})
    assert not result.passed and not result.complete
    assert [(i.field, i.message) for i in result.issues] == [
        ("tc2_1", "Biết chữ phải từ 0 đến 30."),
        ("tc2_2", "Hãy chấm điểm: Học mỗi năm."),
    ]
    assert result.reasons[0] == "Chưa chấm đủ hoặc có điểm không hợp lệ (2 chỉ số)."


def test_other_keys_are_ignored_by_scoring(points):
    result = score(points, {"tc1_1": 20, "tc1_2": 20, "tc2_1": 30, "tc2_2": 30, "ghi_chu": "x"})
    assert result.passed


def test_only_criteria_sets_are_scored(inline):
    form = inline.load(
        'id = "f"\nversion = 1\nkind = "form"\ntitle = "F"\n'
        '[[fields]]\nid = "a"\ntype = "text"\nlabel = "A"\n'
    )
    with pytest.raises(ValueError, match="not a criteria set"):
        score(form, {})


PASS_FAIL = """
    id = "xa"
    version = 1
    kind = "criteria"
    title = "Cộng đồng học tập cấp xã"
    subject = "commune"
    scoring = "pass_fail"

    [[levels]]
    id = "muc_1"
    title = "Mức độ 1 (Khá)"
    all_indicators = true

    [[levels]]
    id = "muc_2"
    title = "Mức độ 2 (Tốt)"
    all_indicators = true

    [[criteria]]
    id = "tc1"
    title = "Lãnh đạo"
      [[criteria.indicators]]
      id = "tc1_1"
      title = "Tuyên truyền"
      [[criteria.indicators]]
      id = "tc1_2"
      title = "Kế hoạch"

    [[criteria]]
    id = "tc2"
    title = "Phổ cập, xóa mù chữ"
      [[criteria.indicators]]
      id = "tc2_1"
      title = "Xóa mù chữ mức độ 1"
      [[criteria.indicators]]
      id = "tc2_2"
      title = "Xóa mù chữ mức độ 2"
      levels = ["muc_2"]
"""


def test_pass_fail_levels(inline):
    definition = inline.load(PASS_FAIL)
    every = {"tc1_1": True, "tc1_2": True, "tc2_1": True, "tc2_2": True}
    top = score(definition, every)
    assert (top.passed, top.level, top.level_title) == (True, "muc_2", "Mức độ 2 (Tốt)")
    assert (top.total, top.maximum) == (Decimal(4), Decimal(4))
    first = score(definition, {**every, "tc2_2": "Không đạt"})
    assert (first.passed, first.level, first.total) == (True, "muc_1", Decimal(3))
    none = score(definition, {**every, "tc1_2": False})
    assert (none.passed, none.level) == (False, None)
    assert none.reasons == ("Chỉ tiêu 'Kế hoạch' chưa đạt.",)


def test_levels_are_cumulative(inline):
    definition = inline.load(PASS_FAIL)
    result = score(definition, {"tc1_1": True, "tc1_2": True, "tc2_1": False, "tc2_2": True})
    assert result.level is None and not result.passed


def test_all_indicators_and_min_passed_in_a_pass_rule(inline):
    base = PASS_FAIL.split("    [[levels]]")[0]
    criteria = "    [[criteria]]" + PASS_FAIL.split("    [[criteria]]", 1)[1]
    criteria = criteria.replace('      levels = ["muc_2"]\n', "")
    every = {"tc1_1": True, "tc1_2": True, "tc2_1": True, "tc2_2": True}
    strict = inline.load(base + "    [pass]\n    all_indicators = true\n\n" + criteria)
    assert score(strict, every).passed
    assert score(strict, {**every, "tc2_1": False}).reasons == (
        "Chỉ tiêu 'Xóa mù chữ mức độ 1' chưa đạt.",
    )
    three = inline.load(base + "    [pass]\n    min_passed = 3\n\n" + criteria)
    assert score(three, {**every, "tc2_1": False}).passed
    assert score(three, {**every, "tc2_1": False, "tc1_1": False}).reasons == (
        "Mới đạt 2 chỉ tiêu, cần ít nhất 3.",
    )


def test_level_thresholds_in_a_points_set(inline):
    definition = inline.load(
        POINTS.replace(
            '    [[criteria]]\n    id = "tc1"',
            '    [[levels]]\n    id = "dat"\n    title = "Đạt"\n    min_total = 80\n\n'
            '    [[levels]]\n    id = "tieu_bieu"\n    title = "Tiêu biểu"\n    min_total = 95\n\n'
            '    [[criteria]]\n    id = "tc1"',
            1,
        )
    )
    scores = {"tc1_1": 20, "tc1_2": 20, "tc2_1": 30, "tc2_2": 26}
    assert score(definition, scores).level == "tieu_bieu"
    assert score(definition, {**scores, "tc2_2": 20}).level == "dat"
    assert score(definition, {**scores, "tc2_2": 5, "tc2_1": 5}).level is None


CRITERION_ADDED = """
  [[criteria.indicators]]
  id = "tc4_3"
  title = "Gia đình tham gia hoạt động của trung tâm học tập cộng đồng"
  max = 5
"""


def test_a_criterion_added_to_a_copy_of_a_shipped_set_needs_no_code(inline):
    definitions, problems = load_definitions()
    assert problems == []
    text = definitions.get("gdht-448").text
    # The province adds an indicator of 5 points to criterion 4 (20 → 25, 100 → 105).
    text = text.replace('id = "gdht-448"', 'id = "gdht-tinh"').replace("total = 100", "total = 105")
    criterion_4 = text.index('id = "tc4"')
    text = text[:criterion_4] + text[criterion_4:].replace("max = 20", "max = 25", 1)
    adapted = inline.load(text.rstrip("\n") + "\n" + CRITERION_ADDED)

    assert [f.id for f in adapted.scored_fields][-1] == "tc4_3"
    full = {f.id: f.type.max for f in adapted.scored_fields}
    too_many = validate(adapted, {**full, "tc4_3": 6})
    assert [(i.field, i.message) for i in too_many] == [
        ("tc4_3", "Gia đình tham gia hoạt động của trung tâm học tập cộng đồng phải từ 0 đến 5.")
    ]
    missing = validate(adapted, {k: v for k, v in full.items() if k != "tc4_3"})
    assert [i.field for i in missing] == ["tc4_3"]
    result = score(adapted, full)
    assert result.criterion("tc4").max == Decimal(25)
    assert result.criterion("tc4").lines[-1].id == "tc4_3"
    assert (result.total, result.maximum, result.passed) == (Decimal(105), Decimal(105), True)
    assert result.definition == DefinitionKey("gdht-tinh", 1)
