"""Registrations and evaluations in Excel: template → fill → import, and refusals."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from xhht_desktop.core.models_cycle import ClanDraft, DecisionDraft
from xhht_desktop.core.registers import HouseholdDraft, PersonDraft, VillageDraft
from xhht_desktop.errors import RosterRefused
from xhht_desktop.services.registrations_roster import INFO_SHEET, SHEET_NAME

YEAR = 2026
TODAY = date(2026, 12, 20)


@pytest.fixture
def households(context):
    village = context.villages.save(VillageDraft("thon", "Thôn 1")).id
    ids = {}
    for code in ("H01", "H02", "H03"):
        row = context.households.save(HouseholdDraft(code, village, f"Chủ hộ {code}"))
        context.persons.save(PersonDraft(row.id, f"Chủ hộ {code}", 1980, "M", "01"))
        ids[code] = row.id
    return ids


def _sheet(path):
    workbook = load_workbook(path)
    sheet = workbook[SHEET_NAME]
    headers = [c.value for c in sheet[2]]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(3, sheet.max_row + 1)}
    return workbook, sheet, headers, rows


def _fill(path, values_by_code):
    """Write cells by header into the rows of the given household codes."""
    workbook, sheet, headers, rows = _sheet(path)
    for code, values in values_by_code.items():
        for header, value in values.items():
            sheet.cell(row=rows[code], column=headers.index(header) + 1, value=value)
    workbook.save(path)


def _scores(context, points):
    criteria = context.learning_models.criteria("gdht")
    headers = [c.header for c in context.registrations_roster.layout("gdht").columns]
    score_headers = [h for h in headers if "(tối đa" in h]
    assert len(score_headers) == len(criteria.scored_fields)
    return dict.fromkeys(score_headers, points)


def test_template_lists_the_subjects_and_the_criteria(context, households, tmp_path):
    target = context.registrations_roster.write_template("gdht", tmp_path / "dk.xlsx", YEAR)
    workbook, sheet, headers, rows = _sheet(target)
    assert "GIA ĐÌNH HỌC TẬP" in sheet["A1"].value and str(YEAR) in sheet["A1"].value
    assert headers[:5] == ["Mã hộ", "Chủ hộ", "Thôn/Tổ dân phố", "Ngày đăng ký", "Người đăng ký"]
    criteria = context.learning_models.criteria("gdht")
    first = criteria.scored_fields[0]
    assert f"{first.label} (tối đa 10 điểm)" in headers
    assert list(rows) == ["H01", "H02", "H03"]
    info = workbook[INFO_SHEET]
    assert [info.cell(row=r, column=3).value for r in (1, 2, 3)] == [
        "gdht",
        YEAR,
        str(criteria.key),
    ]


def test_round_trip_registers_and_evaluates_then_imports_again_unchanged(
    context, households, tmp_path
):
    path = context.registrations_roster.write_template("gdht", tmp_path / "dk.xlsx", YEAR)
    _fill(
        path,
        {
            "H01": {
                "Ngày đăng ký": "10/01/2026",
                "Người đăng ký": "Chủ hộ H01",
                **_scores(context, 9),
                "Ngày đánh giá": datetime(2026, 11, 20),
            },
            "H02": {"Ngày đăng ký": datetime(2026, 1, 12)},
            "H03": {**_scores(context, 6), "Ngày đánh giá": "21/11/2026"},
        },
    )
    report = context.registrations_roster.import_registrations(path, today=TODAY)
    assert (report.model, report.year, report.rows) == ("gdht", YEAR, 3)
    assert (report.registered, report.evaluated, report.unchanged) == (2, 2, 0)
    rows = {r.subject.code: r for r in context.learning_models.entries("gdht", YEAR)}
    assert rows["H01"].registered_on == date(2026, 1, 10) and rows["H01"].passed is True
    assert rows["H01"].registered_by == "Chủ hộ H01"
    assert rows["H02"].registered_on == date(2026, 1, 12) and rows["H02"].criteria_id is None
    assert rows["H03"].registered_on is None and rows["H03"].passed is False
    assert rows["H03"].total == "60"

    context.learning_models.recognise(
        "gdht",
        YEAR,
        [households["H01"]],
        DecisionDraft("3/QĐ-UBND", date(2026, 12, 15), "Nguyễn Văn Minh"),
        today=TODAY,
    )
    again = context.registrations_roster.import_registrations(path, today=TODAY)
    assert (again.registered, again.evaluated, again.unchanged) == (0, 0, 4)
    fresh = context.registrations_roster.write_template("gdht", tmp_path / "lan2.xlsx", YEAR)
    _, sheet, headers, found = _sheet(fresh)
    assert (
        sheet.cell(row=found["H01"], column=headers.index("Ngày đăng ký") + 1).value == "10/01/2026"
    )
    assert context.registrations_roster.import_registrations(fresh, today=TODAY).unchanged == 4


def test_a_bad_file_is_refused_with_row_numbers_and_nothing_is_stored(
    context, households, tmp_path
):
    path = context.registrations_roster.write_template("gdht", tmp_path / "dk.xlsx", YEAR)
    scores = _scores(context, 9)
    first_score = next(iter(scores))
    _fill(
        path,
        {
            "H01": {"Ngày đăng ký": "10/01/2026"},
            "H02": {"Ngày đăng ký": "31/02/2026", **scores, "Ngày đánh giá": "20/11/2026"},
            "H03": {**scores, first_score: 12},
        },
    )
    workbook, sheet, headers, _rows = _sheet(path)
    sheet.cell(row=sheet.max_row + 1, column=1, value="H99")
    sheet.cell(row=sheet.max_row, column=headers.index("Ngày đăng ký") + 1, value="01/02/2026")
    workbook.save(path)
    with pytest.raises(RosterRefused) as refused:
        context.registrations_roster.import_registrations(
            path, today=TODAY, errors_out=tmp_path / "loi.xlsx"
        )
    issues = refused.value.issues
    by_row = {}
    for issue in issues:
        by_row.setdefault(issue.row, []).append(issue)
    assert sorted(by_row) == [4, 5, 6]
    assert "không có thật trên lịch" in by_row[4][0].message
    assert by_row[4][0].field == "Ngày đăng ký"
    assert any(i.field == first_score for i in by_row[5])
    assert any(i.field == "Ngày đánh giá" for i in by_row[5])
    assert "H99" in by_row[6][0].message and by_row[6][0].field == "Mã hộ"
    assert "dòng 4" in str(issues[0])
    assert refused.value.errors_file and (tmp_path / "loi.xlsx").is_file()
    assert not any(r.registered_on for r in context.learning_models.entries("gdht", YEAR))

    report = context.registrations_roster.import_registrations(path, today=TODAY, valid_only=True)
    assert report.registered == 1 and report.invalid_rows == 3


def test_clans_file_and_a_dry_run(context, tmp_path):
    context.clans.save(ClanDraft("Họ Nguyễn"))
    path = context.registrations_roster.write_template("dhht", tmp_path / "dh.xlsx", YEAR)
    workbook = load_workbook(path)
    sheet = workbook[SHEET_NAME]
    assert sheet.cell(row=2, column=1).value == "Tên dòng họ"
    sheet.cell(row=3, column=2, value="05/01/2026")
    workbook.save(path)
    report = context.registrations_roster.import_registrations(path, dry_run=True, today=TODAY)
    assert report.registered == 1 and report.dry_run
    assert context.learning_models.counts(YEAR).model("dhht").registered == 0
    context.registrations_roster.import_registrations(path, today=TODAY)
    assert context.learning_models.counts(YEAR).model("dhht").registered == 1


def test_a_file_of_no_known_model_is_refused(context, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Mã hộ", "Ngày đăng ký"])
    workbook.save(tmp_path / "x.xlsx")
    with pytest.raises(RosterRefused, match="mô hình học tập nào"):
        context.registrations_roster.import_registrations(tmp_path / "x.xlsx", today=TODAY)
