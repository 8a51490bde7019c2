"""The Sổ theo dõi of 20,000 persons: PDF within 5 seconds, Excel within 3 (issue 5).

The time is the whole use case, as ``xhht report so-theo-doi`` runs it: the
persons read from the database, the document laid out, the file written
under a temporary name and renamed. (The issue measured about 25 seconds for
the same rows as one reportlab ``Table``; openpyxl alone, styled cell by
cell, takes 6 to 12 seconds for the Excel file.)

Run with ``pytest --benchmark-only -p no:cacheprovider tests/benchmarks/test_report_bench.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from xhht_desktop.context import Actor, AppContext, open_context
from xhht_desktop.services.demo import DemoService
from xhht_desktop.services.setup import CommuneSetup
from xhht_desktop.settings import Settings
from xhht_desktop.store.engine import database_url

YEAR = 2026
PERSONS = 20_000
ROUNDS = 3
PDF_GOAL_S = 5.0
XLSX_GOAL_S = 3.0


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppContext]:
    """A demo commune of 20,000 persons (made once for this module)."""
    folder = tmp_path_factory.mktemp("register")
    settings = Settings(data_dir=folder, database_url=database_url(folder / "xhht.sqlite"))
    context = open_context(settings, Actor("benchmark"))
    context.setup.init_commune(CommuneSetup(commune_code="24717", year=YEAR))
    DemoService(context).generate(persons=PERSONS, seed=1, year=YEAR)
    yield context
    context.close()


def _write(context: AppContext, path: Path):
    return lambda: context.reports.write("so-theo-doi", path, year=YEAR, issued=date(2026, 11, 23))


@pytest.mark.benchmark(group="report-20k")
def test_register_book_pdf(benchmark, register, tmp_path):
    out = tmp_path / "so-theo-doi.pdf"
    made = benchmark.pedantic(_write(register, out), rounds=ROUNDS, iterations=1)
    assert register.persons.register_count() == PERSONS
    assert made.pages == len(PdfReader(out).pages) > 500
    median = benchmark.stats.stats.median
    benchmark.extra_info.update({"pages": made.pages, "median_s": round(median, 2)})
    print(f"\nSổ theo dõi, {PERSONS} persons, PDF: {made.pages} pages in {median:.2f} s")
    assert median <= PDF_GOAL_S


@pytest.mark.benchmark(group="report-20k")
def test_register_book_xlsx(benchmark, register, tmp_path):
    out = tmp_path / "so-theo-doi.xlsx"
    benchmark.pedantic(_write(register, out), rounds=ROUNDS, iterations=1)
    median = benchmark.stats.stats.median
    size = out.stat().st_size
    benchmark.extra_info.update({"bytes": size, "median_s": round(median, 2)})
    print(f"\nSổ theo dõi, {PERSONS} persons, Excel: {size // 1024} KB in {median:.2f} s")
    assert median <= XLSX_GOAL_S
