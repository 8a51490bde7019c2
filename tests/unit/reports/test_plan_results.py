"""``ket-qua``: the plan's targets against the year's figures, read back from PDF and Excel.

Every row of the report must carry exactly what ``context.indicators.evaluate``
gives for it (figures, status, gap sentence), for the hand-counted commune of
``conftest.py`` and for a generated one. On the hand-counted commune, with
the Đăk Song plan (138/KH-UBND), some rows are also checked against hand
counts:

* target 11, literate 15–60 ≥ 98,5%: 7 of 10 (70,00%), needs 10, so 3 more;
  Bon Bu Prăng 3/5 needs 2 more, Thôn Đồng Tâm 4/5 needs 1 more, Tổ dân
  phố 3 has nobody (no data, not named);
* target 14, H'Mông 15–60: nobody is H'Mông, so no data (denominator 0);
* target 4, households registered for Gia đình học tập > 60%: 0 of 2;
* the aggregate forms are empty: "chưa nhập số liệu".
"""

from __future__ import annotations

from datetime import date

import pytest

from xhht_desktop.core.plans import PlanDraft, TargetDraft
from xhht_desktop.core.targets import Status
from xhht_desktop.errors import NotFound, ReportNotSupported
from xhht_desktop.reports.document import MOTTO, NATIONAL_TITLE
from xhht_desktop.reports.plan_results import citation, document_type
from xhht_desktop.services.demo import DemoService

YEAR = 2026
ISSUED = date(2026, 11, 23)
DAK_SONG = "dak-song-138-2020"
DONG_TRIEU = "dong-trieu-2011"


def _write(context, path, plan=None):
    return context.reports.write(
        "ket-qua", path, path.suffix[1:], YEAR, ISSUED, options={"plan": plan}
    )


def _pdf_text(path, pdf_pages) -> str:
    return " ".join(line for page in pdf_pages(path) for line in page)


def _expected_row(row, fmt) -> str:
    """The row as the PDF prints it, figures formatted by the test's own helpers."""
    data = row.as_dict()
    cells = [
        str(row.position),
        row.target.wording,
        row.target.target.describe(),
        "" if data["numerator"] is None else fmt.count(data["numerator"]),
        "" if data["denominator"] is None else fmt.count(data["denominator"]),
        fmt.percent(data["value"]),
        row.check.status.label,
        data["gap_text"],
    ]
    return fmt.normal(" ".join(cell for cell in cells if cell))


def _table_rows(rows: list[tuple[object, ...]], count: int) -> list[tuple[object, ...]]:
    """The data rows of the table: after the "(1) (2) …" line, ``count`` of them."""
    start = next(i for i, row in enumerate(rows) if row[:2] == ("(1)", "(2)")) + 1
    return [row[:8] for row in rows[start : start + count]]


def _check_excel(path, evaluation, sheet_rows) -> None:
    cells = _table_rows(sheet_rows(path), len(evaluation.rows))
    for row, line in zip(evaluation.rows, cells, strict=True):
        data = row.as_dict()
        # A rate nobody is counted in is a dash, never an empty cell read as 0.
        expected_value = "—" if data["value"] is None else pytest.approx(data["value"] / 100)
        assert line == (
            row.position,
            row.target.wording,
            row.target.target.describe(),
            data["numerator"],
            data["denominator"],
            expected_value,
            row.check.status.label,
            data["gap_text"],
        ), row.indicator.code


