"""The indicator registry: every figure a target, the dashboard or a report shows.

An indicator is a share: a numerator over a denominator for one year, e.g.
"households registered for Gia đình học tập" over "households in the
register". Each has a stable code (plans name it), a Vietnamese label, the
unit it counts, the noun a gap sentence uses ("cần thêm 37 hộ đăng ký Gia
đình học tập"), a scope (the smallest level it is computed for: a village,
the commune, or the consolidating office itself) and a source:

* ``register`` — the learning models' yearly entries (the counting query of
  ``store.model_queries``): registered or recognised subjects over the
  subjects in scope;
* ``persons`` — the persons register (literacy): counted residents of an age
  band, sex and ethnicity who reach literacy level 1, exempt people left out
  (Nghị định 20/2014/NĐ-CP, Art. 19);
* ``aggregate`` — the counts a commune enters in an aggregate form
  (``forms/aggregates``), named by form id and field id;
* ``composite`` — a target sentence that asks two things of the same people;
  reached only when every part is.

Each indicator has exactly one compute function, :meth:`Indicator.compute`,
from the :class:`Sources` of a year (read once by ``services.indicators``);
nothing else in the app computes a plan figure. A missing denominator stays
``None`` (or 0 for a register count) and becomes "no data" in the target
check, never 0%.

The module is pure: no database, no Qt.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from xhht_desktop.core.literacy import LEVEL_1, UNKNOWN_VILLAGE_LABEL, Band, GroupCount

# -- vocabularies ------------------------------------------------------------------

GROUPS: dict[str, str] = {
    "learning_models": "Mô hình học tập",
    "literacy": "Xóa mù chữ",
    "training": "Đào tạo, bồi dưỡng",
    "community": "Khuyến học, thiết chế văn hóa",
}
"""How the dashboard groups indicators into charts, in display order."""

SCOPES: dict[str, str] = {
    "village": "Từng thôn và toàn xã",
    "commune": "Toàn xã",
    "office": "Cơ quan tổng hợp",
}

SOURCES: dict[str, str] = {
    "register": "Sổ mô hình học tập (đăng ký, công nhận)",
    "persons": "Sổ nhân khẩu (điều tra xóa mù chữ)",
    "aggregate": "Biểu tổng hợp nhập số liệu",
    "composite": "Ghép từ nhiều chỉ số",
}

UNITS: dict[str, str] = {
    "households": "hộ gia đình",
    "clans": "dòng họ",
    "villages": "thôn, tổ dân phố",
    "units": "đơn vị",
    "people": "người",
    "officials": "cán bộ, công chức",
    "members": "hội viên",
    "workers": "lao động",
    "schools": "trường",
    "centres": "trung tâm",
    "agencies": "cơ quan, ban, ngành",
    "communes": "xã",
}
"""What an indicator counts (its percentage is a share of these)."""

HMONG = "08"
"""H'Mông (Mông) in both official tables of ethnic codes (1979 and 2008)."""

FEMALE = "F"
VILLAGE_FORM_DENOMINATOR = "villages"
"""A yes/no field of a village form counts villages: over the village register."""
REPORTING_DENOMINATOR = "reporting"
"""A yes/no field of a commune form counts communes: over those reporting."""


# -- what the compute functions read -------------------------------------------------


@dataclass(frozen=True)
class SubjectCounts:
    """One learning model's subjects in one village (from the counting query)."""

    in_scope: int = 0
    registered: int = 0
    evaluated: int = 0
    passed: int = 0
    recognised: int = 0

    def __add__(self, other: SubjectCounts) -> SubjectCounts:
        return SubjectCounts(
            self.in_scope + other.in_scope,
            self.registered + other.registered,
            self.evaluated + other.evaluated,
            self.passed + other.passed,
            self.recognised + other.recognised,
        )


AggregateRows = Mapping[str, Mapping[str | None, Mapping[str, object]]]
"""Form id → village id (``None``: the commune or office row) → field id → typed value."""


@dataclass(frozen=True)
class Sources:
    """Everything the indicators of one year are computed from, read once.

    Attributes:
        year: The programme or survey year; ages are counted in it.
        villages: ``(id, name)`` of every live village, in display order.
        models: Model code → village id (``None``: no village) → counts.
        persons: Counted persons grouped by village, birth year, sex,
            ethnicity, exemption and literacy level.
        aggregates: The entered rows of the aggregate forms of the year.
    """

    year: int
    villages: tuple[tuple[str, str], ...] = ()
    models: Mapping[str, Mapping[str | None, SubjectCounts]] = field(default_factory=dict)
    persons: Sequence[GroupCount] = ()
    aggregates: AggregateRows = field(default_factory=dict)


# -- what they give ------------------------------------------------------------------


def _share(numerator: int | None, denominator: int | None) -> Fraction | None:
    if numerator is None or not denominator:
        return None
    return Fraction(numerator * 100, denominator)


@dataclass(frozen=True)
class VillageFigure:
    """An indicator's numerator and denominator in one village."""

    village_id: str | None
    village_name: str
    numerator: int | None
    denominator: int | None

    @property
    def value(self) -> Fraction | None:
        """The percentage, exact; ``None`` without a denominator."""
        return _share(self.numerator, self.denominator)


