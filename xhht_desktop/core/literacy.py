"""Literacy rules of Nghị định 20/2014/NĐ-CP (phổ cập giáo dục, xóa mù chữ).

Everything the literacy survey counts follows from the rules in this module,
so the screen, the command line and the printed reports cannot disagree:

* **Art. 19** — a person reaches *level 1* (biết chữ mức độ 1) by completing
  stage 1 of the literacy programme or grade 3 of primary school, *level 2* by
  completing stage 2 or all of primary school (grade 5). Level 2 implies 1.
* **Art. 17** — the literacy target group is aged 15 to 60. A 2023 draft
  amendment proposes 15 to 62, so the upper age is a setting.
* **Art. 20** — a commune meets the *level 1 standard* when at least 90% of its
  people aged 15–35 reach level 1 (15–25 in communes with especially difficult
  socio-economic conditions); a district when 90% of its communes meet it, a
  province when 90% of its districts do.
* **Art. 21** — a commune meets the *level 2 standard* when at least 90% of its
  people aged 15–60 reach level 2 (15–35 in especially difficult communes); a
  district with 90% of its communes, a province with 100% of its districts.
  The text of Art. 21 does not make the level 1 standard a condition of the
  level 2 standard, so the two verdicts are independent here.

Ages are counted by year of birth (age = survey year − birth year), as the
universal-education surveys do. Permanent and temporary residents are counted;
people who moved away or died are not. People with a disability that prevents
learning are exempt: listed apart and left out of every rate.

The module is pure: the store turns the database into :class:`GroupCount`
rows (one per birth year × sex × ethnicity × village × exemption × level), and
the functions here turn those rows into rates, standards and tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import pairwise
from typing import Any

from xhht_desktop.core.registers import COUNTED_RESIDENCES

# --- Art. 19: a person's literacy level ------------------------------------

NOT_LITERATE = 0
LEVEL_1 = 1
LEVEL_2 = 2
LEVELS: tuple[int, int] = (LEVEL_1, LEVEL_2)

LEVEL_1_MIN_GRADE = 3
"""Completing grade 3 of primary school gives level 1."""
LEVEL_1_MIN_STAGE = 1
"""Completing stage 1 of the literacy programme gives level 1."""
LEVEL_2_MIN_GRADE = 5
"""Completing primary school (grade 5) gives level 2."""
LEVEL_2_MIN_STAGE = 2
"""Completing stage 2 of the literacy programme gives level 2."""


@dataclass(frozen=True)
class LevelRule:
    """A level and what reaches it: a grade completed *or* a programme stage."""

    level: int
    min_grade: int
    min_stage: int


LEVEL_RULES: tuple[LevelRule, ...] = (
    LevelRule(LEVEL_2, LEVEL_2_MIN_GRADE, LEVEL_2_MIN_STAGE),
    LevelRule(LEVEL_1, LEVEL_1_MIN_GRADE, LEVEL_1_MIN_STAGE),
)
"""Highest level first: the first rule a person satisfies gives their level.

The store builds its SQL ``CASE`` from this tuple, so the database and
:func:`level` apply the same thresholds.
"""

LEVEL_LABELS: dict[int, str] = {
    NOT_LITERATE: "Chưa biết chữ",
    LEVEL_1: "Mức độ 1",
    LEVEL_2: "Mức độ 2",
}


def level(grade: int, stage: int) -> int:
    """Return the literacy level (0, 1 or 2) of a person (Art. 19).

    Args:
        grade: Highest grade of general education completed (0–12).
        stage: Stage of the literacy programme completed (0, 1 or 2).
    """
    for rule in LEVEL_RULES:
        if grade >= rule.min_grade or stage >= rule.min_stage:
            return rule.level
    return NOT_LITERATE


def is_literate(grade: int, stage: int, at_level: int = LEVEL_1) -> bool:
    """Whether a person reaches ``at_level`` (level 2 counts as level 1 too)."""
    return level(grade, stage) >= at_level


def age(birth_year: int, year: int) -> int:
    """Age in the survey of ``year``: counted by year of birth, as the surveys do."""
    return year - birth_year


def is_counted(residence: str) -> bool:
    """Whether a residence status is counted (thường trú, tạm trú)."""
    return residence in COUNTED_RESIDENCES


# --- Art. 17, 20, 21: bands, settings, standards ---------------------------

TARGET_MIN_AGE = 15
DEFAULT_UPPER_AGE = 60
DRAFT_UPPER_AGE = 62
"""Upper age of the target group in the 2023 draft amendment (not in force)."""
MAX_AGE = 120

STANDARD_THRESHOLD_PERCENT = 90
"""Art. 20–21: share of a commune's people, or of a district's communes."""
PROVINCE_THRESHOLD_PERCENT: dict[int, int] = {LEVEL_1: 90, LEVEL_2: 100}
"""Art. 20.3 and 21.3: share of a province's districts."""


