"""Demo data: a made-up commune of the Central Highlands, generated fast.

The population is shaped by ``resources/demo/population.toml`` (villages,
who lives in them, household sizes, names of each ethnic group, schooling by
cohort); this module only draws from it. Everything comes from one
``random.Random(seed)``, record ids included, so a seed always gives the same
commune.

Speed matters: a demo of 200,000 persons is how the app is tried at the size
of a large merged commune. The records are therefore written with SQLAlchemy
Core ``insert()`` in batches inside one transaction, bypassing the ORM unit
of work. That also bypasses the audit hook, which is intended: one summary
entry per register says what was generated, instead of one entry per field
of 200,000 records. The derived columns are computed here with the same
``core.text`` functions the models' ``refresh_derived()`` call.
"""

from __future__ import annotations

import json
import random
import re
import tomllib
import unicodedata
import uuid
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlalchemy import Table, bindparam, insert, update
from sqlalchemy.orm import Session

from xhht_desktop.core import ethnicity, registers
from xhht_desktop.core import text as vntext
from xhht_desktop.core.models_cycle import MODEL_CODES, UNIT_KINDS
from xhht_desktop.errors import DemoRefused, NotFound
from xhht_desktop.forms import format_number, score
from xhht_desktop.forms.expressions import fields_of
from xhht_desktop.forms.validation import check_record
from xhht_desktop.resources import resource
from xhht_desktop.services.aggregates import stored_figures
from xhht_desktop.services.learning_models import plain_number
from xhht_desktop.store import audit, repositories
from xhht_desktop.store.models import (
    AggregateValue,
    Clan,
    Decision,
    Household,
    ModelEntry,
    Person,
    Unit,
    Village,
    utcnow,
)

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext

T = TypeVar("T")

BATCH = 5000
"""Persons per executemany; their households are written just before them."""

DISABLED_SHARE = 0.007
HOUSEHOLD_TEMPORARY_SHARE = 0.02
PERSON_TEMPORARY_SHARE = 0.01
OLDEST_AGE = 96
_COHORTS = (1960, 1985)  # schooling cohorts: before 1960, 1960–1984, 1985 on
_YOUNG_FROM = 1985  # names: the _young pools from this birth year on
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class DemoSummary:
    """What a demo run created."""

    villages: int
    households: int
    persons: int
    clans: int = 0
    units: int = 0
    entries: int = 0
    decisions: int = 0
    aggregates: int = 0


# --- The population definition -------------------------------------------


class _Pick(Generic[T]):
    """A weighted choice among items, drawn with one call of ``rng.random()``."""

    __slots__ = ("cumulative", "items", "total")

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        if not items or len(items) != len(weights) or any(w < 0 for w in weights):
            raise ValueError(f"bad weighted choice: {list(items)!r} / {list(weights)!r}")
        self.items = tuple(items)
        running = 0.0
        cumulative = []
        for weight in weights:
            running += weight
            cumulative.append(running)
        if running <= 0:
            raise ValueError(f"weights of {list(items)!r} add up to nothing")
        self.cumulative = tuple(cumulative)
        self.total = running

    def __call__(self, rng: random.Random) -> T:
        return self.items[bisect_right(self.cumulative, rng.random() * self.total)]


@dataclass(frozen=True)
class _Schooling:
    cohorts: tuple[_Pick[int], _Pick[int], _Pick[int]]
    women_no_school: tuple[float, float, float]
    dropout: float
    literacy: tuple[float, float]  # stage 1 completed, stage 2 completed


@dataclass(frozen=True)
class _Group:
    key: str
    code: str
    schooling: _Schooling
    sizes: _Pick[int]
    female_heads: float
    matrilineal: bool
    pools: Mapping[str, _Pick[str]]

    def pool(self, name: str, birth_year: int) -> _Pick[str]:
        suffix = "_young" if birth_year >= _YOUNG_FROM else "_old"
        found = self.pools.get(name + suffix) or self.pools.get(name)
        if found is None:
            raise KeyError(f"group {self.key}: no pool {name!r}")
        return found


@dataclass(frozen=True)
class _Profile:
    size: float
    groups: _Pick[_Group]


@dataclass(frozen=True)
class _VillageTemplate:
    kind: str
    name: str
    profile: _Profile


@dataclass(frozen=True)
class _UnitTemplate:
    kind: str
    name: str
    staff: tuple[int, int]
    central: bool


@dataclass(frozen=True)
class Population:
    """The demo commune's definition, as read from ``population.toml``."""

    villages: tuple[_VillageTemplate, ...]
    first_number: Mapping[str, int]
    cycle: tuple[tuple[str, _Profile], ...]
    streets: tuple[str, ...]
    groups: Mapping[str, _Group]
    units: tuple[_UnitTemplate, ...] = ()

    def village_templates(self, count: int) -> list[_VillageTemplate]:
        """The first ``count`` villages: the listed ones, then numbered ones."""
        chosen = list(self.villages[:count])
        numbers = dict(self.first_number)
        step = 0
        while len(chosen) < count:
            kind, profile = self.cycle[step % len(self.cycle)]
            step += 1
            number = numbers[kind]
            numbers[kind] = number + 1
            chosen.append(
                _VillageTemplate(kind, f"{registers.VILLAGE_KINDS[kind]} {number}", profile)
            )
        return chosen


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {_nfc(k): _nfc(v) for k, v in value.items()}
    return value


