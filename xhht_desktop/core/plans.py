"""Plans as data: the targets a document sets, loaded strictly, and their check.

A plan is a TOML file (``forms/plans/*.toml`` for the presets, the user's
``forms/plans/`` in the data folder for the plans a commune edits)::

    # Kế hoạch 138/KH-UBND ngày 15/6/2020 của UBND huyện Đăk Song …
    id = "dak-song-138-2020"
    version = 1
    title = "Kế hoạch 138/KH-UBND của UBND huyện Đăk Song (2020)"
    summary = "Tăng cường tuyên truyền công tác khuyến học, …"   # optional
    number = "138/KH-UBND"        # optional: the document's number
    date = 2020-06-15             # optional: the document's date
    issuer = "UBND huyện Đăk Song" # optional: who issued it
    source = "…"                  # optional: what it implements
    note = "…"                    # optional
    copied_from = "…"             # set by copies: the original's id@version

    [[targets]]
    indicator = "gdht-dang-ky"    # a code of the indicator registry
    comparison = ">"              # ">=" (or "≥"), ">", "=", "range"
    value = 60                    # percent; the minimum of a range
    stretch = 65                  # range only: the stretch value
    deadline = 2020               # the year the plan sets
    wording = "trên 60% gia đình đăng ký …"   # the plan's own words
    section = "II.2.b"            # optional: where in the document
    note = "…"                    # optional

The loader accepts only what it knows, like the forms engine: each mistake is
a :class:`~xhht_desktop.forms.problems.DefinitionProblem` with a code, a
Vietnamese message and the file and line (generic ones share the forms
engine's codes F001–F008; plan rules have their own, P001–P010). Checking a
plan against a year's indicator values (:func:`evaluate`) gives each target
its status, gap and gap sentence, for the commune and for every village.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any

from xhht_desktop.core import indicators as registry
from xhht_desktop.core import text as vntext
from xhht_desktop.core.indicators import Indicator, IndicatorValue, format_count
from xhht_desktop.core.literacy import percent
from xhht_desktop.core.targets import (
    Comparison,
    Status,
    Target,
    TargetCheck,
    check,
    combine,
    format_percent,
    stretch_gap,
)
from xhht_desktop.errors import FieldIssue
from xhht_desktop.forms.copies import toml_string
from xhht_desktop.forms.loader import ID_PATTERN
from xhht_desktop.forms.locations import KeyPath, SourceMap
from xhht_desktop.forms.problems import DefinitionProblem, problem

EARLIEST_DEADLINE = 1990
LATEST_DEADLINE = 2100
MAX_TEXT = 2000

COMPARISONS: dict[str, Comparison] = {
    ">=": Comparison.AT_LEAST,
    "≥": Comparison.AT_LEAST,
    ">": Comparison.MORE_THAN,
    "=": Comparison.EQUAL,
    "range": Comparison.RANGE,
}
COMPARISON_LABELS: dict[Comparison, str] = {
    Comparison.AT_LEAST: "Từ … trở lên (≥)",
    Comparison.MORE_THAN: "Trên … (>)",
    Comparison.EQUAL: "Đúng bằng (=)",
    Comparison.RANGE: "Khoảng (tối thiểu – phấn đấu)",
}

PLAN_CATALOGUE: dict[str, str] = {
    "P001": "Chỉ số '{value}' không có trong danh mục chỉ số. Hãy dùng một mã trong danh "
    "mục (lệnh 'xhht indicators --list' liệt kê), ví dụ: gdht-dang-ky.",
    "P002": 'Phép so sánh \'{value}\' không có. Hãy dùng comparison = ">=", ">", "=" hoặc "range".',
    "P003": 'Chỉ tiêu dạng khoảng (comparison = "range") cần mức phấn đấu: hãy thêm dòng '
    "stretch = … (ví dụ value = 65, stretch = 70).",
    "P004": "Khóa 'stretch' (mức phấn đấu) chỉ dùng với comparison = \"range\". Hãy xóa "
    "dòng này hoặc đổi phép so sánh.",
    "P005": "Mức phấn đấu {stretch} nhỏ hơn mức tối thiểu {value}. Hãy sửa lại hai số.",
    "P006": "Giá trị chỉ tiêu {value} không hợp lệ: phải là phần trăm từ 0 đến 100.",
    "P007": "Năm {value} không hợp lệ: hãy dùng một năm từ "
    f"{EARLIEST_DEADLINE} đến {LATEST_DEADLINE}.",
    "P008": "Kế hoạch chưa có chỉ tiêu nào. Hãy thêm ít nhất một bảng [[targets]].",
    "P009": "Kế hoạch '{id}' đã có trong tệp {other}. Hãy đổi id của một trong hai tệp.",
    "P010": "Chỉ tiêu của chỉ số '{indicator}' hạn năm {deadline} bị trùng với chỉ tiêu ở "
    "dòng {other}. Hãy xóa một trong hai.",
}

TOP_KEYS = (
    "id",
    "version",
    "title",
    "summary",
    "number",
    "date",
    "issuer",
    "source",
    "note",
    "copied_from",
    "targets",
)
TARGET_KEYS = (
    "indicator",
    "comparison",
    "value",
    "stretch",
    "deadline",
    "wording",
    "section",
    "note",
)


def plan_problem(
    code: str, path: Path | None, line: int | None, **details: object
) -> DefinitionProblem:
    """The plan problem ``code`` (P…) from :data:`PLAN_CATALOGUE`, or a forms-engine one (F…)."""
    if code.startswith("F"):
        return problem(code, path, line, **details)
    return DefinitionProblem(code, PLAN_CATALOGUE[code].format(**details), path, line)


# -- the plan --------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanTarget:
    """One target of a plan.

    Attributes:
        indicator: The indicator code.
        target: The comparison and percentage(s).
        deadline: The year the plan sets for it.
        wording: The plan's own words.
        section: Where in the document (``II.2.b``).
        line: The line of its ``[[targets]]`` table in the file.
    """

    indicator: str
    target: Target
    deadline: int
    wording: str
    section: str = ""
    note: str = ""
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Plan:
    """A plan and its targets, as loaded from its file.

    Attributes:
        preset: Shipped with the app (read-only); a user's plan otherwise.
        text: The file's text (a copy keeps its header comment).
    """

    id: str
    version: int
    title: str
    targets: tuple[PlanTarget, ...]
    summary: str = ""
    number: str = ""
    issued_on: date | None = None
    issuer: str = ""
    source: str = ""
    note: str = ""
    copied_from: str | None = None
    preset: bool = False
    path: Path | None = field(default=None, compare=False)
    text: str = field(default="", compare=False, repr=False)

    @property
    def document(self) -> str:
        """The document as a report cites it: "138/KH-UBND ngày 15/6/2020 của UBND …"."""
        parts = [self.number] if self.number else []
        if self.issued_on is not None:
            d = self.issued_on
            parts.append(f"ngày {d.day}/{d.month}/{d.year}")
        if self.issuer:
            parts.append(f"của {self.issuer}")
        return " ".join(parts) or self.title

    @property
    def indicator_codes(self) -> list[str]:
        return list(dict.fromkeys(t.indicator for t in self.targets))


def header_comment(text: str) -> str:
    """The comment lines at the top of a plan file (what it cites), with their newlines."""
    lines = []
    for line in text.splitlines(keepends=True):
        if not line.lstrip().startswith("#") and line.strip():
            break
        lines.append(line)
    return "".join(lines).rstrip("\n") + "\n" if any(ln.strip() for ln in lines) else ""


# -- the loader ------------------------------------------------------------------------


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"số ({value})"
    if isinstance(value, str):
        return f'chuỗi ("{value}")'
    if isinstance(value, dict):
        return "bảng { … }"
    if isinstance(value, list):
        return "danh sách [ … ]"
    if isinstance(value, date):
        return f"ngày ({value})"
    return type(value).__name__


def _fraction(value: int | float) -> Fraction:
    # A TOML float (98.5) through its shortest text: exactly 98.5, not 98.4999….
    return Fraction(Decimal(str(value)))


class _Reader:
    def __init__(self, text: str, path: Path | None, preset: bool) -> None:
        self.text = text
        self.path = path
        self.preset = preset
        self.map = SourceMap(text)
        self.problems: list[DefinitionProblem] = []

    def report(self, code: str, at: KeyPath, **details: object) -> None:
        self.problems.append(plan_problem(code, self.path, self.map.line_of(at), **details))

    def get(
        self,
        table: Mapping[str, object],
        key: str,
        types: type | tuple[type, ...],
        expected: str,
        at: KeyPath,
        where: str,
        required: bool = False,
    ) -> Any:
        if key not in table:
            if required:
                self.report("F002", at, key=key, where=where)
            return None
        value = table[key]
        wrong = not isinstance(value, types) or (
            isinstance(value, bool)
            and bool not in (types if isinstance(types, tuple) else (types,))
        )
        if not wrong and isinstance(value, str):
            wrong = (required and not value.strip()) or len(value) > MAX_TEXT
        if wrong:
            self.report(
                "F004", (*at, key), key=key, where=where, expected=expected, actual=_describe(value)
            )
            return None
        return value

    def text_value(self, table: Mapping[str, object], key: str, at: KeyPath, where: str) -> str:
        found = self.get(table, key, str, "một chuỗi trong dấu ngoặc kép", at, where)
        return vntext.clean(found) if found else ""

    def check_keys(
        self, table: Mapping[str, object], allowed: Sequence[str], at: KeyPath, where: str
    ) -> None:
        for key in table:
            if key not in allowed:
                self.report("F003", (*at, key), key=key, where=where, allowed=", ".join(allowed))

    def read(self) -> Plan | None:
        try:
            data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            message = str(exc)
            line = None
            if "(at line " in message:
                line = int(message.rsplit("(at line ", 1)[1].split(",", 1)[0])
                message = message.rsplit(" (at line ", 1)[0]
            self.problems.append(plan_problem("F001", self.path, line, detail=message))
            return None
        where = "ở đầu tệp"
        self.check_keys(data, TOP_KEYS, (), where)
        plan_id = self.get(data, "id", str, "một chuỗi trong dấu ngoặc kép", (), where, True)
        if isinstance(plan_id, str) and not ID_PATTERN.match(plan_id):
            self.report("F006", ("id",), value=plan_id, where=where)
        version = self.get(data, "version", int, "một số nguyên từ 1 trở lên", (), where, True)
        if isinstance(version, int) and version < 1:
            self.report(
                "F004",
                ("version",),
                key="version",
                where=where,
                expected="một số nguyên từ 1 trở lên",
                actual=_describe(version),
            )
        title = self.get(data, "title", str, "một chuỗi trong dấu ngoặc kép", (), where, True)
        issued_on = self.get(data, "date", date, "một ngày, ví dụ 2020-06-15", (), where)
        if isinstance(issued_on, datetime):
            self.report(
                "F004",
                ("date",),
                key="date",
                where=where,
                expected="một ngày, ví dụ 2020-06-15",
                actual=_describe(issued_on),
            )
        texts = {k: self.text_value(data, k, (), where) for k in ("summary", "number", "issuer")}
        texts |= {k: self.text_value(data, k, (), where) for k in ("source", "note")}
        copied_from = self.text_value(data, "copied_from", (), where) or None
        targets = self.read_targets(data)
        if self.problems:
            return None
        return Plan(
            id=str(plan_id),
            version=int(version),
            title=vntext.clean(str(title)),
            targets=tuple(targets),
            issued_on=issued_on,
            copied_from=copied_from,
            preset=self.preset,
            path=self.path,
            text=self.text,
            **texts,
        )

    def read_targets(self, data: Mapping[str, object]) -> list[PlanTarget]:
        tables = self.get(
            data, "targets", list, "một danh sách bảng [[targets]]", (), "ở đầu tệp", True
        )
        if tables is None:
            return []
        if not tables:
            self.report("P008", ("targets",))
            return []
        targets: list[PlanTarget] = []
        seen: dict[tuple[str, int], int] = {}
        for index, table in enumerate(tables):
            at: KeyPath = ("targets", index)
            if not isinstance(table, dict):
                self.report(
                    "F004",
                    ("targets",),
                    key="targets",
                    where="ở đầu tệp",
                    expected="một danh sách bảng [[targets]]",
                    actual=_describe(table),
                )
                continue
            read = self.read_target(table, at, index)
            if read is None:
                continue
            key = (read.indicator, read.deadline)
            line = self.map.line_of(at)
            if key in seen:
                self.report(
                    "P010", at, indicator=read.indicator, deadline=read.deadline, other=seen[key]
                )
                continue
            seen[key] = line
            targets.append(replace(read, line=line))
        return targets

    def read_target(self, table: dict[str, object], at: KeyPath, index: int) -> PlanTarget | None:
        where = f"trong chỉ tiêu thứ {index + 1}"
        before = len(self.problems)
        self.check_keys(table, TARGET_KEYS, at, where)
        code = self.get(table, "indicator", str, "một mã chỉ số", at, where, True)
        if isinstance(code, str) and code not in registry.REGISTRY:
            self.report("P001", (*at, "indicator"), value=code)
        name = self.get(table, "comparison", str, "một chuỗi", at, where, True)
        comparison = COMPARISONS.get(name) if isinstance(name, str) else None
        if isinstance(name, str) and comparison is None:
            self.report("P002", (*at, "comparison"), value=name)
        value = self.percent(table, "value", at, where, required=True)
        stretch = self.percent(table, "stretch", at, where, required=False)
        if comparison is Comparison.RANGE and "stretch" not in table:
            self.report("P003", at)
        if comparison is not None and comparison is not Comparison.RANGE and "stretch" in table:
            self.report("P004", (*at, "stretch"))
        if value is not None and stretch is not None and stretch < value:
            self.report(
                "P005",
                (*at, "stretch"),
                stretch=format_percent(stretch),
                value=format_percent(value),
            )
        deadline = self.get(table, "deadline", int, "một năm (số nguyên)", at, where, True)
        if isinstance(deadline, int) and not EARLIEST_DEADLINE <= deadline <= LATEST_DEADLINE:
            self.report("P007", (*at, "deadline"), value=deadline)
        wording = self.get(table, "wording", str, "lời văn của kế hoạch", at, where, True)
        section = self.text_value(table, "section", at, where)
        note = self.text_value(table, "note", at, where)
        if len(self.problems) > before or comparison is None or value is None:
            return None
        return PlanTarget(
            indicator=str(code),
            target=Target(comparison, value, stretch if comparison is Comparison.RANGE else None),
            deadline=int(deadline),
            wording=vntext.clean(str(wording)),
            section=section,
            note=note,
        )

    def percent(
        self, table: Mapping[str, object], key: str, at: KeyPath, where: str, required: bool
    ) -> Fraction | None:
        found = self.get(table, key, (int, float), "một số phần trăm", at, where, required)
        if found is None:
            return None
        value = _fraction(found)
        if not 0 <= value <= 100:
            self.report("P006", (*at, key), value=found)
            return None
        return value


def load_plan_text(
    text: str, path: Path | None = None, *, preset: bool = False
) -> tuple[Plan | None, list[DefinitionProblem]]:
    """Load one plan from its TOML text.

    Returns:
        The plan (``None`` when the text has any problem) and the problems, by line.
    """
    reader = _Reader(text, path, preset)
    plan = reader.read()
    return plan, sorted(reader.problems, key=lambda p: p.line or 0)


def load_plan_file(
    path: Path, *, preset: bool = False
) -> tuple[Plan | None, list[DefinitionProblem]]:
    """Load one plan file; an unreadable file is a problem (F008), not a crash."""
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [plan_problem("F008", path, None, detail=str(exc))]
    return load_plan_text(text.removeprefix("\ufeff"), path, preset=preset)


def plan_files(folder: Path) -> list[Path]:
    """The ``*.toml`` files of a plans folder, in a stable order (none if it does not exist)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.toml") if p.is_file())