@dataclass(frozen=True, order=True)
class Band:
    """An age band, both ends included (15–35 holds people aged 15 to 35)."""

    age_from: int
    age_to: int

    def __contains__(self, person_age: object) -> bool:
        return isinstance(person_age, int) and self.age_from <= person_age <= self.age_to

    @property
    def label(self) -> str:
        return f"{self.age_from}–{self.age_to}"

    def birth_years(self, year: int) -> tuple[int, int]:
        """Earliest and latest birth year of the band in the survey of ``year``."""
        return year - self.age_to, year - self.age_from


LEVEL_1_BAND = Band(15, 35)
LEVEL_1_DIFFICULT_BAND = Band(15, 25)
LEVEL_2_DIFFICULT_BAND = Band(15, 35)
DEFAULT_BANDS: tuple[Band, ...] = (Band(15, 25), Band(15, 35), Band(15, 60))


@dataclass(frozen=True)
class LiteracySettings:
    """The literacy settings of one database (stored, editable by the commune).

    Attributes:
        bands: The age bands of the rate tables and the statistical table.
        upper_age: Upper age of the target group (Art. 17): 60, or 62 under
            the draft amendment. The level 2 standard's band ends here too,
            because Art. 17 and Art. 21 name the same age and the draft moves
            them together.
        difficult_area: The commune has especially difficult socio-economic
            conditions: the level 1 standard uses 15–25 instead of 15–35 and
            the level 2 standard 15–35 instead of 15 to the upper age.
        threshold_percent: The share Art. 20–21 ask for (90).
    """

    bands: tuple[Band, ...] = DEFAULT_BANDS
    upper_age: int = DEFAULT_UPPER_AGE
    difficult_area: bool = False
    threshold_percent: int = STANDARD_THRESHOLD_PERCENT

    @property
    def target_band(self) -> Band:
        """The literacy target group: 15 to the upper age."""
        return Band(TARGET_MIN_AGE, self.upper_age)

    def standard_band(self, standard_level: int) -> Band:
        """The band whose rate decides the commune's standard at a level."""
        if standard_level == LEVEL_1:
            return LEVEL_1_DIFFICULT_BAND if self.difficult_area else LEVEL_1_BAND
        if standard_level == LEVEL_2:
            return LEVEL_2_DIFFICULT_BAND if self.difficult_area else self.target_band
        raise ValueError(f"no literacy level {standard_level}")

    def report_bands(self) -> tuple[Band, ...]:
        """The configured bands, then any band a standard or the target group needs."""
        extra = {self.target_band, *(self.standard_band(lv) for lv in LEVELS)}
        return (*self.bands, *sorted(extra - set(self.bands)))

    def to_json(self) -> dict[str, Any]:
        return {
            "bands": [[band.age_from, band.age_to] for band in self.bands],
            "upper_age": self.upper_age,
            "difficult_area": self.difficult_area,
            "threshold_percent": self.threshold_percent,
        }

    @classmethod
    def from_json(cls, data: object) -> LiteracySettings:
        """Read stored settings; a missing key takes its default.

        Raises:
            ValueError: when the stored value is not settings of this shape.
        """
        if not isinstance(data, dict):
            raise ValueError("literacy settings must be a JSON object")
        default = cls()
        bands = data.get("bands")
        parsed = cls(
            bands=default.bands if bands is None else _parse_bands(bands),
            upper_age=_int(data.get("upper_age", default.upper_age)),
            difficult_area=_bool(data.get("difficult_area", default.difficult_area)),
            threshold_percent=_int(data.get("threshold_percent", default.threshold_percent)),
        )
        problems = settings_problems(parsed)
        if problems:
            raise ValueError("; ".join(message for _, message in problems))
        return parsed


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"not an integer: {value!r}")
    return value


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"not true/false: {value!r}")
    return value