@dataclass(frozen=True)
class IndicatorValue:
    """An indicator's figures for one year.

    Attributes:
        code: The indicator.
        numerator: ``None`` when nothing was entered (aggregate forms).
        denominator: ``None`` when nothing was entered; 0 when a register
            holds nobody to count. Either way the check says "no data".
        by_village: One line per live village, for village-scope indicators.
        parts: The values of a composite indicator's parts.
    """

    code: str
    numerator: int | None
    denominator: int | None
    by_village: tuple[VillageFigure, ...] = ()
    parts: tuple[IndicatorValue, ...] = ()

    @property
    def value(self) -> Fraction | None:
        """The percentage, exact; ``None`` without a denominator."""
        return _share(self.numerator, self.denominator)

    def village(self, village_id: str | None) -> VillageFigure | None:
        return next((v for v in self.by_village if v.village_id == village_id), None)


# -- how each kind of indicator is computed -----------------------------------------


@dataclass(frozen=True)
class ModelShare:
    """Subjects of a learning model registered (or recognised) over those in scope.

    Attributes:
        model: ``gdht``, ``dhht``, ``cdht`` or ``dvht``.
        measure: ``registered`` or ``recognised`` (by a decision, not revoked).
    """

    model: str
    measure: Literal["registered", "recognised"]

    kind = "register"

    @property
    def missing_status(self) -> str:
        """The entries-list status of the subjects still missing (the drill-down)."""
        return "not_registered" if self.measure == "registered" else "not_recognised"

    def compute(self, code: str, sources: Sources, by_village: bool) -> IndicatorValue:
        counts = sources.models.get(self.model, {})
        total = sum(counts.values(), SubjectCounts())
        villages = ()
        if by_village:
            villages = tuple(
                _village_counts(vid, name, counts.get(vid, SubjectCounts()), self.measure)
                for vid, name in sources.villages
            )
        return IndicatorValue(code, getattr(total, self.measure), total.in_scope, villages)


def _village_counts(
    village_id: str, name: str, counts: SubjectCounts, measure: str
) -> VillageFigure:
    return VillageFigure(village_id, name, getattr(counts, measure), counts.in_scope)


@dataclass(frozen=True)
class LiterateShare:
    """Counted residents of a band (and sex, ethnicity) who reach literacy level 1.

    "Literate" in a plan target is literacy level 1 or higher (Art. 19);
    people exempt for a disability that prevents learning are left out of
    both numerator and denominator, as in the literacy survey.
    """

    band: Band
    sex: str | None = None
    ethnicity: str | None = None

    kind = "persons"

    def selects(self, group: GroupCount, year: int) -> bool:
        return (
            not group.disabled
            and (year - group.birth_year) in self.band
            and (self.sex is None or group.sex == self.sex)
            and (self.ethnicity is None or group.ethnicity_code == self.ethnicity)
        )

    def compute(self, code: str, sources: Sources, by_village: bool) -> IndicatorValue:
        counted: dict[str | None, int] = {}
        literate: dict[str | None, int] = {}
        for group in sources.persons:
            if not self.selects(group, sources.year):
                continue
            counted[group.village_id] = counted.get(group.village_id, 0) + group.count
            if group.level >= LEVEL_1:
                literate[group.village_id] = literate.get(group.village_id, 0) + group.count
        villages = ()
        if by_village:
            names = dict(sources.villages)
            order = [vid for vid, _ in sources.villages]
            # A live household in a deleted village is still counted, and shown.
            order += sorted(v for v in counted if v not in names and v is not None)
            villages = tuple(
                VillageFigure(
                    vid,
                    names.get(vid, UNKNOWN_VILLAGE_LABEL),
                    literate.get(vid, 0),
                    counted.get(vid, 0),
                )
                for vid in order
            )
        return IndicatorValue(code, sum(literate.values()), sum(counted.values()), villages)