def _keys(where: str, table: Mapping[str, Any], required: set[str], optional: set[str]) -> None:
    missing = required - table.keys()
    unknown = table.keys() - required - optional
    if missing or unknown:
        raise ValueError(f"{where}: missing {sorted(missing)}, unknown {sorted(unknown)}")


def _pool(where: str, value: Any) -> _Pick[str]:
    if isinstance(value, list):
        return _Pick(value, [1.0] * len(value))
    if isinstance(value, dict):
        return _Pick(list(value), [float(w) for w in value.values()])
    raise ValueError(f"{where}: a pool is a list of names or a table of weights")


def _grades(where: str, weights: list[float]) -> _Pick[int]:
    if len(weights) != registers.MAX_GRADE + 1:
        raise ValueError(f"{where}: one weight per grade 0–{registers.MAX_GRADE}")
    return _Pick(list(range(registers.MAX_GRADE + 1)), weights)


_GROUP_KEYS = {"code", "schooling", "household_sizes", "female_heads", "matrilineal"}
_SCHOOLING_KEYS = {
    "before_1960",
    "from_1960",
    "from_1985",
    "women_no_school",
    "dropout",
    "literacy",
}


def _group(key: str, raw: Mapping[str, Any], schooling: Mapping[str, _Schooling]) -> _Group:
    where = f"groups.{key}"
    pools = {
        name: _pool(f"{where}.{name}", value)
        for name, value in raw.items()
        if name not in _GROUP_KEYS
    }
    if ethnicity.by_code(raw["code"]) is None:
        raise ValueError(f"{where}: {raw['code']!r} is not a code of the 2008 table")
    if len(raw["household_sizes"]) != 9:
        raise ValueError(f"{where}: household_sizes weighs 1…9 members")
    group = _Group(
        key=key,
        code=raw["code"],
        schooling=schooling[raw["schooling"]],
        sizes=_Pick(list(range(1, 10)), raw["household_sizes"]),
        female_heads=float(raw["female_heads"]),
        matrilineal=bool(raw["matrilineal"]),
        pools=pools,
    )
    # Every placeholder of every form must name a pool of the group, for the
    # old and the young alike.
    needed = {"male_forms", "female_forms"}
    for name, pick in pools.items():
        if "_forms" in name:
            needed.update(p for form in pick.items for p in _PLACEHOLDER.findall(form))
    for name in sorted(needed):
        for birth_year in (_YOUNG_FROM - 1, _YOUNG_FROM):
            try:
                group.pool(name, birth_year)
            except KeyError:
                raise ValueError(f"{where}: no pool {name!r} for the forms") from None
    return group


def parse_population(raw: Mapping[str, Any]) -> Population:
    """Check and compile a population definition (the parsed TOML).

    Raises:
        ValueError: naming the table and key that is wrong.
    """
    raw = _nfc(dict(raw))
    _keys(
        "population",
        raw,
        {"villages", "more_villages", "profiles", "schooling", "groups"},
        {"units"},
    )
    schooling = {}
    for key, table in raw["schooling"].items():
        where = f"schooling.{key}"
        _keys(where, table, _SCHOOLING_KEYS, set())
        schooling[key] = _Schooling(
            cohorts=(
                _grades(where, table["before_1960"]),
                _grades(where, table["from_1960"]),
                _grades(where, table["from_1985"]),
            ),
            women_no_school=tuple(table["women_no_school"]),  # type: ignore[arg-type]
            dropout=float(table["dropout"]),
            literacy=tuple(table["literacy"]),  # type: ignore[arg-type]
        )
    groups = {key: _group(key, table, schooling) for key, table in raw["groups"].items()}
    profiles = {}
    for key, table in raw["profiles"].items():
        _keys(f"profiles.{key}", table, {"size", "ethnicities"}, set())
        shares = table["ethnicities"]
        profiles[key] = _Profile(
            float(table["size"]), _Pick([groups[g] for g in shares], list(shares.values()))
        )
    villages = []
    for index, table in enumerate(raw["villages"]):
        _keys(f"villages[{index}]", table, {"kind", "name", "profile"}, set())
        if table["kind"] not in registers.VILLAGE_KINDS:
            raise ValueError(f"villages[{index}]: unknown kind {table['kind']!r}")
        villages.append(_VillageTemplate(table["kind"], table["name"], profiles[table["profile"]]))
    more = raw["more_villages"]
    _keys("more_villages", more, {"first_number", "cycle", "streets"}, set())
    cycle = tuple((step["kind"], profiles[step["profile"]]) for step in more["cycle"])
    for kind, _profile in cycle:
        if kind not in more["first_number"]:
            raise ValueError(f"more_villages: no first_number for {kind!r}")
    # Numbered villages beyond the list must not repeat a listed name.
    names = [v.name for v in villages]
    for kind, first in more["first_number"].items():
        label = registers.VILLAGE_KINDS[kind]
        for name in names:
            number = name.removeprefix(f"{label} ")
            if number.isdigit() and int(number) >= first:
                raise ValueError(f"more_villages: {name!r} is listed, so {kind} starts too low")
    if len(set(names)) != len(names):
        raise ValueError("villages: a name is listed twice")
    units = []
    for index, table in enumerate(raw.get("units", [])):
        _keys(f"units[{index}]", table, {"kind", "name", "staff", "central"}, set())
        if table["kind"] not in UNIT_KINDS:
            raise ValueError(f"units[{index}]: unknown kind {table['kind']!r}")
        low, high = table["staff"]
        units.append(_UnitTemplate(table["kind"], table["name"], (low, high), table["central"]))
    return Population(
        villages=tuple(villages),
        first_number=dict(more["first_number"]),
        cycle=cycle,
        streets=tuple(more["streets"]),
        groups=groups,
        units=tuple(units),
    )


