import unicodedata
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from xhht_desktop.core.registers import HouseholdDraft, PersonDraft, VillageDraft
from xhht_desktop.core.roster import HEADERS, SHEET_NAME
from xhht_desktop.errors import PermissionDenied, RosterRefused
from xhht_desktop.services.roster import GUIDE_SHEET, LISTS_SHEET
from xhht_desktop.services.setup import OfficeSetup
from xhht_desktop.store.models import AuditEntry, Base, Household, Person, Village
from xhht_desktop.store.repositories import HouseholdFilter, PersonFilter


def _nfd(text):
    return unicodedata.normalize("NFD", text)


# Rows 2-7 of a roster as a commune fills it: NFD names with stray spaces,
# Excel date cells, bare years as numbers and text, every spelling of Nữ and
# of the Mông and Mnông peoples.
GOOD = [
    (
        "Thôn 1",
        "H01",
        _nfd(" Nguyễn  Văn An"),
        "Chủ hộ",
        datetime(1980, 3, 1),
        "Nam",
        "Kinh",
        9,
        0,
        None,
        None,
    ),
    ("Thôn 1", "H01", "Hờ Thị Mai", "Vợ", "1987", "NỮ", "H'Mông", "3", 1, "", "Tạm trú"),
    ("thôn 1", "h01", "Nguyễn Hờ Lan", "Con", 2015, "nu", "08", 5, 0, None, ""),
    ("Bon Bu Bir", "H02", "Điểu K'Lứt", "chủ hộ", 1975.0, "M", "M'Nông", None, 2, "x", None),
    ("Bon Bu Bir", "H02", "Thị Hơn", "Vợ", "12/10/1978", "Nữ", "Mnông", 0, 0, None, "Chuyển đi"),
    ("Tổ dân phố 2", "H03", "Y Bhim Niê", "", "1990", "nam", "Ê-đê", "12", 0, "Có", None),
]


@pytest.fixture
def template(context, tmp_path):
    path = tmp_path / "mau.xlsx"
    context.roster.write_template(path)
    return path


@pytest.fixture
def fill(template, tmp_path):
    """Write rows into a copy of the template, as an official fills it in Excel."""

    def write(rows, name="danh-sach.xlsx"):
        workbook = load_workbook(template)
        sheet = workbook[SHEET_NAME]
        for row in rows:
            sheet.append(row)
        path = tmp_path / name
        workbook.save(path)
        return path

    return write


def _snapshot(context):
    """Every row of every table: what "nothing was stored" is checked against."""
    with context.engine.connect() as connection:
        return {
            table.name: connection.execute(select(table).order_by(*table.primary_key.columns)).all()
            for table in Base.metadata.sorted_tables
        }


def _persons(context):
    return {p.full_name: p for p in context.persons.page(PersonFilter(), 0, 1000)}


def _audit(context, **where):
    with context.reading() as session:
        stmt = select(AuditEntry)
        for name, value in where.items():
            stmt = stmt.where(getattr(AuditEntry, name) == value)
        return list(session.scalars(stmt.order_by(AuditEntry.id)))


# -- the template -----------------------------------------------------------------