def _parse_bands(value: object) -> tuple[Band, ...]:
    if not isinstance(value, list):
        raise ValueError("bands must be a list of [from, to] pairs")
    bands = []
    for item in value:
        if not isinstance(item, list) or len(item) != 2:
            raise ValueError(f"not a [from, to] pair: {item!r}")
        bands.append(Band(_int(item[0]), _int(item[1])))
    return tuple(bands)


def settings_problems(settings: LiteracySettings) -> list[tuple[str, str]]:
    """Every problem of ``settings`` as (field, Vietnamese message) pairs."""
    problems: list[tuple[str, str]] = []
    if not settings.bands:
        problems.append(("bands", "Cần ít nhất một nhóm tuổi."))
    for band in settings.bands:
        if not 0 <= band.age_from <= band.age_to <= MAX_AGE:
            problems.append(
                (
                    "bands",
                    f"Nhóm tuổi {band.label} không hợp lệ: tuổi đầu phải nhỏ hơn hoặc bằng "
                    f"tuổi cuối, trong khoảng 0–{MAX_AGE}.",
                )
            )
    if len(set(settings.bands)) != len(settings.bands):
        problems.append(("bands", "Có nhóm tuổi bị lặp lại."))
    if not LEVEL_2_DIFFICULT_BAND.age_to <= settings.upper_age <= MAX_AGE:
        problems.append(
            (
                "upper_age",
                f"Tuổi cao nhất của đối tượng xóa mù chữ phải từ "
                f"{LEVEL_2_DIFFICULT_BAND.age_to} đến {MAX_AGE} (theo quy định hiện hành là "
                f"{DEFAULT_UPPER_AGE}).",
            )
        )
    if not 1 <= settings.threshold_percent <= 100:
        problems.append(("threshold_percent", "Tỷ lệ chuẩn phải từ 1% đến 100%."))
    return problems


# --- Exact rates -----------------------------------------------------------


def fraction(numerator: int, denominator: int) -> Fraction | None:
    """The exact rate, or ``None`` when nobody is counted (never a silent 0)."""
    return Fraction(numerator, denominator) if denominator else None


def percent(numerator: int, denominator: int, digits: int = 2) -> float | None:
    """``numerator / denominator × 100`` rounded half up to ``digits`` decimals.

    Integer arithmetic throughout: 2/3 gives 66.67 and 1/8 gives 12.5 on every
    machine; ``None`` when nobody is counted.
    """
    if not denominator:
        return None
    scale = 10**digits
    whole, remainder = divmod(numerator * 100 * scale, denominator)
    if 2 * remainder >= denominator:
        whole += 1
    return whole / scale


def meets(counted: int, literate: int, threshold_percent: int) -> bool:
    """Whether ``literate`` is at least ``threshold_percent`` of ``counted``.

    Nobody counted means nothing to meet the standard with: not met.
    """
    return counted > 0 and literate * 100 >= threshold_percent * counted


