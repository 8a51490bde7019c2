"""Fixtures of the report tests: a hand-counted commune, and readers of PDF and Excel files.

The commune (survey year 2026; age = 2026 − birth year), built through the
services. Names carry every tone mark (huyền, hỏi, ngã, sắc, nặng) and Đ.

=== ================ ==================== === === ==== ===== ===== ===== ====================
 #  village          name                 age sex eth. grade stage level note
=== ================ ==================== === === ==== ===== ===== ===== ====================
 1  Thôn Đồng Tâm    Nguyễn Thị Ngọc Ánh   20  F  01    12     0     2  born 05/09/2006
 2  Thôn Đồng Tâm    Đặng Văn Hưởng        30  M  01     2     1     1
 3  Thôn Đồng Tâm    Lò Thị Ửng            40  F  03     0     0     0  not literate
 4  Thôn Đồng Tâm    Nguyễn Văn Hùng       55  M  01     4     0     1  head of H01
 5  Thôn Đồng Tâm    Trần Thị Bẩy          16  F  01     9     0     2
 6  Thôn Đồng Tâm    Phạm Văn Dũng         33  M  01     0     0     0  exempt (disability)
 7  Thôn Đồng Tâm    Lê Thị Mỹ             70  F  01     0     0     0  older than every band
 8  Thôn Đồng Tâm    Hà Văn Tỏa            25  M  01     0     0     0  moved away: not counted
 9  Bon Bu Prăng     H'Nhi Adrơng          18  F  20     0     2     2  temporary resident
10  Bon Bu Prăng     Điểu Sơn              45  M  20     0     0     0  not literate, head of H02
11  Bon Bu Prăng     Thị Rớt               24  F  20     1     0     0  not literate
12  Bon Bu Prăng     Y Đỗ Kpă              35  M  20     5     0     2
13  Bon Bu Prăng     Điểu Ũy               60  M  20     3     0     1
14  Bon Bu Prăng     Thị Ỹ                 61  F  20     0     0     0  older than the target group
=== ================ ==================== === === ==== ===== ===== ===== ====================

"Tổ dân phố 3" has nobody. Villages in Vietnamese order: Bon Bu Prăng, Thôn
Đồng Tâm, Tổ dân phố 3.

Counted by hand (counted / level 1 / level 2):

======== ============ ============ ============
 band     Bon Bu Prăng Thôn Đồng Tâm commune
======== ============ ============ ============
 15–25    2 / 1 / 1    2 / 2 / 2    4 / 3 / 3    (75,00 %, 75,00 %)
 15–35    3 / 2 / 2    3 / 3 / 2    6 / 5 / 4    (83,33 %, 66,67 %); 1 exempt
 15–60    5 / 3 / 2    5 / 4 / 2    10 / 7 / 4   (70,00 %, 40,00 %); 1 exempt
======== ============ ============ ============

Standards: level 1 (15–35) 5/6 = 83,33 % < 90 %, one more needed; level 2
(15–60) 4/10 = 40 %, five more needed. Not literate 15–60: Lò Thị Ửng,
Điểu Sơn, Thị Rớt; exempt: Phạm Văn Dũng.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from pypdf import PdfReader

from xhht_desktop.context import AppContext
from xhht_desktop.core.registers import HouseholdDraft, PersonDraft, VillageDraft

YEAR = 2026
ISSUED = date(2026, 11, 23)

PEOPLE = [
    # (village, name, age, sex, ethnicity, grade, stage, extra)
    ("a", "Nguyễn Thị Ngọc Ánh", 20, "F", "01", 12, 0, {"birth_date": date(2006, 9, 5)}),
    ("a", "Đặng Văn Hưởng", 30, "M", "01", 2, 1, {}),
    ("a", "Lò Thị Ửng", 40, "F", "03", 0, 0, {}),
    ("a", "Nguyễn Văn Hùng", 55, "M", "01", 4, 0, {"relationship_to_head": "Chủ hộ"}),
    ("a", "Trần Thị Bẩy", 16, "F", "01", 9, 0, {}),
    ("a", "Phạm Văn Dũng", 33, "M", "01", 0, 0, {"disabled": True}),
    ("a", "Lê Thị Mỹ", 70, "F", "01", 0, 0, {}),
    ("a", "Hà Văn Tỏa", 25, "M", "01", 0, 0, {"residence": "chuyen_di"}),
    ("b", "H'Nhi Adrơng", 18, "F", "20", 0, 2, {"residence": "tam_tru"}),
    ("b", "Điểu Sơn", 45, "M", "20", 0, 0, {"relationship_to_head": "Chủ hộ"}),
    ("b", "Thị Rớt", 24, "F", "20", 1, 0, {}),
    ("b", "Y Đỗ Kpă", 35, "M", "20", 5, 0, {}),
    ("b", "Điểu Ũy", 60, "M", "20", 3, 0, {}),
    ("b", "Thị Ỹ", 61, "F", "20", 0, 0, {}),
]


@pytest.fixture
def commune(context: AppContext) -> AppContext:
    """The hand-counted commune of this module's docstring."""
    a = context.villages.save(VillageDraft("thon", "Thôn Đồng Tâm"))
    b = context.villages.save(VillageDraft("bon", "Bon Bu Prăng"))
    context.villages.save(VillageDraft("to_dan_pho", "Tổ dân phố 3"))
    households = {
        "a": context.households.save(HouseholdDraft("H01", a.id, "Nguyễn Văn Hùng")),
        "b": context.households.save(HouseholdDraft("H02", b.id, "Điểu Sơn")),
    }
    for village, name, age, sex, code, grade, stage, extra in PEOPLE:
        context.persons.save(
            PersonDraft(
                households[village].id,
                name,
                YEAR - age,
                sex,
                code,
                grade=grade,
                literacy_stage=stage,
                **extra,
            )
        )
    return context


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


@pytest.fixture
def pdf_pages() -> Callable[[Path], list[list[str]]]:
    """Read a PDF's text back: per page, its lines with white space made single."""

    def read(path: Path) -> list[list[str]]:
        reader = PdfReader(path)
        return [
            [_normal(line) for line in page.extract_text().splitlines() if line.strip()]
            for page in reader.pages
        ]

    return read


@pytest.fixture
def sheet_rows() -> Callable[..., list[tuple[object, ...]]]:
    """Read the values of an Excel file's first sheet, row by row."""

    def read(path: Path, data_only: bool = False) -> list[tuple[object, ...]]:
        workbook = openpyxl.load_workbook(path, data_only=data_only)
        try:
            return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
        finally:
            workbook.close()

    return read


def vn_count(value: int) -> str:
    """The test's own Vietnamese thousands format: 1977 → "1.977"."""
    return f"{value:,}".replace(",", ".")


def vn_percent(value: float | None) -> str:
    """The test's own Vietnamese rate format: 94.94 → "94,94"; none → "—"."""
    return "—" if value is None else f"{value:.2f}".replace(".", ",")


def in_order(expected: list[str], lines: list[str]) -> list[str]:
    """The expected lines that are not found, in order, among ``lines``."""
    missing = []
    position = 0
    for line in expected:
        try:
            position = lines.index(line, position) + 1
        except ValueError:
            missing.append(line)
    return missing


@pytest.fixture
def fmt() -> SimpleNamespace:
    """The test's own formatting and matching helpers (not the code under test)."""
    return SimpleNamespace(count=vn_count, percent=vn_percent, in_order=in_order, normal=_normal)
