"""``xhht models`` and ``xhht template/import registrations`` on a demo commune, as a user."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from xhht_desktop.context import Actor, open_context
from xhht_desktop.services.registrations_roster import SHEET_NAME
from xhht_desktop.settings import Settings
from xhht_desktop.store.engine import database_url
from xhht_desktop.store.model_queries import EntryFilter

YEAR = 2025  # a past year: every date of the demo's cycle has happened


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("models")
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

    done = run("demo", "--persons", "1500", "--seed", "3", "--year", str(YEAR))
    assert done.returncode == 0, done.stderr
    assert "dòng họ" in done.stdout and "quyết định công nhận" in done.stdout
    return run, db, folder


def _context(db: Path, folder: Path):
    settings = Settings(data_dir=folder / "data", database_url=database_url(db))
    return open_context(settings, Actor("test"))


def test_models_json_agrees_with_a_recount_through_the_services(demo):
    run, db, folder = demo
    done = run("models", "--year", str(YEAR), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["year"] == YEAR
    assert [m["model"] for m in data["models"]] == ["gdht", "dhht", "cdht", "dvht"]
    context = _context(db, folder)
    try:
        service = context.learning_models
        for item in data["models"]:
            model = item["model"]
            rows = service.entries(model, YEAR)
            recount = {
                "in_scope": len(rows),
                "registered": sum(r.registered_on is not None for r in rows),
                "evaluated": sum(r.criteria_id is not None for r in rows),
                "passed": sum(r.passed is True for r in rows),
                "recognised": sum(r.state.recognised for r in rows),
            }
            assert {k: item[k] for k in recount} == recount, model
            assert sum(v["in_scope"] for v in item["by_village"]) == item["in_scope"]
            for village in item["by_village"]:
                if village["village_id"] is None:
                    continue
                flt = EntryFilter(village_id=village["village_id"], status="registered")
                assert service.count_entries(model, YEAR, flt) == village["registered"]
            # The demo registers some 65–75% and passes most of those evaluated.
            assert item["in_scope"] > 0
            share = item["registered"] / item["in_scope"]
            assert 0.45 <= share <= 0.95, (model, share)
            assert item["passed"] >= 0.6 * item["evaluated"]
            assert 0 < item["recognised"] <= item["passed"]
        assert data["models"][0]["label"] == "Gia đình học tập"
        decisions = service.decisions(YEAR)
        assert 1 <= len(decisions) <= 2
        assert all(d.number.endswith("/QĐ-UBND") for d in decisions)
        assert context.clans.list() and context.units.list()
        kinds = {u.kind for u in context.units.list()}
        assert {"co_quan", "truong_hoc", "doanh_nghiep", "hop_tac_xa"} <= kinds
    finally:
        context.close()
    text = run("models", "--year", str(YEAR))
    assert "Gia đình học tập" in text.stdout and "Công nhận" in text.stdout


def test_registrations_template_import_and_a_refused_file(demo, tmp_path):
    run, _db, _folder = demo
    before = json.loads(run("models", "--year", str(YEAR), "--json").stdout)
    target = tmp_path / "dvht.xlsx"
    done = run(
        "template", "registrations", "--model", "dvht", "--year", str(YEAR), "--out", str(target)
    )
    assert done.returncode == 0, done.stderr
    workbook = load_workbook(target)
    sheet = workbook[SHEET_NAME]
    headers = [c.value for c in sheet[2]]
    assert headers[:2] == ["Tên đơn vị", "Thôn/Tổ dân phố"]
    column = headers.index("Ngày đăng ký") + 1
    empty = next(
        r for r in range(3, sheet.max_row + 1) if not sheet.cell(row=r, column=column).value
    )
    sheet.cell(row=empty, column=column, value="99/99/2025")
    workbook.save(target)

    refused = run("import", "registrations", str(target))
    assert refused.returncode == 1
    assert f"dòng {empty}, Ngày đăng ký" in refused.stderr
    assert json.loads(run("models", "--year", str(YEAR), "--json").stdout) == before

    sheet.cell(row=empty, column=column, value="15/01/2025")
    workbook.save(target)
    dry = run("import", "registrations", str(target), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Chạy thử" in dry.stdout
    assert json.loads(run("models", "--year", str(YEAR), "--json").stdout) == before
    done = run("import", "registrations", str(target))
    assert done.returncode == 0, done.stderr
    after = json.loads(run("models", "--year", str(YEAR), "--json").stdout)
    assert after["models"][3]["registered"] == before["models"][3]["registered"] + 1