def test_hand_counted_commune_pdf_carries_every_row_of_the_evaluation(
    commune, tmp_path, pdf_pages, fmt
):
    evaluation = commune.indicators.evaluate(YEAR, DAK_SONG)
    made = _write(commune, tmp_path / "ket-qua.pdf", DAK_SONG)
    text = _pdf_text(made.path, pdf_pages)
    for row in evaluation.rows:
        assert _expected_row(row, fmt) in text, row.indicator.code

    rows = {row.indicator.code: row for row in evaluation.rows}
    literate = rows["biet-chu-15-60"]
    assert (literate.position, literate.check.numerator, literate.check.denominator) == (11, 7, 10)
    assert "≥ 98,5% 7 10 70,00 Chưa đạt cần thêm 3 người 15–60 tuổi biết chữ" in text
    assert rows["biet-chu-hmong-15-60"].check.status is Status.NO_DATA
    assert "4 Trên 60% gia đình đăng ký" in text and "> 60% 0 2 0,00 Chưa đạt" in text

    # The letterhead and the summary cite the plan; Vietnamese survives intact.
    assert NATIONAL_TITLE in text and MOTTO in text
    assert "ỦY BAN NHÂN DÂN XÃ ĐỨC AN" in text
    assert "Đức An, ngày 23 tháng 11 năm 2026" in text
    assert (
        "BÁO CÁO Kết quả thực hiện Kế hoạch số 138/KH-UBND ngày 15/6/2020 của Ủy ban nhân dân "
        "huyện Đăk Song (tỉnh Đắk Nông) về xây dựng xã hội học tập năm 2026" in text
    )
    for heading in (
        "I. Kết quả đạt được",
        "II. Những chỉ tiêu chưa đạt",
        "III. Chỉ tiêu chưa có số liệu",
        "IV. Kết quả từng chỉ tiêu",
    ):
        assert heading in text
    counts = evaluation.summary()
    reached = sum(n for status, n in counts.items() if status.reached)
    assert (
        f"đạt {reached} chỉ tiêu, chưa đạt {counts[Status.NOT_MET]} chỉ tiêu, còn "
        f"{counts[Status.NO_DATA]} chỉ tiêu chưa có số liệu để đánh giá." in text
    )
    # II: each target not met with its gap, and the villages that hold it back.
    assert (
        "11. Người từ 15 đến 60 tuổi biết chữ: đạt 70,00% (7/10), chỉ tiêu ≥ 98,5%; cần thêm 3 "
        "người 15–60 tuổi biết chữ. Chưa đạt ở: Bon Bu Prăng (cần thêm 2), Thôn Đồng Tâm "
        "(cần thêm 1)." in text
    )
    # III: each target without figures, and why.
    for row in evaluation.rows:
        if row.check.status is Status.NO_DATA:
            assert f"{row.position}. {row.indicator.label} (chỉ tiêu " in text
            assert row.gap_text in text
    assert "Phụ nữ, trẻ em gái" in text and "H'Mông" in text
    assert "Nơi nhận: - Sở GD&ĐT Lâm Đồng; - Lưu: VT." in text
    assert "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH" in text and text.endswith("Nguyễn Văn Minh")
    assert made.signature_page == made.pages - 1


def test_hand_counted_commune_excel_cells_are_the_evaluations(commune, tmp_path, sheet_rows):
    evaluation = commune.indicators.evaluate(YEAR, DAK_SONG)
    made = _write(commune, tmp_path / "ket-qua.xlsx", DAK_SONG)
    _check_excel(made.path, evaluation, sheet_rows)
    values = {v for row in sheet_rows(made.path) for v in row if v is not None}
    assert {NATIONAL_TITLE, MOTTO, "BÁO CÁO", "Số:      /BC-UBND"} <= values
    assert "Đức An, ngày 23 tháng 11 năm 2026" in values
    assert "- Sở GD&ĐT Lâm Đồng;" in values and "Nguyễn Văn Minh" in values
    assert "Thực hiện" in values and "Còn thiếu" in values


def test_range_targets_say_within_range_and_above_stretch(commune, tmp_path, pdf_pages, fmt):
    commune.plans.save(
        PlanDraft(
            "ke-hoach-xa",
            "Kế hoạch xóa mù chữ của xã",
            (
                TargetDraft("biet-chu-15-60", "range", "60", 2026, "65", "Từ 60% đến 65%."),
                TargetDraft("biet-chu-15-35", "range", "80", 2026, "90", "Từ 80% đến 90%."),
            ),
            number="12/KH-UBND",
            issued_on=date(2026, 2, 3),
            issuer="Ủy ban nhân dân xã Đức An",
        )
    )
    evaluation = commune.indicators.evaluate(YEAR, "ke-hoach-xa")
    assert [row.check.status for row in evaluation.rows] == [
        Status.ABOVE_STRETCH,
        Status.WITHIN_RANGE,
    ]
    made = _write(commune, tmp_path / "ket-qua.pdf", "ke-hoach-xa")
    text = _pdf_text(made.path, pdf_pages)
    for row in evaluation.rows:
        assert _expected_row(row, fmt) in text
    assert (
        "Xóa mù chữ: đạt cả 2 chỉ tiêu của kế hoạch, trong đó người từ 15 đến 60 tuổi biết chữ "
        "đạt 70,00% (7/10), chỉ tiêu 60–65%, vượt mức phấn đấu; người từ 15 đến 35 tuổi biết "
        "chữ đạt 83,33% (5/6), chỉ tiêu 80–90%, đạt mức tối thiểu." in text
    )
    assert "Không có chỉ tiêu nào chưa đạt." in text
    assert "Tất cả các chỉ tiêu đều đã có số liệu để đánh giá." in text
    assert "Kết quả thực hiện Kế hoạch số 12/KH-UBND ngày 3/2/2026 của Ủy ban nhân dân xã" in text


