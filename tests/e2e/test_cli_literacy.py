"""``xhht literacy`` end to end: a demo commune, the JSON, and a recount by hand.

The recount reads the persons back through the persons service (as the
persons page lists them) and applies ``core.literacy.level`` person by
person; the command's figures come from grouped SQL. They must agree on every
line.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from xhht_desktop.context import Actor, open_context
from xhht_desktop.core import literacy
from xhht_desktop.core.registers import COUNTED_RESIDENCES
from xhht_desktop.settings import Settings
from xhht_desktop.store.engine import database_url
from xhht_desktop.store.repositories import PersonFilter

YEAR = 2026
RATE_KEYS = {
    "age_from",
    "age_to",
    "sex",
    "ethnicity",
    "level",
    "counted",
    "literate",
    "exempt",
    "rate",
}
VERDICT_KEYS = {
    "age_from",
    "age_to",
    "counted",
    "literate",
    "rate",
    "met",
    "needed",
    "difficult_area",
}
SEXES = {"all": None, "male": "M", "female": "F"}


def xhht(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xhht_desktop", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


def _fill_through_services(db: Path, data_dir: Path) -> None:
    """A small commune built with the services, for a tree without the demo generator."""
    import random

    from xhht_desktop.core.registers import HouseholdDraft, PersonDraft, VillageDraft
    from xhht_desktop.services.setup import CommuneSetup

    rng = random.Random(3)
    context = open_context(Settings(data_dir, database_url(db)), Actor("test"))
    try:
        context.setup.init_commune(CommuneSetup(commune_code="24717", year=YEAR))
        villages = [context.villages.save(VillageDraft("thon", f"Thôn {i}")) for i in (1, 2, 3)]
        for h in range(60):
            household = context.households.save(
                HouseholdDraft(f"H{h:03}", rng.choice(villages).id, f"Chủ hộ {h}")
            )
            for p in range(5):
                context.persons.save(
                    PersonDraft(
                        household.id,
                        f"Người {h} {p}",
                        rng.randint(1950, 2020),
                        rng.choice("MF"),
                        rng.choice(["01", "08", "20"]),
                        grade=rng.choice([0, 0, 1, 2, 3, 4, 5, 9, 12]),
                        literacy_stage=rng.choice([0, 0, 0, 1, 2]),
                        disabled=rng.random() < 0.05,
                        residence=rng.choice(
                            ["thuong_tru"] * 6 + ["tam_tru", "chuyen_di", "da_mat"]
                        ),
                    )
                )
    finally:
        context.close()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("literacy")
    db = folder / "demo.sqlite"
    if importlib.util.find_spec("xhht_desktop.services.demo") is not None:
        made = xhht(db, "demo", "--persons", "2000", "--year", str(YEAR))
        assert made.returncode == 0, made.stderr
    else:
        _fill_through_services(db, folder)
    return db


def _recount(db: Path) -> list[tuple[int, str, str, bool, int]]:
    """(age, sex, ethnicity, disabled, level) of every counted person, one by one."""
    context = open_context(Settings(db.parent, database_url(db)), Actor("test"))
    try:
        rows = context.persons.page(PersonFilter(), 0, 10**6)
    finally:
        context.close()
    assert len(rows) > 100
    return [
        (
            literacy.age(p.birth_year, YEAR),
            p.sex,
            p.ethnicity_code,
            p.disabled,
            literacy.level(p.grade, p.literacy_stage),
        )
        for p in rows
        if p.residence in COUNTED_RESIDENCES
    ]


def test_literacy_json_equals_a_recount(demo_db: Path) -> None:
    result = xhht(demo_db, "literacy", "--year", str(YEAR), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"year", "rates", "standards"}
    assert data["year"] == YEAR

    people = _recount(demo_db)
    ethnicities = sorted({code for age, _, code, _, _ in people if 15 <= age <= 60})
    assert len(ethnicities) > 1
    seen = set()
    for rate in data["rates"]:
        assert set(rate) == RATE_KEYS
        key = (rate["age_from"], rate["age_to"], rate["sex"], rate["ethnicity"], rate["level"])
        assert key not in seen
        seen.add(key)
        band = [
            p
            for p in people
            if rate["age_from"] <= p[0] <= rate["age_to"]
            and SEXES[rate["sex"]] in (None, p[1])
            and rate["ethnicity"] in (None, p[2])
        ]
        counted = [p for p in band if not p[3]]
        literate = sum(1 for p in counted if p[4] >= rate["level"])
        assert rate["counted"] == len(counted), key
        assert rate["literate"] == literate, key
        assert rate["exempt"] == len(band) - len(counted), key
        if counted:
            assert rate["rate"] == pytest.approx(literate / len(counted) * 100, abs=0.005001)
        else:
            assert rate["rate"] is None
    expected_keys = {
        (a, b, sex, code, lv)
        for a, b in ((15, 25), (15, 35), (15, 60))
        for sex in SEXES
        for code in (None, *ethnicities)
        for lv in (1, 2)
    }
    assert expected_keys <= seen

    standards = data["standards"]
    assert set(standards) == {"level_1", "level_2"}
    for name, (lo, hi), lv in (("level_1", (15, 35), 1), ("level_2", (15, 60), 2)):
        verdict = standards[name]
        assert set(verdict) >= VERDICT_KEYS
        assert (verdict["age_from"], verdict["age_to"]) == (lo, hi)
        counted = [p for p in people if lo <= p[0] <= hi and not p[3]]
        literate = sum(1 for p in counted if p[4] >= lv)
        assert (verdict["counted"], verdict["literate"]) == (len(counted), literate)
        assert verdict["met"] is (literate * 10 >= 9 * len(counted) > 0)
        assert verdict["needed"] == max(0, -(-9 * len(counted) // 10) - literate)
        assert verdict["difficult_area"] is False


def test_literacy_prints_a_vietnamese_table(demo_db: Path) -> None:
    result = xhht(demo_db, "literacy", "--year", str(YEAR))
    assert result.returncode == 0, result.stderr
    assert f"Tỷ lệ biết chữ năm {YEAR}" in result.stdout
    assert "Tất cả các dân tộc" in result.stdout
    assert "Mức độ 1 (Điều 20), độ tuổi 15–35" in result.stdout
    assert "Mức độ 2 (Điều 21), độ tuổi 15–60" in result.stdout


def test_literacy_refuses_a_database_not_set_up(tmp_path: Path) -> None:
    result = xhht(tmp_path / "empty.sqlite", "literacy", "--json")
    assert result.returncode == 1
    assert "chưa được thiết lập" in result.stderr
    assert result.stdout == ""


def test_statistical_table_and_lists_equal_a_recount(demo_db: Path) -> None:
    context = open_context(Settings(demo_db.parent, database_url(demo_db)), Actor("test"))
    try:
        rows = [
            p
            for p in context.persons.page(PersonFilter(), 0, 10**6)
            if p.residence in COUNTED_RESIDENCES
        ]
        table = context.literacy.by_village(YEAR)
        not_literate = context.literacy.not_literate(YEAR, limit=10**6)
        exempt = context.literacy.exempt(YEAR, limit=10**6)
        warnings = context.literacy.quality_warnings(YEAR)
    finally:
        context.close()

    def figures(people: list, band: literacy.Band) -> literacy.Figures:
        inside = [p for p in people if literacy.age(p.birth_year, YEAR) in band]
        counted = [p for p in inside if not p.disabled]
        levels = [literacy.level(p.grade, p.literacy_stage) for p in counted]
        return literacy.Figures(
            counted=len(counted),
            level_1=sum(1 for lv in levels if lv >= 1),
            level_2=sum(1 for lv in levels if lv >= 2),
            exempt=len(inside) - len(counted),
        )

    assert len(table.lines) > 1
    for line in table.lines:
        people = [p for p in rows if p.village_id == line.village_id]
        assert line.figures == tuple(figures(people, band) for band in table.bands), line
    assert table.total.figures == tuple(figures(rows, band) for band in table.bands)

    target = literacy.Band(15, 60)
    expected = {
        p.id
        for p in rows
        if literacy.age(p.birth_year, YEAR) in target
        and not p.disabled
        and literacy.level(p.grade, p.literacy_stage) == 0
    }
    assert {p.id for p in not_literate} == expected
    keys = [(p.village_name, p.full_name) for p in not_literate]
    assert [k[0] for k in keys] == sorted((k[0] for k in keys), key=_village_order(table))
    assert {p.id for p in exempt} == {
        p.id for p in rows if literacy.age(p.birth_year, YEAR) in target and p.disabled
    }
    flagged = {
        (p.id, message)
        for p in rows
        for message in literacy.quality_issues(
            birth_year=p.birth_year, grade=p.grade, stage=p.literacy_stage, year=YEAR
        )
    }
    assert {(w.person_id, w.message) for w in warnings} == flagged


def _village_order(table: literacy.VillageTable):
    order = {line.village_name: i for i, line in enumerate(table.lines)}
    return lambda name: order[name]