def load_plans(
    presets: Path, user: Path | None = None
) -> tuple[list[Plan], list[DefinitionProblem]]:
    """Load the preset plans, then the user's; a plan id used twice is a problem (P009).

    Args:
        presets: The shipped ``forms/plans`` folder (read-only plans).
        user: The user's plans folder, if any.

    Returns:
        The plans that loaded (presets first, each folder by file name) and
        every problem found; the later file of a duplicate id is left out.
    """
    plans: list[Plan] = []
    problems: list[DefinitionProblem] = []
    seen: dict[str, Plan] = {}
    folders = [(presets, True)] + ([(user, False)] if user is not None else [])
    for folder, preset in folders:
        for path in plan_files(folder):
            plan, found = load_plan_file(path, preset=preset)
            problems += found
            if plan is None:
                continue
            if plan.id in seen:
                line = SourceMap(plan.text).line_of(("id",))
                problems.append(
                    plan_problem("P009", path, line, id=plan.id, other=seen[plan.id].path)
                )
                continue
            seen[plan.id] = plan
            plans.append(plan)
    return plans, problems


# -- drafts: what the plan editor sends ---------------------------------------------------


@dataclass(frozen=True)
class TargetDraft:
    """One target row as the plan editor holds it (numbers may be text: "98,5")."""

    indicator: str
    comparison: str
    value: object
    deadline: object
    stretch: object = None
    wording: str = ""
    section: str = ""
    note: str = ""