def test_the_template_has_the_headers_lists_and_instructions(context, tmp_path):
    context.villages.save(VillageDraft("thon", "Thôn Đắk Rông"))
    context.villages.save(VillageDraft("bon", "Bon Bu Prăng"))
    path = tmp_path / "mau" / "mau.xlsx"
    context.roster.write_template(path)
    assert [p.name for p in path.parent.iterdir()] == ["mau.xlsx"]  # no temporary left

    workbook = load_workbook(path)
    assert workbook.sheetnames == [SHEET_NAME, GUIDE_SHEET, LISTS_SHEET]
    sheet = workbook[SHEET_NAME]
    assert workbook.active.title == SHEET_NAME
    assert tuple(c.value for c in sheet[1]) == HEADERS
    assert sheet.max_row == 1  # no example rows that an import would take in
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert all(sheet.column_dimensions[c].width >= 10 for c in "ABCDEFGHIJK")
    # Text cells for the codes and the dates: "001" and "05/09/1987" stay as typed.
    assert sheet.column_dimensions["B"].number_format == "@"
    assert sheet.column_dimensions["E"].number_format == "@"

    lists = workbook[LISTS_SHEET]
    assert lists.sheet_state == "hidden"
    by_column = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    assert set(by_column) == {f"{c}2" for c in "ABCDEFGHIJK"}

    def listed(column):
        validation = by_column[f"{column}2"]
        assert validation.type == "list"
        # Long lists live on the hidden sheet; an inline list stops at 255 characters.
        assert validation.formula1.startswith(f"'{LISTS_SHEET}'!$")
        first, last = validation.formula1.split("!")[1].replace("$", "").split(":")
        return [c.value for row in lists[first:last] for c in row]

    assert listed("A") == ["Bon Bu Prăng", "Thôn Đắk Rông"]  # in Vietnamese order
    assert "Chủ hộ" in listed("D")
    assert listed("F") == ["Nam", "Nữ"]
    ethnic = listed("G")
    assert len(ethnic) == 54 and ethnic[0] == "Kinh" and "Mông" in ethnic
    assert listed("H") == list(range(13))
    assert listed("I") == [0, 1, 2]
    assert listed("J") == ["Có"]
    assert listed("K") == ["Thường trú", "Tạm trú", "Chuyển đi", "Đã mất"]
    # Free-text columns take any name; a prompt says what each column takes.
    assert by_column["C2"].type is None and "Họ và tên" in by_column["C2"].prompt
    assert by_column["E2"].prompt.startswith("Ngày/tháng/năm")

    guide = " ".join(
        str(c.value) for row in workbook[GUIDE_SHEET].iter_rows() for c in row if c.value
    )
    for text in (*HEADERS, "H'Mông", "Thường trú", "không tạo người trùng", "05/09/1987"):
        assert text in guide


def test_a_template_over_an_existing_file_replaces_it(context, tmp_path):
    path = tmp_path / "mau.xlsx"
    path.write_bytes(b"old")
    context.roster.write_template(path)
    assert load_workbook(path).sheetnames[0] == SHEET_NAME


# -- a good roster ------------------------------------------------------------------


def test_a_filled_template_imports_persons_households_and_villages(context, fill):
    report = context.roster.import_persons(fill(GOOD))

    assert report.stored and not report.issues
    assert (report.rows, report.persons_created, report.households_created) == (6, 6, 3)
    assert report.villages_created == ("Thôn 1", "Bon Bu Bir", "Tổ dân phố 2")
    assert context.setup.counts() == {"villages": 3, "households": 3, "persons": 6}

    villages = {v.name: v.kind for v in context.villages.list()}
    assert villages == {"Thôn 1": "thon", "Bon Bu Bir": "bon", "Tổ dân phố 2": "to_dan_pho"}
    households = {h.code: h for h in context.households.page(HouseholdFilter(), 0, 10)}
    assert {c: (h.head_name, h.village_name, h.members) for c, h in households.items()} == {
        "H01": ("Nguyễn Văn An", "Thôn 1", 3),
        "H02": ("Điểu K'Lứt", "Bon Bu Bir", 2),
        "H03": ("Y Bhim Niê", "Tổ dân phố 2", 1),  # no «Chủ hộ»: the first listed
    }

    persons = _persons(context)
    an = persons["Nguyễn Văn An"]  # NFD with stray spaces in the file
    assert unicodedata.is_normalized("NFC", an.full_name)
    assert (an.birth_date, an.birth_year, an.sex, an.ethnicity_code) == (
        date(1980, 3, 1),
        1980,
        "M",
        "01",
    )
    assert (an.grade, an.literacy_stage, an.relationship_to_head) == (9, 0, "Chủ hộ")
    assert (an.disabled, an.residence, an.household_code) == (False, "thuong_tru", "H01")
    mai = persons["Hờ Thị Mai"]
    assert (mai.birth_date, mai.birth_year, mai.sex, mai.ethnicity_code) == (None, 1987, "F", "08")
    assert (mai.grade, mai.literacy_stage, mai.residence) == (3, 1, "tam_tru")
    lan = persons["Nguyễn Hờ Lan"]
    assert (lan.birth_year, lan.sex, lan.ethnicity_code, lan.household_code) == (
        2015,
        "F",
        "08",
        "H01",
    )
    klut = persons["Điểu K'Lứt"]
    assert (klut.birth_year, klut.ethnicity_code, klut.grade, klut.literacy_stage) == (
        1975,
        "20",
        0,
        2,
    )
    assert (klut.disabled, klut.relationship_to_head) == (True, "Chủ hộ")
    hon = persons["Thị Hơn"]
    assert (hon.birth_date, hon.ethnicity_code, hon.residence) == (
        date(1978, 10, 12),
        "20",
        "chuyen_di",
    )
    bhim = persons["Y Bhim Niê"]
    assert (bhim.ethnicity_code, bhim.grade, bhim.disabled) == ("11", 12, True)


