"""Tests of xhht_desktop.services.demo_setup: the demo commune, set up once."""

from __future__ import annotations

from xhht_desktop.services.demo_setup import (
    DEMO_COMMUNE_CODE,
    ensure_demo,
    init_demo_commune,
    needs_demo,
)


def test_an_empty_database_becomes_a_filled_demo_commune(empty_context):
    assert needs_demo(empty_context)
    assert ensure_demo(empty_context, persons=40, seed=3, year=2026) is True
    info = empty_context.setup.require()
    assert (info.commune_code, info.is_demo, info.year) == (DEMO_COMMUNE_CODE, True, 2026)
    assert info.receiving_office == "Sở Giáo dục và Đào tạo tỉnh Lâm Đồng"
    assert empty_context.setup.counts()["persons"] == 40


def test_a_demo_opened_again_is_left_alone(empty_context):
    ensure_demo(empty_context, persons=40, seed=3, year=2026)
    before = empty_context.setup.counts()
    assert not needs_demo(empty_context)
    assert ensure_demo(empty_context, persons=40, seed=3, year=2026) is False
    assert empty_context.setup.counts() == before


def test_a_real_commune_is_never_filled(context):
    assert not needs_demo(context)
    assert ensure_demo(context, persons=40) is False
    assert not context.setup.require().is_demo
    assert context.setup.counts() == {"villages": 0, "households": 0, "persons": 0}


def test_a_demo_commune_left_empty_is_filled(empty_context):
    # A first start interrupted between the set-up and the records.
    assert init_demo_commune(empty_context, 2026) is True
    assert init_demo_commune(empty_context, 2026) is False
    assert needs_demo(empty_context)
    assert ensure_demo(empty_context, persons=40, seed=3, year=2026) is True
    assert empty_context.setup.counts()["persons"] == 40
