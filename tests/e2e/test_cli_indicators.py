"""``xhht indicators``, ``plans``, ``plan`` and ``checks`` on a demo commune, as a user.

Every figure the command prints is recounted here another way, through the
services a page would call (the learning-model lists, the persons register
row by row, the aggregate forms' grids), and checked against the target.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from xhht_desktop.context import Actor, open_context
from xhht_desktop.core import literacy
from xhht_desktop.core.indicators import (
    REGISTRY,
    AggregatePair,
    AggregateYes,
    LiterateShare,
    ModelShare,
)
from xhht_desktop.core.plans import COMPARISONS
from xhht_desktop.core.registers import COUNTED_RESIDENCES
from xhht_desktop.core.targets import Target, check
from xhht_desktop.settings import Settings
from xhht_desktop.store.engine import database_url

YEAR = 2025  # a past year: every date of the demo's cycle has happened
KEYS = [
    "code",
    "label",
    "numerator",
    "denominator",
    "value",
    "target",
    "comparison",
    "status",
    "gap",
]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("indicators")
    env = {k: v for k, v in os.environ.items() if not k.startswith("XHHT_")}
    env.update(XHHT_DATA_DIR=str(folder / "data"), QT_QPA_PLATFORM="offscreen")
    db = folder / "xa-mau.sqlite"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "xhht_desktop", "--db", str(db), *args],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    done = run("demo", "--persons", "3000", "--year", str(YEAR))
    assert done.returncode == 0, done.stderr
    settings = Settings(data_dir=folder / "data", database_url=database_url(db))
    return run, settings


@pytest.fixture
def demo(demo_db):
    """The CLI runner and a context on the demo, held for one test only.

    An open context is a writer (one writer per database), so a test that
    runs writing commands takes ``demo_db`` and opens none.
    """
    run, settings = demo_db
    context = open_context(settings, Actor("test"))
    yield run, context
    context.close()


def _recount(context, code: str) -> tuple[int | None, int | None]:
    """The figures of ``code``, counted without the registry."""
    spec = REGISTRY[code].spec
    if isinstance(spec, ModelShare):
        rows = context.learning_models.entries(spec.model, YEAR)
        hits = sum(
            r.registered_on is not None if spec.measure == "registered" else r.state.recognised
            for r in rows
        )
        return hits, len(rows)
    if isinstance(spec, LiterateShare):
        counted = literate = 0
        for person in context.persons.in_register_order():
            if (
                person.residence not in COUNTED_RESIDENCES
                or person.disabled
                or literacy.age(person.birth_year, YEAR) not in spec.band
                or (spec.sex and person.sex != spec.sex)
                or (spec.ethnicity and person.ethnicity_code != spec.ethnicity)
            ):
                continue
            counted += 1
            literate += literacy.is_literate(person.grade, person.literacy_stage)
        return literate, counted
    if isinstance(spec, AggregateYes):
        rows = [r for r in context.aggregates.values(spec.form, YEAR) if r.entry_id]
        if not rows:
            return None, None
        yes = sum(r.values[spec.numerator] is True for r in rows)
        return yes, len(context.villages.list()) if spec.denominator == "villages" else 1
    assert isinstance(spec, AggregatePair)
    pairs = [
        (r.values.get(spec.numerator), r.values.get(spec.denominator))
        for r in context.aggregates.values(spec.form, YEAR)
    ]
    pairs = [(n, d) for n, d in pairs if n is not None and d is not None]
    if not pairs:
        return None, None
    return sum(n for n, _ in pairs), sum(d for _, d in pairs)


@pytest.mark.parametrize("plan", ["dak-song-138-2020", "dong-trieu-2011", "qd-387-2025"])
def test_indicators_json_agrees_with_a_recount_through_the_services(demo, plan):
    run, context = demo
    done = run("indicators", "--year", str(YEAR), "--plan", plan, "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["year"], data["plan"]) == (YEAR, plan)
    assert len(data["targets"]) == len(context.plans.get(plan).targets)
    for row in data["targets"]:
        assert list(row)[: len(KEYS)] == KEYS
        parts = row.get("parts")
        codes = [p["code"] for p in parts] if parts else [row["code"]]
        checks = []
        for code, shown in zip(codes, parts or [row], strict=True):
            numerator, denominator = _recount(context, code)
            assert (shown["numerator"], shown["denominator"]) == (numerator, denominator), code
            stretch = None if row["stretch"] is None else Fraction(str(row["stretch"]))
            target = Target(COMPARISONS[row["comparison"]], Fraction(str(row["target"])), stretch)
            expected = check(target, numerator, denominator)
            assert (shown["status"], shown["gap"]) == (expected.status.value, expected.gap), code
            if denominator:
                assert shown["value"] == literacy.percent(numerator or 0, denominator)
            else:
                assert shown["value"] is None and shown["status"] == "no_data"
            checks.append(expected)
        if parts:
            statuses = {c.status.value for c in checks}
            # Met only when every part is; a failing part decides over a missing one.
            if "not_met" in statuses:
                assert row["status"] == "not_met"
            elif "no_data" in statuses:
                assert row["status"] == "no_data"
            else:
                assert all(c.status.reached for c in checks) and row["status"] != "not_met"


def test_the_demo_commune_checks_the_dak_song_plan_by_default(demo):
    run, _context = demo
    done = run("indicators", "--year", str(YEAR))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Kế hoạch 138/KH-UBND của UBND huyện Đăk Song (2020)")
    assert "cần thêm" in done.stdout or "đã đạt" in done.stdout
    assert "Tổng cộng 16 chỉ tiêu" in done.stdout


def test_one_village_and_the_list_of_indicators(demo):
    run, context = demo
    village = context.villages.list()[0]
    done = run("indicators", "--year", str(YEAR), "--village", village.id, "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["village"] == {"id": village.id, "name": village.name}
    households = next(t for t in data["targets"] if t["code"] == "gdht-dang-ky")
    rows = [
        r
        for r in context.learning_models.entries("gdht", YEAR)
        if r.subject.village_id == village.id
    ]
    assert households["denominator"] == len(rows)
    assert households["numerator"] == sum(r.registered_on is not None for r in rows)
    text = run("indicators", "--year", str(YEAR), "--village", village.id).stdout
    assert f"— {village.name} —" in text.splitlines()[0]
    assert f"Tổng cộng {len(data['targets'])} chỉ tiêu" in text
    unknown = run("indicators", "--year", str(YEAR), "--village", "khong-co")
    assert unknown.returncode == 1 and "không có thôn" in unknown.stderr
    listed = run("indicators", "--list", "--json")
    assert {i["code"] for i in json.loads(listed.stdout)} == set(REGISTRY)


def test_plans_are_listed_chosen_copied_and_deleted(demo_db, tmp_path):
    run, _settings = demo_db
    listed = json.loads(run("plans", "--json").stdout)
    assert listed["active"] == "dak-song-138-2020" and listed["problems"] == []
    assert [p["id"] for p in listed["plans"]] == [
        "dak-song-138-2020",
        "dong-trieu-2011",
        "qd-387-2025",
    ]
    assert run("plan", "activate", "qd-387-2025").returncode == 0
    assert json.loads(run("indicators", "--year", str(YEAR), "--json").stdout)["plan"] == (
        "qd-387-2025"
    )
    copied = run("plan", "copy", "dong-trieu-2011", "ke-hoach-xa", "--title", "Kế hoạch của xã")
    assert copied.returncode == 0, copied.stderr
    shown = json.loads(run("plan", "show", "ke-hoach-xa", "--json").stdout)
    assert shown["copied_from"] == "dong-trieu-2011@1" and len(shown["targets"]) == 25
    refused = run("plan", "delete", "dong-trieu-2011")
    assert refused.returncode == 1 and "chỉ đọc" in refused.stderr
    assert run("plan", "delete", "ke-hoach-xa").returncode == 0
    missing = run("plan", "activate", "khong-co")
    assert missing.returncode == 1 and "Không có kế hoạch «khong-co»" in missing.stderr
    assert run("plan", "activate", "dak-song-138-2020").returncode == 0


def test_checks_json_lists_what_the_service_finds(demo):
    run, context = demo
    done = run("checks", "--year", str(YEAR), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    report = context.data_checks.run(YEAR)
    assert data["counts"] == report.counts()
    assert [p["message"] for p in data["problems"]] == [p.message for p in report.problems]
    text = run("checks", "--year", str(YEAR))
    assert text.stdout.startswith(f"Kiểm tra dữ liệu năm {YEAR}")


def test_a_broken_plan_file_fails_plans_check(demo):
    run, context = demo
    folder = Path(context.settings.data_dir) / "forms" / "plans"
    folder.mkdir(parents=True, exist_ok=True)
    broken = folder / "hong.toml"
    broken.write_text('id = "hong"\nversion = 1\ntitle = "Hỏng"\ntargets = []\n', encoding="utf-8")
    try:
        done = run("plans", "--check")
        assert done.returncode == 1
        assert f"{broken}:4: [P008]" in done.stderr
    finally:
        broken.unlink()
