"""Consolidation at the receiving office: each commune's figures, and the office's totals.

An office holds the records of every commune whose packages it imported,
each row carrying its ``commune_code``. A commune's figures at the office are
computed by the very code the commune computes them with: the indicator and
literacy services asked for one ``commune_code`` (same queries, restricted
to that commune's records, with the settings the commune sent). The office's
own figure is never an average of percentages: numerators and denominators
are summed over the communes, then checked against the plan.

Interface (``context.consolidation``)::

    @dataclass(frozen=True)
    class CommuneEntry:                      # a commune whose data this office holds
        code: str; name: str
        last_sequence: int | None            # last package number imported
        last_import_at: datetime | None

    @dataclass(frozen=True)
    class ConsolidatedPlan:
        year: int; plan_id: str
        communes: tuple[CommuneEntry, ...]   # in display order
        per_commune: dict[str, PlanEvaluation]   # code → the commune's own target check
        total: PlanEvaluation                # sums over communes, then checked
                                             # (office-scope indicators: the office's own rows)

    @dataclass(frozen=True)
    class CommuneLiteracy:
        code: str; name: str
        rates: LiteracyReport                # as ``xhht literacy`` at the commune
        level_1_met: bool; level_2_met: bool # Art. 20 / 21 for the commune

    @dataclass(frozen=True)
    class ConsolidatedLiteracy:
        year: int
        per_commune: list[CommuneLiteracy]
        total_rates: LiteracyReport          # over every person the office holds
        communes_level_1: int; communes_level_2: int; communes_total: int
        level_1: ShareVerdict; level_2: ShareVerdict   # Art. 20.2 / 21.2: the share

    class ConsolidationService:
        def communes(self) -> list[CommuneEntry]
        def evaluations(self, year: int, plan_id: str | None = None) -> ConsolidatedPlan
        def literacy(self, year: int) -> ConsolidatedLiteracy

The total of a village-scope indicator has no per-village lines (those are
in each commune's check); a composite's total is its parts' totals, reached
when every part is, like the commune's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select, union

from xhht_desktop.core import admin_units
from xhht_desktop.core import indicators as registry
from xhht_desktop.core import text as vntext
from xhht_desktop.core.indicators import IndicatorValue
from xhht_desktop.core.literacy import (
    LEVEL_1,
    LEVEL_2,
    LiteracyReport,
    ShareVerdict,
    district_standard,
)
from xhht_desktop.core.plans import PlanEvaluation, evaluate
from xhht_desktop.exchange.ledger import Ledger
from xhht_desktop.store.models import Household, Person, Village

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext


@dataclass(frozen=True)
class CommuneEntry:
    """A commune whose data this office holds.

    Attributes:
        last_sequence: Number of the last package imported from it; ``None``
            when its records came otherwise (a test, a restored database).
        last_import_at: When that package was imported.
    """

    code: str
    name: str
    last_sequence: int | None
    last_import_at: datetime | None


@dataclass(frozen=True)
class ConsolidatedPlan:
    """One plan checked for every commune and for the office as a whole."""

    year: int
    plan_id: str
    communes: tuple[CommuneEntry, ...]
    per_commune: dict[str, PlanEvaluation]
    total: PlanEvaluation

    def as_dict(self) -> dict[str, object]:
        """The office's check as ``xhht indicators --json`` prints it, with every commune's."""
        data = self.total.as_dict()
        data["communes"] = [
            {
                "code": entry.code,
                "name": entry.name,
                "targets": self.per_commune[entry.code].as_dict()["targets"],
            }
            for entry in self.communes
        ]
        return data


@dataclass(frozen=True)
class CommuneLiteracy:
    """One commune's literacy rates and its verdicts (Art. 20, 21), computed at the office."""

    code: str
    name: str
    rates: LiteracyReport
    level_1_met: bool
    level_2_met: bool


@dataclass(frozen=True)
class ConsolidatedLiteracy:
    """The office's literacy figures: per commune, over all persons, and the share verdicts.

    Attributes:
        total_rates: Rates over every person the office holds (the office's
            own settings decide the bands).
        communes_level_1: Communes meeting the level 1 standard.
        communes_level_2: Communes meeting the level 2 standard.
        communes_total: Communes counted.
        level_1: Art. 20.2: the share of communes meeting level 1 (90%).
        level_2: Art. 21.2: the same for level 2.
    """

    year: int
    per_commune: list[CommuneLiteracy]
    total_rates: LiteracyReport
    communes_level_1: int
    communes_level_2: int
    communes_total: int
    level_1: ShareVerdict
    level_2: ShareVerdict

    def as_dict(self) -> dict[str, object]:
        """For ``xhht literacy --json`` at an office."""
        data = self.total_rates.as_dict()
        data["communes"] = [
            {
                "code": item.code,
                "name": item.name,
                "standards": item.rates.standards.as_dict(),
                "level_1_met": item.level_1_met,
                "level_2_met": item.level_2_met,
            }
            for item in self.per_commune
        ]
        data["office"] = {
            f"level_{verdict.level}": {
                "communes": verdict.units,
                "communes_met": verdict.units_met,
                "percent": verdict.percent,
                "threshold_percent": verdict.threshold_percent,
                "met": verdict.met,
                "needed": verdict.needed,
            }
            for verdict in (self.level_1, self.level_2)
        }
        return data