def needed(counted: int, literate: int, threshold_percent: int) -> int:
    """How many more literate people the threshold needs (0 when it is met).

    ``ceil(threshold × counted / 100) − literate`` in integers: with 1,000
    people counted and 899 literate, one more is needed.
    """
    required = -(-threshold_percent * counted // 100)
    return max(0, required - literate)


# --- Aggregation of the store's group rows ---------------------------------

SEX_KEYS: dict[str, str] = {"M": "male", "F": "female"}
ALL = "all"
SEX_ORDER: tuple[str, ...] = (ALL, "male", "female")


@dataclass(frozen=True)
class GroupCount:
    """How many live, counted people share these attributes (one SQL group).

    Attributes:
        birth_year: Their year of birth; in the statistical table's groups,
            the latest birth year of their age segment (see
            :func:`age_segments`), which falls in the same bands.
        sex: ``"M"`` or ``"F"``; empty where the query did not group by it.
        ethnicity_code: Two-digit 2008 code; empty where not grouped by it.
        disabled: Exempt: a disability that prevents learning.
        level: Literacy level 0, 1 or 2 (:func:`level`).
        count: How many people.
        village_id: Their village, where the query grouped by it.
    """

    birth_year: int
    sex: str
    ethnicity_code: str
    disabled: bool
    level: int
    count: int
    village_id: str | None = None


@dataclass(frozen=True)
class Figures:
    """Counts of one band (and sex, ethnicity or village): who is counted, who reads.

    Attributes:
        counted: People in the band, exempt people left out.
        level_1: Of those, how many reach level 1 (level 2 included).
        level_2: Of those, how many reach level 2.
        exempt: People in the band with a disability that prevents learning.
    """

    counted: int = 0
    level_1: int = 0
    level_2: int = 0
    exempt: int = 0

    def literate(self, at_level: int) -> int:
        if at_level == LEVEL_1:
            return self.level_1
        if at_level == LEVEL_2:
            return self.level_2
        raise ValueError(f"no literacy level {at_level}")

    def fraction(self, at_level: int) -> Fraction | None:
        return fraction(self.literate(at_level), self.counted)

    def percent(self, at_level: int) -> float | None:
        return percent(self.literate(at_level), self.counted)

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.counted + other.counted,
            self.level_1 + other.level_1,
            self.level_2 + other.level_2,
            self.exempt + other.exempt,
        )


class _Tally:
    __slots__ = ("counted", "exempt", "level_1", "level_2")

    def __init__(self) -> None:
        self.counted = self.level_1 = self.level_2 = self.exempt = 0

    def add(self, group: GroupCount) -> None:
        if group.disabled:
            self.exempt += group.count
            return
        self.counted += group.count
        if group.level >= LEVEL_1:
            self.level_1 += group.count
        if group.level >= LEVEL_2:
            self.level_2 += group.count

    def merge(self, other: _Tally) -> None:
        self.counted += other.counted
        self.level_1 += other.level_1
        self.level_2 += other.level_2
        self.exempt += other.exempt

    def figures(self) -> Figures:
        return Figures(self.counted, self.level_1, self.level_2, self.exempt)


FigureKey = tuple[Band, str, str | None]
"""(band, ``"all"``/``"male"``/``"female"``, ethnicity code or ``None`` for all)."""


def tally(
    groups: Iterable[GroupCount], year: int, bands: Sequence[Band]
) -> dict[FigureKey, Figures]:
    """Add group rows up into figures per band × sex × ethnicity.

    Every key for every band and for every ethnicity present in ``groups`` is
    in the result, with zero figures where nobody falls in it.
    """
    # Collapse first to (age, sex, ethnicity): a few hundred cells, so that the
    # bands are added up from those rather than from every group row.
    cells: dict[tuple[int, str, str], _Tally] = {}
    for group in groups:
        key = (
            age(group.birth_year, year),
            SEX_KEYS.get(group.sex, group.sex),
            group.ethnicity_code,
        )
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = _Tally()
        cell.add(group)
    ethnicities: list[str | None] = [None, *sorted({code for _, _, code in cells})]
    totals: dict[FigureKey, _Tally] = {
        (band, sex, code): _Tally() for band in bands for sex in SEX_ORDER for code in ethnicities
    }
    for (person_age, sex, code), cell in cells.items():
        for band in bands:
            if person_age in band:
                for key in (
                    (band, ALL, None),
                    (band, sex, None),
                    (band, ALL, code),
                    (band, sex, code),
                ):
                    totals[key].merge(cell)
    return {key: value.figures() for key, value in totals.items()}


