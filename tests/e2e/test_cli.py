"""The ``xhht`` command, run for real in subprocesses: exit codes, output, files."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from xhht_desktop.context import Actor, AppContext, open_context
from xhht_desktop.settings import Settings
from xhht_desktop.store.engine import database_url
from xhht_desktop.store.repositories import HouseholdFilter

DEMO_PRINTOUT = re.compile(r"Đã tạo dữ liệu mẫu: (\d+) thôn, (\d+) hộ, (\d+) nhân khẩu\.")


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XHHT_")}
    env.update(XHHT_DATA_DIR=str(data_dir), QT_QPA_PLATFORM="offscreen", **extra)
    return env


def _command(args: tuple[str, ...], db: Path | None) -> list[str]:
    return [sys.executable, "-m", "xhht_desktop", *(["--db", str(db)] if db else []), *args]


def _xhht(
    data_dir: Path, *args: str, db: Path | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _command(args, db),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_env(data_dir, **env),
        timeout=300,
    )


def _ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stderr
    return done.stdout


def _info(data_dir: Path, db: Path) -> dict:
    return json.loads(_ok(_xhht(data_dir, "info", "--json", db=db)))


@contextmanager
def _opened(data_dir: Path, db: Path) -> Iterator[AppContext]:
    """The same database through the services, in this process (faster than ``info``)."""
    settings = Settings(data_dir=data_dir, database_url=database_url(db))
    context = open_context(settings, Actor("test:admin"))
    try:
        yield context
    finally:
        context.close()


def _counts(data_dir: Path, db: Path) -> dict[str, int]:
    with _opened(data_dir, db) as context:
        return context.setup.counts()


@pytest.fixture(scope="module")
def commune(tmp_path_factory):
    """A commune database set up by ``init`` and filled by ``demo``."""
    folder = tmp_path_factory.mktemp("cli")
    data_dir, db = folder / "data", folder / "x.sqlite"
    done = _xhht(
        data_dir, "init", "--role", "commune", "--commune-code", "24717", "--year", "2026", db=db
    )
    assert "Xã Đức An" in _ok(done)
    printout = DEMO_PRINTOUT.search(
        _ok(_xhht(data_dir, "demo", "--persons", "500", "--seed", "3", db=db))
    )
    assert printout is not None
    villages, households, persons = (int(n) for n in printout.groups())
    return data_dir, db, {"villages": villages, "households": households, "persons": persons}


def test_info_reports_the_commune_and_the_demo_counts(commune):
    data_dir, db, printed = commune
    info = _info(data_dir, db)
    assert info["role"] == "commune"
    assert info["commune_code"] == "24717"
    assert info["commune_name"] == "Xã Đức An"
    assert info["year"] == 2026
    assert info["counts"] == printed
    assert printed["persons"] == 500 and printed["villages"] >= 1
    assert info["database"] == database_url(db)


def test_a_second_demo_is_refused_with_a_vietnamese_message(commune):
    data_dir, db, printed = commune
    done = _xhht(data_dir, "demo", "--persons", "10", db=db)
    assert done.returncode == 1
    assert "Sổ đã có dữ liệu" in done.stderr and "Traceback" not in done.stderr
    assert _counts(data_dir, db) == printed


def test_a_backup_restores_the_data_after_a_change(commune, tmp_path):
    data_dir, db, printed = commune
    saved = tmp_path / "sao-luu.sqlite"
    assert str(saved) in _ok(_xhht(data_dir, "backup", "--out", str(saved), db=db))
    assert saved.stat().st_size > 0
    # A change the CLI cannot make: delete a household through the service.
    with _opened(data_dir, db) as context:
        household = context.households.page(HouseholdFilter(), 0, 1)[0]
        removed = context.households.delete(household.id)
        changed = context.setup.counts()
    assert changed["households"] == printed["households"] - 1
    assert changed["persons"] == printed["persons"] - removed
    _ok(_xhht(data_dir, "restore", str(saved), db=db))
    assert _counts(data_dir, db) == printed


def test_restoring_a_file_that_is_not_a_database_is_refused(commune, tmp_path):
    data_dir, db, printed = commune
    junk = tmp_path / "khong-phai.sqlite"
    junk.write_text("Đây không phải là cơ sở dữ liệu.", encoding="utf-8")
    before = db.read_bytes()
    done = _xhht(data_dir, "restore", str(junk), db=db)
    assert done.returncode == 1
    assert done.stderr.startswith("Lỗi:") and "Traceback" not in done.stderr
    assert db.read_bytes() == before
    assert _counts(data_dir, db) == printed


def test_an_office_is_set_up_on_the_database_that_the_environment_names(tmp_path):
    db = tmp_path / "so.sqlite"
    office = "Sở GD&ĐT Lâm Đồng"
    done = _xhht(
        tmp_path / "data",
        "init",
        "--role",
        "office",
        "--province-code",
        "68",
        "--office-name",
        office,
        XHHT_DATABASE_URL=database_url(db),
    )
    assert office in _ok(done)
    assert db.is_file()
    # Nothing went to the default file in the data folder.
    assert not (tmp_path / "data" / "xhht.sqlite").exists()
    with _opened(tmp_path / "data", db) as context:
        info = context.setup.require()
    assert (info.role, info.province_code, info.office_name) == ("office", "68", office)
    assert info.commune_code is None


def test_demo_on_a_fresh_database_sets_up_the_demo_commune(tmp_path):
    db = tmp_path / "mau.sqlite"
    _ok(_xhht(tmp_path / "data", "demo", "--persons", "40", "--seed", "1", db=db))
    with _opened(tmp_path / "data", db) as context:
        info = context.setup.require()
        counts = context.setup.counts()
    assert (info.commune_code, info.is_demo) == ("24717", True)
    assert counts["persons"] == 40


def test_info_on_a_database_not_set_up_is_refused(tmp_path):
    done = _xhht(tmp_path / "data", "info", db=tmp_path / "trong.sqlite")
    assert done.returncode == 1
    assert "chưa được thiết lập" in done.stderr


BAD_USAGE = {
    "unknown-command": ("lam-gi-do",),
    "not-a-number": ("demo", "--persons", "nhiều"),
    "negative": ("demo", "--persons", "-5"),
    "missing-commune-code": ("init", "--role", "commune"),
}


def test_bad_usage_exits_with_2_and_stores_nothing(tmp_path):
    # The cases run side by side: each is a whole interpreter start-up.
    running = {
        case: subprocess.Popen(
            _command(args, tmp_path / f"{case}.sqlite"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=_env(tmp_path / "data"),
        )
        for case, args in BAD_USAGE.items()
    }
    for case, process in running.items():
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 2, (case, stderr)
        assert "lỗi cú pháp" in stderr, case
    with _opened(tmp_path, tmp_path / "missing-commune-code.sqlite") as context:
        assert not context.setup.is_set_up()
    assert not any(
        (tmp_path / f"{case}.sqlite").exists()
        for case in BAD_USAGE
        if case != "missing-commune-code"
    )
