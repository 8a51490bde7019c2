"""``xhht report`` for real, in subprocesses: files that open, exit codes, signing."""

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


@pytest.fixture(scope="module")
def commune(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo commune of 800 persons, set up through the command line."""
    folder = tmp_path_factory.mktemp("report")
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


def _standards(folder: Path):
    settings = Settings(folder / "data", database_url(folder / "xa.sqlite"))
    context = open_context(settings, Actor("test"))
    try:
        return context.literacy.standards(int(YEAR))
    finally:
        context.close()


def test_statistical_sheet_as_pdf(commune: Path) -> None:
    out = commune / "F.pdf"
    done = _xhht(
        commune, "report", "xoa-mu-chu", "--year", YEAR, "--format", "pdf", "--out", str(out)
    )
    assert done.returncode == 0, done.stderr
    assert "Biểu thống kê xóa mù chữ" in done.stdout
    assert str(out) in done.stdout
    reader = PdfReader(out)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert NATIONAL_TITLE in text
    assert MOTTO in text
    assert f"PDF, {len(reader.pages)} trang" in done.stdout
    level_2 = _standards(commune).level_2
    rate = f"{level_2.percent:.2f}".replace(".", ",")
    assert f"Mức độ 2 (Điều 21) 15–60 {level_2.counted:,}".replace(",", ".") in " ".join(
        text.split()
    )
    assert rate in text


@pytest.mark.parametrize("kind", ["xoa-mu-chu", "chua-biet-chu", "so-theo-doi"])
def test_every_literacy_report_as_excel_from_the_file_extension(commune: Path, kind: str) -> None:
    out = commune / f"{kind}.xlsx"
    done = _xhht(commune, "report", kind, "--out", str(out), "--date", "01/12/2026")
    assert done.returncode == 0, done.stderr
    workbook = openpyxl.load_workbook(out)
    values = {v for row in workbook.worksheets[0].iter_rows(values_only=True) for v in row}
    workbook.close()
    assert {NATIONAL_TITLE, MOTTO, "Đức An, ngày 01 tháng 12 năm 2026"} <= values


def test_unknown_kind_is_a_usage_error(commune: Path) -> None:
    done = _xhht(commune, "report", "bao-cao-la", "--out", str(commune / "x.pdf"))
    assert done.returncode == 2
    assert "lựa chọn không hợp lệ" in done.stderr
    assert not (commune / "x.pdf").exists()


@pytest.mark.parametrize(
    "args",
    [
        ("--out", "x.docx"),  # no format, and the extension says none
        ("--out", "x.pdf", "--date", "31/02/2026"),
        ("--out", "x.pdf", "--format", "doc"),
    ],
)
def test_bad_options_are_usage_errors(commune: Path, args: tuple[str, ...]) -> None:
    done = _xhht(commune, "report", "xoa-mu-chu", *args)
    assert done.returncode == 2, done.stderr
    assert "lỗi cú pháp" in done.stderr


def test_sign_without_a_password_is_refused_before_any_work(commune: Path) -> None:
    out = commune / "unsigned.pdf"
    done = _xhht(commune, "report", "xoa-mu-chu", "--out", str(out), "--sign")
    assert done.returncode == 2
    assert "XHHT_KEY_PASSWORD" in done.stderr
    assert not out.exists()


def test_report_signed_in_one_step_verifies(commune: Path) -> None:
    password = {"XHHT_KEY_PASSWORD": "mật-khẩu-thử-1"}
    made = _xhht(commune, "cert", "create", **password)
    assert made.returncode == 0, made.stderr
    for name in ("signed.pdf", "signed.xlsx"):
        out = commune / name
        done = _xhht(commune, "report", "xoa-mu-chu", "--out", str(out), "--sign", **password)
        assert done.returncode == 0, done.stderr
        assert "Đã ký số" in done.stdout
        verified = _xhht(commune, "verify", str(out))
        assert verified.returncode == 0, verified.stdout + verified.stderr
        assert "nguyên vẹn" in verified.stdout
    # The stamp sits in the signature space of the last page.
    reader = PdfReader(commune / "signed.pdf")
    fields = reader.get_fields() or {}
    assert fields
    widgets = [
        annotation.get_object()
        for annotation in reader.pages[-1].get("/Annots", [])
        if annotation.get_object().get("/FT") == "/Sig"
        or annotation.get_object().get("/Subtype") == "/Widget"
    ]
    assert widgets
    x1, y1, x2, y2 = (float(v) for v in widgets[0]["/Rect"])
    width = float(reader.pages[-1].mediabox.width)
    assert (x1 + x2) / 2 > width / 2
    assert y2 - y1 == pytest.approx(28 / 25.4 * 72, abs=1.5)  # the 28 mm signature space
    # Tampering with one byte is detected.
    data = bytearray((commune / "signed.pdf").read_bytes())
    middle = len(data) // 3
    data[middle] = (data[middle] + 1) % 256
    (commune / "tampered.pdf").write_bytes(bytes(data))
    assert _xhht(commune, "verify", str(commune / "tampered.pdf")).returncode == 1
