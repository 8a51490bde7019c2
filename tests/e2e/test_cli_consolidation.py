"""The office's consolidated figures on the command line: totals, and every commune's own."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from xhht_desktop.cli import main

PASSWORD = "mat-khau-ky-so"
HEX_GROUP = re.compile(r"\b[0-9A-F]{4}\b")
COMMUNES = {"24717": 1, "23842": 2}
PLAN = "dak-song-138-2020"


@pytest.fixture
def xhht(data_dir, monkeypatch, capsys):
    """Run ``xhht --db DB ARGS`` in this process; returns (exit code, stdout, stderr)."""
    monkeypatch.setenv("XHHT_KEY_PASSWORD", PASSWORD)

    def run(db: Path, *args: str) -> tuple[int, str, str]:
        code = main(["--db", str(db), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def office(xhht, tmp_path):
    """An office that imported the packages of two communes (300 persons each)."""
    office = tmp_path / "so.sqlite"
    steps = [
        (office, "init", "--role", "office", "--province-code", "68", "--office-name", "Sở GD"),
        (office, "cert", "create", "--key-type", "ec"),
    ]
    for code, seed in COMMUNES.items():
        commune = tmp_path / f"xa-{code}.sqlite"
        steps += [
            (commune, "init", "--role", "commune", "--commune-code", code, "--year", "2026"),
            (commune, "demo", "--persons", "300", "--seed", str(seed), "--year", "2026"),
            (commune, "cert", "create", "--key-type", "ec"),
            (commune, "export-package", "--year", "2026", "--out", str(tmp_path / f"{code}.xhht")),
        ]
    for db, *args in steps:
        code, out, err = xhht(db, *args)
        assert code == 0, (args, out, err)
    for code in COMMUNES:
        _, shown, _ = xhht(tmp_path / f"xa-{code}.sqlite", "cert", "show")
        fingerprint = " ".join(HEX_GROUP.findall(shown.split("SHA-256")[1])[:16])
        package = str(tmp_path / f"{code}.xhht")
        result = xhht(office, "import-package", package, "--accept-fingerprint", fingerprint)
        assert result[0] == 0, result
    return office


def test_indicators_at_an_office_print_the_total_and_each_commune(xhht, office, tmp_path):
    code, out, err = xhht(office, "indicators", "--year", "2026", "--plan", PLAN, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["plan"] == PLAN
    assert sorted(c["code"] for c in data["communes"]) == sorted(COMMUNES)
    own = {}
    for commune in COMMUNES:
        db = tmp_path / f"xa-{commune}.sqlite"
        code, out, err = xhht(db, "indicators", "--year", "2026", "--plan", PLAN, "--json")
        assert code == 0, err
        own[commune] = json.loads(out)["targets"]
    for commune in data["communes"]:
        assert commune["targets"] == own[commune["code"]]
        assert commune["name"].startswith(("Xã", "Phường"))
    for number, target in enumerate(data["targets"]):
        if target["scope"] == "office" or target.get("parts"):
            continue
        denominators = [own[c][number]["denominator"] for c in COMMUNES]
        known = [d for d in denominators if d is not None]
        assert target["denominator"] == (sum(known) if known else None), target["code"]

    code, out, err = xhht(office, "indicators", "--year", "2026", "--plan", PLAN)
    assert code == 0, err
    assert "Từng xã (2 xã):" in out
    assert re.search(r"24717\s+Xã Đức An\s+đạt \d+/\d+", out)


def test_literacy_at_an_office_prints_each_commune_and_the_share(xhht, office, tmp_path):
    code, out, err = xhht(office, "literacy", "--year", "2026", "--json")
    assert code == 0, err
    data = json.loads(out)
    met = 0
    for commune in data["communes"]:
        db = tmp_path / f"xa-{commune['code']}.sqlite"
        _, own, _ = xhht(db, "literacy", "--year", "2026", "--json")
        assert commune["standards"] == json.loads(own)["standards"]
        met += commune["level_1_met"]
    assert data["office"]["level_1"]["communes"] == 2
    assert data["office"]["level_1"]["communes_met"] == met

    code, out, err = xhht(office, "literacy", "--year", "2026")
    assert code == 0, err
    assert "Xã Đức An" in out
    assert "Chuẩn của cơ quan tổng hợp" in out
    assert f"Mức độ 1 (Điều 20): {met}/2 xã đạt" in out
