"""Conditions written in the data, as small expression trees (no ``eval``).

Like Tryton's PYSON, a condition is plain data that the loader compiles into
objects and the validator evaluates; nothing in a definition file can run
code. The forms a condition can take, in TOML::

    { field = "cu_tru", equals = "tam_tru" }           # compare a field to a constant
    { field = "so_nu", le = { field = "so_nguoi" } }    # … or to another field
    { field = "nam", in = [2024, 2025] }                # one of several constants
    { field = "ghi_chu", is_empty = false }             # has a value / has none
    { all = [ … ] }   { any = [ … ] }   { not = { … } } # combine conditions

Comparison operators: equals, not_equals, lt, le, gt, ge (numbers, years,
dates), in, not_in, contains (a multi-choice value holds a choice) and
is_empty. A comparison with an empty field is false (``not_equals`` and
``not_in`` are true), so a condition never fires on what was not entered.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from xhht_desktop.forms.fieldtypes import FieldType, MultiChoiceType, is_empty
from xhht_desktop.forms.locations import KeyPath

_ORDERING: dict[str, Callable[[object, object], bool]] = {
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}
OPERATORS: tuple[str, ...] = (
    "equals",
    "not_equals",
    *_ORDERING,
    "in",
    "not_in",
    "contains",
    "is_empty",
)
COMBINATORS: tuple[str, ...] = ("all", "any", "not")


@dataclass(frozen=True)
class FieldRef:
    """The value of another field, as the right-hand side of a comparison."""

    field: str


@dataclass(frozen=True)
class Compare:
    field: str
    op: str
    operand: object


@dataclass(frozen=True)
class AllOf:
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Not:
    item: Expr


Expr = Compare | AllOf | AnyOf | Not


class ExpressionError(ValueError):
    """A condition that cannot be compiled; the loader turns it into a problem.

    Attributes:
        code: F020 (unknown operator), F021 (unknown field), F022 (malformed)
            or F023 (a constant that the field cannot take).
        details: What the catalogue message needs.
        path: Where inside the condition, relative to the condition's key.
    """

    def __init__(self, code: str, path: KeyPath = (), **details: object) -> None:
        super().__init__(f"{code} {details}")
        self.code = code
        self.details = details
        self.path = path


def compile_condition(raw: object, types: Mapping[str, FieldType], path: KeyPath = ()) -> Expr:
    """Compile the TOML value of a condition against the definition's fields.

    Args:
        raw: The value read from the file.
        types: The type of every field of the definition, by field id.
        path: Where ``raw`` sits inside the condition (for error lines).

    Raises:
        ExpressionError: for the first mistake found.
    """
    if not isinstance(raw, dict) or not raw:
        raise ExpressionError("F022", path, detail="điều kiện phải là một bảng { … } không rỗng")
    keys = set(raw)
    combinator = keys & set(COMBINATORS)
    if combinator:
        if len(keys) != 1:
            raise ExpressionError("F022", path, detail="all/any/not phải đứng một mình trong bảng")
        (name,) = combinator
        return _combination(name, raw[name], types, (*path, name))
    if "field" not in raw:
        unknown = sorted(keys - set(OPERATORS))
        if unknown:
            raise ExpressionError("F020", path, value=unknown[0], allowed=_allowed())
        raise ExpressionError("F022", path, detail="thiếu 'field = \"mã trường\"'")
    return _comparison(raw, types, path)


def _allowed() -> str:
    return ", ".join((*OPERATORS, *COMBINATORS))


def _combination(name: str, value: object, types: Mapping[str, FieldType], path: KeyPath) -> Expr:
    if name == "not":
        return Not(compile_condition(value, types, path))
    if not isinstance(value, list) or not value:
        raise ExpressionError("F022", path, detail=f"'{name}' cần một danh sách [ … ] không rỗng")
    items = tuple(compile_condition(item, types, (*path, i)) for i, item in enumerate(value))
    return AllOf(items) if name == "all" else AnyOf(items)


def _comparison(raw: dict[str, object], types: Mapping[str, FieldType], path: KeyPath) -> Expr:
    field = raw["field"]
    if not isinstance(field, str):
        raise ExpressionError("F022", path, detail="'field' phải là mã trường trong dấu ngoặc kép")
    if field not in types:
        raise ExpressionError("F021", path, value=field)
    ops = [key for key in raw if key != "field"]
    unknown = [key for key in ops if key not in OPERATORS]
    if unknown:
        raise ExpressionError("F020", (*path, unknown[0]), value=unknown[0], allowed=_allowed())
    if len(ops) != 1:
        raise ExpressionError(
            "F022", path, detail=f"mỗi phép so sánh cần đúng một toán tử (đang có {len(ops)})"
        )
    (op,) = ops
    ftype = types[field]
    operand = _operand(field, op, raw[op], ftype, types, (*path, op))
    return Compare(field, op, operand)


def _operand(
    field: str,
    op: str,
    raw: object,
    ftype: FieldType,
    types: Mapping[str, FieldType],
    path: KeyPath,
) -> object:
    def refuse(detail: str) -> ExpressionError:
        return ExpressionError("F023", path, field=field, detail=detail)

    if op == "is_empty":
        if not isinstance(raw, bool):
            raise refuse("is_empty cần true hoặc false")
        return raw
    multi = isinstance(ftype, MultiChoiceType)
    if op == "contains" and not multi:
        raise refuse("'contains' chỉ dùng cho trường nhiều lựa chọn")
    if multi and op != "contains":
        raise refuse("với trường nhiều lựa chọn hãy dùng 'contains' hoặc 'is_empty'")
    if op in _ORDERING and not ftype.ordered:
        raise refuse("chỉ so sánh lớn/nhỏ được với số, năm hoặc ngày")
    if isinstance(raw, dict):
        if op not in ("equals", "not_equals", *_ORDERING):
            raise refuse(f"'{op}' cần hằng số, không so với trường khác")
        if set(raw) != {"field"} or not isinstance(raw["field"], str):
            raise refuse('so với trường khác viết { field = "mã trường" }')
        other = raw["field"]
        if other not in types:
            raise ExpressionError("F021", path, value=other)
        if types[other].family != ftype.family:
            raise refuse(f"không so được với trường '{other}' khác loại")
        return FieldRef(other)
    try:
        if op in ("in", "not_in"):
            if not isinstance(raw, list) or not raw:
                raise ValueError(f"'{op}' cần một danh sách [ … ] không rỗng")
            return tuple(ftype.literal(item) for item in raw)
        return ftype.literal(raw)
    except ValueError as exc:
        raise refuse(str(exc)) from None


def fields_of(expr: Expr) -> frozenset[str]:
    """Every field a condition reads."""
    if isinstance(expr, Compare):
        names = {expr.field}
        if isinstance(expr.operand, FieldRef):
            names.add(expr.operand.field)
        return frozenset(names)
    if isinstance(expr, Not):
        return fields_of(expr.item)
    return frozenset().union(*(fields_of(item) for item in expr.items))


def evaluate(expr: Expr, values: Mapping[str, object]) -> bool:
    """Whether the condition holds for ``values`` (typed values by field id)."""
    if isinstance(expr, AllOf):
        return all(evaluate(item, values) for item in expr.items)
    if isinstance(expr, AnyOf):
        return any(evaluate(item, values) for item in expr.items)
    if isinstance(expr, Not):
        return not evaluate(expr.item, values)
    value = values.get(expr.field)
    operand = expr.operand
    if expr.op == "is_empty":
        return is_empty(value) is operand
    if isinstance(operand, FieldRef):
        operand = values.get(operand.field)
        if is_empty(operand):
            return expr.op == "not_equals"
    if is_empty(value):
        return expr.op in ("not_equals", "not_in")
    if expr.op == "equals":
        return value == operand
    if expr.op == "not_equals":
        return value != operand
    if expr.op == "in":
        return value in operand  # type: ignore[operator]
    if expr.op == "not_in":
        return value not in operand  # type: ignore[operator]
    if expr.op == "contains":
        return operand in value  # type: ignore[operator]
    return _ORDERING[expr.op](value, operand)