@dataclass(frozen=True)
class PlanDraft:
    """A plan as the editor holds it."""

    id: str
    title: str
    targets: tuple[TargetDraft, ...]
    summary: str = ""
    number: str = ""
    issued_on: date | None = None
    issuer: str = ""
    source: str = ""
    note: str = ""
    copied_from: str | None = None


def draft_of(plan: Plan) -> PlanDraft:
    """The editor's draft of ``plan`` (numbers as Vietnamese text: "98,5")."""
    return PlanDraft(
        id=plan.id,
        title=plan.title,
        summary=plan.summary,
        number=plan.number,
        issued_on=plan.issued_on,
        issuer=plan.issuer,
        source=plan.source,
        note=plan.note,
        copied_from=plan.copied_from,
        targets=tuple(
            TargetDraft(
                indicator=t.indicator,
                comparison=_comparison_key(t.target.comparison),
                value=format_percent(t.target.value, places=4),
                stretch=(
                    format_percent(t.target.stretch, places=4)
                    if t.target.stretch is not None
                    else None
                ),
                deadline=t.deadline,
                wording=t.wording,
                section=t.section,
                note=t.note,
            )
            for t in plan.targets
        ),
    )


def _comparison_key(comparison: Comparison) -> str:
    return comparison.value


def parse_percent(value: object) -> Fraction:
    """A percentage as typed: 95, 98.5, "98,5", "98,5%".

    Raises:
        ValueError: with a Vietnamese message.
    """
    if isinstance(value, bool):
        raise ValueError("Hãy nhập một số phần trăm.")
    if isinstance(value, Fraction | int):
        number = Fraction(value)
    elif isinstance(value, float | Decimal):
        number = Fraction(Decimal(str(value)))
    elif isinstance(value, str):
        text = value.strip().removesuffix("%").strip().replace(",", ".")
        try:
            decimal = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"«{value}» không phải là số phần trăm (ví dụ 98,5).") from None
        if not decimal.is_finite():
            raise ValueError(f"«{value}» không phải là số phần trăm (ví dụ 98,5).")
        number = Fraction(decimal)
    else:
        raise ValueError("Hãy nhập một số phần trăm.")
    if not 0 <= number <= 100:
        raise ValueError("Phần trăm phải từ 0 đến 100.")
    return number


