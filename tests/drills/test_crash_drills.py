"""Crash and power-loss drills: real operations killed with SIGKILL at random points.

Every run copies a prepared data folder, has the driver (``driver.py``, a
child process) run one real operation on the copy and kill it with SIGKILL
after a random delay within the operation's measured duration, then checks
what a power cut at that moment would leave: a sound database, every
reported commit present, no half-applied import, no file under its final
name unless it is complete and verifies, and temporary files ignored and
cleaned at the next start.

The fast variant (3 kills per operation) runs with every test run; the slow
one (50 per operation, marked ``slow``) with the full suite. What the runs
left is printed at the end of the session (``conftest.py``).
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from xhht_desktop.cli import main
from xhht_desktop.context import Actor, open_context
from xhht_desktop.core.registers import VillageDraft
from xhht_desktop.core.roster import SHEET_NAME
from xhht_desktop.settings import Settings
from xhht_desktop.store import backup, files
from xhht_desktop.store.engine import database_url

DRIVER = Path(__file__).with_name("driver.py")
KEY_PASSWORD = "mat-khau-dien-tap"
YEAR = 2026
IMPORT_ROWS = 600


@dataclass
class Base:
    """The prepared folder every run starts from."""

    root: Path
    roster: Path
    old_backup: Path
    villages_before_restore: frozenset[str]
    villages_in_backup: frozenset[str]
    persons: int


def _xhht(data_dir: Path, *args: str) -> int:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XHHT_DATA_DIR", str(data_dir))
        patch.setenv("XHHT_KEY_PASSWORD", KEY_PASSWORD)
        patch.delenv("XHHT_DATABASE_URL", raising=False)
        return main(["--db", str(data_dir / "xhht.sqlite"), *args])


def settings_of(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, database_url=database_url(data_dir / "xhht.sqlite"))


def village_names(database: Path) -> frozenset[str]:
    connection = sqlite3.connect(database)
    try:
        return frozenset(r[0] for r in connection.execute("SELECT name FROM villages"))
    finally:
        connection.close()


def _roster_rows(count: int) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for number in range(count):
        household = f"NK{number // 4:04d}"
        head = number % 4 == 0
        rows.append(
            (
                "Thôn Nhập Mới",
                household,
                f"{'Lê Văn' if head else 'Lê Thị'} Nhập {number}",
                "Chủ hộ" if head else "Con",
                1970 + number % 40,
                "Nam" if head else "Nữ",
                "Kinh",
                9,
                0,
                None,
                None,
            )
        )
    return rows


@pytest.fixture(scope="session")
def drill_base(tmp_path_factory: pytest.TempPathFactory) -> Base:
    root = tmp_path_factory.mktemp("drill-base")
    office, data = root / "office", root / "data"
    usb = root / "usb"
    usb.mkdir()
    steps = [
        (office, "init", "--role", "office", "--province-code", "68", "--office-name", "Sở GD"),
        (office, "cert", "create", "--key-type", "ec"),
        (office, "export-cert", "--out", str(usb / "so.pem")),
        (data, "init", "--role", "commune", "--commune-code", "24717", "--year", str(YEAR)),
        (data, "demo", "--persons", "300", "--seed", "2", "--year", str(YEAR)),
        (data, "cert", "create", "--key-type", "ec"),
        (data, "trust-cert", str(usb / "so.pem")),
        (data, "template", "persons", "--out", str(usb / "mau.xlsx")),
    ]
    for folder, *args in steps:
        folder.mkdir(exist_ok=True)
        assert _xhht(folder, *args) == 0, args
    workbook = load_workbook(usb / "mau.xlsx")
    for row in _roster_rows(IMPORT_ROWS):
        workbook[SHEET_NAME].append(row)
    roster = usb / "danh-sach.xlsx"
    workbook.save(roster)
    old_backup = usb / "truoc.xhht-backup.sqlite"
    assert _xhht(data, "backup", "--out", str(old_backup)) == 0
    in_backup = village_names(data / "xhht.sqlite")
    context = open_context(settings_of(data), Actor("drill"))
    for name in ("Thôn Sau Sao Lưu 1", "Thôn Sau Sao Lưu 2"):
        context.villages.save(VillageDraft("thon", name))
    context.close()
    shutil.rmtree(data / "backups", ignore_errors=True)
    connection = sqlite3.connect(data / "xhht.sqlite")
    persons = connection.execute("SELECT count(*) FROM persons").fetchone()[0]
    connection.close()
    return Base(
        root,
        roster,
        old_backup,
        village_names(data / "xhht.sqlite"),
        in_backup,
        persons,
    )


class Driver:
    """The forking child process (``driver.py serve``)."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(DRIVER), "serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "ready"

    def run(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)
        self.process.stdout.close()


@pytest.fixture(scope="session")
def driver() -> Iterator[Driver]:
    if sys.platform == "win32":
        pytest.skip("the drills fork and send SIGKILL: POSIX only")
    child = Driver()
    yield child
    child.close()