@dataclass(frozen=True)
class Rate:
    """One line of the rate table, as ``xhht literacy --json`` prints it."""

    age_from: int
    age_to: int
    sex: str
    ethnicity: str | None
    level: int
    counted: int
    literate: int
    exempt: int

    @property
    def fraction(self) -> Fraction | None:
        """The exact rate; ``None`` when nobody is counted."""
        return fraction(self.literate, self.counted)

    @property
    def percent(self) -> float | None:
        """The rate in percent, rounded to two decimals; ``None`` when nobody is counted."""
        return percent(self.literate, self.counted)

    def as_dict(self) -> dict[str, Any]:
        return {
            "age_from": self.age_from,
            "age_to": self.age_to,
            "sex": self.sex,
            "ethnicity": self.ethnicity,
            "level": self.level,
            "counted": self.counted,
            "literate": self.literate,
            "exempt": self.exempt,
            "rate": self.percent,
        }


@dataclass(frozen=True)
class StandardVerdict:
    """A commune's verdict on the level 1 (Art. 20) or level 2 (Art. 21) standard."""

    level: int
    band: Band
    counted: int
    literate: int
    threshold_percent: int
    difficult_area: bool

    @property
    def fraction(self) -> Fraction | None:
        return fraction(self.literate, self.counted)

    @property
    def percent(self) -> float | None:
        return percent(self.literate, self.counted)

    @property
    def met(self) -> bool:
        return meets(self.counted, self.literate, self.threshold_percent)

    @property
    def needed(self) -> int:
        """How many more people of the band must reach the level to meet it."""
        return needed(self.counted, self.literate, self.threshold_percent)

    def as_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "age_from": self.band.age_from,
            "age_to": self.band.age_to,
            "counted": self.counted,
            "literate": self.literate,
            "rate": self.percent,
            "threshold": self.threshold_percent,
            "met": self.met,
            "needed": self.needed,
            "difficult_area": self.difficult_area,
        }


@dataclass(frozen=True)
class Standards:
    level_1: StandardVerdict
    level_2: StandardVerdict

    def at(self, standard_level: int) -> StandardVerdict:
        return self.level_1 if standard_level == LEVEL_1 else self.level_2

    def as_dict(self) -> dict[str, Any]:
        return {"level_1": self.level_1.as_dict(), "level_2": self.level_2.as_dict()}


def commune_standard(
    standard_level: int, figures: Figures, settings: LiteracySettings
) -> StandardVerdict:
    """The commune's verdict at a level, from the figures of the level's band."""
    return StandardVerdict(
        level=standard_level,
        band=settings.standard_band(standard_level),
        counted=figures.counted,
        literate=figures.literate(standard_level),
        threshold_percent=settings.threshold_percent,
        difficult_area=settings.difficult_area,
    )


@dataclass(frozen=True)
class ShareVerdict:
    """A district's or province's verdict: the share of its units that meet a level."""

    level: int
    units: int
    units_met: int
    threshold_percent: int

    @property
    def percent(self) -> float | None:
        return percent(self.units_met, self.units)

    @property
    def met(self) -> bool:
        return meets(self.units, self.units_met, self.threshold_percent)

    @property
    def needed(self) -> int:
        return needed(self.units, self.units_met, self.threshold_percent)


def district_standard(standard_level: int, communes: int, communes_met: int) -> ShareVerdict:
    """Art. 20.2 / 21.2: at least 90% of the district's communes meet the level."""
    if standard_level not in LEVELS:
        raise ValueError(f"no literacy level {standard_level}")
    return ShareVerdict(standard_level, communes, communes_met, STANDARD_THRESHOLD_PERCENT)


def province_standard(standard_level: int, districts: int, districts_met: int) -> ShareVerdict:
    """Art. 20.3 / 21.3: 90% of the districts for level 1, all of them for level 2."""
    return ShareVerdict(
        standard_level, districts, districts_met, PROVINCE_THRESHOLD_PERCENT[standard_level]
    )


