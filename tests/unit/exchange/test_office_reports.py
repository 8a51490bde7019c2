"""Reports at a consolidating office: one row per commune, a total row, the office's verdict.

Two communes hand their packages to the office; the office then prints the
plan results, literacy and learning-model reports. Each is read back (PDF
text with pypdf, XLSX cells with openpyxl) and compared with the
consolidation service's figures and with each commune's own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from xhht_desktop.core.models_cycle import MODEL_CODES
from xhht_desktop.reports.document import format_count, format_percent

YEAR = 2026
CODES = {"24717": 4, "24823": 5}


@pytest.fixture(scope="module")
def communes(units, office_keys):
    made = {}
    for code, seed in CODES.items():
        commune = units(code, persons=200, seed=seed)
        commune.exchange.trust_certificate(office_keys / "office.pem")
        made[code] = commune
    return made


@pytest.fixture
def office_with_data(communes, office, password, tmp_path):
    for code, commune in communes.items():
        exported = commune.exchange.export_package(tmp_path / f"{code}.xhht", password)
        office.exchange.import_package(
            exported.path, password, accept_fingerprint=commune.signing.info().fingerprint
        )
    return office


def _write(office, code: str, folder: Path) -> tuple[str, list[list[object]]]:
    """The report as PDF text (spaces normalised) and as XLSX rows (empty cells dropped)."""
    pdf = office.reports.write(code, folder / f"{code}.pdf", year=YEAR)
    xlsx = office.reports.write(code, folder / f"{code}.xlsx", year=YEAR)
    text = "\n".join(page.extract_text() for page in PdfReader(pdf.path).pages)
    sheet = load_workbook(xlsx.path).active
    cells = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    return re.sub(r"\s+", " ", text), cells


def _row(cells: list[list[object]], first: object, start: int = 0) -> tuple[int, list[object]]:
    """The first row from ``start`` that holds ``first`` (its 1-based sheet row, its cells)."""
    for index in range(start, len(cells)):
        if first in cells[index]:
            return index + 1, cells[index]
    raise AssertionError(f"no row with {first!r}")


def _sums(total: list[object], first: int, last: int) -> list[str]:
    """The SUM formulas of a total row that add exactly rows ``first`` to ``last``, in order."""
    found = [c for c in total if isinstance(c, str) and c.startswith("=")]
    pattern = re.compile(rf"=SUM\((?P<col>[A-Z]+){first}:(?P=col){last}\)")
    assert all(pattern.fullmatch(f) for f in found), (found, first, last)
    return found


def _rate(value: float | None) -> object:
    # Percent columns hold fractions formatted as percentages.
    return None if value is None else pytest.approx(value / 100)


def test_literacy_sheet_lists_every_commune_and_the_office_verdict(office_with_data, tmp_path):
    office = office_with_data
    consolidated = office.consolidation.literacy(YEAR)
    assert consolidated.communes_total == len(CODES)
    text, cells = _write(office, "xoa-mu-chu", tmp_path)
    assert office.setup.require().office_name.upper() in text  # the office's letterhead

    rows = []
    for number, item in enumerate(consolidated.per_commune, start=1):
        at, row = _row(cells, item.name)
        rows.append(at)
        one, two = item.rates.standards.level_1, item.rates.standards.level_2
        assert row == [
            number,
            item.name,
            one.counted,
            one.literate,
            _rate(one.percent),
            "Đạt" if item.level_1_met else "Chưa đạt",
            two.counted,
            two.literate,
            _rate(two.percent),
            "Đạt" if item.level_2_met else "Chưa đạt",
        ]
        assert f"{item.name} {format_count(one.counted)} {format_count(one.literate)}" in text
    _, total = _row(cells, "Cộng")
    assert len(set(_sums(total, rows[0], rows[-1]))) == 4
    assert [total.index(f) for f in _sums(total, rows[0], rows[-1])] == [1, 2, 5, 6]
    counted = sum(i.rates.standards.level_1.counted for i in consolidated.per_commune)
    assert f"Cộng {format_count(counted)}" in text
    assert total[4] == f"{consolidated.communes_level_1}/{consolidated.communes_total} đạt"
    for verdict in (consolidated.level_1, consolidated.level_2):
        sentence = (
            f"Có {verdict.units_met}/{verdict.units} xã, phường đạt chuẩn xóa mù chữ mức độ "
            f"{verdict.level} ({format_percent(verdict.percent)}%)"
        )
        assert sentence in text
        assert sentence in " ".join(str(c) for row in cells for c in row)
    assert ("đơn vị ĐẠT chuẩn" if consolidated.level_1.met else "CHƯA ĐẠT") in text


def test_models_sheet_rows_are_each_communes_own_counts(office_with_data, communes, tmp_path):
    office = office_with_data
    text, cells = _write(office, "mo-hinh", tmp_path)
    entries = office.consolidation.communes()
    start = 0
    for code in MODEL_CODES:  # one table per model, communes in the consolidation's order
        rows = []
        sums = [0, 0, 0, 0, 0]
        for number, entry in enumerate(entries, start=1):
            at, row = _row(cells, entry.name, start)
            rows.append(at)
            start = at
            own = communes[entry.code].learning_models.counts(YEAR).model(code)
            figures = [own.in_scope, own.registered, own.evaluated, own.passed, own.recognised]
            sums = [a + b for a, b in zip(sums, figures, strict=True)]
            assert [c for c in row if not isinstance(c, float)] == [number, entry.name, *figures]
        at, total = _row(cells, "Cộng", start)
        start = at
        assert len(set(_sums(total, rows[0], rows[-1]))) == 5
        assert f"Cộng {format_count(sums[0])} {format_count(sums[1])}" in text
    assert "Gia đình học tập" in text


def test_plan_results_give_every_target_commune_by_commune(office_with_data, tmp_path):
    office = office_with_data
    consolidated = office.consolidation.evaluations(YEAR)
    text, cells = _write(office, "ket-qua", tmp_path)
    assert "V. Kết quả từng chỉ tiêu theo xã, phường" in text
    start, _ = _row(cells, "V. Kết quả từng chỉ tiêu theo xã, phường")
    checked = 0
    for target in consolidated.total.rows:
        if target.indicator.scope == "office":
            continue
        rows = []
        for number, entry in enumerate(consolidated.communes, start=1):
            at, row = _row(cells, entry.name, start)
            start = at
            rows.append(at)
            theirs = consolidated.per_commune[entry.code].rows[target.position - 1].as_dict()
            expected = [theirs["numerator"], theirs["denominator"], _rate(theirs["value"])]
            assert row == [
                number,
                entry.name,
                *(e for e in expected if e is not None),
                theirs["status_label"],
            ]
        at, total = _row(cells, "Cộng", start)
        start = at
        office_row = target.as_dict()
        assert total[-1] == office_row["status_label"]
        if not target.indicator.parts:
            assert [total.index(f) for f in _sums(total, rows[0], rows[-1])] == [1, 2]
            checked += 1
    assert checked >= 3
    assert consolidated.total.rows[0].target.wording.rstrip(" .") in text
