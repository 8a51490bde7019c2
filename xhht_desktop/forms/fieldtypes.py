"""Field types: one object per type that parses text, formats and validates.

Each field of a definition gets an instance of its type, built from the
field's rules (``min``, ``max``, ``pattern``, ``choices`` …). The instance
is all the UI, the importer and the validator need to know about values:

- :meth:`FieldType.parse` turns what a person typed into a value (or
  ``None`` for nothing) and raises :class:`InvalidValue` with a Vietnamese
  message when it cannot;
- :meth:`FieldType.format` turns a value back into text;
- :meth:`FieldType.coerce` accepts a value already typed (``int``,
  ``Decimal``, ``date``, ``bool``, a tuple of choices) or text;
- :meth:`FieldType.check` says what is wrong with a value under the rules.

Numbers: officials write decimals with a comma ("7,5") and Excel in an
English locale gives a dot ("7.5"); decimal and score fields accept either,
as the decimal separator, and never a thousands separator, so "1.500" in a
score field is one and a half. Integer fields have no decimals, so there a
dot or space between groups of three digits ("12.345") is read as grouping.
Decimals are always formatted with a comma.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import ClassVar

from xhht_desktop.core import text as vntext

REFERENCE_TARGETS: dict[str, str] = {
    "household": "hộ gia đình",
    "clan": "dòng họ",
    "village": "thôn/tổ dân phố",
    "unit": "đơn vị",
    "person": "nhân khẩu",
}

_INTEGER = re.compile(r"^[+-]?\d+$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:[. ]\d{3})+$")
_DECIMAL = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_DATE_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_YES = frozenset({"co", "c", "x", "1", "true", "yes", "y", "dat", "d"})
_NO = frozenset({"khong", "k", "0", "false", "no", "n", "khong dat", "kd"})


class InvalidValue(ValueError):
    """A value that a field cannot take; ``message`` says why, in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RuleError(ValueError):
    """A rule of a definition that cannot be used; the loader reports it (F013)."""

    def __init__(self, key: str, detail: str) -> None:
        super().__init__(detail)
        self.key = key
        self.detail = detail


def is_empty(value: object) -> bool:
    """Whether ``value`` means "nothing entered" (``False`` is a value)."""
    return value is None or value == "" or (isinstance(value, tuple | list) and not value)


def format_number(value: Decimal | int) -> str:
    """``7.5`` → ``"7,5"``, ``10.0`` → ``"10"``: numbers as Vietnamese write them."""
    number = Decimal(value)
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f").replace(".", ",")


def _finite(raw: object) -> Decimal | None:
    """``raw`` as a Decimal if it is an int or a finite float (not bool, nan, inf)."""
    if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal):
        return None
    number = Decimal(str(raw))
    return number if number.is_finite() else None


def _number(raw: object, key: str) -> Decimal:
    number = _finite(raw)
    if number is None:
        raise RuleError(key, f"'{key}' phải là một số hữu hạn")
    return number