@dataclass(frozen=True)
class AggregatePair:
    """A numerator field over a denominator field of an aggregate form.

    On a village form both are summed over the villages that entered the
    pair (a pair is entered both or neither, so a village left empty adds
    nothing); nothing entered anywhere is "no data".
    """

    form: str
    numerator: str
    denominator: str

    kind = "aggregate"

    def compute(self, code: str, sources: Sources, by_village: bool) -> IndicatorValue:
        rows = sources.aggregates.get(self.form, {})
        villages = ()
        if by_village:
            villages = tuple(
                VillageFigure(vid, name, *self.pair(rows.get(vid)))
                for vid, name in sources.villages
            )
            entered = [(v.numerator, v.denominator) for v in villages if v.numerator is not None]
        else:
            pair = self.pair(rows.get(None))
            entered = [pair] if pair[0] is not None else []
        if not entered:
            return IndicatorValue(code, None, None, villages)
        numerator = sum(n for n, _ in entered if n is not None)
        denominator = sum(d for _, d in entered if d is not None)
        return IndicatorValue(code, numerator, denominator, villages)

    def pair(self, row: Mapping[str, object] | None) -> tuple[int | None, int | None]:
        """The row's (numerator, denominator), or ``(None, None)`` unless both are numbers."""
        if row is None:
            return None, None
        numerator, denominator = row.get(self.numerator), row.get(self.denominator)
        if not _count(numerator) or not _count(denominator):
            return None, None
        return int(numerator), int(denominator)  # type: ignore[call-overload]


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class AggregateYes:
    """Records answering "Có" to a yes/no field of an aggregate form.

    On a village form: villages answering "Có" over the villages of the
    commune (its village register); a village not entered counts as not
    having it (the data checks list it). On a commune form: the commune
    itself, 1 of 1 or 0 of 1. Nothing entered at all is "no data".
    """

    form: str
    numerator: str
    denominator: Literal["villages", "reporting"]

    kind = "aggregate"

    def compute(self, code: str, sources: Sources, by_village: bool) -> IndicatorValue:
        rows = sources.aggregates.get(self.form, {})
        if self.denominator == REPORTING_DENOMINATOR:
            answer = (rows.get(None) or {}).get(self.numerator)
            if not isinstance(answer, bool):
                return IndicatorValue(code, None, None)
            return IndicatorValue(code, int(answer), 1)
        villages = tuple(
            VillageFigure(vid, name, *self.answer(rows.get(vid))) for vid, name in sources.villages
        )
        entered = [v for v in villages if v.numerator is not None]
        if not entered:
            return IndicatorValue(code, None, None, villages if by_village else ())
        yes = sum(v.numerator or 0 for v in entered)
        return IndicatorValue(code, yes, len(sources.villages), villages if by_village else ())

    def answer(self, row: Mapping[str, object] | None) -> tuple[int | None, int | None]:
        value = None if row is None else row.get(self.numerator)
        return (int(value), 1) if isinstance(value, bool) else (None, None)


@dataclass(frozen=True)
class Composite:
    """A target sentence asking several things of the same people: all must be reached."""

    parts: tuple[str, ...]

    kind = "composite"

    def compute(self, code: str, sources: Sources, by_village: bool) -> IndicatorValue:
        parts = tuple(REGISTRY[part].compute(sources) for part in self.parts)
        # Shown alone, the composite's figure is its lowest part's.
        known = [p for p in parts if p.value is not None]
        if len(known) < len(parts):
            return IndicatorValue(code, None, None, parts=parts)
        lowest = min(known, key=lambda p: p.value or 0)
        return IndicatorValue(code, lowest.numerator, lowest.denominator, parts=parts)


Spec = ModelShare | LiterateShare | AggregatePair | AggregateYes | Composite


# -- the indicator ---------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    """One entry of the registry.

    Attributes:
        code: Stable id that plans name (``gdht-dang-ky``).
        label: What it measures, in Vietnamese.
        group: Key of :data:`GROUPS`.
        unit: Key of :data:`UNITS`: what the percentage is a share of.
        unit_noun: The noun that counts one unit ("hộ", "người").
        gap_phrase: What the gap sentence needs more of, after the number:
            "hộ đăng ký Gia đình học tập" gives "cần thêm 37 hộ đăng ký Gia
            đình học tập".
        scope: Key of :data:`SCOPES`: ``village`` indicators are computed
            for every village too.
        spec: How it is computed (and where its records are, for a drill-down).
        numerator_label: What the numerator counts.
        denominator_label: What the denominator counts.
        note: How the figure is read, where a plan leaves it open.
    """

    code: str
    label: str
    group: str
    unit: str
    unit_noun: str
    gap_phrase: str
    scope: Literal["village", "commune", "office"]
    spec: Spec
    numerator_label: str
    denominator_label: str
    note: str = ""

    @property
    def source(self) -> str:
        """Key of :data:`SOURCES`."""
        return self.spec.kind

    @property
    def by_village(self) -> bool:
        return self.scope == "village"

    @property
    def form_id(self) -> str | None:
        """The aggregate form its figures are entered in, if any."""
        return self.spec.form if isinstance(self.spec, AggregatePair | AggregateYes) else None

    @property
    def parts(self) -> tuple[str, ...]:
        return self.spec.parts if isinstance(self.spec, Composite) else ()

    def compute(self, sources: Sources) -> IndicatorValue:
        """The indicator's numerator, denominator (and villages) for ``sources.year``."""
        return self.spec.compute(self.code, sources, self.by_village)


def _model(
    code: str, model: str, measure: Literal["registered", "recognised"], **kwargs: str
) -> Indicator:
    return Indicator(
        code=code,
        group="learning_models",
        spec=ModelShare(model, measure),
        **kwargs,  # type: ignore[arg-type]
    )


_15_60 = Band(15, 60)
_15_35 = Band(15, 35)
_15_39 = Band(15, 39)


def _literacy(code: str, spec: LiterateShare, label: str, who: str, gap: str) -> Indicator:
    return Indicator(
        code=code,
        label=label,
        group="literacy",
        unit="people",
        unit_noun="người",
        gap_phrase=gap,
        scope="village",
        spec=spec,
        numerator_label=f"Số {who} biết chữ (mức độ 1 trở lên)",
        denominator_label=f"Số {who} (thường trú, tạm trú; trừ người khuyết tật không có "
        "khả năng học)",
        note="Tuổi tính theo năm sinh (năm điều tra − năm sinh); biết chữ là đạt mức độ 1 trở "
        "lên (Nghị định 20/2014/NĐ-CP, Điều 19).",
    )