# -- sums -------------------------------------------------------------------------------


def _sum(numbers: Iterable[int | None]) -> int | None:
    known = [n for n in numbers if n is not None]
    return sum(known) if known else None


def sum_value(code: str, values: Sequence[IndicatorValue]) -> IndicatorValue:
    """One indicator's figures summed over communes (``values``: one per commune).

    Numerators and denominators are added, each over the communes that have
    one (a commune that entered nothing adds nothing; nobody entered anything
    stays "no data"). A composite sums each part and takes, like a commune's,
    the figures of its lowest part, none when a part has none.
    """
    indicator = registry.indicator(code)
    if indicator.parts:
        parts = tuple(sum_value(part, [_part(v, part) for v in values]) for part in indicator.parts)
        known = [p for p in parts if p.value is not None]
        if len(known) < len(parts):
            return IndicatorValue(code, None, None, parts=parts)
        lowest = min(known, key=lambda p: p.value or 0)
        return IndicatorValue(code, lowest.numerator, lowest.denominator, parts=parts)
    return IndicatorValue(
        code,
        _sum(v.numerator for v in values),
        _sum(v.denominator for v in values),
    )


def _part(value: IndicatorValue, code: str) -> IndicatorValue:
    found = next((p for p in value.parts if p.code == code), None)
    return found if found is not None else IndicatorValue(code, None, None)


def sum_values(
    codes: Iterable[str], per_commune: Iterable[Mapping[str, IndicatorValue]]
) -> dict[str, IndicatorValue]:
    """Every indicator among ``codes`` (parts included) summed over communes."""
    communes = list(per_commune)
    return {code: sum_value(code, [c[code] for c in communes]) for code in registry.expand(codes)}


# -- the service ------------------------------------------------------------------------


class ConsolidationService:
    """The office's consolidated figures (any role may ask; a commune holds one commune)."""

    def __init__(self, context: AppContext) -> None:
        self.context = context

    def communes(self) -> list[CommuneEntry]:
        """Every commune whose records this office holds or which it trusts, by name.

        A commune trusted but not yet imported is listed (its figures are
        "no data"); this unit's own code is not.
        """
        own = self.context.setup.require().owner_code
        with self.context.reading() as session:
            partners = {p.code: p for p in Ledger(session).partners("commune")}
            holders = union(
                *(
                    select(model.commune_code).where(model.deleted_at.is_(None)).distinct()
                    for model in (Village, Household, Person)
                )
            )
            codes = set(session.scalars(select(holders.subquery().c[0])))
        codes |= set(partners)
        codes.discard(own)
        entries = []
        for code in codes:
            partner = partners.get(code)
            if partner is not None:
                entries.append(
                    CommuneEntry(
                        code,
                        partner.name,
                        partner.last_sequence or None,
                        partner.last_imported_at,
                    )
                )
            else:
                division = admin_units.commune(code)
                entries.append(CommuneEntry(code, division.name if division else code, None, None))
        return sorted(entries, key=lambda e: (vntext.sort_key(e.name), e.code))

    def evaluations(self, year: int, plan_id: str | None = None) -> ConsolidatedPlan:
        """Check a plan (the active one by default) for every commune and for the office.

        Raises:
            NotFound: no plan ``plan_id``.
        """
        service = self.context.indicators
        plans = self.context.plans
        plan = plans.active() if plan_id is None else plans.get(plan_id)
        communes = tuple(self.communes())
        codes = plan.indicator_codes
        values = {e.code: service.values(year, codes, e.code) for e in communes}
        per_commune = {code: evaluate(plan, found, year) for code, found in values.items()}
        total = sum_values(codes, values.values())
        office_codes = [c for c in codes if registry.indicator(c).scope == "office"]
        if office_codes:
            # What the office enters about itself (its own officials) is no
            # commune's: its figures are the office's own rows.
            own = self.context.setup.require().owner_code
            total.update(service.values(year, office_codes, own))
        return ConsolidatedPlan(year, plan.id, communes, per_commune, evaluate(plan, total, year))

    def literacy(self, year: int) -> ConsolidatedLiteracy:
        """Each commune's literacy rates and verdicts, the rates over all, and the shares."""
        service = self.context.literacy
        per_commune = []
        for entry in self.communes():
            rates = service.rates(year, entry.code)
            per_commune.append(
                CommuneLiteracy(
                    entry.code,
                    entry.name,
                    rates,
                    rates.standards.level_1.met,
                    rates.standards.level_2.met,
                )
            )
        total = len(per_commune)
        met_1 = sum(1 for c in per_commune if c.level_1_met)
        met_2 = sum(1 for c in per_commune if c.level_2_met)
        return ConsolidatedLiteracy(
            year=year,
            per_commune=per_commune,
            total_rates=service.rates(year),
            communes_level_1=met_1,
            communes_level_2=met_2,
            communes_total=total,
            level_1=district_standard(LEVEL_1, total, met_1),
            level_2=district_standard(LEVEL_2, total, met_2),
        )
