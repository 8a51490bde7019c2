"""The strict loader: TOML definition files in, definitions and problems out.

Like qutebrowser's ``configdata``, the loader accepts only what it knows:
an unknown key, an unknown field type, a duplicate id, a rule that does not
fit, a condition naming a field that does not exist or an operator that is
not in the list, and maxima that do not add up are each a
:class:`~xhht_desktop.forms.problems.DefinitionProblem` with a code, a
Vietnamese message and the file and line. A file with problems yields no
definition; the other files still load, so the app starts with every
definition that is right and shows what is wrong with the rest.

File format (see ``forms/README.md`` for the full reference)::

    id = "gdht-448"            # lower case, digits, '-' or '_'
    version = 1                # a record keeps (id, version)
    kind = "criteria"          # form | criteria | aggregate
    title = "Gia đình học tập"
    subject = "household"      # what a record is about

    [[fields]]                 # any kind may declare fields
    id = "cu_tru"
    type = "choice"            # text integer decimal choice multi_choice date
    label = "Cư trú"           # year yes_no score reference
    choices = { thuong_tru = "Thường trú", tam_tru = "Tạm trú" }
    required = true

    total = 100                # criteria sets: points, criteria, pass rule
    [[criteria]]
    id = "tc1"
    title = "Học tập của trẻ em"
    max = 30
    [[criteria.indicators]]
    id = "tc1_1"
    title = "…"
    max = 10
    [pass]
    min_total = 80
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from xhht_desktop.forms.definitions import (
    KINDS,
    SCOPES,
    SCORINGS,
    SUBJECTS,
    Criterion,
    Definition,
    DefinitionKey,
    Field,
    Indicator,
    Level,
    PassRule,
    Variant,
)
from xhht_desktop.forms.expressions import ExpressionError, compile_condition
from xhht_desktop.forms.fieldtypes import (
    FIELD_TYPES,
    FieldType,
    RuleError,
    ScoreType,
    YesNoType,
    format_number,
)
from xhht_desktop.forms.locations import KeyPath, SourceMap
from xhht_desktop.forms.problems import DefinitionProblem, problem

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_-]*$")
FIELD_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
_TOML_AT = re.compile(r"\s*\(at line (\d+), column \d+\)\s*$")

COMMON_KEYS: tuple[str, ...] = (
    "id",
    "version",
    "kind",
    "title",
    "description",
    "subject",
    "model",
    "source",
    "note",
    "copied_from",
    "fields",
)
KIND_KEYS: dict[str, tuple[str, ...]] = {
    "form": (),
    "criteria": ("total", "scoring", "criteria", "pass", "levels"),
    "aggregate": ("scope",),
}
FIELD_KEYS: tuple[str, ...] = (
    "id",
    "type",
    "label",
    "help",
    "required",
    "visible_if",
    "required_if",
    "check",
    "check_message",
)
CONDITION_KEYS: tuple[str, ...] = ("visible_if", "required_if", "check")
RULE_KEYS: dict[str, tuple[str, ...]] = {
    "points": ("min_total", "min_per_indicator", "min_per_criterion"),
    "pass_fail": ("all_indicators", "min_passed"),
}
CRITERION_KEYS: dict[str, tuple[str, ...]] = {
    "points": ("id", "title", "help", "max", "pass_min", "indicators", "levels"),
    "pass_fail": ("id", "title", "help", "indicators", "levels"),
}
INDICATOR_KEYS: dict[str, tuple[str, ...]] = {
    "points": ("id", "title", "help", "max", "levels"),
    "pass_fail": ("id", "title", "help", "levels"),
}
_ALL_RULE_KEYS = frozenset().union(*(t.rule_keys for t in FIELD_TYPES.values()))
PASS_FAIL_LABELS = ("Đạt", "Không đạt")


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, int):
        return f"số nguyên ({value})"
    if isinstance(value, float):
        return f"số thập phân ({value})"
    if isinstance(value, str):
        return f'chuỗi ("{value}")'
    if isinstance(value, dict):
        return "bảng { … }"
    if isinstance(value, list):
        return "danh sách [ … ]"
    if isinstance(value, date):
        return f"ngày ({value})"
    return type(value).__name__


_EXPECTED: dict[str, tuple[str, object]] = {
    "str": ("một chuỗi trong dấu ngoặc kép", str),
    "int": ("một số nguyên", int),
    "number": ("một số", (int, float)),
    "bool": ("true hoặc false", bool),
    "table": ("một bảng", dict),
    "tables": ("một danh sách bảng [[…]]", list),
    "strings": ("một danh sách chuỗi", list),
}


class _Pending:
    """A declared field read from the file, waiting for its conditions."""

    def __init__(
        self, at: KeyPath, values: dict[str, object], conditions: dict[str, object]
    ) -> None:
        self.at = at
        self.values = values
        self.conditions = conditions


class _Reader:
    """Reads one file's text; collects every problem it can find."""

    def __init__(self, text: str, path: Path | None) -> None:
        self.text = text
        self.path = path
        self.map = SourceMap(text)
        self.problems: list[DefinitionProblem] = []
        self._elements: dict[str, KeyPath] = {}

    # -- reporting -----------------------------------------------------
    def report(self, code: str, at: KeyPath, **details: object) -> None:
        self.problems.append(problem(code, self.path, self.map.line_of(at), **details))

    def check_keys(
        self, table: Mapping[str, object], allowed: Iterable[str], at: KeyPath, where: str
    ) -> None:
        allowed = tuple(allowed)
        for key in table:
            if key not in allowed:
                self.report("F003", (*at, key), key=key, where=where, allowed=", ".join(allowed))

    def get(
        self,
        table: Mapping[str, object],
        key: str,
        kind: str,
        at: KeyPath,
        where: str,
        required: bool = False,
    ) -> object:
        """The value of ``key`` if it has the right type, else ``None`` (reported)."""
        if key not in table:
            if required:
                self.report("F002", at, key=key, where=where)
            return None
        value = table[key]
        expected, types = _EXPECTED[kind]
        wrong = not isinstance(value, types) or (
            kind in ("int", "number") and isinstance(value, bool)
        )
        if not wrong and kind == "tables":
            wrong = not all(isinstance(item, dict) for item in value)  # type: ignore[attr-defined]
        if not wrong and kind == "strings":
            wrong = not all(isinstance(item, str) for item in value)  # type: ignore[attr-defined]
        if not wrong and kind == "str" and required and not str(value).strip():
            wrong = True
        if wrong:
            self.report(
                "F004", (*at, key), key=key, where=where, expected=expected, actual=_describe(value)
            )
            return None
        return value

    def number(
        self,
        table: Mapping[str, object],
        key: str,
        at: KeyPath,
        where: str,
        required: bool = False,
        positive: bool = False,
    ) -> Decimal | None:
        value = self.get(table, key, "number", at, where, required)
        if value is None:
            return None
        number = Decimal(str(value))
        if not number.is_finite() or number < 0 or (positive and number == 0):
            expected = "một số hữu hạn lớn hơn 0" if positive else "một số hữu hạn, không âm"
            self.report(
                "F004", (*at, key), key=key, where=where, expected=expected, actual=_describe(value)
            )
            return None
        return number

    def element(
        self,
        element_id: object,
        at: KeyPath,
        pattern: re.Pattern[str],
        where: str,
        registry: dict[str, KeyPath] | None = None,
    ) -> str | None:
        """Check an id's spelling and that it is unique in its ``registry``."""
        if not isinstance(element_id, str):
            return None
        if not pattern.match(element_id):
            self.report("F006", (*at, "id"), value=element_id, where=where)
            return None
        seen = self._elements if registry is None else registry
        if element_id in seen:
            other = self.map.line_of((*seen[element_id], "id"))
            self.report("F011", (*at, "id"), value=element_id, other=other)
            return None
        seen[element_id] = at
        return element_id

    # -- the file ------------------------------------------------------
    def read(self) -> Definition | None:
        try:
            data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            message = str(exc)
            found = _TOML_AT.search(message)
            line = int(found.group(1)) if found else None
            detail = _TOML_AT.sub("", message)
            self.problems.append(problem("F001", self.path, line, detail=detail))
            return None
        where = "ở đầu tệp"
        kind = data.get("kind")
        if "kind" not in data:
            self.report("F002", (), key="kind", where=where)
        elif not isinstance(kind, str) or kind not in KINDS:
            self.report("F005", ("kind",), value=kind)
            kind = None
        extra = KIND_KEYS[kind] if kind is not None else sum(KIND_KEYS.values(), ())
        self.check_keys(data, (*COMMON_KEYS, *extra), (), where)

        def_id = self.get(data, "id", "str", (), where, required=True)
        if isinstance(def_id, str) and not ID_PATTERN.match(def_id):
            self.report("F006", ("id",), value=def_id, where=where)
        version = self.get(data, "version", "int", (), where, required=True)
        if isinstance(version, int) and version < 1:
            self.report(
                "F004",
                ("version",),
                key="version",
                where=where,
                expected="một số nguyên từ 1 trở lên",
                actual=_describe(version),
            )
        title = self.get(data, "title", "str", (), where, required=True)
        texts = {
            k: self.get(data, k, "str", (), where) or "" for k in ("description", "source", "note")
        }
        copied_from = self.get(data, "copied_from", "str", (), where)
        subject = self.choice(data, "subject", SUBJECTS, (), where, required=kind == "criteria")
        scope = self.choice(data, "scope", SCOPES, (), where)
        model = self.get(data, "model", "str", (), where)
        if isinstance(model, str) and not ID_PATTERN.match(model):
            self.report("F006", ("model",), value=model, where=where)

        pending = self.read_fields(data, required=kind in ("form", "aggregate"))
        fields: list[Field] = [Field(**p.values) for p in pending]  # type: ignore[arg-type]
        criteria_parts: dict[str, object] = {}
        if kind == "criteria":
            criteria_parts = self.read_criteria(data)
            fields += criteria_parts.pop("fields")  # type: ignore[arg-type]
        types: dict[str, FieldType] = {f.id: f.type for f in fields}
        compiled = [self.compile(p, types) for p in pending]
        if self.problems:
            return None
        fields[: len(pending)] = [replace(f, **c) for f, c in zip(fields, compiled, strict=False)]
        return Definition(
            id=str(def_id),
            version=int(version),  # type: ignore[arg-type]
            kind=str(kind),
            title=str(title).strip(),
            description=str(texts["description"]).strip(),
            subject=subject,
            model=model,  # type: ignore[arg-type]
            scope=scope,
            source=str(texts["source"]).strip(),
            note=str(texts["note"]).strip(),
            copied_from=copied_from,  # type: ignore[arg-type]
            fields=tuple(fields),
            path=self.path,
            text=self.text,
            **criteria_parts,  # type: ignore[arg-type]
        )

    def choice(
        self,
        table: Mapping[str, object],
        key: str,
        allowed: Mapping[str, str],
        at: KeyPath,
        where: str,
        required: bool = False,
    ) -> str | None:
        value = self.get(table, key, "str", at, where, required)
        if value is None:
            return None
        if value not in allowed:
            self.report("F009", (*at, key), value=value, key=key, allowed=", ".join(allowed))
            return None
        return str(value)

    # -- fields --------------------------------------------------------
    def read_fields(self, data: Mapping[str, object], required: bool) -> list[_Pending]:
        tables = self.get(data, "fields", "tables", (), "ở đầu tệp", required)
        pending = []
        for index, table in enumerate(tables or ()):  # type: ignore[arg-type]
            read = self.read_field(table, ("fields", index), index)
            if read is not None:
                pending.append(read)
        return pending

    def read_field(self, table: dict[str, object], at: KeyPath, index: int) -> _Pending | None:
        raw_id = table.get("id")
        where = (
            f"trong trường '{raw_id}'"
            if isinstance(raw_id, str)
            else f"trong trường thứ {index + 1}"
        )
        field_id = self.get(table, "id", "str", at, where, required=True)
        type_name = self.get(table, "type", "str", at, where, required=True)
        type_class = FIELD_TYPES.get(type_name) if isinstance(type_name, str) else None
        if isinstance(type_name, str) and type_class is None:
            self.report("F010", (*at, "type"), value=type_name, allowed=", ".join(FIELD_TYPES))
        rule_keys = type_class.rule_keys if type_class is not None else _ALL_RULE_KEYS
        for key in table:
            if key in FIELD_KEYS or key in rule_keys:
                continue
            if key in _ALL_RULE_KEYS and type_class is not None:
                self.report(
                    "F012",
                    (*at, key),
                    key=key,
                    type=type_name,
                    allowed=", ".join(sorted(rule_keys)) or "không có",
                )
            else:
                self.report(
                    "F003",
                    (*at, key),
                    key=key,
                    where=where,
                    allowed=", ".join((*FIELD_KEYS, *sorted(rule_keys))),
                )
        label = self.get(table, "label", "str", at, where, required=True)
        help_text = self.get(table, "help", "str", at, where) or ""
        required = self.get(table, "required", "bool", at, where) or False
        check_message = self.get(table, "check_message", "str", at, where) or ""
        if "check" in table and not check_message:
            self.report("F002", at, key="check_message", where=where)
        if check_message and "check" not in table:
            self.report(
                "F013",
                (*at, "check_message"),
                where=where,
                detail="'check_message' chỉ dùng cùng với 'check'",
            )
        conditions = {}
        for key in CONDITION_KEYS:
            if key in table:
                conditions[key] = table[key]
        field_id = self.element(field_id, at, FIELD_ID_PATTERN, where)
        field_type = None
        if type_class is not None:
            try:
                field_type = type_class.from_rules(
                    {k: v for k, v in table.items() if k in rule_keys}
                )
            except RuleError as exc:
                self.report("F013", (*at, exc.key), where=where, detail=exc.detail)
        if field_id is None or field_type is None or label is None:
            return None
        values = {
            "id": field_id,
            "label": str(label).strip(),
            "type": field_type,
            "required": bool(required),
            "help": str(help_text).strip(),
            "check_message": str(check_message).strip(),
        }
        return _Pending(at, values, conditions)

    def compile(self, pending: _Pending, types: Mapping[str, FieldType]) -> dict[str, object]:
        compiled: dict[str, object] = {}
        for key, raw in pending.conditions.items():
            try:
                compiled[key] = compile_condition(raw, types)
            except ExpressionError as exc:
                self.report(exc.code, (*pending.at, key, *exc.path), **exc.details)
        return compiled

    # -- criteria sets -------------------------------------------------
    def read_criteria(self, data: Mapping[str, object]) -> dict[str, object]:
        where = "ở đầu tệp"
        scoring = self.choice(data, "scoring", SCORINGS, (), where) or "points"
        points = scoring == "points"
        total = None
        if points:
            total = self.number(data, "total", (), where, required=True, positive=True)
        elif "total" in data:
            self.report(
                "F003",
                ("total",),
                key="total",
                where="trong bộ đạt/không đạt",
                allowed="(bộ đạt/không đạt không có tổng điểm)",
            )
        levels = self.read_levels(data, scoring)
        level_ids = {level.id for level in levels}
        tables = self.get(data, "criteria", "tables", (), where)
        if not tables:
            self.report("F033", ("criteria",) if "criteria" in data else ("kind",))
        criteria = [
            c
            for i, t in enumerate(tables or ())  # type: ignore[arg-type]
            if (c := self.read_criterion(t, ("criteria", i), i, scoring, level_ids)) is not None
        ]
        complete = bool(tables) and len(criteria) == len(tables)  # type: ignore[arg-type]
        if points and total is not None and complete:
            actual = sum((c.max for c in criteria if c.max is not None), Decimal(0))
            if actual != total:
                self.report("F031", ("total",), declared=_n(total), actual=_n(actual))
        pass_rule, variants = self.read_pass(data, scoring, total, criteria)
        if pass_rule is None and not levels and "pass" not in data:
            self.report(
                "F032",
                ("kind",),
                detail="bộ tiêu chí cần bảng [pass] hoặc ít nhất một bảng [[levels]]",
            )
        for index, level in enumerate(levels):
            self.check_rule(level.rule, ("levels", index), total, criteria)
        fields = [
            Field(
                id=line.id,
                label=line.title,
                type=ScoreType(line.max) if points else YesNoType(*PASS_FAIL_LABELS),  # type: ignore[arg-type]
                required=True,
                help=line.help,
                criterion=criterion.id,
            )
            for criterion in criteria
            for line in criterion.scored
        ]
        return {
            "fields": fields,
            "total": total,
            "scoring": scoring,
            "criteria": tuple(criteria),
            "pass_rule": pass_rule,
            "variants": tuple(variants),
            "levels": tuple(levels),
        }

    def read_levels_of(
        self, table: Mapping[str, object], at: KeyPath, where: str, level_ids: set[str]
    ) -> tuple[str, ...]:
        names = self.get(table, "levels", "strings", at, where)
        for name in names or ():  # type: ignore[attr-defined]
            if name not in level_ids:
                known = ", ".join(sorted(level_ids)) or "chưa khai báo [[levels]] nào"
                self.report(
                    "F040", (*at, "levels"), detail=f"'{name}' không phải mức đã khai báo ({known})"
                )
                return ()
        return tuple(names or ())  # type: ignore[arg-type]

    def read_criterion(
        self, table: dict[str, object], at: KeyPath, index: int, scoring: str, level_ids: set[str]
    ) -> Criterion | None:
        raw_id = table.get("id")
        where = (
            f"trong tiêu chí '{raw_id}'"
            if isinstance(raw_id, str)
            else f"trong tiêu chí thứ {index + 1}"
        )
        self.check_keys(table, CRITERION_KEYS[scoring], at, where)
        points = scoring == "points"
        crit_id = self.element(
            self.get(table, "id", "str", at, where, required=True), at, FIELD_ID_PATTERN, where
        )
        title = self.get(table, "title", "str", at, where, required=True)
        maximum = (
            self.number(table, "max", at, where, required=True, positive=True) if points else None
        )
        pass_min = self.number(table, "pass_min", at, where) if points else None
        if pass_min is not None and maximum is not None and pass_min > maximum:
            self.report(
                "F032",
                (*at, "pass_min"),
                detail=f"pass_min {_n(pass_min)} lớn hơn điểm tối đa {_n(maximum)} {where}",
            )
        levels = self.read_levels_of(table, at, where, level_ids)
        tables = self.get(table, "indicators", "tables", at, where)
        indicators = []
        broken = False
        for j, item in enumerate(tables or ()):  # type: ignore[arg-type]
            indicator = self.read_indicator(
                item, (*at, "indicators", j), j, scoring, level_ids, levels
            )
            broken = broken or indicator is None
            if indicator is not None:
                indicators.append(indicator)
        if points and indicators and not broken and maximum is not None:
            actual = sum((i.max for i in indicators), Decimal(0))  # type: ignore[misc]
            if actual != maximum:
                self.report(
                    "F030",
                    (*at, "max"),
                    value=crit_id or raw_id,
                    declared=_n(maximum),
                    actual=_n(actual),
                )
        help_text = str(self.get(table, "help", "str", at, where) or "").strip()
        if crit_id is None or title is None or broken or (points and maximum is None):
            return None
        return Criterion(
            crit_id, str(title).strip(), maximum, tuple(indicators), pass_min, levels, help_text
        )

    def read_indicator(
        self,
        table: dict[str, object],
        at: KeyPath,
        index: int,
        scoring: str,
        level_ids: set[str],
        inherited: tuple[str, ...],
    ) -> Indicator | None:
        raw_id = table.get("id")
        where = (
            f"trong chỉ số '{raw_id}'"
            if isinstance(raw_id, str)
            else f"trong chỉ số thứ {index + 1}"
        )
        self.check_keys(table, INDICATOR_KEYS[scoring], at, where)
        ind_id = self.element(
            self.get(table, "id", "str", at, where, required=True), at, FIELD_ID_PATTERN, where
        )
        title = self.get(table, "title", "str", at, where, required=True)
        maximum = None
        if scoring == "points":
            maximum = self.number(table, "max", at, where, required=True, positive=True)
        levels = self.read_levels_of(table, at, where, level_ids) or inherited
        help_text = str(self.get(table, "help", "str", at, where) or "").strip()
        if ind_id is None or title is None or (scoring == "points" and maximum is None):
            return None
        return Indicator(ind_id, str(title).strip(), maximum, levels, help_text)

    def read_rule(
        self, table: Mapping[str, object], at: KeyPath, where: str, scoring: str
    ) -> dict[str, object]:
        given: dict[str, object] = {}
        if scoring == "points":
            for key in RULE_KEYS["points"]:
                value = self.number(table, key, at, where)
                if value is not None:
                    given[key] = value
        else:
            flag = self.get(table, "all_indicators", "bool", at, where)
            if flag is not None:
                given["all_indicators"] = flag
            count = self.get(table, "min_passed", "int", at, where)
            if count is not None:
                given["min_passed"] = count
        return given

    def read_pass(
        self,
        data: Mapping[str, object],
        scoring: str,
        total: Decimal | None,
        criteria: list[Criterion],
    ) -> tuple[PassRule | None, list[Variant]]:
        table = self.get(data, "pass", "table", (), "ở đầu tệp")
        if table is None:
            return None, []
        where = "trong bảng [pass]"
        self.check_keys(table, (*RULE_KEYS[scoring], "variants"), ("pass",), where)  # type: ignore[arg-type]
        rule = PassRule(**self.read_rule(table, ("pass",), where, scoring))  # type: ignore[arg-type]
        self.check_rule(rule, ("pass",), total, criteria)
        variants = []
        registry: dict[str, KeyPath] = {}
        tables = self.get(table, "variants", "tables", ("pass",), where)  # type: ignore[arg-type]
        for index, item in enumerate(tables or ()):  # type: ignore[arg-type]
            at = ("pass", "variants", index)
            v_where = f"trong phương án thứ {index + 1} của [pass]"
            self.check_keys(item, ("id", "title", *RULE_KEYS[scoring]), at, v_where)
            v_id = self.element(
                self.get(item, "id", "str", at, v_where, required=True),
                at,
                ID_PATTERN,
                v_where,
                registry,
            )
            v_title = self.get(item, "title", "str", at, v_where, required=True)
            v_rule = replace(rule, **self.read_rule(item, at, v_where, scoring))  # type: ignore[arg-type]
            self.check_rule(v_rule, at, total, criteria)
            if v_id is not None and v_title is not None:
                variants.append(Variant(v_id, str(v_title).strip(), v_rule))
        return rule, variants

    def read_levels(self, data: Mapping[str, object], scoring: str) -> list[Level]:
        tables = self.get(data, "levels", "tables", (), "ở đầu tệp")
        levels = []
        registry: dict[str, KeyPath] = {}
        for index, table in enumerate(tables or ()):  # type: ignore[arg-type]
            at = ("levels", index)
            where = f"trong mức thứ {index + 1}"
            self.check_keys(table, ("id", "title", *RULE_KEYS[scoring]), at, where)
            level_id = self.element(
                self.get(table, "id", "str", at, where, required=True),
                at,
                ID_PATTERN,
                where,
                registry,
            )
            title = self.get(table, "title", "str", at, where, required=True)
            rule = PassRule(**self.read_rule(table, at, where, scoring))  # type: ignore[arg-type]
            if level_id is not None and title is not None:
                levels.append(Level(level_id, str(title).strip(), rule))
        return levels

    def check_rule(
        self, rule: PassRule, at: KeyPath, total: Decimal | None, criteria: list[Criterion]
    ) -> None:
        if rule == PassRule():
            self.report(
                "F032",
                at,
                detail="quy tắc không có điều kiện nào (ví dụ min_total = 80 "
                "hoặc all_indicators = true)",
            )
            return
        lines = [line for c in criteria for line in c.scored]
        if rule.min_total is not None and total is not None and rule.min_total > total:
            self.report(
                "F032",
                (*at, "min_total"),
                detail=f"min_total {_n(rule.min_total)} lớn hơn tổng điểm {_n(total)}",
            )
        smallest = min((line.max for line in lines if line.max is not None), default=None)
        if (
            rule.min_per_indicator is not None
            and smallest is not None
            and rule.min_per_indicator > smallest
        ):
            self.report(
                "F032",
                (*at, "min_per_indicator"),
                detail=f"min_per_indicator {_n(rule.min_per_indicator)} lớn hơn điểm tối đa "
                f"của một chỉ số ({_n(smallest)})",
            )
        least = min((c.max for c in criteria if c.max is not None), default=None)
        if (
            rule.min_per_criterion is not None
            and least is not None
            and rule.min_per_criterion > least
        ):
            self.report(
                "F032",
                (*at, "min_per_criterion"),
                detail=f"min_per_criterion {_n(rule.min_per_criterion)} lớn hơn điểm tối đa "
                f"của một tiêu chí ({_n(least)})",
            )
        if rule.min_passed is not None and not 0 < rule.min_passed <= len(lines):
            self.report(
                "F032",
                (*at, "min_passed"),
                detail=f"min_passed phải từ 1 đến số chỉ tiêu ({len(lines)})",
            )


