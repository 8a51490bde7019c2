"""Fixtures shared by every test area: a fresh data folder and app context."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest

# Qt must never need a screen in tests; set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from xhht_desktop.context import Actor, AppContext, open_context
from xhht_desktop.core.literacy import LiteracySettings
from xhht_desktop.core.registers import PersonDraft
from xhht_desktop.services.demo import DemoService
from xhht_desktop.services.setup import CommuneSetup, OfficeSetup
from xhht_desktop.settings import Settings
from xhht_desktop.store.engine import database_url
from xhht_desktop.store.repositories import PersonFilter

TEST_COMMUNE = "24717"  # Xã Đức An, Lâm Đồng


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "qtbot" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private data folder; nothing a test does reaches the user's own."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("XHHT_DATA_DIR", str(folder))
    monkeypatch.delenv("XHHT_DATABASE_URL", raising=False)
    return folder


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, database_url=database_url(data_dir / "xhht.sqlite"))


@pytest.fixture
def empty_context(settings: Settings) -> Iterator[AppContext]:
    """A context on a migrated database that is not set up yet."""
    context = open_context(settings, Actor("test:admin"))
    yield context
    context.close()


@pytest.fixture
def context(empty_context: AppContext) -> AppContext:
    """A context set up for one commune, with no records yet."""
    empty_context.setup.init_commune(
        CommuneSetup(
            commune_code=TEST_COMMUNE,
            year=2026,
            receiving_office="Sở GD&ĐT Lâm Đồng",
            signer_name="Nguyễn Văn Minh",
            signer_title="Chủ tịch",
        )
    )
    return empty_context


PACKAGE_PASSWORD = "mat-khau-goi-du-lieu"


def _open_unit(folder: Path) -> AppContext:
    folder.mkdir(parents=True, exist_ok=True)
    settings = Settings(data_dir=folder, database_url=database_url(folder / "xhht.sqlite"))
    return open_context(settings, Actor("test:admin"))


def _unlearn(commune: AppContext, how_many: int, year: int) -> None:
    """Make ``how_many`` literate residents aged 15–35 not literate (the survey was wrong)."""
    flt = PersonFilter(birth_year_from=year - 35, birth_year_to=year - 15, literacy_level_from=1)
    rows = [r for r in commune.persons.page(flt, 0, 200) if r.residence == "thuong_tru"]
    assert len(rows) >= how_many
    for row in rows[:how_many]:
        draft = PersonDraft(
            household_id=row.household_id,
            full_name=row.full_name,
            birth_year=row.birth_year,
            birth_date=row.birth_date,
            sex=row.sex,
            ethnicity_code=row.ethnicity_code,
            relationship_to_head=row.relationship_to_head,
            grade=0,
            literacy_stage=0,
            disabled=row.disabled,
            residence=row.residence,
        )
        commune.persons.save(draft, row.id, expected_revision=row.revision)


@pytest.fixture(scope="session")
def communes_and_office(
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[..., AbstractContextManager[dict[str, AppContext]]]:
    """Builds communes with demo data and one office that imported each one's package.

    ``communes_and_office(codes, year=…, failing=…, difficult=…)`` is a context
    manager giving the contexts by commune code and ``"office"``; it closes
    them all at its end. ``codes`` maps each commune code to its demo seed;
    ``failing`` has twelve young residents made not literate, so it fails the
    level 1 standard; ``difficult``, if given, keeps the especially-difficult
    literacy setting. Packages are signed with :data:`PACKAGE_PASSWORD`.
    """

    @contextmanager
    def build(
        codes: dict[str, int], *, year: int, failing: str, difficult: str | None = None
    ) -> Iterator[dict[str, AppContext]]:
        opened: dict[str, AppContext] = {}
        try:
            for code, seed in codes.items():
                commune = _open_unit(tmp_path_factory.mktemp(f"xa-{code}"))
                opened[code] = commune
                commune.setup.init_commune(CommuneSetup(commune_code=code, year=year))
                DemoService(commune).generate(persons=300, seed=seed, year=year)
                commune.signing.create_certificate(PACKAGE_PASSWORD, key_type="ec")
            if difficult is not None:
                opened[difficult].literacy.save_settings(LiteracySettings(difficult_area=True))
            _unlearn(opened[failing], 12, year)
            office = _open_unit(tmp_path_factory.mktemp("office"))
            opened["office"] = office
            office.setup.init_office(
                OfficeSetup(province_code="68", office_name="Sở GD&ĐT Lâm Đồng", year=year)
            )
            usb = tmp_path_factory.mktemp("usb")
            for code in codes:
                commune = opened[code]
                exported = commune.exchange.export_package(usb / f"{code}.xhht", PACKAGE_PASSWORD)
                office.exchange.import_package(
                    exported.path, None, accept_fingerprint=commune.signing.info().fingerprint
                )
            yield opened
        finally:
            for context in opened.values():
                context.close()

    return build
