"""How long the demo commune takes to generate (and write) at two sizes."""

from __future__ import annotations

import pytest

from xhht_desktop.services.demo import DemoService

YEAR = 2026


@pytest.mark.parametrize(("persons", "rounds"), [(30_000, 3), (200_000, 1)])
def test_demo_generation(benchmark, new_commune, persons, rounds):
    def fresh():
        return (DemoService(new_commune()),), {}

    def generate(service):
        return service.generate(persons=persons, seed=1, year=YEAR)

    summary = benchmark.pedantic(generate, setup=fresh, rounds=rounds, iterations=1)
    assert summary.persons == persons
    benchmark.extra_info.update(villages=summary.villages, households=summary.households)