@dataclass
class Run:
    """One copy of the prepared folder, and what the operation printed there."""

    folder: Path
    result: dict[str, Any] = field(default_factory=dict)

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def database(self) -> Path:
        return self.data / "xhht.sqlite"

    @property
    def usb(self) -> Path:
        return self.folder / "usb"

    @property
    def output(self) -> Path:
        return self.folder / "out.txt"

    def lines(self) -> list[str]:
        """What the operation printed (nothing when killed before it began)."""
        if not self.output.exists():
            return []
        return self.output.read_text(encoding="utf-8", errors="replace").splitlines()


def new_run(base: Base, folder: Path) -> Run:
    shutil.copytree(base.root / "data", folder / "data")
    (folder / "usb").mkdir()
    return Run(folder)


def integrity(database: Path) -> str:
    connection = sqlite3.connect(database)
    try:
        return ";".join(r[0] for r in connection.execute("PRAGMA integrity_check"))
    finally:
        connection.close()


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and files.LEFTOVER.match(p.name)]


def next_start(run: Run) -> None:
    """Open the copy as the app does at its next start; it must tidy up its own folder."""
    context = open_context(settings_of(run.data), Actor("next-start"))
    context.close()
    assert leftovers(run.data) == []


FAST_RUNS = 3
SLOW_RUNS = 50


def _env(run: Run) -> dict[str, str]:
    return {"XHHT_DATA_DIR": str(run.data), "XHHT_KEY_PASSWORD": KEY_PASSWORD}


def _cli(run: Run, *args: str) -> dict[str, Any]:
    return {"op": "cli", "argv": ["--db", str(run.database), *args], "env": _env(run)}


def _query(run: Run, sql: str) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(run.database)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


# -- what each operation is, and what must hold after it was killed -----------


def import_request(base: Base, run: Run) -> dict[str, Any]:
    return _cli(run, "import", "persons", str(base.roster))


def import_check(base: Base, run: Run) -> str:
    persons = _query(run, "SELECT count(*) FROM persons")[0][0]
    after = base.persons + IMPORT_ROWS
    assert persons in (base.persons, after), f"half an import: {persons}"
    reported = any(line.startswith("Tệp «danh-sach.xlsx»") for line in run.lines())
    if reported:
        assert persons == after
    return "imported" if persons == after else "not imported"


def save_request(base: Base, run: Run) -> dict[str, Any]:
    return {"op": "save", "db": str(run.database), "data_dir": str(run.data), "count": 40}


def _reported(run: Run, table: str) -> set[str]:
    return {line.split()[2] for line in run.lines() if line.startswith(f"committed {table} ")}


def save_check(base: Base, run: Run) -> str:
    stored = {row[0] for row in _query(run, "SELECT id FROM households")}
    reported = _reported(run, "households")
    assert reported <= stored, "a household reported as saved is missing"
    assert _reported(run, "villages") <= {r[0] for r in _query(run, "SELECT id FROM villages")}
    new = len(_query(run, "SELECT id FROM households WHERE code LIKE 'DT%'"))
    # At most the one being saved when the power went: committed, not yet printed.
    assert new - len(reported) in (0, 1)
    return "some saves reported" if reported else "killed before the first save"


def recognise_request(base: Base, run: Run) -> dict[str, Any]:
    return {
        "op": "recognise",
        "db": str(run.database),
        "data_dir": str(run.data),
        "count": 30,
        "year": YEAR,
    }


def recognise_check(base: Base, run: Run) -> str:
    decisions = {
        number: decision_id
        for decision_id, number in _query(
            run, "SELECT id, number FROM decisions WHERE number LIKE '%/QĐ-DT'"
        )
    }
    recognised = {
        decision_id
        for (decision_id,) in _query(
            run, "SELECT decision_id FROM model_entries WHERE decision_id IS NOT NULL"
        )
    }
    # A decision and the recognition it makes are one transaction.
    assert set(decisions.values()) <= recognised, "a decision without its recognition"
    for line in run.lines():
        if line.startswith("committed decisions "):
            _c, _d, number, _household = line.split()
            assert number in decisions, f"decision {number} reported, not stored"
    return "some decisions stored" if decisions else "killed before the first decision"


def export_request(base: Base, run: Run) -> dict[str, Any]:
    return _cli(run, "export-package", "--year", str(YEAR), "--out", str(run.usb / "xa.xhht"))


def _verify_package(run: Run, package) -> int:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XHHT_DATA_DIR", str(run.data))
        patch.setenv("XHHT_KEY_PASSWORD", KEY_PASSWORD)
        return main(["--db", str(run.database), "verify-package", str(package)])


def export_check(base: Base, run: Run) -> str:
    package = run.usb / "xa.xhht"
    reported = any(line.startswith("Đã ghi gói dữ liệu") for line in run.lines())
    finals = [p.name for p in run.usb.iterdir() if not files.LEFTOVER.match(p.name)]
    assert finals in ([], ["xa.xhht"])
    if reported:
        assert package.exists()
    if package.exists():
        assert _verify_package(run, package) == 0, "a package under its name does not verify"
        return "package complete"
    return "no package"


