"""Register records as package data: which entities travel, and their JSON form.

Every register table travels whole, tombstones included, one JSON object per
line (``data/<entity>.jsonl``), with every column of the table under its own
name: derived keys (search and sort keys) too, so that the office does not
recompute them for hundreds of thousands of persons. Values are JSON
scalars: text, integers, booleans, ``null``, dates as ``YYYY-MM-DD`` and
times as ISO 8601 with an offset (always UTC when written here).

Reading is strict, because a signed package can still come from a buggy or
stolen installation: a line must have exactly the table's columns, each of
the right type and length (PostgreSQL enforces lengths that SQLite does not),
and every reference must point at a record of the same package.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Integer, SmallInteger, String, Table, Text

from xhht_desktop.errors import PackageRefused
from xhht_desktop.store.models import (
    AggregateValue,
    Clan,
    Decision,
    Household,
    ModelEntry,
    Person,
    RecordMixin,
    Unit,
    Village,
)

# Which register a learning-model entry's subject_id points into.
MODEL_SUBJECTS = {"gdht": "households", "dhht": "clans", "cdht": "villages", "dvht": "units"}

# Settings that change what a commune's figures mean; they travel with its
# data (the office keeps them per commune, never as its own settings).
SETTING_KEYS = ("literacy", "learning_models.criteria")
SETTINGS = "settings"

_INT32 = 2**31 - 1
_INT16 = 2**15 - 1
_MEMO = 10_000  # distinct times remembered per column while reading

Encoder = Callable[[Any], Any]
Decoder = Callable[[Any], Any]


@dataclass(frozen=True)
class Entity:
    """One register as a package carries it.

    Attributes:
        name: The table's name, also the data file's (``data/<name>.jsonl``).
        label: What the official reads in a preview.
        model: The SQLAlchemy model.
    """

    name: str
    label: str
    model: type[RecordMixin]

    @property
    def table(self) -> Table:
        return self.model.__table__  # type: ignore[attr-defined, no-any-return]

    @property
    def member(self) -> str:
        return f"data/{self.name}.jsonl"


# Parents before children: the order records are inserted in.
ENTITIES: tuple[Entity, ...] = (
    Entity("villages", "Thôn, tổ dân phố", Village),
    Entity("clans", "Dòng họ", Clan),
    Entity("units", "Đơn vị", Unit),
    Entity("households", "Hộ gia đình", Household),
    Entity("persons", "Nhân khẩu", Person),
    Entity("decisions", "Quyết định công nhận", Decision),
    Entity("model_entries", "Đăng ký, đánh giá mô hình", ModelEntry),
    Entity("aggregate_values", "Biểu tổng hợp", AggregateValue),
)
BY_NAME = {entity.name: entity for entity in ENTITIES}
SETTINGS_MEMBER = f"data/{SETTINGS}.jsonl"


def references(entity: Entity) -> dict[str, str]:
    """Columns of ``entity`` that point at another register: column -> register."""
    found = {}
    for column in entity.table.columns:
        for key in column.foreign_keys:
            found[column.name] = key.column.table.name
    return found


# ----------------------------------------------------------------- encoding


def _encode_datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    # SQLite hands back naive values; the app stores UTC.
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def _encode_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _encoders(table: Table) -> list[tuple[str, Encoder | None]]:
    result: list[tuple[str, Encoder | None]] = []
    for column in table.columns:
        if isinstance(column.type, DateTime):
            result.append((column.name, _encode_datetime))
        elif isinstance(column.type, Date):
            result.append((column.name, _encode_date))
        elif isinstance(column.type, Boolean):
            result.append((column.name, lambda v: None if v is None else bool(v)))
        else:
            result.append((column.name, None))
    return result


def encode_lines(table: Table, rows: Iterable[Mapping[str, Any]]) -> bytes:
    """The JSON-lines file of ``rows`` (mappings of column name to value)."""
    encoders = _encoders(table)
    lines = []
    for row in rows:
        record = {
            name: (encode(row[name]) if encode is not None else row[name])
            for name, encode in encoders
        }
        lines.append(json.dumps(record, ensure_ascii=False, sort_keys=True))
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def encode_settings(settings: Mapping[str, object]) -> bytes:
    """Every figure setting, ``null`` for one the commune left at its default."""
    lines = [
        json.dumps({"key": key, "value": settings.get(key)}, ensure_ascii=False, sort_keys=True)
        for key in SETTING_KEYS
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


# ----------------------------------------------------------------- decoding


class BadValue(ValueError):
    """A value that does not fit its column (caught and explained by the caller)."""


def _string(length: int | None, nullable: bool) -> Decoder:
    def decode(value: Any) -> Any:
        if value is None:
            if nullable:
                return None
            raise BadValue("thiếu giá trị")
        if type(value) is not str:
            raise BadValue("không phải chữ")
        if length is not None and len(value) > length:
            raise BadValue(f"dài quá {length} ký tự")
        if "\x00" in value:
            raise BadValue("có ký tự không hợp lệ")
        return value

    return decode


def _integer(limit: int, nullable: bool) -> Decoder:
    def decode(value: Any) -> Any:
        if value is None:
            if nullable:
                return None
            raise BadValue("thiếu giá trị")
        if type(value) is not int:
            raise BadValue("không phải số nguyên")
        if not -limit - 1 <= value <= limit:
            raise BadValue("số quá lớn")
        return value

    return decode


def _boolean(nullable: bool) -> Decoder:
    def decode(value: Any) -> Any:
        if value is None and nullable:
            return None
        if type(value) is not bool:
            raise BadValue("không phải đúng/sai")
        return value

    return decode


def _date(nullable: bool) -> Decoder:
    def decode(value: Any) -> Any:
        if value is None:
            if nullable:
                return None
            raise BadValue("thiếu ngày")
        if type(value) is not str or len(value) != 10:
            raise BadValue("không phải ngày YYYY-MM-DD")
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise BadValue("không phải ngày YYYY-MM-DD") from exc

    return decode


def _datetime(nullable: bool) -> Decoder:
    # Records written together share their times (a roster import, a
    # package's worth of creations): each distinct text is parsed once.
    seen: dict[str, datetime] = {}

    def decode(value: Any) -> Any:
        if value is None:
            if nullable:
                return None
            raise BadValue("thiếu thời điểm")
        if type(value) is not str or len(value) > 40:
            raise BadValue("không phải thời điểm ISO 8601")
        known = seen.get(value)
        if known is not None:
            return known
        try:
            moment = datetime.fromisoformat(value)
        except ValueError as exc:
            raise BadValue("không phải thời điểm ISO 8601") from exc
        if moment.tzinfo is None:
            raise BadValue("thời điểm thiếu múi giờ")
        # SQLite drops the offset when it stores a time: store UTC everywhere.
        moment = moment.astimezone(UTC)
        if len(seen) >= _MEMO:
            seen.clear()
        seen[value] = moment
        return moment

    return decode


def _decoder(column: Any) -> Decoder:
    kind = column.type
    nullable = bool(column.nullable)
    if isinstance(kind, DateTime):
        return _datetime(nullable)
    if isinstance(kind, Date):
        return _date(nullable)
    if isinstance(kind, Boolean):
        return _boolean(nullable)
    if isinstance(kind, SmallInteger):
        return _integer(_INT16, nullable)
    if isinstance(kind, Integer):
        return _integer(_INT32, nullable)
    if isinstance(kind, String | Text):
        return _string(getattr(kind, "length", None), nullable)
    raise TypeError(f"no package codec for column {column}")  # a new column type: add one


@dataclass(frozen=True)
class Columns:
    """How to read one register's lines.

    Attributes:
        names: Its column names.
        decoders: Each column's decoder, in table order.
        checks: Decoders of columns whose JSON value is stored as it is
            (text, numbers, booleans): only checked.
        conversions: Decoders of columns whose value changes type (dates, times).
    """

    names: frozenset[str]
    decoders: tuple[tuple[str, Decoder], ...]
    checks: tuple[tuple[str, Decoder], ...]
    conversions: tuple[tuple[str, Decoder], ...]


_COLUMNS: dict[str, Columns] = {}


def columns(entity: Entity) -> Columns:
    found = _COLUMNS.get(entity.name)
    if found is None:
        decoders = tuple((c.name, _decoder(c)) for c in entity.table.columns)
        converted = {c.name for c in entity.table.columns if isinstance(c.type, Date | DateTime)}
        found = Columns(
            frozenset(name for name, _ in decoders),
            decoders,
            tuple(d for d in decoders if d[0] not in converted),
            tuple(d for d in decoders if d[0] in converted),
        )
        _COLUMNS[entity.name] = found
    return found


_JSON = json.JSONDecoder()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a package's records are read.

    Reading 20,000 persons makes some 150,000 dicts, none in a cycle; each
    time the collector runs it walks all of them again (a fifth of the
    reading time). Reference counting still frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_lines(member: str, data: bytes) -> list[dict[str, Any]]:
    """The JSON objects of a JSON-lines member, in order.

    Raises:
        PackageRefused: The bytes are not UTF-8, a line is not a JSON object.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackageRefused(f"Tệp «{member}» trong gói không phải văn bản UTF-8.") from exc
    decode = _JSON.raw_decode  # json.loads costs three times as much per short line
    objects = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        try:
            value, end = decode(line)
        except (ValueError, RecursionError) as exc:
            raise PackageRefused(f"Tệp «{member}», dòng {number}: không phải JSON hợp lệ.") from exc
        if end != len(line) or not isinstance(value, dict):
            raise PackageRefused(f"Tệp «{member}», dòng {number}: không phải một bản ghi.")
        objects.append(value)
    return objects


