"""The GUI starts, paints its main window and quits: ``xhht gui --smoke``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TIMEOUT_S = 120


def _xhht(db: Path, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XHHT_DATA_DIR": str(data_dir),
    }
    env.pop("XHHT_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "xhht_desktop", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=TIMEOUT_S,
        check=False,
    )


@pytest.mark.parametrize("set_up", [False, True], ids=["fresh", "set-up"])
def test_the_main_window_paints_and_quits(tmp_path, set_up):
    db = tmp_path / "xhht.sqlite"
    if set_up:
        init = _xhht(db, tmp_path, "init", "--role", "commune", "--commune-code", "24717")
        assert init.returncode == 0, init.stderr

    result = _xhht(db, tmp_path, "gui", "--smoke")

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    # A smoke run checks the start; it leaves no backups behind.
    assert not (tmp_path / "backups").exists()


def test_a_database_from_a_newer_version_is_refused(tmp_path):
    import sqlite3

    db = tmp_path / "xhht.sqlite"
    assert (
        _xhht(db, tmp_path, "init", "--role", "commune", "--commune-code", "24717").returncode == 0
    )
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")

    result = _xhht(db, tmp_path, "gui", "--smoke")

    assert result.returncode == 1
    assert "phiên bản mới hơn" in result.stderr