def _backups_verify(run: Run) -> int:
    found = backup.list_backups(run.database, run.data / "backups")
    for made in found:
        backup.verify(made.path)
    return len(found)


def backup_request(base: Base, run: Run) -> dict[str, Any]:
    return _cli(run, "backup")


def backup_check(base: Base, run: Run) -> str:
    count = _backups_verify(run)
    if any(line.startswith("Đã sao lưu vào") for line in run.lines()):
        assert count == 1
    return "backup complete" if count else "no backup"


def restore_request(base: Base, run: Run) -> dict[str, Any]:
    return _cli(run, "restore", str(base.old_backup))


def restore_check(base: Base, run: Run) -> str:
    names = village_names(run.database)
    assert names in (base.villages_before_restore, base.villages_in_backup), "half a restore"
    if any(line.startswith("Đã khôi phục từ") for line in run.lines()):
        assert names == base.villages_in_backup
    _backups_verify(run)
    return "restored" if names == base.villages_in_backup else "as before"


def report_request(base: Base, run: Run) -> dict[str, Any]:
    out = run.usb / "ket-qua.pdf"
    return _cli(run, "report", "ket-qua", "--year", str(YEAR), "--format", "pdf", "--out", str(out))


def report_check(base: Base, run: Run) -> str:
    report = run.usb / "ket-qua.pdf"
    finals = [p.name for p in run.usb.iterdir() if not files.LEFTOVER.match(p.name)]
    assert finals in ([], ["ket-qua.pdf"])
    if not report.exists():
        return "no report"
    text = PdfReader(report).pages[0].extract_text()
    assert "Xã Đức An" in text or "XÃ ĐỨC AN" in text.upper(), (
        "a report under its name is not whole"
    )
    return "report complete"


@dataclass(frozen=True)
class Operation:
    """An operation, the check after a kill, and what the check says after a normal run."""

    request: Callable[[Base, Run], dict[str, Any]]
    check: Callable[[Base, Run], str]
    complete: str


OPERATIONS = {
    "import": Operation(import_request, import_check, "imported"),
    "save": Operation(save_request, save_check, "some saves reported"),
    "recognise": Operation(recognise_request, recognise_check, "some decisions stored"),
    "export-package": Operation(export_request, export_check, "package complete"),
    "backup": Operation(backup_request, backup_check, "backup complete"),
    "restore": Operation(restore_request, restore_check, "restored"),
    "report": Operation(report_request, report_check, "report complete"),
}

_DURATIONS: dict[str, float] = {}


def _duration(name: str, base: Base, driver: Driver, tmp_path) -> float:
    """How long the operation takes when nothing kills it (measured once)."""
    if name not in _DURATIONS:
        run = new_run(base, tmp_path / "normal")
        request = OPERATIONS[name].request(base, run)
        result = driver.run({**request, "out": str(run.output)})
        assert result["code"] == 0, run.output.read_text(encoding="utf-8")
        assert OPERATIONS[name].check(base, run) == OPERATIONS[name].complete
        _DURATIONS[name] = result["elapsed"]
    return _DURATIONS[name]


def drill(name: str, runs: int, base: Base, driver: Driver, tmp_path) -> dict[str, int]:
    operation = OPERATIONS[name]
    duration = _duration(name, base, driver, tmp_path)
    rng = random.Random(f"{name}-{runs}")
    outcomes: dict[str, int] = defaultdict(int)
    outcomes["normal run (s)"] = round(duration, 2)  # type: ignore[assignment]
    for number in range(runs):
        run = new_run(base, tmp_path / f"run-{number}")
        delay = rng.uniform(0, duration)
        request = {**operation.request(base, run), "out": str(run.output), "delay": delay}
        run.result = driver.run(request)
        context = f"{name} run {number}, killed after {delay:.3f}s: {run.lines()[-3:]}"
        assert run.result["killed"] or run.result["code"] == 0, context
        assert integrity(run.database) == "ok", context
        outcome = operation.check(base, run)
        if leftovers(run.folder):
            outcomes["temporary files left"] += 1
        next_start(run)
        outcomes["runs"] += 1
        outcomes["killed" if run.result["killed"] else "finished before the kill"] += 1
        outcomes[outcome] += 1
    return outcomes


@pytest.mark.parametrize("name", OPERATIONS)
def test_a_few_kills_per_operation(name, drill_base, driver, tmp_path, request):
    outcomes = drill(name, FAST_RUNS, drill_base, driver, tmp_path)
    request.node.user_properties.append(("drill", json.dumps(outcomes)))


@pytest.mark.slow
@pytest.mark.parametrize("name", OPERATIONS)
def test_fifty_kills_per_operation(name, drill_base, driver, tmp_path, request):
    outcomes = drill(name, SLOW_RUNS, drill_base, driver, tmp_path)
    request.node.user_properties.append(("drill", json.dumps(outcomes)))


def test_settings_of_a_run_point_into_it(drill_base, tmp_path):
    run = new_run(drill_base, tmp_path / "x")
    assert settings_of(run.data).database_file == run.database