@cache
def population() -> Population:
    """The demo commune shipped with the app."""
    with resource("demo", "population.toml").open("rb") as stream:
        return parse_population(tomllib.load(stream))


# --- Drawing households and persons ----------------------------------------


@dataclass(slots=True)
class _Member:
    id: str
    relationship: str
    sex: str
    age: int
    group: _Group
    surname: str | None
    full_name: str = ""
    birth_year: int = 0
    birth_date: date | None = None
    grade: int = 0
    literacy_stage: int = 0
    disabled: bool = False
    residence: str = "thuong_tru"


@dataclass
class _Village:
    id: str
    kind: str
    name: str
    profile: _Profile
    quota: int


@dataclass(frozen=True)
class _Household:
    id: str
    code: str
    village: _Village
    address: str
    members: list[_Member]


def village_count(persons: int) -> int:
    """How many villages a commune of ``persons`` has: ~300 each when small, ~1,200 when large."""
    if persons <= 0:
        return 0
    size = 300 + 900 * min(1.0, persons / 60_000)
    return max(1, round(persons / size))


class _Generator:
    """Draws a commune from a population definition; knows nothing of the database."""

    def __init__(
        self, population: Population, rng: random.Random, year: int, commune_name: str
    ) -> None:
        self.population = population
        self.rng = rng
        self.year = year
        # A demo for next year's plan must still not have anyone born in the future.
        self.latest_birth_year = min(year, date.today().year)
        self.commune = commune_name[:1].lower() + commune_name[1:]
        self.households_drawn = 0
        self.code_width = 4

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    # Villages

    def villages(self, persons: int) -> list[_Village]:
        self.code_width = max(4, len(str(persons)))
        templates = self.population.village_templates(village_count(persons))
        weights = [t.profile.size * self.rng.lognormvariate(0, 0.25) for t in templates]
        quotas = _apportion(persons, weights)
        return [
            _Village(self.new_id(), t.kind, t.name, t.profile, quota)
            for t, quota in zip(templates, quotas, strict=True)
        ]

    def address(self, village: _Village) -> str:
        if village.kind == "to_dan_pho":
            street = self.rng.choice(self.population.streets)
            return f"Số {self.rng.randint(1, 250)}, đường {street}, {village.name}"
        return f"{village.name}, {self.commune}"

    # Households

    def households(self, village: _Village) -> Iterator[_Household]:
        """Households of ``village`` until its quota of persons is met."""
        remaining = village.quota
        while remaining > 0:
            self.households_drawn += 1
            code = f"HGĐ-{self.households_drawn:0{self.code_width}d}"
            household_id = self.new_id()
            address = self.address(village)
            group = village.profile.groups(self.rng)
            size = min(group.sizes(self.rng), remaining)
            members = self.members(group, size, village.profile)
            remaining -= len(members)
            yield _Household(household_id, code, village, address, members)

    def members(self, group: _Group, size: int, profile: _Profile) -> list[_Member]:
        rng = self.rng
        head_sex = "F" if rng.random() < group.female_heads else "M"
        head = self.member("Chủ hộ", head_sex, self.head_age(size), group, None)
        members = [head]
        if size >= 2 and rng.random() < (0.85 if size == 2 else 0.92):
            spouse_sex = "M" if head_sex == "F" else "F"
            gap = rng.randint(-2, 8)
            spouse_age = head.age + gap if spouse_sex == "M" else head.age - gap
            spouse_group = group if rng.random() < 0.9 else profile.groups(rng)
            spouse = self.member(
                "Chồng" if spouse_sex == "M" else "Vợ",
                spouse_sex,
                max(18, spouse_age),
                spouse_group,
                None,
            )
            members.append(spouse)
        # Children take the group and family name of their father, or of their
        # mother where her people are matrilineal (Ê Đê, Mnông).
        mother = next((m for m in members if m.sex == "F"), None)
        father = next((m for m in members if m.sex == "M"), None)
        lineage = (
            mother
            if mother is not None and (mother.group.matrilineal or father is None)
            else (father or head)
        )
        parent_age = mother.age if mother is not None else head.age
        remaining = size - len(members)
        if remaining >= 2 and head.age >= 52 and rng.random() < 0.55:
            members += self.three_generations(lineage, parent_age, remaining, profile)
        else:
            if remaining >= 1 and head.age <= 45 and rng.random() < 0.25:
                members += self.heads_parents(head, remaining)
                remaining = size - len(members)
            if remaining >= 2 and rng.random() < 0.04:
                members.append(
                    self.member(
                        "Em",
                        rng.choice("MF"),
                        max(0, head.age - rng.randint(2, 12)),
                        head.group,
                        head.surname,
                    )
                )
                remaining -= 1
            members += self.children("Con", lineage, parent_age, remaining)
        self.finish(members)
        return members

    def head_age(self, size: int) -> int:
        rng = self.rng
        if size == 1:
            return rng.randint(20, 40) if rng.random() < 0.45 else rng.randint(55, 92)
        low = 20 + 2 * max(0, size - 3)
        return min(90, max(low, round(rng.triangular(low, 85, 42))))

    def children(
        self, relationship: str, lineage: _Member, parent_age: int, count: int
    ) -> list[_Member]:
        rng = self.rng
        age = parent_age - rng.randint(19, 28)
        children = []
        for _ in range(count):
            children.append(
                self.member(
                    relationship,
                    "M" if rng.random() < 0.51 else "F",
                    max(0, age),
                    lineage.group,
                    lineage.surname,
                )
            )
            age -= rng.randint(1, 4)
        return children

    def three_generations(
        self, lineage: _Member, parent_age: int, count: int, profile: _Profile
    ) -> list[_Member]:
        """An adult child, their spouse and their children living with the head."""
        rng = self.rng
        # The married child who stays is a son, or a daughter among matrilineal peoples.
        child_sex = "F" if lineage.group.matrilineal else "M"
        child_age = max(18, parent_age - rng.randint(20, 28))
        child = self.member("Con", child_sex, child_age, lineage.group, lineage.surname)
        in_law_group = lineage.group if rng.random() < 0.85 else profile.groups(rng)
        in_law_age = max(18, child_age + rng.randint(-6, 3))
        in_law = (
            self.member("Con rể", "M", in_law_age, in_law_group, None)
            if child_sex == "F"
            else self.member("Con dâu", "F", in_law_age, in_law_group, None)
        )
        members = [child, in_law]
        left = count - 2
        if left >= 2 and rng.random() < 0.3:
            members.append(
                self.member(
                    "Con",
                    rng.choice("MF"),
                    max(16, child_age - rng.randint(3, 10)),
                    lineage.group,
                    lineage.surname,
                )
            )
            left -= 1
        mother_age = child_age if child_sex == "F" else in_law_age
        return members + self.children("Cháu", child, mother_age, left)

    def heads_parents(self, head: _Member, room: int) -> list[_Member]:
        rng = self.rng
        # A patrilineal head shares the father's family name; a matrilineal one the mother's.
        mother_surname = head.surname if head.group.matrilineal else None
        father_surname = None if head.group.matrilineal else head.surname
        parents = [
            self.member(
                "Mẹ",
                "F",
                min(OLDEST_AGE, head.age + rng.randint(20, 32)),
                head.group,
                mother_surname,
            )
        ]
        if room >= 2 and rng.random() < 0.5:
            parents.append(
                self.member(
                    "Cha",
                    "M",
                    min(OLDEST_AGE, head.age + rng.randint(22, 36)),
                    head.group,
                    father_surname,
                )
            )
        return parents

    # Persons

    def member(
        self, relationship: str, sex: str, age: int, group: _Group, surname: str | None
    ) -> _Member:
        rng = self.rng
        birth_year = max(self.year - min(age, OLDEST_AGE), registers.EARLIEST_BIRTH_YEAR)
        birth_year = min(birth_year, self.latest_birth_year)
        age = self.year - birth_year
        member = _Member(
            self.new_id(), relationship, sex, age, group, surname, birth_year=birth_year
        )
        member.full_name, member.surname = self.name(group, sex, birth_year, surname)
        # Older people often know only their year of birth; a child born in
        # the report year is recorded by year until the date is certain.
        p_date = 0.55 if birth_year < 1960 else 0.88
        if birth_year < self.year and rng.random() < p_date:
            days = 366 if _leap(birth_year) else 365
            member.birth_date = date(birth_year, 1, 1) + timedelta(days=rng.randrange(days))
        member.disabled = age >= 3 and rng.random() < DISABLED_SHARE
        member.grade = self.grade(group.schooling, sex, age, birth_year, member.disabled)
        member.literacy_stage = self.literacy(group.schooling, age, member)
        return member

    def name(
        self, group: _Group, sex: str, birth_year: int, surname: str | None
    ) -> tuple[str, str | None]:
        rng = self.rng
        form = group.pool(f"{'male' if sex == 'M' else 'female'}_forms", birth_year)(rng)
        used: set[str] = set()
        chosen_surname = None

        def fill(match: re.Match[str]) -> str:
            nonlocal chosen_surname
            key = match.group(1)
            if key == "surname":
                chosen_surname = surname or group.pool("surname", birth_year)(rng)
                return chosen_surname
            pick = group.pool(key, birth_year)
            value = pick(rng)
            for _ in range(4):  # no "Ngọc Ngọc": draw again (bounded, so still deterministic)
                if value not in used:
                    break
                value = pick(rng)
            used.add(value)
            return value

        return _PLACEHOLDER.sub(fill, form), chosen_surname

    def grade(
        self, schooling: _Schooling, sex: str, age: int, birth_year: int, disabled: bool
    ) -> int:
        rng = self.rng
        # Ages count by year of birth, as in the survey: at 6 a child has
        # completed no grade yet, at 10 at most grade 4.
        cap = min(registers.MAX_GRADE, age - 6)
        if cap <= 0:
            return 0
        if disabled:
            return 0 if rng.random() < 0.8 else min(cap, rng.randint(1, 2))
        if age <= 18:
            grade = cap if rng.random() < 0.8 else cap - 1
            if age >= 14 and grade > 5 and rng.random() < schooling.dropout:
                grade = rng.randint(5, grade)
            return grade
        cohort = 0 if birth_year < _COHORTS[0] else 1 if birth_year < _COHORTS[1] else 2
        if sex == "F" and rng.random() < schooling.women_no_school[cohort]:
            return min(cap, (0, 0, 0, 1, 2)[rng.randrange(5)])
        return min(cap, schooling.cohorts[cohort](rng))

    def literacy(self, schooling: _Schooling, age: int, member: _Member) -> int:
        if age < 15 or member.grade > 2 or member.disabled:
            return 0
        draw = self.rng.random()
        if age > 60:
            draw *= 2  # the programme reached fewer of the old
        stage1, stage2 = schooling.literacy
        if draw < stage2:
            return 2
        if draw < stage1 + stage2:
            return 1
        return 0

    def finish(self, members: list[_Member]) -> None:
        """Residence: a few households are temporary; some members left or died."""
        rng = self.rng
        temporary = rng.random() < HOUSEHOLD_TEMPORARY_SHARE
        for index, member in enumerate(members):
            if temporary:
                member.residence = "tam_tru"
                continue
            if index == 0:
                continue  # the head lives here
            draw = rng.random()
            died = 0.08 if member.age >= 60 else 0.002
            moved = 0.07 if 18 <= member.age <= 35 else 0.005
            if draw < died:
                member.residence = "da_mat"
            elif draw < died + moved:
                member.residence = "chuyen_di"
            elif draw < died + moved + PERSON_TEMPORARY_SHARE:
                member.residence = "tam_tru"


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` by ``weights``, at least 1 each (largest remainders)."""
    if not weights:
        return []
    spare = total - len(weights)
    whole = sum(weights)
    shares = [spare * w / whole for w in weights]
    quotas = [1 + int(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: (int(shares[i]) - shares[i], i))
    for i in by_remainder[: total - sum(quotas)]:
        quotas[i] += 1
    return quotas


# --- The service -----------------------------------------------------------


class DemoService:
    """Fills an empty commune register with a generated population."""

    def __init__(self, context: AppContext) -> None:
        self.context = context

    def generate(self, persons: int, seed: int, year: int) -> DemoSummary:
        """Create ``persons`` persons in households and villages, all in one transaction.

        Args:
            persons: Exactly how many persons to create (0 creates nothing).
            seed: The same seed (and year) gives the same commune, ids included.
            year: The report year; ages and schooling are counted against it.

        Raises:
            DemoRefused: if this is not a commune, or its register is not empty.
        """
        if persons < 0:
            raise ValueError("persons must not be negative")
        info = self.context.setup.require()
        if info.role != "commune" or not info.commune_name:
            raise DemoRefused(
                "Dữ liệu mẫu chỉ tạo được cho cơ sở dữ liệu cấp xã. Hãy dùng một tệp riêng, "
                "ví dụ: xhht --db xa-mau.sqlite demo"
            )
        generator = _Generator(population(), random.Random(seed), year, info.commune_name)
        writer = _Writer(info.owner_code, utcnow())
        criteria = {}
        for model in MODEL_CODES:
            try:
                criteria[model] = self.context.learning_models.criteria(model)
            except NotFound:
                continue  # no criteria set loads: registrations only
        aggregate_forms = self.context.aggregates.forms()
        with self.context.transaction() as session:
            counts = repositories.counts(session)
            if any(counts.values()):
                raise DemoRefused(
                    f"Sổ đã có dữ liệu ({counts['villages']} thôn/tổ dân phố, "
                    f"{counts['households']} hộ, {counts['persons']} nhân khẩu). Dữ liệu mẫu "
                    "chỉ tạo được trên một cơ sở dữ liệu trống, ví dụ: xhht --db xa-mau.sqlite demo"
                )
            villages = generator.villages(persons)
            writer.villages(session, villages)
            heads: list[tuple[str, _Village, _Member]] = []
            for village in villages:
                for household in generator.households(village):
                    writer.household(session, household)
                    heads.append((household.id, village, household.members[0]))
            writer.flush(session)
            # The learning models draw from their own generator, so that the
            # population of a seed stays what it was before they existed.
            models = _ModelsDrawer(
                random.Random(f"{seed}-models"),
                _Generator(population(), random.Random(f"{seed}-names"), year, info.commune_name),
                year,
                info,
                writer.identity,
                criteria,
                aggregate_forms,
            )
            drawn = models.write(session, villages, heads)
            # The audit hook sees only ORM flushes; Core inserts are logged here,
            # once per register.
            for entity, count in (
                ("villages", len(villages)),
                ("households", writer.households_written),
                ("persons", writer.persons_written),
                ("clans", drawn.clans),
                ("units", drawn.units),
                ("decisions", drawn.decisions),
                ("model_entries", drawn.entries),
                ("aggregate_values", drawn.aggregates),
            ):
                if count:
                    audit.log_bulk(session, entity, "bulk_create", count, "bản ghi dữ liệu mẫu")
        return DemoSummary(
            len(villages),
            writer.households_written,
            writer.persons_written,
            clans=drawn.clans,
            units=drawn.units,
            entries=drawn.entries,
            decisions=drawn.decisions,
            aggregates=drawn.aggregates,
        )


class _Writer:
    """Buffers rows and writes them with Core executemany, parents before children."""

    def __init__(self, owner: str, now: datetime) -> None:
        self.identity = {
            "commune_code": owner,
            "created_at": now,
            "updated_at": now,
            "revision": 1,
            "deleted_at": None,
        }
        self.household_rows: list[dict[str, Any]] = []
        self.person_rows: list[dict[str, Any]] = []
        self.households_written = 0
        self.persons_written = 0
        self._keys: dict[str, tuple[str, str]] = {}

    def name_keys(self, full_name: str) -> tuple[str, str]:
        """``(name_key, sort_key)`` as ``Person.refresh_derived`` computes them."""
        # Names repeat a lot ("Nguyễn Văn Hùng"); computing each once halves the time.
        keys = self._keys.get(full_name)
        if keys is None:
            keys = (vntext.fold(full_name), vntext.person_sort_key(full_name))
            self._keys[full_name] = keys
        return keys

    def villages(self, session: Session, villages: list[_Village]) -> None:
        rows = [
            {
                **self.identity,
                "id": v.id,
                "kind": v.kind,
                "name": v.name,
                "name_key": vntext.fold(v.name),
                "sort_key": vntext.sort_key(v.name),
            }
            for v in villages
        ]
        _insert(session, Village.__table__, rows)  # type: ignore[arg-type]

    def household(self, session: Session, household: _Household) -> None:
        head_name = household.members[0].full_name
        self.household_rows.append(
            {
                **self.identity,
                "id": household.id,
                "code": household.code,
                "village_id": household.village.id,
                "head_name": head_name,
                "address": household.address,
                "search_key": vntext.search_key(household.code, head_name, household.address),
                "sort_key": self.name_keys(head_name)[1],
            }
        )
        for member in household.members:
            name_key, sort_key = self.name_keys(member.full_name)
            self.person_rows.append(
                {
                    **self.identity,
                    "id": member.id,
                    "household_id": household.id,
                    "full_name": member.full_name,
                    "relationship_to_head": member.relationship,
                    "birth_date": member.birth_date,
                    "birth_year": member.birth_year,
                    "sex": member.sex,
                    "ethnicity_code": member.group.code,
                    "grade": member.grade,
                    "literacy_stage": member.literacy_stage,
                    "disabled": member.disabled,
                    "residence": member.residence,
                    "name_key": name_key,
                    "sort_key": sort_key,
                }
            )
        if len(self.person_rows) >= BATCH:
            self.flush(session)

    def flush(self, session: Session) -> None:
        _insert(session, Household.__table__, self.household_rows)  # type: ignore[arg-type]
        _insert(session, Person.__table__, self.person_rows)  # type: ignore[arg-type]
        self.households_written += len(self.household_rows)
        self.persons_written += len(self.person_rows)
        self.household_rows = []
        self.person_rows = []


def _insert(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(table), rows)


# --- The learning models ------------------------------------------------------

REGISTERED_SHARE: Mapping[str, float] = {"gdht": 0.72, "dhht": 0.7, "cdht": 0.68, "dvht": 0.74}
"""Share of each model's subjects that register (the plans ask for 60–70%)."""
EVALUATED_SHARE = 0.93
RECOGNISED_SHARE = 0.96
"""Of the subjects that passed, those already recognised by the year's decisions."""
CLAN_GROUPS = ("kinh", "tay", "nung", "mong")
"""Peoples whose families form clans by family name (matrilineal peoples aside)."""
CLAN_MIN_HOUSEHOLDS = 3
SCORE_SHEETS = 300
_FEW = re.compile(r"^(tong )?(so )?(truong|trung tam|tthtcd|thu vien|nha van hoa|buu dien|diem)")


@dataclass(frozen=True)
class _Drawn:
    clans: int = 0
    units: int = 0
    entries: int = 0
    decisions: int = 0
    aggregates: int = 0


class _ModelsDrawer:
    """Clans, units, a year of the four models, aggregate figures: all drawn, then inserted.

    Scores go through the criteria set's own ``forms.score`` (never added up
    here), each sheet of a pool once.
    """

    def __init__(
        self,
        rng: random.Random,
        names: _Generator,
        year: int,
        info: Any,
        identity: Mapping[str, Any],
        criteria: Mapping[str, Any],
        aggregate_forms: Sequence[Any],
    ) -> None:
        self.rng = rng
        self.names = names
        self.year = year
        self.identity = dict(identity)
        self.criteria = criteria
        self.aggregate_forms = aggregate_forms
        self.commune = info.commune_name[:1].lower() + info.commune_name[1:]
        self.place = re.sub(r"^(xã|phường|thị trấn|đặc khu)\s+", "", self.commune)
        self.signer = (info.signer_name or "Nguyễn Văn Minh", info.signer_title or "Chủ tịch")
        self.today = date.today()
        self._scored: dict[str, list[tuple[dict[str, object], Any]]] = {}

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def person_name(self) -> str:
        group = self.names.population.groups["kinh"]
        sex = "M" if self.rng.random() < 0.6 else "F"
        return self.names.name(group, sex, self.rng.randint(1965, 1990), None)[0]

    def write(
        self, session: Session, villages: list[_Village], heads: list[tuple[str, _Village, _Member]]
    ) -> _Drawn:
        if not villages:
            return _Drawn()
        clans = self.clans(session, heads)
        units = self.units(session, villages)
        contacts = {h[0]: h[2].full_name for h in heads}
        subjects: dict[str, list[tuple[str, str]]] = {
            "gdht": [(household_id, contacts[household_id]) for household_id, _v, _m in heads],
            "dhht": clans,
            "cdht": [(v.id, "") for v in villages],
            "dvht": units,
        }
        entries, decisions = self.entries(session, subjects)
        aggregates = self.aggregates(session, villages)
        return _Drawn(len(clans), len(units), entries, decisions, aggregates)

    # Clans and units

    def clans(
        self, session: Session, heads: list[tuple[str, _Village, _Member]]
    ) -> list[tuple[str, str]]:
        families: dict[tuple[str, str, str], list[tuple[str, _Village, _Member]]] = {}
        for household_id, village, head in heads:
            if head.group.key in CLAN_GROUPS and head.surname:
                key = (head.group.key, head.surname, village.id)
                families.setdefault(key, []).append((household_id, village, head))
        rows: list[dict[str, Any]] = []
        members: list[dict[str, Any]] = []
        chosen: list[tuple[str, str]] = []
        for (group_key, surname, _village_id), households in families.items():
            if len(households) < CLAN_MIN_HOUSEHOLDS:
                continue
            village = households[0][1]
            people = ethnicity.by_code(households[0][2].group.code)
            label = "" if group_key == "kinh" or people is None else f" ({people.name})"
            name = f"Họ {surname}{label}, {village.name}"
            eldest = max(households, key=lambda item: item[2].age)[2].full_name
            clan_id = self.new_id()
            rows.append(
                {
                    **self.identity,
                    "id": clan_id,
                    "name": name,
                    "contact_person": eldest,
                    "note": f"Trưởng họ: {eldest}",
                    "name_key": vntext.fold(name),
                    "sort_key": vntext.sort_key(name),
                }
            )
            members += [{"hid": item[0], "cid": clan_id} for item in households]
            chosen.append((clan_id, eldest))
        _insert(session, Clan.__table__, rows)  # type: ignore[arg-type]
        if members:
            table = Household.__table__
            session.execute(
                update(table)
                .where(table.c.id == bindparam("hid"))
                .values(clan_id=bindparam("cid")),
                members,
            )
        return chosen

    def units(self, session: Session, villages: list[_Village]) -> list[tuple[str, str]]:
        rows: list[dict[str, Any]] = []
        for template in self.names.population.units:
            name = template.name.format(commune=self.commune, place=self.place)
            village = villages[0] if template.central else self.rng.choice(villages)
            head = self.person_name()
            rows.append(
                {
                    **self.identity,
                    "id": self.new_id(),
                    "name": name,
                    "kind": template.kind,
                    "address": f"{village.name}, {self.commune}",
                    "head_name": head,
                    "staff_count": self.rng.randint(*template.staff),
                    "village_id": village.id,
                    "name_key": vntext.fold(name),
                    "sort_key": vntext.sort_key(name),
                }
            )
        _insert(session, Unit.__table__, rows)  # type: ignore[arg-type]
        return [(row["id"], row["head_name"]) for row in rows]

    # The year's cycle

    def day(self, month: int, first: int, spread: int) -> date:
        return min(
            date(self.year, month, first) + timedelta(days=self.rng.randrange(spread)), self.today
        )

    def scores(self, definition: Any) -> tuple[dict[str, object], Any]:
        """A score sheet and its result, drawn from a pool of sheets scored once each.

        Scoring through the criteria set costs some 70 µs; a pool keeps a
        demo of 50,000 households from paying it 35,000 times.
        """
        pool = self._scored.get(definition.id)
        if pool is None:
            pool = self._scored[definition.id] = [
                self.draw_scores(definition) for _ in range(SCORE_SHEETS)
            ]
        return self.rng.choice(pool)

    def draw_scores(self, definition: Any) -> tuple[dict[str, object], Any]:
        rng = self.rng
        quality = min(1.0, max(0.45, rng.gauss(0.88, 0.08)))
        values: dict[str, object] = {}
        for field in definition.scored_fields:
            maximum = getattr(field.type, "max", None)
            if maximum is None:
                values[field.id] = rng.random() < quality + 0.05
                continue
            share = min(1.0, max(0.2, quality + rng.gauss(0, 0.07)))
            values[field.id] = Decimal(round(float(maximum) * share))
        return values, score(definition, values)

    def entries(
        self, session: Session, subjects: Mapping[str, list[tuple[str, str]]]
    ) -> tuple[int, int]:
        rng = self.rng
        signer_name, signer_title = self.signer
        first = rng.randint(150, 240)
        decided = [self.day(12, 10, 5), self.day(12, 18, 5)]
        decisions = [
            {
                **self.identity,
                "id": self.new_id(),
                "year": self.year,
                "number": f"{number}/QĐ-UBND",
                "decided_on": decided[index],
                "signer_name": signer_name,
                "signer_title": signer_title,
                "summary": summary,
            }
            for index, (number, summary) in enumerate(
                (
                    (
                        first,
                        "Về việc công nhận danh hiệu Gia đình học tập, Dòng họ học tập "
                        f"năm {self.year}",
                    ),
                    (
                        first + rng.randint(1, 9),
                        "Về việc công nhận danh hiệu Cộng đồng học tập "
                        f"cấp thôn, Đơn vị học tập năm {self.year}",
                    ),
                )
            )
        ]
        rows: list[dict[str, Any]] = []
        used: set[int] = set()
        for model in MODEL_CODES:
            definition = self.criteria.get(model)
            decision = 0 if model in ("gdht", "dhht") else 1
            # Exactly the share (not a coin per subject), so that a commune of
            # five villages has three registered, not one or five.
            candidates = subjects[model]
            chosen = set(
                rng.sample(range(len(candidates)), round(len(candidates) * REGISTERED_SHARE[model]))
            )
            for index, (subject_id, contact) in enumerate(candidates):
                if index not in chosen:
                    continue
                registered_on = self.day(1, 2, 60)
                row: dict[str, Any] = {
                    **self.identity,
                    "id": self.new_id(),
                    "model": model,
                    "year": self.year,
                    "subject_id": subject_id,
                    "registered_on": registered_on,
                    "registered_by": contact,
                    "criteria_id": None,
                    "criteria_version": None,
                    "scores": "",
                    "score_notes": "",
                    "total": "",
                    "passed": None,
                    "evaluated_on": None,
                    "evaluation_note": "",
                    "decision_id": None,
                    "override_reason": "",
                    "refused_on": None,
                    "refusal_reason": "",
                    "revoked_on": None,
                    "revocation_reason": "",
                }
                rows.append(row)
                evaluated_on = max(self.day(11, 5, 25), registered_on)
                if definition is None or evaluated_on.year < self.year:
                    continue
                if rng.random() >= EVALUATED_SHARE:
                    continue
                values, result = self.scores(definition)
                row.update(
                    criteria_id=definition.id,
                    criteria_version=definition.version,
                    scores=json.dumps(
                        {
                            k: v if isinstance(v, bool) else plain_number(v)  # type: ignore[arg-type]
                            for k, v in values.items()
                        },
                        ensure_ascii=False,
                        sort_keys=True,
                    ),
                    total=plain_number(result.total),
                    passed=result.passed,
                    evaluated_on=evaluated_on,
                )
                on = decided[decision]
                if on.year < self.year or on < evaluated_on:
                    continue
                if result.passed and rng.random() < RECOGNISED_SHARE:
                    row["decision_id"] = decisions[decision]["id"]
                    used.add(decision)
                elif not result.passed and rng.random() < 0.5:
                    row["refused_on"] = on
                    row["refusal_reason"] = (
                        f"Chưa đạt: {format_number(result.total)} điểm, "
                        "dưới mức điểm công nhận của bộ tiêu chí."
                    )
        kept = [decisions[index] for index in sorted(used)]
        _insert(session, Decision.__table__, kept)  # type: ignore[arg-type]
        for start in range(0, len(rows), BATCH):
            _insert(session, ModelEntry.__table__, rows[start : start + BATCH])  # type: ignore[arg-type]
        return len(rows), len(kept)

    # Aggregate figures

    def figures(self, definition: Any, base: int) -> dict[str, object] | None:
        rng = self.rng
        values: dict[str, object] = {}
        for field in definition.fields:
            kind = field.type.name
            if kind in ("integer", "decimal"):
                low = int(field.type.min) if field.type.min is not None else 0
                high = int(field.type.max) if field.type.max is not None else None
                # Counts of places (schools, centres, libraries) are small.
                few = _FEW.match(vntext.fold(field.label)) is not None
                value = max(
                    low, round((rng.randint(1, 4) if few else base) * rng.uniform(0.5, 1.0))
                )
                values[field.id] = min(value, high) if high is not None else value
            elif kind == "yes_no":
                values[field.id] = rng.random() < 0.85
            elif kind == "choice":
                values[field.id] = rng.choice(sorted(field.type.choices))
        for _attempt in range(6):
            checked = check_record(definition, values)
            if checked.valid:
                return checked.values
            for issue in checked.issues:
                field = definition.field(issue.field)
                others = [
                    values[name]
                    for name in (fields_of(field.check) if field.check is not None else ())
                    if name != field.id and isinstance(values.get(name), int)
                ]
                if others:
                    values[field.id] = int(min(others) * rng.uniform(0.5, 0.97))  # type: ignore[call-overload]
                else:
                    values.pop(field.id, None)
        return None

    def aggregates(self, session: Session, villages: list[_Village]) -> int:
        rows: list[dict[str, Any]] = []
        for definition in self.aggregate_forms:
            scopes: list[str | None] = (
                [v.id for v in villages] if definition.scope == "village" else [None]
            )
            for village_id in scopes:
                base = self.rng.randint(150, 900) if village_id else self.rng.randint(300, 3000)
                values = self.figures(definition, base)
                if values is None:
                    continue
                rows.append(
                    {
                        **self.identity,
                        "id": self.new_id(),
                        "definition_id": definition.id,
                        "definition_version": definition.version,
                        "year": self.year,
                        "village_id": village_id,
                        "figures": stored_figures(definition, values),
                    }
                )
        _insert(session, AggregateValue.__table__, rows)  # type: ignore[arg-type]
        return len(rows)
