"""The built wheel, installed in a fresh virtual environment, runs on its own.

This is what catches a data folder (forms/, resources/, migrations) that a
checkout has but an installed copy lacks.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(work), str(ROOT)],
        work,
        dict(os.environ),
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = work.glob("xhht_desktop-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = _run([str(venv / "bin" / "pip"), "install", "-q", str(wheel)], work, dict(os.environ))
    assert pip.returncode == 0, pip.stderr
    return venv


def test_the_installed_wheel_sets_up_fills_and_shows_a_commune(installed: Path, tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "XHHT_"))}
    env.update(XHHT_DATA_DIR=str(tmp_path / "data"), QT_QPA_PLATFORM="offscreen")
    xhht = str(installed / "bin" / "xhht")
    python = str(installed / "bin" / "python")

    where = _run(
        [python, "-c", "import xhht_desktop.resources as r; print(r.forms_dir())"], tmp_path, env
    )
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(installed)

    db = str(tmp_path / "x.sqlite")
    for args in (
        ["init", "--role", "commune", "--commune-code", "24717", "--year", "2026"],
        ["demo", "--persons", "60", "--seed", "2"],
    ):
        done = _run([xhht, "--db", db, *args], tmp_path, env)
        assert done.returncode == 0, done.stderr
    info = _run([xhht, "--db", db, "info", "--json"], tmp_path, env)
    assert json.loads(info.stdout)["counts"]["persons"] == 60
    smoke = _run([xhht, "--db", db, "gui", "--smoke"], tmp_path, env)
    assert smoke.returncode == 0, smoke.stderr
