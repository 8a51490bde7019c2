"""``xhht report mo-hinh`` and ``xhht report quyet-dinh`` for real, in subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from xhht_desktop.context import Actor, open_context
from xhht_desktop.reports.document import MOTTO, NATIONAL_TITLE
from xhht_desktop.settings import Settings
from xhht_desktop.store.engine import database_url

YEAR = "2026"


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XHHT_")}
    env.update(XHHT_DATA_DIR=str(data_dir), QT_QPA_PLATFORM="offscreen", **extra)
    return env


def _xhht(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xhht_desktop", "--db", str(folder / "xa.sqlite"), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_env(folder / "data", **env),
        timeout=300,
    )


def _init(folder: Path) -> None:
    made = _xhht(
        folder,
        "init",
        "--role",
        "commune",
        "--commune-code",
        "24717",
        "--year",
        YEAR,
        "--receiving-office",
        "Sở GD&ĐT Lâm Đồng",
        "--signer-name",
        "Nguyễn Văn Minh",
    )
    assert made.returncode == 0, made.stderr


@pytest.fixture(scope="module")
def commune(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo commune of 800 persons, with its year of learning models, through the CLI."""
    folder = tmp_path_factory.mktemp("report-models")
    _init(folder)
    demo = _xhht(folder, "demo", "--persons", "800", "--year", YEAR)
    assert demo.returncode == 0, demo.stderr
    return folder


def _read(folder: Path, read):
    context = open_context(
        Settings(folder / "data", database_url(folder / "xa.sqlite")), Actor("t")
    )
    try:
        return read(context)
    finally:
        context.close()


def _pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


def _cells(path: Path) -> set[object]:
    workbook = openpyxl.load_workbook(path)
    try:
        return {v for row in workbook.worksheets[0].iter_rows(values_only=True) for v in row}
    finally:
        workbook.close()


def test_models_sheet_as_pdf_and_excel(commune: Path) -> None:
    counts = _read(commune, lambda c: c.learning_models.counts(int(YEAR)))
    households = counts.model("gdht")
    pdf = commune / "mo-hinh.pdf"
    done = _xhht(commune, "report", "mo-hinh", "--year", YEAR, "--out", str(pdf))
    assert done.returncode == 0, done.stderr
    assert "Biểu thống kê mô hình học tập" in done.stdout
    pages = len(PdfReader(pdf).pages)
    assert f"PDF, {pages} trang" in done.stdout
    text = _pdf_text(pdf)
    assert NATIONAL_TITLE in text and MOTTO in text
    assert f"1 Gia đình học tập Hộ gia đình {households.in_scope} {households.registered}" in text
    xlsx = commune / "mo-hinh.xlsx"
    done = _xhht(commune, "report", "mo-hinh", "--out", str(xlsx))
    assert done.returncode == 0, done.stderr
    cells = _cells(xlsx)
    assert {"BIỂU THỐNG KÊ", "Toàn xã", households.in_scope} <= cells


def test_decision_by_number_as_pdf_and_excel(commune: Path) -> None:
    decisions = _read(commune, lambda c: c.learning_models.decisions(int(YEAR)))
    assert len(decisions) >= 2
    chosen = decisions[0]
    out = commune / "quyet-dinh.pdf"
    done = _xhht(commune, "report", "quyet-dinh", "--decision", chosen.number, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "Quyết định công nhận và danh sách kèm theo" in done.stdout
    text = _pdf_text(out)
    assert f"Số: {chosen.number}" in text
    assert f"(Kèm theo Quyết định số {chosen.number}" in text
    assert "QUYẾT ĐỊNH:" in text and "DANH SÁCH" in text
    xlsx = commune / "quyet-dinh.xlsx"
    done = _xhht(commune, "report", "quyet-dinh", "--decision", chosen.number, "--out", str(xlsx))
    assert done.returncode == 0, done.stderr
    assert f"Số: {chosen.number}" in _cells(xlsx)


def test_the_latest_decision_by_default(commune: Path) -> None:
    choices = _read(commune, lambda c: c.reports.choices("quyet-dinh", "decision"))
    out = commune / "moi-nhat.pdf"
    done = _xhht(commune, "report", "quyet-dinh", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert f"Số: {choices[0][0]}" in _pdf_text(out)


def test_an_unknown_decision_number_is_refused(commune: Path) -> None:
    out = commune / "khong-co.pdf"
    done = _xhht(commune, "report", "quyet-dinh", "--decision", "999/QĐ-UBND", "--out", str(out))
    assert done.returncode == 1
    assert "không có quyết định công nhận số 999/QĐ-UBND" in done.stderr
    assert not out.exists()


def test_a_year_without_decisions_exits_1_in_vietnamese(tmp_path: Path) -> None:
    _init(tmp_path)
    out = tmp_path / "qd.pdf"
    done = _xhht(tmp_path, "report", "quyet-dinh", "--year", YEAR, "--out", str(out))
    assert done.returncode == 1
    assert "Năm 2026 chưa có quyết định công nhận mô hình học tập nào" in done.stderr
    assert not out.exists()
