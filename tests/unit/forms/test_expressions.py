"""Conditions: compiled from data, evaluated without eval."""

import inspect
from datetime import date
from decimal import Decimal

import pytest

from xhht_desktop.forms import expressions
from xhht_desktop.forms.expressions import (
    Compare,
    ExpressionError,
    FieldRef,
    compile_condition,
    evaluate,
    fields_of,
)
from xhht_desktop.forms.fieldtypes import (
    ChoiceType,
    DateType,
    DecimalType,
    IntegerType,
    MultiChoiceType,
    TextType,
    YesNoType,
)

TYPES = {
    "cu_tru": ChoiceType({"thuong_tru": "Thường trú", "tam_tru": "Tạm trú"}),
    "so_nguoi": IntegerType(),
    "so_nu": IntegerType(),
    "diem": DecimalType(),
    "ngay": DateType(),
    "ten": TextType(),
    "khuyet_tat": YesNoType(),
    "phuong_tien": MultiChoiceType({"tv": "Ti vi", "internet": "Internet"}),
}


def check(condition, **values):
    return evaluate(compile_condition(condition, TYPES), values)


@pytest.mark.parametrize(
    ("condition", "values", "expected"),
    [
        ({"field": "cu_tru", "equals": "tam_tru"}, {"cu_tru": "tam_tru"}, True),
        ({"field": "cu_tru", "equals": "tam_tru"}, {"cu_tru": "thuong_tru"}, False),
        ({"field": "cu_tru", "not_equals": "tam_tru"}, {"cu_tru": "thuong_tru"}, True),
        ({"field": "so_nguoi", "lt": 5}, {"so_nguoi": 4}, True),
        ({"field": "so_nguoi", "le": 5}, {"so_nguoi": 5}, True),
        ({"field": "so_nguoi", "gt": 5}, {"so_nguoi": 5}, False),
        ({"field": "diem", "ge": 7.5}, {"diem": Decimal("7.5")}, True),
        ({"field": "ngay", "lt": date(2024, 2, 12)}, {"ngay": date(2024, 2, 11)}, True),
        ({"field": "so_nguoi", "in": [1, 2]}, {"so_nguoi": 2}, True),
        ({"field": "so_nguoi", "not_in": [1, 2]}, {"so_nguoi": 3}, True),
        ({"field": "phuong_tien", "contains": "tv"}, {"phuong_tien": ("tv",)}, True),
        ({"field": "ten", "is_empty": True}, {"ten": None}, True),
        ({"field": "ten", "is_empty": False}, {"ten": "An"}, True),
        ({"field": "khuyet_tat", "equals": False}, {"khuyet_tat": False}, True),
    ],
)
def test_each_operator(condition, values, expected):
    assert check(condition, **values) is expected


def test_compare_with_another_field():
    condition = {"field": "so_nu", "le": {"field": "so_nguoi"}}
    compiled = compile_condition(condition, TYPES)
    assert compiled == Compare("so_nu", "le", FieldRef("so_nguoi"))
    assert evaluate(compiled, {"so_nu": 3, "so_nguoi": 5})
    assert not evaluate(compiled, {"so_nu": 6, "so_nguoi": 5})
    assert fields_of(compiled) == {"so_nu", "so_nguoi"}


def test_all_any_not():
    condition = {
        "all": [
            {"field": "cu_tru", "equals": "tam_tru"},
            {"any": [{"field": "so_nguoi", "gt": 3}, {"not": {"field": "ten", "is_empty": True}}]},
        ]
    }
    assert check(condition, cu_tru="tam_tru", so_nguoi=4)
    assert check(condition, cu_tru="tam_tru", so_nguoi=1, ten="An")
    assert not check(condition, cu_tru="tam_tru", so_nguoi=1)
    assert not check(condition, cu_tru="thuong_tru", so_nguoi=9)


def test_a_comparison_with_an_empty_field_is_false():
    assert not check({"field": "so_nguoi", "gt": 0})
    assert not check({"field": "cu_tru", "equals": "tam_tru"})
    assert check({"field": "cu_tru", "not_equals": "tam_tru"})
    assert not check({"field": "so_nu", "le": {"field": "so_nguoi"}}, so_nu=1)


def test_constants_are_typed_like_their_field():
    compiled = compile_condition({"field": "diem", "ge": 7.5}, TYPES)
    assert compiled.operand == Decimal("7.5")


@pytest.mark.parametrize(
    ("condition", "code"),
    [
        ({"field": "so_nguoi", "greater": 3}, "F020"),
        ({"sum": ["a", "b"]}, "F020"),
        ({"field": "khong_co", "equals": 1}, "F021"),
        ({"field": "so_nu", "le": {"field": "khong_co"}}, "F021"),
        ({"field": "so_nguoi", "gt": 1, "lt": 9}, "F022"),
        ({"field": "so_nguoi"}, "F022"),
        ({"all": []}, "F022"),
        ({"all": [{"field": "so_nguoi", "gt": 1}], "any": []}, "F022"),
        ({}, "F022"),
        ("so_nguoi > 3", "F022"),
        ({"field": "cu_tru", "equals": "tam tru"}, "F023"),
        ({"field": "ten", "gt": "a"}, "F023"),
        ({"field": "so_nguoi", "equals": "5"}, "F023"),
        ({"field": "so_nguoi", "equals": True}, "F023"),
        ({"field": "ngay", "lt": "2024-02-12"}, "F023"),
        ({"field": "so_nguoi", "in": []}, "F023"),
        ({"field": "so_nguoi", "contains": 1}, "F023"),
        ({"field": "phuong_tien", "equals": "tv"}, "F023"),
        ({"field": "ten", "equals": {"field": "so_nguoi"}}, "F023"),
        ({"field": "ten", "is_empty": "yes"}, "F023"),
    ],
)
def test_mistakes_are_refused_when_compiled(condition, code):
    with pytest.raises(ExpressionError) as caught:
        compile_condition(condition, TYPES)
    assert caught.value.code == code


def test_the_error_points_inside_the_condition():
    condition = {"all": [{"field": "so_nguoi", "gt": 1}, {"field": "x", "equals": 1}]}
    with pytest.raises(ExpressionError) as caught:
        compile_condition(condition, TYPES)
    assert caught.value.path == ("all", 1)


def test_text_in_a_condition_is_only_ever_compared_never_run(monkeypatch):
    calls = []
    monkeypatch.setattr("builtins.eval", lambda *a, **k: calls.append(a))
    payload = "__import__('os').system('echo pwned')"
    compiled = compile_condition({"field": "ten", "equals": payload}, TYPES)
    assert evaluate(compiled, {"ten": payload})
    assert not evaluate(compiled, {"ten": "An"})
    assert calls == []
    source = inspect.getsource(expressions)
    assert "eval(" not in source.replace("evaluate(", "")
    assert "exec(" not in source
