"""The audit log read back: one record's history and a period, on screen, PDF, Excel, CLI."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import openpyxl
import pytest
from pypdf import PdfReader

from xhht_desktop import cli
from xhht_desktop.context import Actor
from xhht_desktop.core.certificates import VIETNAM_TIME
from xhht_desktop.core.registers import HouseholdDraft, PersonDraft, VillageDraft
from xhht_desktop.errors import NotFound, ValidationFailed
from xhht_desktop.services.audit import parse_period, period_choices, period_value


@pytest.fixture
def edited(context):
    """A person created by one user and edited twice by another."""
    village = context.villages.save(VillageDraft("thon", "Thôn 1"))
    household = context.households.save(HouseholdDraft("H01", village.id, "Nguyễn Văn An"))
    person = context.persons.save(PersonDraft(household.id, "Nguyễn Văn An", 1980, "M", "01"))
    context.actor = Actor("hoa.tran", "data_entry")
    person = context.persons.save(
        PersonDraft(household.id, "Nguyễn Văn Ân", 1980, "M", "01"), person.id, person.revision
    )
    person = context.persons.save(
        PersonDraft(household.id, "Nguyễn Văn Ân", 1980, "M", "01", grade=9),
        person.id,
        person.revision,
    )
    return person


def _pdf_text(path):
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def _cells(path):
    sheet = openpyxl.load_workbook(path).active
    return [[c for c in row] for row in sheet.iter_rows(values_only=True)]


def test_a_records_history_lists_who_changed_which_field_from_what_to_what(context, edited):
    rows = context.audit.history(edited.id)
    updates = [(r.actor, r.field, r.old_value, r.new_value) for r in rows if r.action == "update"]
    assert updates == [
        ("hoa.tran", "full_name", "Nguyễn Văn An", "Nguyễn Văn Ân"),
        ("hoa.tran", "grade", "0", "9"),
    ]
    created = {r.field: r.new_value for r in rows if r.action == "create"}
    assert created["full_name"] == "Nguyễn Văn An"
    assert {r.actor for r in rows if r.action == "create"} == {"test:admin"}
    assert {r.record for r in rows} == {"Nguyễn Văn Ân"}
    assert rows == sorted(rows, key=lambda r: r.at)
    assert rows[0].at.utcoffset() == timedelta(hours=7)


def test_the_history_prints_to_pdf_and_excel(context, edited, tmp_path):
    pdf = context.reports.write("nhat-ky", tmp_path / "ls.pdf", options={"record": edited.id})
    text = _pdf_text(pdf.path)
    assert "NHẬT KÝ THAY ĐỔI" in text
    assert "Lịch sử thay đổi hồ sơ Nguyễn Văn Ân" in text
    assert "hoa.tran" in text and "test:admin" in text
    assert "Họ và tên" in text and "Lớp đã học xong" in text
    assert edited.id in text.replace("\n", "")

    xlsx = context.reports.write("nhat-ky", tmp_path / "ls.xlsx", options={"record": edited.id})
    lines = [row for row in _cells(xlsx.path) if row and "Sửa" in row]
    assert [(r[2], r[4], r[5], r[6]) for r in lines] == [
        ("hoa.tran", "Họ và tên", "Nguyễn Văn An", "Nguyễn Văn Ân"),
        ("hoa.tran", "Lớp đã học xong", "0", "9"),
    ]


def test_a_period_report_has_each_change_and_each_creation_once(context, edited, tmp_path):
    today = date.today()
    span = period_value(today - timedelta(days=1), today + timedelta(days=1))
    xlsx = context.reports.write("nhat-ky", tmp_path / "ky.xlsx", options={"period": span})
    rows = _cells(xlsx.path)
    created = [r for r in rows if r and "Tạo mới" in r]
    # A village, a household and a person: one line each, however many fields.
    assert sorted(r[3] for r in created) == ["Hộ gia đình", "Nhân khẩu", "Thôn, tổ dân phố"]
    changes = [r for r in rows if r and "Sửa" in r]
    assert [(r[4], r[6], r[7], r[8]) for r in changes] == [
        ("Nguyễn Văn Ân", "Họ và tên", "Nguyễn Văn An", "Nguyễn Văn Ân"),
        ("Nguyễn Văn Ân", "Lớp đã học xong", "0", "9"),
    ]
    pdf = context.reports.write("nhat-ky", tmp_path / "ky.pdf", options={"period": span})
    text = _pdf_text(pdf.path)
    assert "Các thay đổi dữ liệu từ ngày" in text
    assert "Hộ H01 — Nguyễn Văn An" in text

    before = period_value(today - timedelta(days=30), today - timedelta(days=2))
    assert context.audit.period_count(today - timedelta(days=30), today - timedelta(days=2)) == 0
    empty = context.reports.write("nhat-ky", tmp_path / "rong.pdf", options={"period": before})
    assert "Không có thay đổi nào trong thời gian này" in _pdf_text(empty.path)


def test_periods_offered_and_refused():
    choices = period_choices(2026)
    assert choices[0] == ("2026-01-01..2026-12-31", "Cả năm 2026")
    assert ("2026-04-01..2026-06-30", "Quý II/2026") in choices
    assert ("2026-02-01..2026-02-28", "Tháng 2/2026") in choices
    assert len(choices) == 1 + 4 + 12
    with pytest.raises(ValidationFailed, match="trước ngày đầu"):
        parse_period("2026-05-01..2026-04-01")
    with pytest.raises(ValidationFailed, match="không đúng dạng"):
        parse_period("tháng năm")


def test_an_unknown_record_is_said_plainly(context, tmp_path):
    with pytest.raises(NotFound, match="không có thay đổi nào của hồ sơ mã 'khong-co'"):
        context.reports.write("nhat-ky", tmp_path / "x.pdf", options={"record": "khong-co"})
    assert not (tmp_path / "x.pdf").exists()


def test_the_command_line_prints_a_table_or_writes_a_file(
    context, edited, settings, capsys, tmp_path
):
    db = ["--db", str(settings.database_file)]
    assert cli.main([*db, "audit", "--record", edited.id]) == 0
    out = capsys.readouterr().out
    assert "Lịch sử thay đổi hồ sơ Nguyễn Văn Ân" in out
    assert any("hoa.tran" in line and "Lớp đã học xong" in line for line in out.splitlines())

    # The log's days are Vietnam's, whatever the clock of the test machine.
    today = f"{datetime.now(VIETNAM_TIME):%d/%m/%Y}"
    assert cli.main([*db, "audit", "--from", today, "--to", today]) == 0
    out = capsys.readouterr().out
    assert "Nhân khẩu: Nguyễn Văn Ân" in out and "(5 dòng)" in out

    target = tmp_path / "nhat-ky.xlsx"
    assert cli.main([*db, "audit", "--record", edited.id, "--out", str(target)]) == 0
    assert "Đã ghi nhật ký thay đổi" in capsys.readouterr().out
    assert any("Nguyễn Văn Ân" in row for row in _cells(target))

    assert cli.main([*db, "audit", "--from", today]) == 2
    assert "cần --record" in capsys.readouterr().err
    assert cli.main([*db, "audit", "--from", "hôm qua", "--to", today]) == 2
    assert cli.main([*db, "audit", "--record", "khong-co"]) == 1


def test_a_long_period_is_read_page_by_page_in_order(context, edited, monkeypatch):
    from xhht_desktop.services import audit

    today = datetime.now(VIETNAM_TIME).date()
    whole = context.audit.period(today, today)
    monkeypatch.setattr(audit, "PAGE", 2)
    assert list(context.audit.iter_period(today, today)) == whole
    assert len(whole) == context.audit.period_count(today, today) == 5