def _year(value: object) -> int:
    if isinstance(value, bool):
        raise ValueError("Hãy nhập năm.")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int):
        raise ValueError("Hãy nhập năm (ví dụ 2025).")
    if not EARLIEST_DEADLINE <= value <= LATEST_DEADLINE:
        raise ValueError(f"Năm phải từ {EARLIEST_DEADLINE} đến {LATEST_DEADLINE}.")
    return value


def check_draft(draft: PlanDraft, *, version: int = 1) -> tuple[Plan | None, list[FieldIssue]]:
    """Validate an edited plan; every problem names its field and target row (1-based).

    An empty wording takes the indicator's label.

    Returns:
        The plan (``None`` when anything is wrong) and the problems.
    """
    issues: list[FieldIssue] = []
    plan_id = draft.id.strip()
    if not ID_PATTERN.match(plan_id):
        issues.append(
            FieldIssue(
                "id",
                "Mã kế hoạch chỉ dùng chữ thường không dấu, chữ số, '_' hoặc '-', bắt đầu "
                "bằng chữ (ví dụ: ke-hoach-xa-2025).",
            )
        )
    title = vntext.clean(draft.title)
    if not title:
        issues.append(FieldIssue("title", "Hãy đặt tên cho kế hoạch."))
    texts = {
        "summary": draft.summary,
        "number": draft.number,
        "issuer": draft.issuer,
        "source": draft.source,
        "note": draft.note,
    }
    for key, text in {"title": draft.title, **texts}.items():
        if len(vntext.clean(text)) > MAX_TEXT:
            issues.append(FieldIssue(key, f"Dài quá {MAX_TEXT} ký tự."))
    if not draft.targets:
        issues.append(FieldIssue("targets", "Kế hoạch cần ít nhất một chỉ tiêu."))
    targets: list[PlanTarget] = []
    seen: dict[tuple[str, int], int] = {}
    for row, item in enumerate(draft.targets, start=1):
        before = len(issues)
        found = registry.REGISTRY.get(item.indicator)
        if found is None:
            issues.append(FieldIssue("indicator", "Hãy chọn một chỉ số trong danh mục.", row))
        comparison = COMPARISONS.get(item.comparison)
        if comparison is None:
            issues.append(
                FieldIssue("comparison", "Hãy chọn phép so sánh: ≥, >, = hoặc khoảng.", row)
            )
        value = stretch = None
        try:
            value = parse_percent(item.value)
        except ValueError as exc:
            issues.append(FieldIssue("value", str(exc), row))
        has_stretch = item.stretch is not None and str(item.stretch).strip() != ""
        if comparison is Comparison.RANGE:
            if not has_stretch:
                issues.append(FieldIssue("stretch", "Chỉ tiêu dạng khoảng cần mức phấn đấu.", row))
            else:
                try:
                    stretch = parse_percent(item.stretch)
                except ValueError as exc:
                    issues.append(FieldIssue("stretch", str(exc), row))
            if value is not None and stretch is not None and stretch < value:
                issues.append(
                    FieldIssue("stretch", "Mức phấn đấu không được nhỏ hơn mức tối thiểu.", row)
                )
        elif has_stretch and comparison is not None:
            issues.append(
                FieldIssue("stretch", "Chỉ chỉ tiêu dạng khoảng mới có mức phấn đấu.", row)
            )
        deadline = None
        try:
            deadline = _year(item.deadline)
        except ValueError as exc:
            issues.append(FieldIssue("deadline", str(exc), row))
        wording = vntext.clean(item.wording) or (found.label if found is not None else "")
        for key, text in (("wording", wording), ("section", item.section), ("note", item.note)):
            if len(vntext.clean(text)) > MAX_TEXT:
                issues.append(FieldIssue(key, f"Dài quá {MAX_TEXT} ký tự.", row))
        if len(issues) > before:
            continue
        assert comparison is not None and value is not None and deadline is not None
        key = (item.indicator, deadline)
        if key in seen:
            issues.append(
                FieldIssue(
                    "indicator",
                    f"Trùng với chỉ tiêu ở dòng {seen[key]} (cùng chỉ số, cùng năm).",
                    row,
                )
            )
            continue
        seen[key] = row
        targets.append(
            PlanTarget(
                indicator=item.indicator,
                target=Target(comparison, value, stretch),
                deadline=deadline,
                wording=wording,
                section=vntext.clean(item.section),
                note=vntext.clean(item.note),
            )
        )
    if issues:
        return None, issues
    plan = Plan(
        id=plan_id,
        version=version,
        title=title,
        targets=tuple(targets),
        issued_on=draft.issued_on,
        copied_from=draft.copied_from,
        **{k: vntext.clean(v) for k, v in texts.items()},
    )
    return plan, []