def _pair(
    code: str,
    form: str,
    numerator: str,
    denominator: str,
    *,
    scope: Literal["village", "commune", "office"] = "commune",
    **kwargs: str,
) -> Indicator:
    return Indicator(
        code=code,
        scope=scope,
        spec=AggregatePair(form, numerator, denominator),
        **kwargs,  # type: ignore[arg-type]
    )


_INDICATORS: tuple[Indicator, ...] = (
    # -- learning models: registered ------------------------------------------------
    _model(
        "gdht-dang-ky",
        "gdht",
        "registered",
        label="Hộ gia đình đăng ký Gia đình học tập",
        unit="households",
        unit_noun="hộ",
        gap_phrase="hộ đăng ký Gia đình học tập",
        scope="village",
        numerator_label="Số hộ đã đăng ký trong năm",
        denominator_label="Số hộ trong sổ (có nhân khẩu)",
    ),
    _model(
        "dhht-dang-ky",
        "dhht",
        "registered",
        label="Dòng họ đăng ký Dòng họ học tập",
        unit="clans",
        unit_noun="dòng họ",
        gap_phrase="dòng họ đăng ký Dòng họ học tập",
        scope="commune",
        numerator_label="Số dòng họ đã đăng ký trong năm",
        denominator_label="Số dòng họ trong sổ",
    ),
    _model(
        "cdht-dang-ky",
        "cdht",
        "registered",
        label="Thôn, tổ dân phố đăng ký Cộng đồng học tập",
        unit="villages",
        unit_noun="thôn",
        gap_phrase="thôn, tổ dân phố đăng ký Cộng đồng học tập",
        scope="village",
        numerator_label="Số thôn, tổ dân phố đã đăng ký trong năm",
        denominator_label="Số thôn, tổ dân phố của xã",
    ),
    _model(
        "dvht-dang-ky",
        "dvht",
        "registered",
        label="Cơ quan, tổ chức, trường học, doanh nghiệp đăng ký Đơn vị học tập",
        unit="units",
        unit_noun="đơn vị",
        gap_phrase="đơn vị đăng ký Đơn vị học tập",
        scope="commune",
        numerator_label="Số đơn vị đã đăng ký trong năm",
        denominator_label="Số đơn vị trong sổ",
    ),
    # -- learning models: recognised ------------------------------------------------
    _model(
        "gdht-cong-nhan",
        "gdht",
        "recognised",
        label="Hộ gia đình được công nhận Gia đình học tập",
        unit="households",
        unit_noun="hộ",
        gap_phrase="hộ được công nhận Gia đình học tập",
        scope="village",
        numerator_label="Số hộ được công nhận trong năm (chưa bị thu hồi)",
        denominator_label="Số hộ trong sổ (có nhân khẩu)",
        note="Kế hoạch năm 2011 gọi là «Gia đình hiếu học».",
    ),
    _model(
        "dhht-cong-nhan",
        "dhht",
        "recognised",
        label="Dòng họ được công nhận Dòng họ học tập",
        unit="clans",
        unit_noun="dòng họ",
        gap_phrase="dòng họ được công nhận Dòng họ học tập",
        scope="commune",
        numerator_label="Số dòng họ được công nhận trong năm (chưa bị thu hồi)",
        denominator_label="Số dòng họ trong sổ",
        note="Kế hoạch năm 2011 gọi là «Dòng họ hiếu học».",
    ),
    _model(
        "cdht-cong-nhan",
        "cdht",
        "recognised",
        label="Thôn, tổ dân phố được công nhận Cộng đồng học tập",
        unit="villages",
        unit_noun="thôn",
        gap_phrase="thôn, tổ dân phố được công nhận Cộng đồng học tập",
        scope="village",
        numerator_label="Số thôn, tổ dân phố được công nhận trong năm (chưa bị thu hồi)",
        denominator_label="Số thôn, tổ dân phố của xã",
    ),
    _model(
        "dvht-cong-nhan",
        "dvht",
        "recognised",
        label="Cơ quan, tổ chức, trường học, doanh nghiệp được công nhận Đơn vị học tập",
        unit="units",
        unit_noun="đơn vị",
        gap_phrase="đơn vị được công nhận Đơn vị học tập",
        scope="commune",
        numerator_label="Số đơn vị được công nhận trong năm (chưa bị thu hồi)",
        denominator_label="Số đơn vị trong sổ",
        note="Kế hoạch năm 2011 gọi là «Đơn vị hiếu học».",
    ),
    # -- literacy (persons register) --------------------------------------------------
    _literacy(
        "biet-chu-15-60",
        LiterateShare(_15_60),
        "Người từ 15 đến 60 tuổi biết chữ",
        "người 15–60 tuổi",
        "người 15–60 tuổi biết chữ",
    ),
    _literacy(
        "biet-chu-15-35",
        LiterateShare(_15_35),
        "Người từ 15 đến 35 tuổi biết chữ",
        "người 15–35 tuổi",
        "người 15–35 tuổi biết chữ",
    ),
    _literacy(
        "biet-chu-nu-15-60",
        LiterateShare(_15_60, sex=FEMALE),
        "Phụ nữ, trẻ em gái từ 15 đến 60 tuổi biết chữ",
        "phụ nữ, trẻ em gái 15–60 tuổi",
        "phụ nữ, trẻ em gái 15–60 tuổi biết chữ",
    ),
    _literacy(
        "biet-chu-hmong-15-60",
        LiterateShare(_15_60, ethnicity=HMONG),
        "Người dân tộc H'Mông từ 15 đến 60 tuổi biết chữ",
        "người H'Mông 15–60 tuổi",
        "người H'Mông 15–60 tuổi biết chữ",
    ),
    _literacy(
        "biet-chu-hmong-15-35",
        LiterateShare(_15_35, ethnicity=HMONG),
        "Người dân tộc H'Mông từ 15 đến 35 tuổi biết chữ",
        "người H'Mông 15–35 tuổi",
        "người H'Mông 15–35 tuổi biết chữ",
    ),
    _literacy(
        "biet-chu-nu-15-39",
        LiterateShare(_15_39, sex=FEMALE),
        "Phụ nữ dưới 40 tuổi (15–39 tuổi) biết chữ",
        "phụ nữ 15–39 tuổi",
        "phụ nữ dưới 40 tuổi biết chữ",
    ),
    _pair(
        "nguoi-moi-biet-chu-tiep-tuc-hoc",
        "nguoi-moi-biet-chu",
        "nguoi_moi_biet_chu_tiep_tuc_hoc",
        "nguoi_moi_biet_chu",
        label="Người mới biết chữ tiếp tục học tập, không tái mù chữ",
        group="literacy",
        unit="people",
        unit_noun="người",
        gap_phrase="người mới biết chữ tiếp tục học tập, không tái mù chữ",
        numerator_label="Số người tiếp tục học tập, không mù chữ trở lại",
        denominator_label="Số người mới biết chữ xã đang theo dõi",
    ),
    _pair(
        "phu-nu-duoi-40-sau-xmc",
        "phu-nu-sau-xoa-mu-chu",
        "phu_nu_duoi_40_hoc_sau_xmc",
        "phu_nu_duoi_40_da_xmc",
        label="Phụ nữ dưới 40 tuổi đã xóa mù chữ học chương trình sau xóa mù chữ",
        group="literacy",
        unit="people",
        unit_noun="người",
        gap_phrase="phụ nữ dưới 40 tuổi học chương trình sau xóa mù chữ",
        numerator_label="Số phụ nữ đang học chương trình sau xóa mù chữ",
        denominator_label="Số phụ nữ dưới 40 tuổi đã được xóa mù chữ qua lớp xóa mù chữ",
    ),
    Indicator(
        code="phu-nu-duoi-40-xmc",
        label="Phụ nữ dưới 40 tuổi được xóa mù chữ và học chương trình sau xóa mù chữ",
        group="literacy",
        unit="people",
        unit_noun="người",
        gap_phrase="phụ nữ dưới 40 tuổi",
        scope="commune",
        spec=Composite(("biet-chu-nu-15-39", "phu-nu-duoi-40-sau-xmc")),
        numerator_label="Phần thấp hơn của hai phần",
        denominator_label="Phần thấp hơn của hai phần",
        note="Gồm hai phần, đạt khi cả hai đạt: biết chữ (tính từ sổ nhân khẩu, nữ 15–39 "
        "tuổi) và học chương trình sau xóa mù chữ (biểu «Phụ nữ dưới 40 tuổi học chương "
        "trình sau xóa mù chữ»).",
    ),
    # -- khuyến học, cultural institutions ----------------------------------------------
    Indicator(
        code="chi-hoi-khuyen-hoc",
        label="Thôn, tổ dân phố có chi hội khuyến học hoạt động có hiệu quả",
        group="community",
        unit="villages",
        unit_noun="thôn",
        gap_phrase="thôn, tổ dân phố có chi hội khuyến học hoạt động có hiệu quả",
        scope="village",
        spec=AggregateYes("chi-hoi-khuyen-hoc", "co_chi_hoi_khuyen_hoc", "villages"),
        numerator_label="Số thôn, tổ dân phố trả lời Có",
        denominator_label="Số thôn, tổ dân phố của xã",
    ),
    _pair(
        "hoi-vien-khuyen-hoc",
        "chi-hoi-khuyen-hoc",
        "so_hoi_vien_khuyen_hoc",
        "dan_so",
        scope="village",
        label="Hội viên Hội Khuyến học so với dân số",
        group="community",
        unit="people",
        unit_noun="người",
        gap_phrase="hội viên Hội Khuyến học",
        numerator_label="Số hội viên Hội Khuyến học",
        denominator_label="Dân số",
    ),
    Indicator(
        code="internet-thu-vien-thon",
        label="Thôn, khu phố có đủ điều kiện truy cập Internet và thư viện dùng chung",
        group="community",
        unit="villages",
        unit_noun="thôn",
        gap_phrase="thôn, khu phố có Internet và thư viện dùng chung",
        scope="village",
        spec=AggregateYes("thiet-che-van-hoa-thon", "internet_va_thu_vien", "villages"),
        numerator_label="Số thôn, khu phố trả lời Có",
        denominator_label="Số thôn, tổ dân phố của xã",
    ),
    Indicator(
        code="nha-van-hoa-thon",
        label="Thôn, khu phố có nhà văn hóa đạt chuẩn",
        group="community",
        unit="villages",
        unit_noun="thôn",
        gap_phrase="thôn, khu phố có nhà văn hóa đạt chuẩn",
        scope="village",
        spec=AggregateYes("thiet-che-van-hoa-thon", "nha_van_hoa_dat_chuan", "villages"),
        numerator_label="Số thôn, khu phố trả lời Có",
        denominator_label="Số thôn, tổ dân phố của xã",
    ),
    Indicator(
        code="buu-dien-van-hoa-xa",
        label="Xã có bưu điện văn hóa xã",
        group="community",
        unit="communes",
        unit_noun="xã",
        gap_phrase="xã có bưu điện văn hóa xã",
        scope="commune",
        spec=AggregateYes("buu-dien-tthtcd-xa", "co_buu_dien_van_hoa_xa", "reporting"),
        numerator_label="Số xã trả lời Có",
        denominator_label="Số xã báo cáo",
    ),
    _pair(
        "tthtcd-ung-dung-khcn",
        "buu-dien-tthtcd-xa",
        "so_tthtcd_ung_dung_khcn",
        "so_tthtcd",
        label="Trung tâm học tập cộng đồng đưa ứng dụng khoa học công nghệ vào sản xuất",
        group="community",
        unit="centres",
        unit_noun="trung tâm",
        gap_phrase="trung tâm học tập cộng đồng ứng dụng khoa học công nghệ",
        numerator_label="Số trung tâm đưa ứng dụng khoa học công nghệ vào sản xuất",
        denominator_label="Số trung tâm học tập cộng đồng",
    ),
    _pair(
        "thi-dua-tu-hoc",
        "thi-dua-tu-hoc",
        "co_quan_cham_diem_tu_hoc",
        "co_quan_ban_nganh",
        label="Ban, ngành, đoàn thể và UBND xã chấm điểm thi đua gắn với phong trào tự học",
        group="community",
        unit="agencies",
        unit_noun="cơ quan",
        gap_phrase="cơ quan, ban, ngành chấm điểm thi đua gắn với phong trào tự học",
        numerator_label="Số cơ quan, ban, ngành chấm điểm thi đua gắn với tự học",
        denominator_label="Số cơ quan, ban, ngành, đoàn thể của xã",
    ),
    _pair(
        "mam-non-csvc",
        "truong-mam-non",
        "truong_mam_non_csvc_dat_chuan",
        "truong_mam_non",
        label="Trường mầm non, mẫu giáo có cơ sở vật chất đạt chuẩn",
        group="community",
        unit="schools",
        unit_noun="trường",
        gap_phrase="trường mầm non, mẫu giáo có cơ sở vật chất đạt chuẩn",
        numerator_label="Số trường có cơ sở vật chất đạt chuẩn",
        denominator_label="Số trường mầm non, mẫu giáo",
    ),
    _pair(
        "mam-non-chuan-quoc-gia",
        "truong-mam-non",
        "truong_mam_non_chuan_quoc_gia",
        "truong_mam_non",
        label="Trường mầm non, mẫu giáo đạt Chuẩn quốc gia",
        group="community",
        unit="schools",
        unit_noun="trường",
        gap_phrase="trường mầm non, mẫu giáo đạt Chuẩn quốc gia",
        numerator_label="Số trường đạt Chuẩn quốc gia",
        denominator_label="Số trường mầm non, mẫu giáo",
    ),
    # -- training ------------------------------------------------------------------------
    _pair(
        "tap-huan-xhht",
        "boi-duong-xhht",
        "can_bo_hoi_vien_tap_huan",
        "can_bo_hoi_vien",
        label="Cán bộ, hội viên được tập huấn về xã hội học tập, các mô hình học tập",
        group="training",
        unit="members",
        unit_noun="người",
        gap_phrase="cán bộ, hội viên được tập huấn về xã hội học tập",
        numerator_label="Số cán bộ, hội viên đã được tập huấn",
        denominator_label="Số cán bộ, hội viên",
    ),
    _pair(
        "lao-dong-nong-thon-tthtcd",
        "lao-dong-hoc-tap",
        "lao_dong_nong_thon_hoc_tthtcd",
        "lao_dong_nong_thon",
        label="Lao động nông thôn học tập cập nhật kiến thức, kỹ năng tại trung tâm học tập "
        "cộng đồng",
        group="training",
        unit="workers",
        unit_noun="người",
        gap_phrase="lao động nông thôn học tập tại trung tâm học tập cộng đồng",
        numerator_label="Số lao động nông thôn học tập tại TTHTCĐ",
        denominator_label="Số lao động nông thôn",
    ),
    _pair(
        "cong-nhan-thpt",
        "cong-nhan-lao-dong",
        "cong_nhan_thpt",
        "cong_nhan",
        label="Công nhân lao động có trình độ học vấn trung học phổ thông hoặc tương đương",
        group="training",
        unit="workers",
        unit_noun="người",
        gap_phrase="công nhân lao động có trình độ trung học phổ thông",
        numerator_label="Số công nhân có trình độ THPT hoặc tương đương",
        denominator_label="Số công nhân lao động",
    ),
    _pair(
        "cong-nhan-dao-tao-nghe",
        "cong-nhan-lao-dong",
        "cong_nhan_dao_tao_nghe",
        "cong_nhan",
        label="Công nhân lao động qua đào tạo nghề",
        group="training",
        unit="workers",
        unit_noun="người",
        gap_phrase="công nhân lao động qua đào tạo nghề",
        numerator_label="Số công nhân đã qua đào tạo nghề",
        denominator_label="Số công nhân lao động",
    ),
    _pair(
        "lao-dong-qua-dao-tao",
        "lao-dong-hoc-tap",
        "lao_dong_qua_dao_tao",
        "lao_dong",
        label="Lao động qua đào tạo",
        group="training",
        unit="workers",
        unit_noun="người",
        gap_phrase="lao động qua đào tạo",
        numerator_label="Số lao động đã qua đào tạo",
        denominator_label="Số lao động đang làm việc",
    ),
    _pair(
        "lao-dong-nong-nghiep-boi-duong",
        "lao-dong-hoc-tap",
        "lao_dong_nong_nghiep_boi_duong",
        "lao_dong_nong_nghiep",
        label="Lao động nông nghiệp được tiếp cận, thụ hưởng chương trình bồi dưỡng",
        group="training",
        unit="workers",
        unit_noun="người",
        gap_phrase="lao động nông nghiệp được bồi dưỡng",
        numerator_label="Số lao động nông nghiệp được bồi dưỡng",
        denominator_label="Số lao động nông nghiệp",
    ),
    _pair(
        "cbccvc-boi-duong",
        "can-bo-cong-chuc-xa",
        "dang_vien_cbccvc_boi_duong",
        "dang_vien_cbccvc",
        label="Đảng viên, cán bộ, công chức, viên chức tham gia khóa bồi dưỡng trong năm",
        group="training",
        unit="officials",
        unit_noun="người",
        gap_phrase="đảng viên, cán bộ, công chức, viên chức được bồi dưỡng",
        numerator_label="Số người tham gia khóa bồi dưỡng trong năm",
        denominator_label="Số đảng viên, cán bộ, công chức, viên chức",
    ),
    _pair(
        "cbcc-huyen-dai-hoc",
        "can-bo-cong-chuc-huyen",
        "cbcc_huyen_dai_hoc",
        "cbcc_huyen",
        scope="office",
        label="Cán bộ, công chức cấp huyện có trình độ chuyên môn đại học trở lên",
        group="training",
        unit="officials",
        unit_noun="người",
        gap_phrase="cán bộ, công chức cấp huyện có trình độ đại học",
        numerator_label="Số có trình độ đại học trở lên",
        denominator_label="Số cán bộ, công chức cấp huyện",
        note="Cơ quan tổng hợp nhập về cán bộ, công chức của mình.",
    ),
    _pair(
        "cbcc-huyen-qlnn",
        "can-bo-cong-chuc-huyen",
        "cbcc_huyen_qlnn",
        "cbcc_huyen",
        scope="office",
        label="Cán bộ, công chức cấp huyện được bồi dưỡng kiến thức quản lý nhà nước",
        group="training",
        unit="officials",
        unit_noun="người",
        gap_phrase="cán bộ, công chức cấp huyện được bồi dưỡng quản lý nhà nước",
        numerator_label="Số được bồi dưỡng kiến thức quản lý nhà nước",
        denominator_label="Số cán bộ, công chức cấp huyện",
        note="Cơ quan tổng hợp nhập về cán bộ, công chức của mình.",
    ),
    _pair(
        "cbcc-huyen-trung-cap-llct",
        "can-bo-cong-chuc-huyen",
        "cbcc_huyen_trung_cap_llct",
        "cbcc_huyen",
        scope="office",
        label="Cán bộ, công chức cấp huyện có trình độ trung cấp lý luận chính trị trở lên",
        group="training",
        unit="officials",
        unit_noun="người",
        gap_phrase="cán bộ, công chức cấp huyện có trình độ trung cấp chính trị",
        numerator_label="Số có trình độ trung cấp lý luận chính trị trở lên",
        denominator_label="Số cán bộ, công chức cấp huyện",
        note="Cơ quan tổng hợp nhập về cán bộ, công chức của mình.",
    ),
    _pair(
        "cbcc-huyen-sau-dai-hoc",
        "can-bo-cong-chuc-huyen",
        "cbcc_huyen_sau_dai_hoc",
        "cbcc_huyen",
        scope="office",
        label="Cán bộ, công chức cấp huyện có trình độ sau đại học",
        group="training",
        unit="officials",
        unit_noun="người",
        gap_phrase="cán bộ, công chức cấp huyện có trình độ sau đại học",
        numerator_label="Số có trình độ sau đại học",
        denominator_label="Số cán bộ, công chức cấp huyện",
        note="Cơ quan tổng hợp nhập về cán bộ, công chức của mình.",
    ),
    _pair(
        "can-bo-chuyen-trach-huyen-dh-llct",
        "can-bo-cong-chuc-huyen",
        "can_bo_chuyen_trach_huyen_dh_llct",
        "can_bo_chuyen_trach_huyen",
        scope="office",
        label="Cán bộ chuyên trách cấp huyện có trình độ đại học và trung cấp lý luận chính "
        "trị trở lên",
        group="training",
        unit="officials",
        unit_noun="người",
        gap_phrase="cán bộ chuyên trách cấp huyện đủ trình độ đại học và lý luận chính trị",
        numerator_label="Số có trình độ đại học và trung cấp lý luận chính trị trở lên",
        denominator_label="Số cán bộ chuyên trách cấp huyện",
        note="Cơ quan tổng hợp nhập về cán bộ của mình.",
    ),
    _pair(
        "can-bo-chu-chot-cao-dang",
        "can-bo-cong-chuc-xa",
        "can_bo_chu_chot_cao_dang",
        "can_bo_chu_chot",
        label="Cán bộ chủ chốt cấp xã có trình độ chuyên môn từ cao đẳng trở lên",
        group="training",
        unit="officials",
        unit_noun="người",
        gap_phrase="cán bộ chủ chốt cấp xã có trình độ từ cao đẳng trở lên",
        numerator_label="Số có trình độ từ cao đẳng trở lên",
        denominator_label="Số cán bộ chủ chốt cấp xã",
    ),
    _pair(
        "can-bo-chu-chot-dai-hoc",
        "can-bo-cong-chuc-xa",
        "can_bo_chu_chot_dai_hoc",
        "can_bo_chu_chot",
        label="Cán bộ chủ chốt cấp xã có trình độ đại học",
        group="training",
        unit="officials",
        unit_noun="người",
        gap_phrase="cán bộ chủ chốt cấp xã có trình độ đại học",
        numerator_label="Số có trình độ đại học trở lên",
        denominator_label="Số cán bộ chủ chốt cấp xã",
    ),
    _pair(
        "can-bo-chu-chot-qlnn",
        "can-bo-cong-chuc-xa",
        "can_bo_chu_chot_qlnn",
        "can_bo_chu_chot",
        label="Cán bộ chủ chốt cấp xã được bồi dưỡng kiến thức quản lý nhà nước",
        group="training",
        unit="officials",
        unit_noun="người",
        gap_phrase="cán bộ chủ chốt cấp xã được bồi dưỡng quản lý nhà nước",
        numerator_label="Số được bồi dưỡng kiến thức quản lý nhà nước",
        denominator_label="Số cán bộ chủ chốt cấp xã",
    ),
    _pair(
        "cbcc-xa-trung-cap",
        "can-bo-cong-chuc-xa",
        "cbcc_xa_trung_cap",
        "cbcc_xa",
        label="Cán bộ, công chức cấp xã có trình độ chuyên môn từ trung cấp trở lên",
        group="training",
        unit="officials",
        unit_noun="người",
        gap_phrase="cán bộ, công chức cấp xã có trình độ từ trung cấp trở lên",
        numerator_label="Số có trình độ chuyên môn từ trung cấp trở lên",
        denominator_label="Số cán bộ, công chức cấp xã",
    ),
)