def _whole(raw: object, key: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise RuleError(key, f"'{key}' phải là một số nguyên")
    return raw


def _bounds(low: object, high: object) -> None:
    if low is not None and high is not None and low > high:  # type: ignore[operator]
        raise RuleError("min", f"min ({low}) lớn hơn max ({high})")


class FieldType:
    """Base of the field types; subclasses set the class attributes.

    Attributes:
        name: The ``type`` a definition writes, e.g. ``"integer"``.
        rule_keys: The rules this type accepts besides the common ones.
        ordered: Whether values can be compared with lt/le/gt/ge.
        family: Types of one family can be compared with each other.
    """

    name: ClassVar[str] = ""
    rule_keys: ClassVar[frozenset[str]] = frozenset()
    ordered: ClassVar[bool] = False
    family: ClassVar[str] = ""

    @classmethod
    def from_rules(cls, rules: Mapping[str, object]) -> FieldType:
        """Build the type from a field's rules (only keys in ``rule_keys``).

        Raises:
            RuleError: when a rule's value cannot be used.
        """
        return cls()

    def parse(self, text: str) -> object | None:
        """Read typed text; ``""`` (or white space) is ``None``.

        Raises:
            InvalidValue: when the text is not a value of this type.
        """
        cleaned = vntext.clean(text)
        return self._parse(cleaned) if cleaned else None

    def _parse(self, cleaned: str) -> object:
        return cleaned

    def coerce(self, value: object) -> object | None:
        """Accept a typed value, or text to parse.

        Raises:
            InvalidValue: when ``value`` is neither.
        """
        if is_empty(value):
            return None
        if isinstance(value, str):
            return self.parse(value)
        return self._coerce(value)

    def _coerce(self, value: object) -> object:
        raise InvalidValue("Giá trị không đúng loại.")

    def format(self, value: object) -> str:
        """The value as text for a cell or a line edit; ``None`` is ``""``."""
        return "" if is_empty(value) else self._format(value)

    def _format(self, value: object) -> str:
        return str(value)

    def check(self, value: object, label: str) -> str | None:
        """What is wrong with a non-empty typed value under the rules, if anything."""
        return None

    def required_message(self, label: str) -> str:
        return f"Hãy nhập {label}."

    def literal(self, raw: object) -> object:
        """A constant written in a condition, as a value of this type.

        Raises:
            ValueError: with a Vietnamese explanation when it cannot be one.
        """
        if not isinstance(raw, str):
            raise ValueError("phải là một chuỗi trong dấu ngoặc kép")
        return raw


class TextType(FieldType):
    name = "text"
    rule_keys = frozenset({"min_length", "max_length", "pattern", "pattern_message"})
    family = "text"
    DEFAULT_MAX = 500

    def __init__(
        self,
        min_length: int = 0,
        max_length: int = DEFAULT_MAX,
        pattern: str | None = None,
        pattern_message: str | None = None,
    ) -> None:
        self.min_length = min_length
        self.max_length = max_length
        self.pattern = re.compile(pattern) if pattern is not None else None
        self.pattern_message = pattern_message

    @classmethod
    def from_rules(cls, rules: Mapping[str, object]) -> FieldType:
        low = _whole(rules.get("min_length", 0), "min_length")
        high = _whole(rules.get("max_length", cls.DEFAULT_MAX), "max_length")
        if low < 0 or high < 1 or low > high:
            raise RuleError("max_length", "cần 0 ≤ min_length ≤ max_length và max_length ≥ 1")
        pattern = rules.get("pattern")
        message = rules.get("pattern_message")
        if pattern is not None:
            if not isinstance(pattern, str):
                raise RuleError("pattern", "'pattern' phải là một chuỗi")
            try:
                re.compile(pattern)
            except re.error as exc:
                raise RuleError("pattern", f"biểu thức chính quy sai ({exc})") from None
        if message is not None and not isinstance(message, str):
            raise RuleError("pattern_message", "'pattern_message' phải là một chuỗi")
        return cls(low, high, pattern, message)

    def _coerce(self, value: object) -> object:
        raise InvalidValue("Giá trị phải là chữ.")

    def check(self, value: object, label: str) -> str | None:
        text = str(value)
        if len(text) < self.min_length:
            return f"{label} phải có ít nhất {self.min_length} ký tự."
        if len(text) > self.max_length:
            return f"{label} dài quá {self.max_length} ký tự."
        if self.pattern is not None and not self.pattern.fullmatch(text):
            return self.pattern_message or f"{label} không đúng định dạng."
        return None


class _NumberType(FieldType):
    """Shared by integer, decimal, score and year: bounds and ordering."""

    rule_keys = frozenset({"min", "max"})
    ordered = True
    family = "number"

    def __init__(self, min: Decimal | None = None, max: Decimal | None = None) -> None:
        self.min = min
        self.max = max

    @classmethod
    def from_rules(cls, rules: Mapping[str, object]) -> FieldType:
        low = _number(rules["min"], "min") if "min" in rules else None
        high = _number(rules["max"], "max") if "max" in rules else None
        _bounds(low, high)
        return cls(low, high)

    def check(self, value: object, label: str) -> str | None:
        number = Decimal(value)  # type: ignore[arg-type]
        low, high = self.min, self.max
        if low is not None and high is not None and not low <= number <= high:
            return f"{label} phải từ {format_number(low)} đến {format_number(high)}."
        if low is not None and number < low:
            return f"{label} phải từ {format_number(low)} trở lên."
        if high is not None and number > high:
            return f"{label} không được lớn hơn {format_number(high)}."
        return None

    def literal(self, raw: object) -> object:
        number = _finite(raw)
        if number is None:
            raise ValueError("phải là một số hữu hạn")
        return number

    def _format(self, value: object) -> str:
        return format_number(value)  # type: ignore[arg-type]


class IntegerType(_NumberType):
    name = "integer"

    def _parse(self, cleaned: str) -> object:
        compact = cleaned.replace(" ", "")
        if _GROUPED.match(cleaned):
            compact = cleaned.replace(".", "").replace(" ", "")
        if not _INTEGER.match(compact):
            raise InvalidValue("Chỉ nhập số nguyên (ví dụ 12 hoặc 1.250).")
        return int(compact)

    def _coerce(self, value: object) -> object:
        if isinstance(value, bool):
            raise InvalidValue("Chỉ nhập số nguyên.")
        if isinstance(value, int):
            return value
        number = _finite(value)
        if number is not None and number % 1 == 0:
            return int(number)
        raise InvalidValue("Chỉ nhập số nguyên.")


class DecimalType(_NumberType):
    name = "decimal"
    rule_keys = frozenset({"min", "max", "places"})

    def __init__(
        self,
        min: Decimal | None = None,
        max: Decimal | None = None,
        places: int | None = None,
    ) -> None:
        super().__init__(min, max)
        self.places = places

    @classmethod
    def from_rules(cls, rules: Mapping[str, object]) -> FieldType:
        base = super().from_rules(rules)
        places = rules.get("places")
        if places is not None and _whole(places, "places") < 0:
            raise RuleError("places", "'places' không được âm")
        assert isinstance(base, DecimalType)
        base.places = places  # type: ignore[assignment]
        return base

    def _parse(self, cleaned: str) -> object:
        compact = cleaned.replace(" ", "")
        if not _DECIMAL.match(compact):
            raise InvalidValue("Chỉ nhập số, phần thập phân sau dấu phẩy (ví dụ 7,5).")
        return Decimal(compact.replace(",", "."))

    def _coerce(self, value: object) -> object:
        number = _finite(value)
        if number is None:
            raise InvalidValue("Chỉ nhập số.")
        return number

    def check(self, value: object, label: str) -> str | None:
        places = self.places
        number = Decimal(value)  # type: ignore[arg-type]
        if places is not None and -number.normalize().as_tuple().exponent > places:  # type: ignore[operator]
            return f"{label} chỉ được có tối đa {places} chữ số sau dấu phẩy."
        return super().check(value, label)


class ScoreType(DecimalType):
    """Points for one criterion or indicator: from ``min`` (0) to ``max``."""

    name = "score"
    rule_keys = frozenset({"min", "max", "step"})

    def __init__(
        self, max: Decimal, min: Decimal = Decimal(0), step: Decimal | None = None
    ) -> None:
        super().__init__(min, max)
        self.step = step

    @classmethod
    def from_rules(cls, rules: Mapping[str, object]) -> FieldType:
        if "max" not in rules:
            raise RuleError("max", "trường điểm cần điểm tối đa 'max'")
        high = _number(rules["max"], "max")
        low = _number(rules.get("min", 0), "min")
        _bounds(low, high)
        if high <= 0:
            raise RuleError("max", "điểm tối đa phải lớn hơn 0")
        step = _number(rules["step"], "step") if "step" in rules else None
        if step is not None and step <= 0:
            raise RuleError("step", "'step' phải lớn hơn 0")
        return cls(high, low, step)

    def required_message(self, label: str) -> str:
        return f"Hãy chấm điểm: {label}."

    @property
    def maximum(self) -> Decimal:
        assert self.max is not None
        return self.max

    def check(self, value: object, label: str) -> str | None:
        problem = super().check(value, label)
        step, low = self.step, self.min
        if (
            problem is None
            and step is not None
            and low is not None
            and (
                (Decimal(value) - low) % step != 0  # type: ignore[arg-type]
            )
        ):
            return f"{label}: điểm phải là bội của {format_number(self.step)}."
        return problem


class YearType(IntegerType):
    name = "year"
    EARLIEST = Decimal(1900)
    LATEST = Decimal(2100)

    @classmethod
    def from_rules(cls, rules: Mapping[str, object]) -> FieldType:
        low = _whole(rules.get("min", int(cls.EARLIEST)), "min")
        high = _whole(rules.get("max", int(cls.LATEST)), "max")
        _bounds(low, high)
        return cls(Decimal(low), Decimal(high))

    def __init__(self, min: Decimal | None = EARLIEST, max: Decimal | None = LATEST) -> None:
        super().__init__(min, max)

    def _parse(self, cleaned: str) -> object:
        if not re.fullmatch(r"\d{4}", cleaned):
            raise InvalidValue("Năm phải có 4 chữ số (ví dụ 2026).")
        return int(cleaned)

    def _format(self, value: object) -> str:
        return str(value)


class DateType(FieldType):
    name = "date"
    rule_keys = frozenset({"min", "max"})
    ordered = True
    family = "date"

    def __init__(self, min: date | None = None, max: date | None = None) -> None:
        self.min = min
        self.max = max

    @classmethod
    def from_rules(cls, rules: Mapping[str, object]) -> FieldType:
        bounds: dict[str, date | None] = {}
        for key in ("min", "max"):
            raw = rules.get(key)
            if raw is not None and (not isinstance(raw, date) or hasattr(raw, "hour")):
                raise RuleError(key, f"'{key}' phải là một ngày TOML, ví dụ {key} = 2016-01-01")
            bounds[key] = raw  # type: ignore[assignment]
        _bounds(bounds["min"], bounds["max"])
        return cls(bounds["min"], bounds["max"])

    def _parse(self, cleaned: str) -> object:
        match = _DATE_DMY.match(cleaned)
        if match:
            day, month, year = (int(g) for g in match.groups())
        else:
            match = _DATE_ISO.match(cleaned)
            if not match:
                raise InvalidValue("Ngày phải viết ngày/tháng/năm, ví dụ 05/09/2026.")
            year, month, day = (int(g) for g in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            raise InvalidValue(f"Ngày '{cleaned}' không có thật trên lịch.") from None

    def _coerce(self, value: object) -> object:
        if isinstance(value, date) and not hasattr(value, "hour"):
            return value
        raise InvalidValue("Giá trị phải là một ngày.")

    def _format(self, value: object) -> str:
        return value.strftime("%d/%m/%Y")  # type: ignore[attr-defined]

    def check(self, value: object, label: str) -> str | None:
        if self.min is not None and value < self.min:  # type: ignore[operator]
            return f"{label} không được trước {self.min:%d/%m/%Y}."
        if self.max is not None and value > self.max:  # type: ignore[operator]
            return f"{label} không được sau {self.max:%d/%m/%Y}."
        return None

    def literal(self, raw: object) -> object:
        if not isinstance(raw, date) or hasattr(raw, "hour"):
            raise ValueError("phải là một ngày, ví dụ 2024-02-12")
        return raw


class YesNoType(FieldType):
    """A yes/no answer; pass/fail indicators label it "Đạt"/"Không đạt"."""

    name = "yes_no"
    rule_keys = frozenset({"yes_label", "no_label"})
    family = "bool"

    def __init__(self, yes_label: str = "Có", no_label: str = "Không") -> None:
        self.yes_label = yes_label
        self.no_label = no_label

    @classmethod
    def from_rules(cls, rules: Mapping[str, object]) -> FieldType:
        labels = {key: rules.get(key) for key in ("yes_label", "no_label")}
        for key, value in labels.items():
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise RuleError(key, f"'{key}' phải là một chuỗi không rỗng")
        return cls(labels["yes_label"] or "Có", labels["no_label"] or "Không")  # type: ignore[arg-type]

    def _parse(self, cleaned: str) -> object:
        folded = vntext.fold(cleaned)
        if folded in _YES or folded == vntext.fold(self.yes_label):
            return True
        if folded in _NO or folded == vntext.fold(self.no_label):
            return False
        raise InvalidValue(f"Hãy trả lời '{self.yes_label}' hoặc '{self.no_label}'.")

    def _coerce(self, value: object) -> object:
        if isinstance(value, bool):
            return value
        raise InvalidValue(f"Hãy trả lời '{self.yes_label}' hoặc '{self.no_label}'.")

    def _format(self, value: object) -> str:
        return self.yes_label if value else self.no_label

    def required_message(self, label: str) -> str:
        return f"Hãy chọn {self.yes_label} hoặc {self.no_label}: {label}."

    def literal(self, raw: object) -> object:
        if not isinstance(raw, bool):
            raise ValueError("phải là true hoặc false")
        return raw


def _choices(rules: Mapping[str, object]) -> dict[str, str]:
    raw = rules.get("choices")
    if not isinstance(raw, dict) or not raw:
        raise RuleError("choices", "cần bảng 'choices' với ít nhất một lựa chọn: mã = \"Nhãn\"")
    for value, label in raw.items():
        if not isinstance(label, str) or not label.strip():
            raise RuleError("choices", f"lựa chọn '{value}' cần một nhãn là chuỗi không rỗng")
    return dict(raw)


class ChoiceType(FieldType):
    """One value from a list: ``choices = { tam_tru = "Tạm trú", … }``."""

    name = "choice"
    rule_keys = frozenset({"choices"})
    family = "choice"

    def __init__(self, choices: Mapping[str, str]) -> None:
        self.choices = dict(choices)
        self._by_text = {vntext.fold(v): v for v in self.choices}
        self._by_text.update({vntext.fold(label): v for v, label in self.choices.items()})

    @classmethod
    def from_rules(cls, rules: Mapping[str, object]) -> FieldType:
        return cls(_choices(rules))

    def _one(self, cleaned: str) -> str:
        found = self._by_text.get(vntext.fold(cleaned))
        if found is None:
            allowed = ", ".join(self.choices.values())
            raise InvalidValue(f"'{cleaned}' không có trong danh sách: {allowed}.")
        return found

    def _parse(self, cleaned: str) -> object:
        return self._one(cleaned)

    def _format(self, value: object) -> str:
        return self.choices.get(str(value), str(value))

    def check(self, value: object, label: str) -> str | None:
        if value not in self.choices:
            return f"{label}: '{value}' không có trong danh sách."
        return None

    def required_message(self, label: str) -> str:
        return f"Hãy chọn {label}."

    def literal(self, raw: object) -> object:
        if not isinstance(raw, str) or raw not in self.choices:
            raise ValueError(f"'{raw}' không phải mã lựa chọn ({', '.join(self.choices)})")
        return raw


class MultiChoiceType(ChoiceType):
    """Several values from a list; ``min``/``max`` count the values chosen."""

    name = "multi_choice"
    rule_keys = frozenset({"choices", "min", "max"})

    def __init__(self, choices: Mapping[str, str], min: int = 0, max: int | None = None) -> None:
        super().__init__(choices)
        self.min = min
        self.max = max

    @classmethod
    def from_rules(cls, rules: Mapping[str, object]) -> FieldType:
        choices = _choices(rules)
        low = _whole(rules.get("min", 0), "min")
        high = _whole(rules["max"], "max") if "max" in rules else None
        _bounds(low, high)
        return cls(choices, low, high)

    def _ordered(self, values: set[str]) -> tuple[str, ...]:
        return tuple(v for v in self.choices if v in values)

    def _parse(self, cleaned: str) -> object:
        parts = [p.strip() for p in re.split(r"[;,]", cleaned) if p.strip()]
        return self._ordered({self._one(p) for p in parts})

    def _coerce(self, value: object) -> object:
        if isinstance(value, list | tuple | set | frozenset) and all(
            isinstance(v, str) for v in value
        ):
            unknown = [v for v in value if v not in self.choices]
            if unknown:
                raise InvalidValue(f"'{unknown[0]}' không có trong danh sách.")
            return self._ordered(set(value))
        raise InvalidValue("Giá trị phải là danh sách lựa chọn.")

    def _format(self, value: object) -> str:
        return "; ".join(self.choices.get(v, v) for v in value)  # type: ignore[attr-defined]

    def check(self, value: object, label: str) -> str | None:
        count = len(value)  # type: ignore[arg-type]
        if count < self.min:
            return f"{label}: hãy chọn ít nhất {self.min}."
        if self.max is not None and count > self.max:
            return f"{label}: chỉ được chọn tối đa {self.max}."
        return None


class ReferenceType(FieldType):
    """The id of a record in a register (household, clan, village, unit, person).

    The engine checks the shape only; that the record exists is the
    service's business, which has the database.
    """

    name = "reference"
    rule_keys = frozenset({"to"})
    family = "reference"

    def __init__(self, to: str) -> None:
        self.to = to

    @classmethod
    def from_rules(cls, rules: Mapping[str, object]) -> FieldType:
        target = rules.get("to")
        if target not in REFERENCE_TARGETS:
            raise RuleError("to", f"'to' phải là một trong: {', '.join(REFERENCE_TARGETS)}")
        return cls(str(target))

    def _coerce(self, value: object) -> object:
        raise InvalidValue("Giá trị phải là mã của một bản ghi.")

    def check(self, value: object, label: str) -> str | None:
        if len(str(value)) > 64:
            return f"{label}: mã bản ghi dài quá 64 ký tự."
        return None

    def required_message(self, label: str) -> str:
        return f"Hãy chọn {label} ({REFERENCE_TARGETS[self.to]})."


FIELD_TYPES: dict[str, type[FieldType]] = {
    t.name: t
    for t in (
        TextType,
        IntegerType,
        DecimalType,
        ChoiceType,
        MultiChoiceType,
        DateType,
        YearType,
        YesNoType,
        ScoreType,
        ReferenceType,
    )
}