def _column_problem(entity: Entity, number: int, obj: dict[str, Any]) -> PackageRefused:
    spec = columns(entity)
    if obj.keys() != spec.names:
        missing = sorted(spec.names - obj.keys())
        extra = sorted(str(name)[:40] for name in obj.keys() - spec.names)
        detail = "; ".join(
            part
            for part in (
                f"thiếu cột {', '.join(missing)}" if missing else "",
                f"có cột lạ {', '.join(extra[:5])}" if extra else "",
            )
            if part
        )
        return PackageRefused(f"{entity.label}, bản ghi thứ {number} trong gói: {detail}.")
    for name, decode in spec.decoders:
        try:
            decode(obj[name])
        except BadValue as exc:
            return PackageRefused(
                f"{entity.label}, bản ghi thứ {number} trong gói, cột «{name}»: {exc}."
            )
    raise AssertionError("a record failed its check and then passed it")


def decode_records(entity: Entity, objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Check and convert one register's records in place (after any schema upgrade).

    Raises:
        PackageRefused: A record lacks a column, has an unknown one, or a
            value does not fit its column; the message names the record.
    """
    spec = columns(entity)
    names, checks, conversions = spec.names, spec.checks, spec.conversions
    for number, obj in enumerate(objects, start=1):
        try:
            if obj.keys() != names:
                raise BadValue("columns")
            for name, check in checks:
                check(obj[name])
            # Converted only once all are good: the slow path reads the originals.
            values = [convert(obj[name]) for name, convert in conversions]
        except BadValue:
            # The slow path only to say which column is wrong.
            raise _column_problem(entity, number, obj) from None
        for (name, _), value in zip(conversions, values, strict=True):
            obj[name] = value
    return objects


def decode_settings(objects: list[dict[str, Any]]) -> dict[str, object]:
    """The commune's figure settings from ``data/settings.jsonl`` (unknown keys are dropped)."""
    settings: dict[str, object] = {}
    for number, obj in enumerate(objects, start=1):
        if obj.keys() != {"key", "value"} or not isinstance(obj["key"], str):
            raise PackageRefused(f"Tệp cài đặt trong gói, dòng {number}: không đúng dạng.")
        if obj["key"] in SETTING_KEYS and obj["value"] is not None:
            settings[obj["key"]] = obj["value"]
    return settings