@dataclass(frozen=True)
class LiteracyReport:
    """Rates of every band × sex × level, overall and per ethnicity, and the standards."""

    year: int
    settings: LiteracySettings
    rates: tuple[Rate, ...]
    standards: Standards
    ethnicities: tuple[str, ...]
    figures: dict[FigureKey, Figures] = field(repr=False, compare=False)

    def rate(self, band: Band, at_level: int, sex: str = ALL, ethnicity: str | None = None) -> Rate:
        """The rate line of one band, level, sex and ethnicity (``None``: all)."""
        figures = self.figures[(band, sex, ethnicity)]
        return _rate(band, sex, ethnicity, at_level, figures)

    def as_dict(self) -> dict[str, Any]:
        """The shape ``xhht literacy --json`` prints."""
        return {
            "year": self.year,
            "rates": [rate.as_dict() for rate in self.rates],
            "standards": self.standards.as_dict(),
        }


def _rate(band: Band, sex: str, ethnicity: str | None, at_level: int, figures: Figures) -> Rate:
    return Rate(
        age_from=band.age_from,
        age_to=band.age_to,
        sex=sex,
        ethnicity=ethnicity,
        level=at_level,
        counted=figures.counted,
        literate=figures.literate(at_level),
        exempt=figures.exempt,
    )


def build_report(
    groups: Iterable[GroupCount], year: int, settings: LiteracySettings
) -> LiteracyReport:
    """Rates and standards of one survey year from the store's group rows."""
    bands = settings.report_bands()
    figures = tally(groups, year, bands)
    ethnicities = tuple(sorted({code for _, _, code in figures if code is not None}))
    rates = tuple(
        _rate(band, sex, code, at_level, figures[(band, sex, code)])
        for code in (None, *ethnicities)
        for band in bands
        for sex in SEX_ORDER
        for at_level in LEVELS
    )
    standards = Standards(
        *(
            commune_standard(lv, figures[(settings.standard_band(lv), ALL, None)], settings)
            for lv in LEVELS
        )
    )
    return LiteracyReport(year, settings, rates, standards, ethnicities, figures)


def birth_year_range(bands: Iterable[Band], year: int) -> tuple[int, int]:
    """Earliest and latest birth year that any of ``bands`` holds in ``year``."""
    bands = list(bands)
    return year - max(b.age_to for b in bands), year - min(b.age_from for b in bands)


# --- The survey's statistical table (biểu thống kê xóa mù chữ) -------------


def age_segments(bands: Iterable[Band]) -> tuple[Band, ...]:
    """Split the ages that ``bands`` cover into disjoint segments.

    Every age of a segment belongs to the same bands, so a count per segment
    is enough to add up any of the bands: (15–25, 15–35, 15–60) gives
    15–25, 26–35, 36–60.
    """
    bands = list(bands)
    cuts = sorted({b.age_from for b in bands} | {b.age_to + 1 for b in bands})
    segments = (Band(start, end - 1) for start, end in pairwise(cuts))
    return tuple(seg for seg in segments if any(seg.age_from in b for b in bands))


@dataclass(frozen=True)
class VillageLine:
    """One row of the statistical table: a village, or the commune's total."""

    village_id: str | None
    village_name: str
    figures: tuple[Figures, ...]
    """One entry per band of the table, in the table's band order."""


@dataclass(frozen=True)
class VillageTable:
    year: int
    bands: tuple[Band, ...]
    lines: tuple[VillageLine, ...]
    total: VillageLine


TOTAL_LABEL = "Toàn xã"
UNKNOWN_VILLAGE_LABEL = "(thôn đã xóa)"


