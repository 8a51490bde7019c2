"""``xhht template persons`` and ``xhht import persons``, run as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from xhht_desktop.core.roster import HEADERS, SHEET_NAME

ROWS = [
    (
        "Thôn 1",
        "H01",
        "Nguyễn Văn An",
        "Chủ hộ",
        datetime(1980, 3, 1),
        "Nam",
        "Kinh",
        9,
        0,
        None,
        None,
    ),
    ("Thôn 1", "H01", "Hờ Thị Mai", "Vợ", "1987", "nữ", "H'Mông", 3, 1, None, "Tạm trú"),
    ("Bon Bu Bir", "H02", "Điểu K'Lứt", "Chủ hộ", 1975, "Nam", "M'Nông", 0, 2, "x", None),
]
BAD_ROWS = [
    *ROWS,
    ("Bon Bu Bir", "H02", "Thị Hơn", "Vợ", 2099, "Nữ", "Mnông", 0, 0, None, None),
    ("Bon Bu Bir", "H02", "Điểu Sơn", "Con", 2001, "N", "Mèo", 9, 0, None, None),
]


@pytest.fixture
def xhht(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("XHHT_")}
    env.update(XHHT_DATA_DIR=str(tmp_path / "data"), QT_QPA_PLATFORM="offscreen")
    db = str(tmp_path / "xhht.sqlite")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "xhht_desktop", "--db", db, *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    done = run("init", "--role", "commune", "--commune-code", "24717", "--year", "2026")
    assert done.returncode == 0, done.stderr
    return run


def _fill(template: Path, rows: list[tuple[object, ...]], target: Path) -> Path:
    workbook = load_workbook(template)
    for row in rows:
        workbook[SHEET_NAME].append(row)
    workbook.save(target)
    return target


def _counts(xhht) -> dict[str, int]:
    info = xhht("info", "--json")
    assert info.returncode == 0, info.stderr
    return json.loads(info.stdout)["counts"]


def test_template_fill_import_and_reimport(xhht, tmp_path):
    made = xhht("template", "persons", "--out", "mau.xlsx")
    assert made.returncode == 0, made.stderr
    assert "Đã ghi tệp mẫu" in made.stdout
    template = tmp_path / "mau.xlsx"
    assert tuple(c.value for c in load_workbook(template)[SHEET_NAME][1]) == HEADERS
    roster = _fill(template, ROWS, tmp_path / "danh-sach.xlsx")

    tried = xhht("import", "persons", str(roster), "--dry-run", "--json")
    assert tried.returncode == 0, tried.stderr
    summary = json.loads(tried.stdout)
    assert (summary["dry_run"], summary["stored"], summary["refused"]) == (True, False, False)
    assert summary["persons"] == {"created": 3, "updated": 0, "unchanged": 0}
    assert "Chạy thử" in tried.stderr
    assert _counts(xhht)["persons"] == 0

    done = xhht("import", "persons", str(roster))
    assert done.returncode == 0, done.stderr
    assert "Nhân khẩu thêm mới: 3" in done.stdout and "Đã lưu." in done.stdout
    assert _counts(xhht) == {"villages": 2, "households": 2, "persons": 3}

    again = xhht("import", "persons", str(roster), "--json")
    assert again.returncode == 0, again.stderr
    summary = json.loads(again.stdout)
    assert summary["persons"] == {"created": 0, "updated": 0, "unchanged": 3}
    assert summary["villages"]["created"] == 0 and summary["households"]["created"] == 0
    assert _counts(xhht) == {"villages": 2, "households": 2, "persons": 3}


def test_a_bad_file_exits_1_lists_the_problems_and_stores_nothing(xhht, tmp_path):
    assert xhht("template", "persons", "--out", "mau.xlsx").returncode == 0
    bad = _fill(tmp_path / "mau.xlsx", BAD_ROWS, tmp_path / "sai.xlsx")

    refused = xhht("import", "persons", str(bad), "--errors-out", "loi.xlsx", "--json")

    assert refused.returncode == 1
    assert "chưa lưu gì" in refused.stderr
    assert "dòng 5, Ngày sinh: Năm sinh không được ở tương lai." in refused.stderr
    assert "dòng 6, Giới tính:" in refused.stderr and "dòng 6, Dân tộc:" in refused.stderr
    summary = json.loads(refused.stdout)
    assert (summary["refused"], summary["rows"], summary["invalid_rows"]) == (True, 5, 2)
    assert [(i["row"], i["column"]) for i in summary["issues"]] == [
        (5, "Ngày sinh"),
        (6, "Giới tính"),
        (6, "Dân tộc"),
    ]
    assert (tmp_path / "loi.xlsx").is_file()
    assert _counts(xhht) == {"villages": 0, "households": 0, "persons": 0}

    partial = xhht("import", "persons", str(bad), "--valid-only")
    assert partial.returncode == 0, partial.stderr
    assert "Bỏ qua 2 dòng có lỗi" in partial.stdout
    assert _counts(xhht)["persons"] == 3


def test_a_file_that_is_no_workbook_exits_1(xhht, tmp_path):
    (tmp_path / "ds.xlsx").write_text("Họ tên;Năm sinh\n", encoding="utf-8")
    refused = xhht("import", "persons", "ds.xlsx")
    assert refused.returncode == 1
    assert "không phải tệp Excel .xlsx" in refused.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("import", "households", "ds.xlsx"),
        ("import", "persons"),
        ("template", "persons"),
        ("import", "persons", "ds.xlsx", "--errors-out", "ds.xlsx"),
    ],
)
def test_a_wrong_command_line_exits_2(xhht, args):
    wrong = xhht(*args)
    assert wrong.returncode == 2
    assert "lỗi cú pháp" in wrong.stderr
