"""Records of older packages are migrated forward, step by step, by revision."""

from __future__ import annotations

import pytest

from xhht_desktop.errors import PackageRefused
from xhht_desktop.exchange import upgrades
from xhht_desktop.exchange.upgrades import Step
from xhht_desktop.store import migrate


def test_the_chain_ends_at_the_current_schema():
    chain = upgrades.revision_chain()
    assert chain[0] == "0001"
    assert chain[-1] == migrate.head_revision()


def test_only_the_steps_after_the_packages_revision_apply():
    steps = (
        Step("0003", "persons", rename={"name": "full_name"}),
        Step("0004", "households", add={"clan_id": None}, drop=("old",)),
        Step("0004", "persons", transform=lambda r: {**r, "grade": r["grade"] + 1}),
    )
    records = {
        "persons": [{"full_name": "A", "grade": 1}],
        "households": [{"code": "H1", "old": 1}],
    }
    upgrades.upgrade(records, "0003", steps)
    assert records == {
        "persons": [{"full_name": "A", "grade": 2}],
        "households": [{"code": "H1", "clan_id": None}],
    }
    fresh = {"persons": [{"name": "B", "grade": 1}]}
    upgrades.upgrade(fresh, "0002", steps)
    assert fresh == {"persons": [{"full_name": "B", "grade": 2}]}
    current = {"persons": [{"full_name": "C", "grade": 1}]}
    upgrades.upgrade(current, migrate.head_revision(), steps)
    assert current == {"persons": [{"full_name": "C", "grade": 1}]}


def test_a_revision_from_a_newer_app_is_refused():
    with pytest.raises(PackageRefused, match="phiên bản ứng dụng mới hơn"):
        upgrades.upgrade({}, "9999_future")