def test_imported_records_are_audited_like_records_saved_in_the_form(context, fill):
    context.roster.import_persons(fill(GOOD))
    household = context.households.page(HouseholdFilter(search="H03"), 0, 1)[0]
    imported = _persons(context)["Y Bhim Niê"]
    by_hand = context.persons.save(
        PersonDraft(
            household.id,
            "Y Bhim Niê",
            1990,
            "M",
            "11",
            grade=12,
            disabled=True,
            relationship_to_head="Em",
        )
    )

    def logged(record_id):
        return {
            (e.action, e.field, e.new_value, e.actor) for e in _audit(context, record_id=record_id)
        }

    assert logged(imported.id) - {("create", "relationship_to_head", "Em", "test:admin")} == (
        logged(by_hand.id) - {("create", "relationship_to_head", "Em", "test:admin")}
    )
    assert ("create", "full_name", "Y Bhim Niê", "test:admin") in logged(imported.id)
    assert ("create", "head_name", "Y Bhim Niê", "test:admin") in logged(household.id)
    with context.reading() as session:
        stored = session.get(Person, imported.id)
        assert (stored.revision, stored.name_key, stored.sort_key) == (
            1,
            "y bhim nie",
            session.get(Person, by_hand.id).sort_key,
        )
        assert stored.created_at is not None and stored.updated_at == stored.created_at
        village = session.scalars(select(Village).where(Village.name == "Bon Bu Bir")).one()
        assert village.name_key == "bon bu bir" and village.revision == 1
    summary = _audit(context, action="import")
    assert len(summary) == 1 and "thêm 6" in summary[0].new_value


def test_reimporting_the_same_file_adds_and_rewrites_nothing(context, fill):
    path = fill(GOOD)
    context.roster.import_persons(path)
    before = _snapshot(context)

    report = context.roster.import_persons(path)

    assert (report.persons_created, report.persons_updated, report.persons_unchanged) == (0, 0, 6)
    assert (report.households_created, report.households_updated, report.villages_created) == (
        0,
        0,
        (),
    )
    assert _snapshot(context) == before  # revisions, timestamps and audit log included


def test_an_updated_file_updates_only_what_changed(context, fill):
    context.roster.import_persons(fill(GOOD))
    before = _persons(context)
    changed = [list(row) for row in GOOD]
    changed[1][7] = 5  # Hờ Thị Mai finished grade 5
    changed[1][2] = "HỜ THỊ MAI"  # same person, other case: matched, name rewritten
    changed[0][4] = 1980  # a bare year does not erase the date already known
    changed.append(("Thôn 1", "H01", "Nguyễn Văn Bé", "Con", 2020, "Nam", "Kinh", 0, 0, None, None))

    report = context.roster.import_persons(fill(changed, "cap-nhat.xlsx"))

    assert (report.persons_created, report.persons_updated, report.persons_unchanged) == (1, 1, 5)
    after = _persons(context)
    assert len(after) == 7
    mai = after["HỜ THỊ MAI"]
    assert mai.id == before["Hờ Thị Mai"].id
    assert (mai.grade, mai.revision) == (5, before["Hờ Thị Mai"].revision + 1)
    assert after["Nguyễn Văn An"].birth_date == date(1980, 3, 1)
    assert after["Nguyễn Văn An"].revision == before["Nguyễn Văn An"].revision
    updates = {
        (e.field, e.old_value, e.new_value)
        for e in _audit(context, record_id=mai.id, action="update")
    }
    assert updates == {("grade", "3", "5"), ("full_name", "Hờ Thị Mai", "HỜ THỊ MAI")}


