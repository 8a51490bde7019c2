"""Every indicator of both seed plans for a 30-commune office (issue 4), and literacy (issue 6).

The office holds 30 communes of 3,000 persons each (90,000 persons). Three
demo communes are generated (three seeds); each one's records are copied for
ten communes (other codes, other record ids) straight into the office's
database, as an import would leave them; the package machinery itself is
measured by ``test_exchange_bench.py``. Measured: the whole consolidated
check of both plans (each commune checked by the commune's own code, then
the office's sums), and the literacy consolidation (rates and verdicts of
every commune, rates over all persons, the shares of Art. 20–21).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from xhht_desktop.context import Actor, AppContext, open_context
from xhht_desktop.core import admin_units
from xhht_desktop.exchange import records
from xhht_desktop.exchange.records import ENTITIES
from xhht_desktop.services.demo import DemoService
from xhht_desktop.services.setup import CommuneSetup, OfficeSetup
from xhht_desktop.settings import Settings
from xhht_desktop.store.engine import database_url

YEAR = 2026
COMMUNES = 30
PERSONS = 3_000
SEEDS = (1, 2, 3)
PLANS = ("dak-song-138-2020", "dong-trieu-2011")
_UUID = re.compile(rb'"[0-9a-f]{2}([0-9a-f]{6}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"')


def _open(folder: Path) -> AppContext:
    folder.mkdir(parents=True, exist_ok=True)
    settings = Settings(data_dir=folder, database_url=database_url(folder / "xhht.sqlite"))
    return open_context(settings, Actor("benchmark"))


def _lines(context: AppContext) -> dict[str, bytes]:
    """Every register of a commune as package lines."""
    with context.engine.connect() as connection:
        return {
            entity.name: records.encode_lines(
                entity.table, connection.execute(select(entity.table)).mappings().all()
            )
            for entity in ENTITIES
        }


def _copy(data: bytes, number: int, code: str) -> bytes:
    """The same records for another commune: its code, and ids no other copy has."""
    prefix = f'"{number:02x}'.encode()
    data = _UUID.sub(lambda m: prefix + m.group(1) + b'"', data)
    return data.replace(b'"commune_code": "24717"', f'"commune_code": "{code}"'.encode())


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppContext]:
    folder = tmp_path_factory.mktemp("consolidation-bench")
    sources = []
    for seed in SEEDS:
        commune = _open(folder / f"commune-{seed}")
        commune.setup.init_commune(CommuneSetup(commune_code="24717", year=YEAR))
        DemoService(commune).generate(persons=PERSONS, seed=seed, year=YEAR)
        sources.append(_lines(commune))
        commune.close()
    office = _open(folder / "office")
    office.setup.init_office(OfficeSetup(province_code="68", office_name="Sở GD&ĐT", year=YEAR))
    codes = [d.code for d in admin_units.communes("68")][:COMMUNES]
    with office.engine.begin() as connection:
        for number, code in enumerate(codes):
            source = sources[number % len(sources)]
            for entity in ENTITIES:
                data = _copy(source[entity.name], number, code)
                rows = records.decode_records(entity, records.parse_lines(entity.member, data))
                if rows:
                    connection.execute(insert(entity.table), rows)
    yield office
    office.close()


def _both_plans(office: AppContext) -> list[object]:
    return [office.consolidation.evaluations(YEAR, plan) for plan in PLANS]


@pytest.mark.benchmark(group="consolidation-30-communes")
def test_both_seed_plans_for_a_30_commune_office(benchmark, office):
    consolidated = benchmark.pedantic(
        _both_plans, args=(office,), rounds=3, iterations=1, warmup_rounds=1
    )
    assert [len(c.per_commune) for c in consolidated] == [COMMUNES, COMMUNES]  # type: ignore[attr-defined]
    assert [len(c.total.rows) for c in consolidated] == [16, 25]  # type: ignore[attr-defined]
    literacy = next(
        r
        for r in consolidated[0].total.rows  # type: ignore[attr-defined]
        if r.indicator.code == "biet-chu-15-60"
    )
    per_commune = [
        next(r for r in e.rows if r.indicator.code == "biet-chu-15-60")
        for e in consolidated[0].per_commune.values()  # type: ignore[attr-defined]
    ]
    assert literacy.check.denominator == sum(r.check.denominator for r in per_commune)
    assert literacy.check.denominator > COMMUNES * PERSONS * 0.5
    seconds = benchmark.stats.stats.mean
    benchmark.extra_info.update(
        communes=COMMUNES,
        persons=COMMUNES * PERSONS,
        seconds_per_commune_and_plan=round(seconds / COMMUNES / len(PLANS), 4),
    )
    print(
        f"\n{COMMUNES} communes, {COMMUNES * PERSONS} persons: both plans {seconds:.2f} s "
        f"({seconds / COMMUNES / len(PLANS) * 1000:.0f} ms per commune and plan)"
    )


@pytest.mark.benchmark(group="consolidation-30-communes")
def test_literacy_verdicts_of_a_30_commune_office(benchmark, office):
    consolidated = benchmark.pedantic(
        office.consolidation.literacy, args=(YEAR,), rounds=3, iterations=1, warmup_rounds=1
    )
    assert consolidated.communes_total == COMMUNES
    total = consolidated.total_rates.standards.level_2
    assert total.counted == sum(c.rates.standards.level_2.counted for c in consolidated.per_commune)
    print(f"\nliteracy of {COMMUNES} communes: {benchmark.stats.stats.mean:.2f} s")