@pytest.fixture
def demo(context):
    DemoService(context).generate(persons=1500, seed=7, year=YEAR)
    return context


@pytest.mark.parametrize("plan", [DAK_SONG, DONG_TRIEU])
def test_demo_commune_every_row_in_pdf_and_excel(demo, plan, tmp_path, pdf_pages, sheet_rows, fmt):
    evaluation = demo.indicators.evaluate(YEAR, plan)
    statuses = {row.check.status for row in evaluation.rows}
    assert {Status.MET, Status.NOT_MET} <= statuses
    pdf = _write(demo, tmp_path / "ket-qua.pdf", plan)
    text = _pdf_text(pdf.path, pdf_pages)
    for row in evaluation.rows:
        assert _expected_row(row, fmt) in text, row.indicator.code
        if row.check.status is Status.NOT_MET:
            assert f"{row.position}. {row.indicator.label}: đạt " in text
    xlsx = _write(demo, tmp_path / "ket-qua.xlsx", plan)
    _check_excel(xlsx.path, evaluation, sheet_rows)


def test_the_active_plan_is_the_default_and_its_choice_comes_first(context):
    document = context.reports.document("ket-qua", YEAR, ISSUED)
    assert document.summary.startswith("Kết quả thực hiện Quyết định số 387/QĐ-TTg ngày 25/3/2022")
    context.plans.activate(DONG_TRIEU)
    choices = context.reports.choices("ket-qua", "plan", YEAR)
    assert choices[0] == (DONG_TRIEU, f"Đang dùng: {context.plans.get(DONG_TRIEU).title}")
    assert {value for value, _label in choices} == {p.id for p in context.plans.list()}
    document = context.reports.document("ket-qua", YEAR, ISSUED)
    assert document.summary.startswith(
        "Kết quả thực hiện Kế hoạch ngày 29/7/2011 của Ủy ban nhân dân huyện Đông Triều"
    )
    chosen = context.reports.document("ket-qua", YEAR, ISSUED, {"plan": DAK_SONG})
    assert "138/KH-UBND" in chosen.summary
    with pytest.raises(NotFound, match="khong-co"):
        context.reports.document("ket-qua", YEAR, ISSUED, {"plan": "khong-co"})
    with pytest.raises(ReportNotSupported, match="plan"):
        context.reports.document("xoa-mu-chu", YEAR, ISSUED, {"plan": DAK_SONG})


def test_an_empty_commune_reports_no_data_never_zero_percent(context, tmp_path, pdf_pages):
    evaluation = context.indicators.evaluate(YEAR)
    assert {row.check.status for row in evaluation.rows} == {Status.NO_DATA}
    text = _pdf_text(_write(context, tmp_path / "empty.pdf").path, pdf_pages)
    assert "0,00" not in text
    assert "Mô hình học tập: chưa có số liệu để đánh giá 4 chỉ tiêu của kế hoạch." in text
    assert "Không có chỉ tiêu nào chưa đạt." in text


def test_the_document_type_and_citation_follow_the_plans_number(context):
    plans = {plan.id: plan for plan in context.plans.list()}
    assert document_type(plans[DAK_SONG]) == "Kế hoạch"
    assert document_type(plans["qd-387-2025"]) == "Quyết định"
    assert citation(plans["qd-387-2025"]) == (
        "Quyết định số 387/QĐ-TTg ngày 25/3/2022 của Thủ tướng Chính phủ"
    )
    # No number: the date and the issuer.
    assert citation(plans[DONG_TRIEU]).startswith("Kế hoạch ngày 29/7/2011 của Ủy ban nhân dân")