REGISTRY: dict[str, Indicator] = {indicator.code: indicator for indicator in _INDICATORS}
"""Every indicator by code, in display order (grouped as :data:`GROUPS`)."""


def indicator(code: str) -> Indicator:
    """The indicator ``code``.

    Raises:
        KeyError: with a Vietnamese message, when no indicator has that code.
    """
    found = REGISTRY.get(code)
    if found is None:
        raise KeyError(f"Không có chỉ số «{code}» trong danh mục chỉ số.")
    return found


def expand(codes: Iterable[str]) -> list[str]:
    """``codes`` and the parts of any composite among them, each once, in order."""
    seen: dict[str, None] = {}
    for code in codes:
        for part in indicator(code).parts:
            seen.setdefault(part, None)
        seen.setdefault(code, None)
    return list(seen)


def needed_sources(codes: Iterable[str]) -> set[str]:
    """Which sources (``register``, ``persons``, ``aggregate``) the indicators read."""
    return {indicator(c).source for c in expand(codes)} - {"composite"}


def persons_bands(codes: Iterable[str]) -> list[Band]:
    """The age bands the persons indicators among ``codes`` count."""
    return [
        spec.band
        for spec in (indicator(c).spec for c in expand(codes))
        if isinstance(spec, LiterateShare)
    ]


def compute_all(sources: Sources, codes: Iterable[str] | None = None) -> dict[str, IndicatorValue]:
    """The value of every indicator among ``codes`` (all by default), parts included."""
    wanted = expand(REGISTRY if codes is None else codes)
    return {code: REGISTRY[code].compute(sources) for code in wanted}


def format_count(number: int) -> str:
    """A count as Vietnamese text: 12.345."""
    return f"{number:,}".replace(",", ".")
