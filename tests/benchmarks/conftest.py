"""Fixtures of the benchmarks: a demo commune of 200,000 persons, made once.

Benchmarks are skipped by a plain ``pytest`` run (``--benchmark-skip`` in
pyproject.toml); run them with
``pytest --benchmark-only -p no:cacheprovider tests/benchmarks``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from xhht_desktop.context import Actor, AppContext, open_context
from xhht_desktop.services.demo import DemoService
from xhht_desktop.services.setup import CommuneSetup
from xhht_desktop.settings import Settings
from xhht_desktop.store.engine import database_url

YEAR = 2026
LARGE = 200_000


def set_up_commune(folder: Path) -> AppContext:
    """A context on a new database in ``folder``, set up for commune 24717."""
    settings = Settings(data_dir=folder, database_url=database_url(folder / "xhht.sqlite"))
    context = open_context(settings, Actor("benchmark"))
    context.setup.init_commune(CommuneSetup(commune_code="24717", year=YEAR))
    return context


@pytest.fixture
def new_commune(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[], AppContext]]:
    """Make set-up, empty communes on demand; all closed at the end of the test."""
    opened: list[AppContext] = []

    def make() -> AppContext:
        opened.append(set_up_commune(tmp_path_factory.mktemp("commune")))
        return opened[-1]

    yield make
    for context in opened:
        context.close()


@pytest.fixture(scope="session")
def large_commune(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppContext]:
    """A demo commune of 200,000 persons, shared by every benchmark of a session."""
    context = set_up_commune(tmp_path_factory.mktemp("large"))
    DemoService(context).generate(persons=LARGE, seed=1, year=YEAR)
    yield context
    context.close()