def village_table(
    groups: Iterable[GroupCount],
    year: int,
    bands: Sequence[Band],
    villages: Sequence[tuple[str, str]],
) -> VillageTable:
    """The statistical table: a line per village (in the given order) and a total.

    Args:
        groups: Group rows that carry their village.
        year: Survey year.
        bands: The table's bands.
        villages: ``(id, name)`` of every village, in the order to print them;
            a village with nobody counted still gets its line.
    """
    per_village: dict[tuple[str, Band], _Tally] = {}
    names = dict(villages)
    order = [village_id for village_id, _ in villages]
    for group in groups:
        person_age = age(group.birth_year, year)
        village_id = group.village_id or ""
        if village_id not in names:
            # A live household in a deleted village: still counted, and shown.
            order.append(village_id)
            names[village_id] = UNKNOWN_VILLAGE_LABEL
        for band in bands:
            if person_age in band:
                key = (village_id, band)
                cell = per_village.get(key)
                if cell is None:
                    cell = per_village[key] = _Tally()
                cell.add(group)
    empty = Figures()
    lines = tuple(
        VillageLine(
            village_id,
            names[village_id],
            tuple(
                per_village[(village_id, band)].figures()
                if (village_id, band) in per_village
                else empty
                for band in bands
            ),
        )
        for village_id in order
    )
    total_figures = [empty] * len(bands)
    for line in lines:
        total_figures = [a + b for a, b in zip(total_figures, line.figures, strict=True)]
    return VillageTable(
        year, tuple(bands), lines, VillageLine(None, TOTAL_LABEL, tuple(total_figures))
    )


# --- Data quality of one person's record -----------------------------------

SCHOOL_ENTRY_AGE = 6
EARLIEST_COMPLETION_OFFSET = 5
"""A child completes grade g at age g + 6 counted by birth year (grade 1 is
entered in the year the child turns 6). One year of tolerance covers early
entry and a survey taken before the school year ends: grade g at an age below
g + 5 is flagged."""
STAGE_EQUIVALENT_GRADE: dict[int, int] = {1: LEVEL_1_MIN_GRADE, 2: LEVEL_2_MIN_GRADE}
"""A stage of the literacy programme is worth the grade that gives the same level."""
MAX_PLAUSIBLE_AGE = 110


def earliest_age(grade: int) -> int:
    """The youngest age at which completing ``grade`` is plausible."""
    return grade + EARLIEST_COMPLETION_OFFSET


def quality_issues(*, birth_year: int, grade: int, stage: int, year: int) -> list[str]:
    """What contradicts itself in one person's record, in Vietnamese.

    The checks are tolerant: a record is flagged only where no ordinary
    school career explains it.

    Args:
        birth_year: Year of birth.
        grade: Highest grade completed (0–12).
        stage: Literacy-programme stage completed (0–2).
        year: The survey year the ages are counted in.
    """
    issues: list[str] = []
    person_age = age(birth_year, year)
    if person_age < 0:
        return [f"Năm sinh {birth_year} sau năm điều tra {year}: hãy kiểm tra lại năm sinh."]
    if person_age > MAX_PLAUSIBLE_AGE:
        issues.append(f"{person_age} tuổi (sinh năm {birth_year}): hãy kiểm tra lại năm sinh.")
    if grade >= LEVEL_2_MIN_GRADE and stage > 0:
        issues.append(
            f"Đã hoàn thành lớp {grade} (hết tiểu học) nhưng lại ghi hoàn thành giai đoạn "
            f"{stage} xóa mù chữ: người học hết tiểu học không cần học xóa mù chữ. "
            "Hãy kiểm tra lại lớp hoặc giai đoạn."
        )
    if grade > 0 and person_age < SCHOOL_ENTRY_AGE:
        issues.append(
            f"Mới {person_age} tuổi, chưa đến tuổi vào lớp 1, nhưng ghi đã hoàn thành "
            f"lớp {grade}. Hãy kiểm tra lại năm sinh hoặc lớp."
        )
    elif grade > 0 and person_age < earliest_age(grade):
        issues.append(
            f"{person_age} tuổi mà đã hoàn thành lớp {grade}: sớm nhất là "
            f"{earliest_age(grade)} tuổi. Hãy kiểm tra lại năm sinh hoặc lớp."
        )
    if stage > 0 and person_age < earliest_age(STAGE_EQUIVALENT_GRADE[stage]):
        issues.append(
            f"{person_age} tuổi mà đã hoàn thành giai đoạn {stage} xóa mù chữ: sớm nhất là "
            f"{earliest_age(STAGE_EQUIVALENT_GRADE[stage])} tuổi. Hãy kiểm tra lại năm sinh "
            "hoặc giai đoạn."
        )
    return issues
