"""Soak: a large commune edited and handed over again and again; memory stays flat.

A commune of demo persons is edited through the services (a few hundred
persons between two handovers) and exports its package after each batch;
the office imports every package (decrypt, verify, merge, receipt) and the
commune records each receipt. The resident memory of the process is read at
checkpoints; after the run, every figure of both copies equals a fresh
recomputation in a new context, and the office holds what the commune holds.

The full soak of issue 9 (100,000 persons, 10,000 edits, 100 exports and
imports) takes longer than a test run should, so it is a script::

    python tests/benchmarks/test_soak.py --persons 100000 --edits 10000 --rounds 100

The slow test runs the same code on a smaller commune (``SOAK_*`` below, or
the environment variables ``XHHT_SOAK_PERSONS``, ``XHHT_SOAK_EDITS`` and
``XHHT_SOAK_ROUNDS``).
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from sqlalchemy import select

from xhht_desktop.context import Actor, AppContext, open_context
from xhht_desktop.core.registers import PersonDraft
from xhht_desktop.services.demo import DemoService
from xhht_desktop.services.setup import CommuneSetup, OfficeSetup
from xhht_desktop.settings import Settings
from xhht_desktop.store.engine import database_url
from xhht_desktop.store.models import Person

YEAR = 2026
CODE = "24717"
PASSWORD = "mat-khau-goi-du-lieu"
SOAK_PERSONS = int(os.environ.get("XHHT_SOAK_PERSONS", "10000"))
SOAK_EDITS = int(os.environ.get("XHHT_SOAK_EDITS", "1000"))
SOAK_ROUNDS = int(os.environ.get("XHHT_SOAK_ROUNDS", "20"))
CHECKPOINTS = 10
# Resident memory may grow this much from the second checkpoint (the caches
# are warm by then) to the last; a leak of one package per round would pass
# it within a few rounds.
GROWTH_BOUND_MB = 48.0


def _rss_mb() -> float:
    """Resident memory now (Linux /proc), in MiB."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mb() -> float:
    """The process's peak resident memory so far, in MiB (Linux: ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Checkpoint:
    round: int
    edits: int
    seconds: float
    rss_mb: float
    peak_mb: float


@dataclass
class SoakResult:
    persons: int
    edits: int
    rounds: int
    setup_seconds: float
    seconds: float
    checkpoints: list[Checkpoint] = field(default_factory=list)

    @property
    def growth_mb(self) -> float:
        """Resident memory from the second checkpoint to the last."""
        return self.checkpoints[-1].rss_mb - self.checkpoints[1].rss_mb

    @property
    def peak_growth_mb(self) -> float:
        return self.checkpoints[-1].peak_mb - self.checkpoints[1].peak_mb

    def lines(self) -> list[str]:
        lines = [
            f"soak: {self.persons} persons, {self.edits} edits, {self.rounds} export+import "
            f"rounds; set-up {self.setup_seconds:.0f} s, soak {self.seconds:.0f} s",
            "round  edits   seconds  rss MiB  peak MiB",
        ]
        lines += [
            f"{c.round:5d}  {c.edits:5d}  {c.seconds:8.1f}  {c.rss_mb:7.1f}  {c.peak_mb:8.1f}"
            for c in self.checkpoints
        ]
        lines.append(
            f"growth from checkpoint 2 to the last: rss {self.growth_mb:+.1f} MiB, "
            f"peak {self.peak_growth_mb:+.1f} MiB (bound {GROWTH_BOUND_MB} MiB)"
        )
        return lines


def _open(folder: Path) -> AppContext:
    folder.mkdir(parents=True, exist_ok=True)
    settings = Settings(data_dir=folder, database_url=database_url(folder / "xhht.sqlite"))
    return open_context(settings, Actor("soak"))


def _set_up(folder: Path, persons: int) -> tuple[AppContext, AppContext]:
    office = _open(folder / "office")
    office.setup.init_office(
        OfficeSetup(province_code="68", office_name="Sở GD&ĐT Lâm Đồng", year=YEAR)
    )
    office.signing.create_certificate(PASSWORD, key_type="ec")
    office.exchange.export_certificate(folder / "office.pem", PASSWORD)
    commune = _open(folder / "commune")
    commune.setup.init_commune(
        CommuneSetup(commune_code=CODE, year=YEAR, receiving_office="Sở GD&ĐT Lâm Đồng")
    )
    DemoService(commune).generate(persons=persons, seed=7, year=YEAR)
    commune.signing.create_certificate(PASSWORD, key_type="ec")
    commune.exchange.trust_certificate(folder / "office.pem")
    return commune, office


def _edit(commune: AppContext, person_id: str, rng: random.Random) -> None:
    """One edit as the person form makes it: read the record, change, save with its revision."""
    row = commune.persons.get(person_id)
    draft = PersonDraft(
        row.household_id,
        row.full_name,
        row.birth_year,
        row.sex,
        row.ethnicity_code,
        birth_date=row.birth_date,
        relationship_to_head=row.relationship_to_head,
        grade=row.grade,
        literacy_stage=row.literacy_stage,
        disabled=row.disabled,
        residence=row.residence,
    )
    changed = rng.choice(("grade", "literacy_stage", "disabled"))
    if changed == "grade":
        draft = replace(draft, grade=(row.grade + rng.randint(1, 12)) % 13)
    elif changed == "literacy_stage":
        draft = replace(draft, literacy_stage=(row.literacy_stage + 1) % 3)
    else:
        draft = replace(draft, disabled=not row.disabled)
    commune.persons.save(draft, person_id, row.revision)


def _figures(context: AppContext, commune_code: str | None = None) -> object:
    rates = context.literacy.rates(YEAR, commune_code=commune_code)
    values = context.indicators.values(YEAR, commune_code=commune_code)
    return rates.rates, rates.standards, values


def run_soak(
    folder: Path, persons: int, edits: int, rounds: int, out: Callable[[str], None] = print
) -> SoakResult:
    """Set up, soak, check the figures; return the measures (asserts on wrong figures)."""
    started = time.perf_counter()
    commune, office = _set_up(folder, persons)
    result = SoakResult(persons, edits, rounds, time.perf_counter() - started, 0.0)
    try:
        with commune.reading() as session:
            ids = list(session.scalars(select(Person.id).order_by(Person.id)))
        rng = random.Random(9)
        fingerprint: str | None = commune.signing.info().fingerprint
        usb = folder / "usb"
        done = 0
        every = max(1, rounds // CHECKPOINTS)
        started = time.perf_counter()
        for number in range(1, rounds + 1):
            batch = edits * number // rounds - done
            for _ in range(batch):
                _edit(commune, rng.choice(ids), rng)
            done += batch
            exported = commune.exchange.export_package(usb / f"goi-{number:03d}.xhht", PASSWORD)
            imported = office.exchange.import_package(
                exported.path, PASSWORD, accept_fingerprint=fingerprint
            )
            fingerprint = None  # trusted from the first package on
            assert imported.receipt is not None
            commune.exchange.import_receipt(imported.receipt)
            # The stick is small: the packages of past rounds are not kept.
            for old in usb.iterdir():
                old.unlink()
            if number % every == 0 or number == rounds:
                gc.collect()
                point = Checkpoint(
                    number, done, time.perf_counter() - started, _rss_mb(), _peak_mb()
                )
                result.checkpoints.append(point)
                out(
                    f"round {number}: {done} edits, {point.seconds:.0f} s, "
                    f"rss {point.rss_mb:.0f} MiB, peak {point.peak_mb:.0f} MiB"
                )
        result.seconds = time.perf_counter() - started

        # Every figure equals a fresh recomputation in a new context.
        assert office.exchange.commune_counts(CODE) == commune.setup.counts()
        long_commune, long_office = _figures(commune), _figures(office, CODE)
        fresh_commune, fresh_office = _open(folder / "commune"), _open(folder / "office")
        try:
            assert _figures(fresh_commune) == long_commune
            assert _figures(fresh_office, CODE) == long_office
            # What the office consolidated is what the commune has.
            assert long_office[0] == long_commune[0]
        finally:
            fresh_commune.close()
            fresh_office.close()
    finally:
        commune.close()
        office.close()
    return result


@pytest.mark.slow
def test_soak_memory_stays_flat_and_figures_stay_true(tmp_path, capsys):
    result = run_soak(tmp_path, SOAK_PERSONS, SOAK_EDITS, SOAK_ROUNDS)
    with capsys.disabled():
        print("\n" + "\n".join(result.lines()))
    assert len(result.checkpoints) >= 3
    assert result.growth_mb < GROWTH_BOUND_MB, result.lines()
    assert result.peak_growth_mb < GROWTH_BOUND_MB, result.lines()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The full soak of issue 9.")
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--edits", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--folder", type=Path, default=None)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="xhht-soak-") as temporary:
        folder = args.folder or Path(temporary)
        result = run_soak(folder, args.persons, args.edits, args.rounds)
    print("\n".join(result.lines()))
    print(f"figures equal a fresh recomputation; flat: {result.growth_mb < GROWTH_BOUND_MB}")
    return 0 if result.growth_mb < GROWTH_BOUND_MB else 1


if __name__ == "__main__":
    sys.exit(main())
