"""Fixtures shared by every test area: a fresh data folder and app context."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Qt must never need a screen in tests; set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from xhht_desktop.context import Actor, AppContext, open_context
from xhht_desktop.services.setup import CommuneSetup
from xhht_desktop.settings import Settings
from xhht_desktop.store.engine import database_url

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