def test_an_import_joins_households_already_in_the_register(context, fill):
    village = context.villages.save(VillageDraft("thon", "Thôn 1"))
    household = context.households.save(HouseholdDraft("H01", village.id, "Nguyễn Văn Cũ"))
    context.persons.save(PersonDraft(household.id, "Nguyễn Văn An", 1980, "M", "01", grade=4))

    report = context.roster.import_persons(fill(GOOD[:3]))

    # An was entered by hand with his birth year: the row matches him and
    # adds his date; the household's head follows the «Chủ hộ» of the file.
    assert (report.persons_created, report.persons_updated) == (2, 1)
    assert (report.households_created, report.households_updated, report.villages_created) == (
        0,
        1,
        (),
    )
    row = context.households.get(household.id)
    assert (row.head_name, row.members, row.revision) == (
        "Nguyễn Văn An",
        3,
        household.revision + 1,
    )
    an = _persons(context)["Nguyễn Văn An"]
    assert (an.grade, an.birth_date) == (9, date(1980, 3, 1))


def test_a_title_row_and_a_sheet_of_another_name_are_accepted(context, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    sheet.append(["DANH SÁCH NHÂN KHẨU THÔN 1 NĂM 2026"])
    sheet.append([])
    sheet.append(
        [
            "STT",
            "Thôn",
            "Mã hộ",
            "Họ tên",
            "Năm sinh",
            "Giới tính",
            "Dân tộc",
            "Lớp",
            "Giai đoạn XMC",
        ]
    )
    sheet.append([1, "Thôn 1", "H01", "Lê Thị Hoa", 1990, "Nữ", "Kinh", 9, 0])
    path = tmp_path / "rieng.xlsx"
    workbook.save(path)

    report = context.roster.import_persons(path)

    assert (report.sheet, report.persons_created, report.ignored_columns) == ("Sheet1", 1, ("STT",))
    hoa = _persons(context)["Lê Thị Hoa"]
    assert (hoa.relationship_to_head, hoa.residence, hoa.disabled) == ("", "thuong_tru", False)


def test_a_dry_run_counts_what_would_change_and_stores_nothing(context, fill):
    context.roster.import_persons(fill(GOOD[:2]))
    before = _snapshot(context)
    rows = [list(row) for row in GOOD]
    rows[0][7] = 12

    report = context.roster.import_persons(fill(rows, "thu.xlsx"), dry_run=True)

    assert report.dry_run and not report.stored
    assert (report.persons_created, report.persons_updated, report.persons_unchanged) == (4, 1, 1)
    assert (report.households_created, report.villages_created) == (
        2,
        ("Bon Bu Bir", "Tổ dân phố 2"),
    )
    assert _snapshot(context) == before


# -- bad input ------------------------------------------------------------------------

BAD = [
    *GOOD,
    ("Thôn 1", "H01", "Lê Văn Tám", "Con", 2031, "Nam", "Kinh", 0, 0, None, None),
    ("Thôn 1", "H04", "Lê Thị Chín", "", 1899, "Nữ", "Kinh", 0, 0, None, None),
    ("Thôn 1", "H04", "Lê Văn Mười", "", 1990, "X", "Mèo", 13, 3, None, None),
    ("Thôn 1", "", "  ", "", 1990, "Nam", "Kinh", 0, 0, None, None),
    ("Thôn 1", "H01", "Hờ Thị Mai", "Vợ", 1987, "Nữ", "Mông", 3, 1, None, None),
]
BAD_CELLS = [
    (8, "Ngày sinh"),
    (9, "Ngày sinh"),
    (10, "Giới tính"),
    (10, "Dân tộc"),
    (10, "Lớp cao nhất đã hoàn thành"),
    (10, "Giai đoạn XMC đã hoàn thành"),
    (11, "Mã hộ"),
    (11, "Họ và tên"),
    (12, "Họ và tên"),
]


def test_a_bad_file_is_refused_whole_with_every_row_and_column(context, fill):
    context.roster.import_persons(fill(GOOD[:2], "truoc.xlsx"))
    before = _snapshot(context)

    with pytest.raises(RosterRefused) as refused:
        context.roster.import_persons(fill(BAD))

    assert [(i.row, i.field) for i in refused.value.issues] == BAD_CELLS
    assert (refused.value.rows, refused.value.invalid_rows) == (11, 5)
    messages = {(i.row, i.field): i.message for i in refused.value.issues}
    assert "tương lai" in messages[(8, "Ngày sinh")]
    assert "1900" in messages[(9, "Ngày sinh")]
    assert "Nam hoặc Nữ" in messages[(10, "Giới tính")]
    assert "dòng 3" in messages[(12, "Họ và tên")]
    assert "chưa lưu gì" in refused.value.message
    assert _snapshot(context) == before


def test_the_errors_file_marks_the_bad_cells_and_can_be_imported_once_fixed(
    context, fill, tmp_path
):
    errors_out = tmp_path / "loi.xlsx"
    with pytest.raises(RosterRefused) as refused:
        context.roster.import_persons(fill(BAD), errors_out=errors_out)
    assert refused.value.errors_file == str(errors_out)

    sheet = load_workbook(errors_out)[SHEET_NAME]
    header = [c.value for c in sheet[1]]
    assert header == [*HEADERS, "Lỗi"]
    red = {
        (cell.row, header[cell.column - 1])
        for row in sheet.iter_rows(min_row=2)
        for cell in row
        if cell.fill.fill_type == "solid"
    }
    assert red == set(BAD_CELLS)
    errors = {row[0].row: row[-1].value for row in sheet.iter_rows(min_row=2)}
    assert {n for n, text in errors.items() if text} == {8, 9, 10, 11, 12}
    assert "Giới tính" in errors[10] and "Dân tộc" in errors[10]
    assert sheet.cell(2, 5).value == datetime(1980, 3, 1)  # the data is kept as it was

    # The official fixes the sheet in the errors file and imports it again.
    workbook = load_workbook(errors_out)
    sheet = workbook[SHEET_NAME]
    sheet.delete_rows(8, 5)
    workbook.save(errors_out)
    report = context.roster.import_persons(errors_out)
    assert (report.persons_created, report.ignored_columns) == (6, ("Lỗi",))


def test_valid_only_imports_the_good_rows_and_reports_the_others(context, fill, tmp_path):
    report = context.roster.import_persons(
        fill(BAD), valid_only=True, errors_out=tmp_path / "loi.xlsx"
    )
    assert [(i.row, i.field) for i in report.issues] == BAD_CELLS
    assert (report.rows, report.invalid_rows, report.persons_created) == (11, 5, 6)
    assert report.errors_file == tmp_path / "loi.xlsx" and report.errors_file.is_file()
    assert sorted(_persons(context)) == sorted(
        unicodedata.normalize("NFC", r[2]).strip().replace("  ", " ") for r in GOOD
    )
    assert context.setup.counts()["households"] == 3  # H04 had only bad rows


def test_a_household_of_the_register_moved_to_another_village_is_refused(context, fill):
    context.roster.import_persons(fill(GOOD[:1], "truoc.xlsx"))
    before = _snapshot(context)
    moved = [("Thôn 2", "H01", "Lê Thị Hoa", "Vợ", 1982, "Nữ", "Kinh", 9, 0, None, None)]
    with pytest.raises(RosterRefused) as refused:
        context.roster.import_persons(fill(moved))
    (issue,) = refused.value.issues
    assert (issue.row, issue.field) == (2, "Thôn/Tổ dân phố")
    assert "«Thôn 1»" in issue.message
    assert _snapshot(context) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Ho ten;Nam sinh\nAn;1987\n", "không phải tệp Excel .xlsx"),
        (b"PK\x03\x04broken", "không phải tệp Excel .xlsx"),
    ],
)
def test_a_file_that_is_no_workbook_is_refused(context, tmp_path, content, message):
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(content)
    before = _snapshot(context)
    with pytest.raises(RosterRefused, match=message) as refused:
        context.roster.import_persons(path)
    assert [i.field for i in refused.value.issues] == ["Tệp"]
    assert _snapshot(context) == before