# -- writing a plan back --------------------------------------------------------------------


def _number(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    decimal = Decimal(value.numerator) / Decimal(value.denominator)
    return format(decimal.normalize(), "f")


def plan_to_toml(plan: Plan, header: str = "") -> str:
    """The TOML text of ``plan``, after ``header`` (comment lines citing the document)."""
    lines = [header.rstrip("\n")] if header.strip() else []
    lines += [
        f"id = {toml_string(plan.id)}",
        f"version = {plan.version}",
        f"title = {toml_string(plan.title)}",
    ]
    if plan.copied_from:
        lines.append(f"copied_from = {toml_string(plan.copied_from)}")
    for key in ("summary", "number"):
        if getattr(plan, key):
            lines.append(f"{key} = {toml_string(getattr(plan, key))}")
    if plan.issued_on is not None:
        lines.append(f"date = {plan.issued_on.isoformat()}")
    for key in ("issuer", "source", "note"):
        if getattr(plan, key):
            lines.append(f"{key} = {toml_string(getattr(plan, key))}")
    for target in plan.targets:
        lines += [
            "",
            "[[targets]]",
            f"indicator = {toml_string(target.indicator)}",
            f"comparison = {toml_string(target.target.comparison.value)}",
            f"value = {_number(target.target.value)}",
        ]
        if target.target.stretch is not None:
            lines.append(f"stretch = {_number(target.target.stretch)}")
        lines += [f"deadline = {target.deadline}", f"wording = {toml_string(target.wording)}"]
        if target.section:
            lines.append(f"section = {toml_string(target.section)}")
        if target.note:
            lines.append(f"note = {toml_string(target.note)}")
    return "\n".join(lines) + "\n"


# -- the target check -----------------------------------------------------------------------


def gap_text(indicator: Indicator, target: Target, result: TargetCheck) -> str:
    """The check in words: "cần thêm 37 hộ đăng ký Gia đình học tập", "đã đạt"…"""
    status = result.status
    if status is Status.NO_DATA:
        if indicator.source == "aggregate":
            return "chưa nhập số liệu"
        return f"chưa có số liệu: {indicator.denominator_label.lower()} bằng 0"
    if status is Status.NOT_MET:
        if result.gap is None:
            return f"chưa đúng bằng chỉ tiêu {target.describe()}"
        return f"cần thêm {format_count(result.gap)} {indicator.gap_phrase}"
    if status is Status.WITHIN_RANGE:
        more = stretch_gap(target, result.numerator, result.denominator)
        return (
            f"đã đạt mức tối thiểu; cần thêm {format_count(more or 0)} {indicator.gap_phrase} "
            f"để đạt mức phấn đấu {format_percent(target.stretch)}%"
        )
    if status is Status.ABOVE_STRETCH:
        return "đã vượt mức phấn đấu"
    return "đã đạt"


@dataclass(frozen=True)
class VillageCheck:
    """A village-scope target checked for one village."""

    village_id: str | None
    village_name: str
    check: TargetCheck
    gap_text: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "village_id": self.village_id,
            "village": self.village_name,
            **_figures(self.check),
            "status": self.check.status.value,
            "gap": self.check.gap,
            "gap_text": self.gap_text,
        }


