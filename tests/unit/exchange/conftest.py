"""Fixtures of the package tests: communes with data and keys, an office, its database.

Every unit has its own data folder (its keys live there) and its own
database. The office's database is SQLite, and also PostgreSQL when
``XHHT_TEST_DATABASE_URL`` names a server (``.ci/run`` starts one): the
``office_url`` fixture runs each office test on both.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, select, text

from xhht_desktop.context import Actor, AppContext, open_context
from xhht_desktop.services.demo import DemoService
from xhht_desktop.services.setup import CommuneSetup, OfficeSetup
from xhht_desktop.settings import Settings
from xhht_desktop.store.engine import database_url

PASSWORD = "mat-khau-goi-du-lieu"
YEAR = 2026
OFFICE_PROVINCE = "68"  # Lâm Đồng
OFFICE_NAME = "Sở Giáo dục và Đào tạo tỉnh Lâm Đồng"
POSTGRES = os.environ.get("XHHT_TEST_DATABASE_URL")


def open_unit(folder: Path, url: str | None = None) -> AppContext:
    """A context whose keys live in ``folder`` and whose database is ``url`` (or a file there)."""
    folder.mkdir(parents=True, exist_ok=True)
    settings = Settings(data_dir=folder, database_url=url or database_url(folder / "xhht.sqlite"))
    return open_context(settings, Actor("test:admin"))


def make_commune(
    folder: Path, code: str, *, persons: int = 0, seed: int = 1, key_type: str = "ec"
) -> AppContext:
    """A commune set up with ``persons`` demo persons and a signing key."""
    context = open_unit(folder)
    context.setup.init_commune(
        CommuneSetup(commune_code=code, year=YEAR, receiving_office=OFFICE_NAME)
    )
    if persons:
        DemoService(context).generate(persons=persons, seed=seed, year=YEAR)
    context.signing.create_certificate(PASSWORD, key_type=key_type)  # type: ignore[arg-type]
    return context


def make_office(folder: Path, url: str | None = None) -> AppContext:
    """An office on ``url``; its key is made once per folder and kept for later offices."""
    context = open_unit(folder, url)
    context.setup.init_office(
        OfficeSetup(province_code=OFFICE_PROVINCE, office_name=OFFICE_NAME, year=YEAR)
    )
    if not context.signing.key_file.exists():
        context.signing.create_certificate(PASSWORD, key_type="ec")
    return context


def reset_postgres(url: str) -> None:
    """Empty the test server's database: a fresh office for every test."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


def dump(context: AppContext) -> dict[str, list[str]]:
    """Every row of every table, as text, sorted: equal dumps mean equal content."""
    metadata = MetaData()
    metadata.reflect(context.engine)
    with context.engine.connect() as connection:
        return {
            table.name: sorted(repr(tuple(row)) for row in connection.execute(select(table)))
            for table in metadata.sorted_tables
        }


@pytest.fixture(params=["sqlite", "postgresql"])
def office_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The office's database: an SQLite file, or the PostgreSQL test server (emptied)."""
    if request.param == "sqlite":
        return database_url(tmp_path / "office.sqlite")
    if not POSTGRES:
        pytest.skip("XHHT_TEST_DATABASE_URL is not set: no PostgreSQL server for this run")
    reset_postgres(POSTGRES)
    return POSTGRES


@pytest.fixture(scope="module")
def office_keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The office's data folder with its signing key and certificate file (``office.pem``).

    Made once per module, so that packages encrypted for the office can be
    built once and imported by a fresh office database in every test.
    """
    folder = tmp_path_factory.mktemp("office")
    context = make_office(folder)
    try:
        context.exchange.export_certificate(folder / "office.pem", PASSWORD)
    finally:
        context.close()
    return folder


@pytest.fixture
def office(office_keys: Path, office_url: str) -> Iterator[AppContext]:
    """A fresh office database with the module's office keys."""
    context = make_office(office_keys, office_url)
    yield context
    context.close()


@pytest.fixture(scope="module")
def units(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., AppContext]]:
    """Make communes on demand (closed at the end of the module)."""
    opened: list[AppContext] = []

    def make(code: str, **options: object) -> AppContext:
        opened.append(make_commune(tmp_path_factory.mktemp(f"xa-{code}"), code, **options))  # type: ignore[arg-type]
        return opened[-1]

    yield make
    for context in opened:
        context.close()


@pytest.fixture(scope="session")
def password() -> str:
    """The key password of every unit in these tests."""
    return PASSWORD


@pytest.fixture(scope="session")
def dump_db() -> Callable[[AppContext], dict[str, list[str]]]:
    """:func:`dump`, for tests that check a refusal left the database as it was."""
    return dump


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_office(
    request: pytest.FixtureRequest, office_keys: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AppContext]:
    """An office kept for a whole module: property tests run many examples on it."""
    if request.param == "sqlite":
        url = database_url(tmp_path_factory.mktemp("office-db") / "office.sqlite")
    elif not POSTGRES:
        pytest.skip("XHHT_TEST_DATABASE_URL is not set: no PostgreSQL server for this run")
    else:
        reset_postgres(POSTGRES)
        url = POSTGRES
    context = make_office(office_keys, url)
    yield context
    context.close()