def _n(number: Decimal) -> str:
    return format_number(number)


def load_text(
    text: str, path: Path | None = None
) -> tuple[Definition | None, list[DefinitionProblem]]:
    """Load one definition from its TOML text.

    Returns:
        The definition (``None`` when the text has any problem) and the problems.
    """
    reader = _Reader(text, path)
    definition = reader.read()
    return definition, sorted(reader.problems, key=lambda p: p.line or 0)


def load_file(path: Path) -> tuple[Definition | None, list[DefinitionProblem]]:
    """Load one definition file; an unreadable file is a problem (F008), not a crash."""
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [problem("F008", path, None, detail=str(exc))]
    return load_text(text.removeprefix("\ufeff"), path)


class Definitions:
    """The loaded definitions, found by id and version.

    Iterating yields every definition (every version), in load order.
    """

    def __init__(self, items: Iterable[Definition] = ()) -> None:
        self._items: dict[DefinitionKey, Definition] = {d.key: d for d in items}

    def __iter__(self) -> Iterator[Definition]:
        return iter(self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def get(self, definition_id: str, version: int | None = None) -> Definition | None:
        """The definition ``definition_id`` at ``version``, or its latest version."""
        if version is not None:
            return self._items.get(DefinitionKey(definition_id, version))
        found = [d for d in self._items.values() if d.id == definition_id]
        return max(found, key=lambda d: d.version) if found else None

    def latest(self, kind: str | None = None, model: str | None = None) -> list[Definition]:
        """The latest version of each definition, optionally of one kind or model."""
        latest: dict[str, Definition] = {}
        for item in self._items.values():
            wanted = (kind is None or item.kind == kind) and (model is None or item.model == model)
            newer = item.id not in latest or item.version > latest[item.id].version
            if wanted and newer:
                latest[item.id] = item
        return list(latest.values())


USER_FORMS_FOLDER = "forms"


def definition_roots(data_dir: Path | None = None) -> tuple[Path, ...]:
    """Where definitions load from: the shipped ``forms/``, then the user's copies.

    Args:
        data_dir: The user's data folder; its ``forms/`` subfolder holds the
            copies a commune or province adapted.
    """
    from xhht_desktop.resources import forms_dir

    shipped = forms_dir()
    return (shipped,) if data_dir is None else (shipped, data_dir / USER_FORMS_FOLDER)


# The subfolders of a root that hold definitions, one per kind. Other folders
# of forms/ (plan presets) hold other data with their own loaders.
DEFINITION_FOLDERS: tuple[str, ...] = ("criteria", "aggregates", "forms")


def definition_files(root: Path) -> list[Path]:
    """Every ``*.toml`` in the definition subfolders of ``root``, in a stable order."""
    found: list[Path] = []
    for folder in DEFINITION_FOLDERS:
        if (root / folder).is_dir():
            found += sorted(p for p in (root / folder).rglob("*.toml") if p.is_file())
    return found


def load_definitions(*roots: Path) -> tuple[Definitions, list[DefinitionProblem]]:
    """Load every definition under ``roots``, in order (shipped first, then the user's).

    Args:
        roots: Folders to read; a folder that does not exist is skipped. With
            none, the shipped ``forms/`` folder.

    Returns:
        The definitions that loaded and every problem found. Two files with
        the same id and version are a problem (F007); the later one is left out.
    """
    if not roots:
        roots = definition_roots()
    loaded: list[Definition] = []
    problems: list[DefinitionProblem] = []
    seen: dict[DefinitionKey, Definition] = {}
    for root in roots:
        for path in definition_files(root):
            definition, found = load_file(path)
            problems += found
            if definition is None:
                continue
            if definition.key in seen:
                line = SourceMap(definition.text).line_of(("id",))
                problems.append(
                    problem(
                        "F007",
                        path,
                        line,
                        id=definition.id,
                        version=definition.version,
                        other=seen[definition.key].path,
                    )
                )
                continue
            seen[definition.key] = definition
            loaded.append(definition)
    return Definitions(loaded), problems