def _figures(result: TargetCheck) -> dict[str, Any]:
    value = None
    if result.numerator is not None and result.denominator:
        value = percent(result.numerator, result.denominator)
    return {
        "numerator": result.numerator,
        "denominator": result.denominator,
        "value": value,
    }


def _json_number(value: Fraction | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value.denominator == 1 else float(value)


@dataclass(frozen=True)
class TargetRow:
    """One target of a plan checked for a year.

    Attributes:
        position: 1-based position of the target in the plan.
        check: For the commune (the office, for an office-scope indicator).
        villages: For a village-scope indicator, one check per village.
        parts: For a composite indicator, each part against the same target.
    """

    position: int
    target: PlanTarget
    indicator: Indicator
    value: IndicatorValue
    check: TargetCheck
    gap_text: str
    villages: tuple[VillageCheck, ...] = ()
    parts: tuple[TargetRow, ...] = ()

    @property
    def stretch_gap(self) -> int | None:
        return stretch_gap(self.target.target, self.check.numerator, self.check.denominator)

    def village(self, village_id: str | None) -> VillageCheck | None:
        return next((v for v in self.villages if v.village_id == village_id), None)

    def as_dict(self, village_id: str | None = None) -> dict[str, Any]:
        """The row as ``xhht indicators --json`` prints it (for one village if given)."""
        target = self.target.target
        result, text = self.check, self.gap_text
        if village_id is not None:
            found = self.village(village_id)
            if found is not None:
                result, text = found.check, found.gap_text
        data: dict[str, Any] = {
            "code": self.indicator.code,
            "label": self.indicator.label,
            **_figures(result),
            "target": _json_number(target.value),
            "comparison": target.comparison.value,
            "status": result.status.value,
            "gap": result.gap,
            "stretch": _json_number(target.stretch),
            "deadline": self.target.deadline,
            "wording": self.target.wording,
            "gap_text": text,
            "status_label": result.status.label,
            "position": self.position,
            "unit": self.indicator.unit,
            "scope": self.indicator.scope,
            "source": self.indicator.source,
            "group": self.indicator.group,
        }
        if village_id is None and self.villages:
            data["villages"] = [v.as_dict() for v in self.villages]
        if self.parts:
            data["parts"] = [p.as_dict(village_id) for p in self.parts]
        return data


@dataclass(frozen=True)
class VillageRank:
    """How many of a plan's village-scope targets a village reaches."""

    village_id: str | None
    village_name: str
    reached: int
    checked: int
    """Targets with data for this village."""


@dataclass(frozen=True)
class PlanEvaluation:
    """A plan checked against the indicator values of one year."""

    year: int
    plan: Plan
    rows: tuple[TargetRow, ...]
    values: Mapping[str, IndicatorValue] = field(repr=False)

    def summary(self) -> dict[Status, int]:
        """How many targets have each status (every status present, maybe 0)."""
        counts = dict.fromkeys(Status, 0)
        for row in self.rows:
            counts[row.check.status] += 1
        return counts

    def rows_of_group(self, group: str) -> list[TargetRow]:
        return [row for row in self.rows if row.indicator.group == group]

    def village_ranking(self) -> list[VillageRank]:
        """Villages by the share of village-scope targets they reach, best first."""
        tallies: dict[str | None, list[Any]] = {}
        order: list[str | None] = []
        for row in self.rows:
            for village in row.villages:
                if village.village_id not in tallies:
                    tallies[village.village_id] = [village.village_name, 0, 0]
                    order.append(village.village_id)
                if village.check.status is not Status.NO_DATA:
                    tallies[village.village_id][2] += 1
                    tallies[village.village_id][1] += village.check.status.reached
        ranks = [VillageRank(vid, *tallies[vid]) for vid in order]

        def rank(item: VillageRank) -> tuple[bool, Fraction, int]:
            share = Fraction(item.reached, item.checked) if item.checked else Fraction(0)
            return (not item.checked, -share, order.index(item.village_id))

        return sorted(ranks, key=rank)

    def as_dict(self, village_id: str | None = None) -> dict[str, Any]:
        """The evaluation as ``xhht indicators --json`` prints it.

        ``{"year", "plan", "targets": [...]}``; with ``village_id``, only the
        village-scope targets, with that village's figures, and a
        ``"village"`` key naming it.
        """
        rows = self.rows
        data: dict[str, Any] = {"year": self.year, "plan": self.plan.id}
        if village_id is not None:
            rows = tuple(r for r in rows if r.indicator.by_village)
            name = next(
                (v.village_name for r in rows for v in r.villages if v.village_id == village_id),
                None,
            )
            data["village"] = {"id": village_id, "name": name}
        data["targets"] = [row.as_dict(village_id) for row in rows]
        return data


def _row(
    position: int,
    target: PlanTarget,
    indicator: Indicator,
    value: IndicatorValue,
) -> TargetRow:
    if value.parts:
        parts = tuple(
            _row(position, target, registry.indicator(part.code), part) for part in value.parts
        )
        result = combine([p.check for p in parts])
        texts = [
            p.gap_text
            if p.check.status is not Status.NO_DATA
            else f"{p.indicator.label}: {p.gap_text}"
            for p in parts
            if not p.check.status.reached
        ]
        text = "; ".join(texts) if texts else gap_text(indicator, target.target, result)
        return TargetRow(position, target, indicator, value, result, text, (), parts)
    result = check(target.target, value.numerator, value.denominator)
    villages = tuple(
        VillageCheck(
            v.village_id,
            v.village_name,
            village_check := check(target.target, v.numerator, v.denominator),
            gap_text(indicator, target.target, village_check),
        )
        for v in value.by_village
    )
    return TargetRow(
        position,
        target,
        indicator,
        value,
        result,
        gap_text(indicator, target.target, result),
        villages,
    )


def evaluate(plan: Plan, values: Mapping[str, IndicatorValue], year: int) -> PlanEvaluation:
    """Check every target of ``plan`` against ``values`` (from :func:`indicators.compute_all`).

    Raises:
        KeyError: a target's indicator has no value in ``values``.
    """
    rows = tuple(
        _row(position, target, registry.indicator(target.indicator), values[target.indicator])
        for position, target in enumerate(plan.targets, start=1)
    )
    return PlanEvaluation(year, plan, rows, values)


def indicator_choices(codes: Iterable[str] | None = None) -> list[Indicator]:
    """Indicators in display order (by group), for the plan editor's picker."""
    wanted = set(registry.REGISTRY if codes is None else codes)
    order = list(registry.GROUPS)
    return sorted(
        (i for i in registry.REGISTRY.values() if i.code in wanted),
        key=lambda i: order.index(i.group),
    )
