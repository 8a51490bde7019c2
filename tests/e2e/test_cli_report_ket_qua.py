"""``xhht report ket-qua`` for real, in subprocesses, on a demo commune set up by the CLI.

The figures printed are compared with ``context.indicators.evaluate`` opened
on the same database: the report cannot disagree with ``xhht indicators``.
"""

from __future__ import annotations

import os
import re
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


def _xhht(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XHHT_")}
    env.update(XHHT_DATA_DIR=str(folder / "data"), QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "xhht_desktop", "--db", str(folder / "xa.sqlite"), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=300,
    )


@pytest.fixture(scope="module")
def commune(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo commune of 800 persons, set up through the command line."""
    folder = tmp_path_factory.mktemp("ket-qua")
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
    demo = _xhht(folder, "demo", "--persons", "800", "--year", YEAR)
    assert demo.returncode == 0, demo.stderr
    return folder


def _evaluation(folder: Path, plan: str | None):
    settings = Settings(folder / "data", database_url(folder / "xa.sqlite"))
    context = open_context(settings, Actor("test"))
    try:
        return context.indicators.evaluate(int(YEAR), plan)
    finally:
        context.close()


def _count(value: int | None) -> str:
    return "" if value is None else f"{value:,}".replace(",", ".")


def _row_text(row) -> str:
    data = row.as_dict()
    value = "—" if data["value"] is None else f"{data['value']:.2f}".replace(".", ",")
    cells = [
        str(row.position),
        row.target.wording,
        row.target.target.describe(),
        _count(data["numerator"]),
        _count(data["denominator"]),
        value,
        data["status_label"],
        data["gap_text"],
    ]
    return " ".join(cell for cell in cells if cell)


@pytest.mark.parametrize(
    ("plan", "cited"),
    [
        ("dak-song-138-2020", "Kế hoạch số 138/KH-UBND ngày 15/6/2020"),
        (None, "Quyết định số 387/QĐ-TTg ngày 25/3/2022"),  # the active plan of a real commune
    ],
)
def test_ket_qua_as_pdf(commune: Path, plan: str | None, cited: str) -> None:
    out = commune / f"ket-qua-{plan}.pdf"
    args = ["report", "ket-qua", "--year", YEAR, "--format", "pdf", "--out", str(out)]
    done = _xhht(commune, *args, *(("--plan", plan) if plan else ()))
    assert done.returncode == 0, done.stderr
    assert "Báo cáo kết quả thực hiện kế hoạch xây dựng xã hội học tập" in done.stdout
    reader = PdfReader(out)
    assert f"PDF, {len(reader.pages)} trang" in done.stdout
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert NATIONAL_TITLE in text and MOTTO in text
    assert f"BÁO CÁO Kết quả thực hiện {cited}" in text
    evaluation = _evaluation(commune, plan)
    assert evaluation.rows
    for row in evaluation.rows:
        assert _row_text(row) in text, row.indicator.code


def test_ket_qua_as_excel(commune: Path) -> None:
    out = commune / "ket-qua.xlsx"
    done = _xhht(commune, "report", "ket-qua", "--out", str(out), "--plan", "dong-trieu-2011")
    assert done.returncode == 0, done.stderr
    workbook = openpyxl.load_workbook(out)
    rows = [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    by_number = {row[0]: row for row in rows if isinstance(row[0], int)}
    evaluation = _evaluation(commune, "dong-trieu-2011")
    for row in evaluation.rows:
        data = row.as_dict()
        line = by_number[row.position]
        assert line[1:5] == (
            row.target.wording,
            row.target.target.describe(),
            data["numerator"],
            data["denominator"],
        )
        assert line[5] == pytest.approx(data["value"] / 100)
        assert line[6:8] == (data["status_label"], data["gap_text"])


def test_an_unknown_plan_is_refused_and_no_file_is_left(commune: Path) -> None:
    out = commune / "none.pdf"
    done = _xhht(commune, "report", "ket-qua", "--out", str(out), "--plan", "khong-co")
    assert done.returncode == 1
    assert "Không có kế hoạch «khong-co»" in done.stderr
    assert not out.exists()
    done = _xhht(commune, "report", "xoa-mu-chu", "--out", str(out), "--plan", "qd-387-2025")
    assert done.returncode == 1
    assert "không có tùy chọn plan" in done.stderr
    assert not out.exists()