def test_a_missing_file_is_refused(context, tmp_path):
    with pytest.raises(RosterRefused, match="không tìm thấy tệp"):
        context.roster.import_persons(tmp_path / "khong-co.xlsx")


def test_wrong_headers_are_refused_naming_the_columns(context, tmp_path):
    workbook = Workbook()
    workbook.active.append(["Thôn", "Mã hộ", "Họ tên", "Năm sinh", "Phái", "Dân tộc"])
    workbook.active.append(["Thôn 1", "H01", "Lê Thị Hoa", 1990, "Nữ", "Kinh"])
    path = tmp_path / "sai.xlsx"
    workbook.save(path)
    with pytest.raises(RosterRefused) as refused:
        context.roster.import_persons(path)
    (issue,) = refused.value.issues
    assert issue.row == 1
    assert "«Giới tính»" in issue.message and "«Phái»" in issue.message
    assert "«Lớp cao nhất đã hoàn thành»" in issue.message
    assert context.setup.counts()["persons"] == 0


def test_a_sheet_with_headers_only_is_refused(context, template):
    with pytest.raises(RosterRefused, match="không có dòng dữ liệu"):
        context.roster.import_persons(template)


def test_a_consolidating_office_does_not_import_rosters(empty_context, tmp_path):
    empty_context.setup.init_office(OfficeSetup("68", "Sở GD&ĐT Lâm Đồng", 2026))
    with pytest.raises(PermissionDenied):
        empty_context.roster.import_persons(tmp_path / "x.xlsx")


def test_nothing_is_half_stored_when_the_database_refuses(context, fill, monkeypatch):
    # A failure in the middle of writing (disk full…) rolls the whole import back.
    from xhht_desktop.services import roster as service

    real = service.insert_records

    def failing(session, model, rows):
        real(session, model, rows)
        if model is Person:
            raise OSError("disk full")

    monkeypatch.setattr(service, "insert_records", failing)
    before = _snapshot(context)
    with pytest.raises(OSError, match="disk full"):
        context.roster.import_persons(fill(GOOD))
    assert _snapshot(context) == before
    with context.reading() as session:
        assert session.scalar(select(func.count()).select_from(Household)) == 0


# -- progress and cancel ------------------------------------------------------------


def _many(count):
    """``count`` distinct valid rows, five persons to a household."""
    return [
        (
            f"Thôn {i // 5 % 3 + 1}",
            f"H{i // 5:04d}",
            f"Nguyễn Văn Số {i}",
            "Chủ hộ" if i % 5 == 0 else "Con",
            1950 + i % 60,
            "Nam" if i % 2 else "Nữ",
            "Kinh",
            i % 13,
            0,
            None,
            None,
        )
        for i in range(count)
    ]


def test_an_import_reports_its_progress_as_it_checks_the_rows(context, fill):
    calls = []

    report = context.roster.import_persons(
        fill(_many(600)), progress=lambda done, total: calls.append((done, total))
    )

    assert calls == [(0, 600), (250, 600), (500, 600), (600, 600)]
    assert report.persons_created == 600
    assert context.setup.counts()["persons"] == 600


def test_a_cancel_at_any_point_stores_nothing(context, fill, monkeypatch):
    from xhht_desktop.errors import ImportCancelled
    from xhht_desktop.services import roster as service

    path = fill(_many(600))
    context.roster.import_persons(fill(GOOD[:2], "truoc.xlsx"))
    before = _snapshot(context)
    # Watch (not replace) the writes, to know which asks come after them.
    written = []
    real = service.insert_records

    def watched(session, model, rows):
        real(session, model, rows)
        written.append(model)

    monkeypatch.setattr(service, "insert_records", watched)
    asks = []
    context.roster.import_persons(path, dry_run=True, cancelled=lambda: asks.append(1) and False)
    count = len(asks)
    assert count >= 5  # while reading, while checking, before storing

    for answer_yes_at in range(count + 1):
        asked = 0

        def cancelled(at=answer_yes_at):
            nonlocal asked
            asked += 1
            return asked == at + 1

        written.clear()
        with pytest.raises(ImportCancelled, match="XHHT102") as stopped:
            context.roster.import_persons(path, cancelled=cancelled)
        assert "chưa có gì được lưu" in stopped.value.message
        assert _snapshot(context) == before
    # The last ask comes after the writes, inside the transaction: rolled back.
    assert Person in written


def test_a_cancel_from_the_progress_callback_stops_a_dry_run(context, fill):
    from xhht_desktop.errors import ImportCancelled

    stop = []

    def progress(done, total):
        if done == total:
            stop.append(True)

    with pytest.raises(ImportCancelled):
        context.roster.import_persons(
            fill(_many(300)), dry_run=True, progress=progress, cancelled=lambda: bool(stop)
        )
    assert context.setup.counts() == {"villages": 0, "households": 0, "persons": 0}
