import unicodedata
from datetime import date, datetime, time

import pytest

from xhht_desktop.core import roster
from xhht_desktop.core.roster import (
    HEADERS,
    find_header,
    guess_village_kind,
    household_heads,
    parse_birth_cell,
    parse_disabled,
    parse_ethnicity,
    parse_grade,
    parse_household_code,
    parse_residence,
    parse_rows,
    parse_sex,
    parse_stage,
    roster_key,
)
from xhht_desktop.errors import RosterRefused

TODAY = date(2026, 11, 23)


def _nfd(text):
    return unicodedata.normalize("NFD", text)


def _row(**cells):
    """A data row in template order; ``cells`` by column key."""
    values = {
        "village": "Thôn 1",
        "household": "H01",
        "name": "Nguyễn Văn An",
        "relationship": "Chủ hộ",
        "birth": "05/09/1987",
        "sex": "Nam",
        "ethnicity": "Kinh",
        "grade": 9,
        "stage": 0,
        "disabled": None,
        "residence": None,
    }
    values.update(cells)
    return tuple(values[c.key] for c in roster.COLUMNS)


def _parse(*rows, header=HEADERS):
    mapping = find_header([header])
    return parse_rows(mapping, list(enumerate(rows, start=2)), TODAY)


# -- columns and headers ----------------------------------------------------------


def test_the_template_columns_are_exactly_the_roster_headers_in_order():
    assert HEADERS == (
        "Thôn/Tổ dân phố",
        "Mã hộ",
        "Họ và tên",
        "Quan hệ với chủ hộ",
        "Ngày sinh",
        "Giới tính",
        "Dân tộc",
        "Lớp cao nhất đã hoàn thành",
        "Giai đoạn XMC đã hoàn thành",
        "Khuyết tật không có khả năng học",
        "Tình trạng cư trú",
    )


def test_headers_in_row_one_map_every_column():
    mapping = find_header([HEADERS])
    assert mapping.row == 1
    assert mapping.positions == {c.key: i for i, c in enumerate(roster.COLUMNS)}
    assert mapping.ignored == ()


def test_a_title_row_above_the_headers_is_allowed():
    rows = [("DANH SÁCH NHÂN KHẨU THÔN 3",), (), ("STT", *HEADERS, "Ghi chú")]
    mapping = find_header(rows)
    assert mapping.row == 3
    assert mapping.positions["village"] == 1
    assert mapping.ignored == ("STT", "Ghi chú")


def test_headers_match_without_case_diacritics_or_spacing_and_in_any_order():
    typed = (
        "HỌ VÀ TÊN",
        "ma ho",
        "  Thôn / Tổ  dân phố ",
        "Năm sinh",
        "gioi tinh",
        "DÂN TỘC",
        "Lớp",
        "Giai đoạn XMC",
    )
    mapping = find_header([typed])
    assert mapping.positions == {
        "name": 0,
        "household": 1,
        "village": 2,
        "birth": 3,
        "sex": 4,
        "ethnicity": 5,
        "grade": 6,
        "stage": 7,
    }
    # Problems name the column as the official wrote it.
    assert mapping.label("name") == "HỌ VÀ TÊN"
    assert mapping.label("residence") == "Tình trạng cư trú"


def test_missing_columns_are_refused_naming_the_missing_and_the_unknown():
    typed = ("Thôn/Tổ dân phố", "Mã hộ", "Tên đầy đủ", "Ngày sinh", "Phái", "Dân tộc", "Lớp")
    with pytest.raises(RosterRefused) as refused:
        find_header([typed])
    (issue,) = refused.value.issues
    assert issue.row == 1
    assert issue.field == "Tiêu đề cột"
    for name in ("«Họ và tên»", "«Giới tính»", "«Giai đoạn XMC đã hoàn thành»"):
        assert name in issue.message
    assert "«Tên đầy đủ»" in issue.message and "«Phái»" in issue.message
    assert "Quan hệ" not in issue.message.split("Các cột cần có")[0]  # optional: not missing


def test_a_column_given_twice_is_refused():
    with pytest.raises(RosterRefused, match=r"Ngày sinh.*2 lần"):
        find_header([(*HEADERS, "Năm sinh")])


def test_a_sheet_without_headers_is_refused():
    with pytest.raises(RosterRefused, match="Không tìm thấy dòng tiêu đề"):
        find_header([("a", "b"), (1, 2)])


# -- cells ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (datetime(1987, 9, 5), (date(1987, 9, 5), 1987)),
        (date(1987, 9, 5), (date(1987, 9, 5), 1987)),
        ("05/09/1987", (date(1987, 9, 5), 1987)),
        ("5/9/1987", (date(1987, 9, 5), 1987)),
        ("05-09-1987", (date(1987, 9, 5), 1987)),
        ("05.09.1987", (date(1987, 9, 5), 1987)),
        ("1987-09-05", (date(1987, 9, 5), 1987)),
        ("09/1987", (None, 1987)),
        (1987, (None, 1987)),
        (1987.0, (None, 1987)),
        ("1987", (None, 1987)),
        (" 1987 ", (None, 1987)),
        ("1987.0", (None, 1987)),
        # 1987 typed into a date-formatted cell: Excel stores day 1987, 09/06/1905.
        (datetime(1905, 6, 9), (None, 1987)),
    ],
)
def test_birth_cells_are_read_as_officials_type_them(cell, expected):
    assert parse_birth_cell(cell, TODAY) == expected


def test_the_year_in_a_date_cell_follows_the_workbook_date_system():
    # Mac workbooks count from 1904: day 1987 there is 10/06/1909.
    assert parse_birth_cell(datetime(1909, 6, 10), TODAY, date(1904, 1, 1)) == (None, 1987)
    assert parse_birth_cell(datetime(1909, 6, 10), TODAY) == (date(1909, 6, 10), 1909)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (None, "không được để trống"),
        ("  ", "không được để trống"),
        ("31/02/1990", "không có thật"),
        ("abc", "Không đọc được ngày sinh «abc»"),
        (87, "«87»"),
        ("87", "«87»"),
        (1987.5, "«1987.5»"),
        ("13/1987", "«13/1987»"),
        (time(10, 30), "giờ"),
    ],
)
def test_unreadable_birth_cells_are_refused_in_vietnamese(cell, message):
    with pytest.raises(ValueError, match=message):
        parse_birth_cell(cell, TODAY)


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("Nam", "M"),
        ("nam", "M"),
        ("NAM", "M"),
        (" Nam ", "M"),
        ("M", "M"),
        ("m", "M"),
        ("Male", "M"),
        ("Nữ", "F"),
        ("nữ", "F"),
        ("NỮ", "F"),
        ("nu", "F"),
        ("NU", "F"),
        (_nfd("Nữ"), "F"),
        ("F", "F"),
        ("female", "F"),
    ],
)
def test_sex_is_read_in_any_case_with_or_without_diacritics(cell, code):
    assert parse_sex(cell) == code


@pytest.mark.parametrize("cell", ["X", "N", "Nam/Nữ", "1", None, ""])
def test_an_ambiguous_or_unknown_sex_is_refused(cell):
    with pytest.raises(ValueError, match="Giới tính"):
        parse_sex(cell)


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("Kinh", "01"),
        ("HMông", "08"),
        ("H'Mông", "08"),
        ("H’Mông", "08"),
        ("Mông", "08"),
        ("hmong", "08"),
        ("08", "08"),
        ("8", "08"),
        (8, "08"),
        (8.0, "08"),
        ("Mnông", "20"),
        ("M'Nông", "20"),
        ("Ê-đê", "11"),
        ("Ê Đê", "11"),
        ("ede", "11"),
        ("Khmer", "05"),
        ("Khơ-me", "05"),
        ("Co Lao", "47"),
        ("Gié Triêng", "29"),
        ("dân tộc Tày", "02"),
        (_nfd("Mường"), "04"),
        ("08 – Mông", "08"),
    ],
)
def test_ethnic_groups_are_read_in_their_common_spellings(cell, code):
    assert parse_ethnicity(cell) == code


@pytest.mark.parametrize("cell", ["Mèo", "Kinhh", "55", 99, "", None])
def test_an_unknown_ethnicity_is_refused(cell):
    with pytest.raises(ValueError, match=r"[Dd]ân tộc"):
        parse_ethnicity(cell)


@pytest.mark.parametrize(
    ("cell", "grade"),
    [
        (9, 9),
        (9.0, 9),
        ("9", 9),
        (" 9 ", 9),
        ("9/12", 9),
        ("lớp 9", 9),
        ("Lớp 5", 5),
        (None, 0),
        ("", 0),
        (0, 0),
        (13, 13),
        (-1, -1),
    ],
)
def test_grades_are_numbers_or_numeric_text(cell, grade):
    # The range is a rule of the record (checked with the row), not of the cell.
    assert parse_grade(cell) == grade


@pytest.mark.parametrize("cell", ["abc", 9.5, "9/10", True])
def test_a_grade_that_is_no_number_is_refused(cell):
    with pytest.raises(ValueError, match="Lớp"):
        parse_grade(cell)


@pytest.mark.parametrize(
    ("cell", "stage"),
    [
        (0, 0),
        (1, 1),
        (2, 2),
        ("1", 1),
        (2.0, 2),
        ("Giai đoạn 1", 1),
        ("GĐ2", 2),
        ("Chưa học", 0),
        (None, 0),
        (3, 3),
    ],
)
def test_literacy_stages_are_numbers_or_their_names(cell, stage):
    assert parse_stage(cell) == stage


@pytest.mark.parametrize("cell", ["ba", 1.5])
def test_an_unreadable_stage_is_refused(cell):
    with pytest.raises(ValueError, match="Giai đoạn"):
        parse_stage(cell)


@pytest.mark.parametrize(
    ("cell", "disabled"),
    [
        ("x", True),
        ("X", True),
        ("Có", True),
        ("co", True),
        ("CÓ", True),
        (1, True),
        (True, True),
        (None, False),
        ("", False),
        ("không", False),
        (0, False),
        (False, False),
    ],
)
def test_the_disability_column_takes_x_or_co(cell, disabled):
    assert parse_disabled(cell) is disabled


def test_an_unclear_disability_mark_is_refused():
    with pytest.raises(ValueError, match="khuyết tật"):
        parse_disabled("maybe")


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        (None, "thuong_tru"),
        ("", "thuong_tru"),
        ("Thường trú", "thuong_tru"),
        ("tam tru", "tam_tru"),
        ("TẠM TRÚ", "tam_tru"),
        ("Chuyển đi", "chuyen_di"),
        ("đã mất", "da_mat"),
        ("chết", "da_mat"),
    ],
)
def test_residence_defaults_to_thuong_tru(cell, code):
    assert parse_residence(cell) == code


def test_an_unknown_residence_is_refused():
    with pytest.raises(ValueError, match="cư trú"):
        parse_residence("ở nhờ")


@pytest.mark.parametrize(
    ("cell", "code"), [("h01", "H01"), (" H  01 ", "H 01"), (1, "1"), (12.0, "12"), ("001", "001")]
)
def test_household_codes_are_text_in_upper_case(cell, code):
    assert parse_household_code(cell) == code


@pytest.mark.parametrize(("cell", "message"), [(None, "trống"), ("X" * 33, "32")])
def test_an_empty_or_long_household_code_is_refused(cell, message):
    with pytest.raises(ValueError, match=message):
        parse_household_code(cell)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Thôn 3", "thon"),
        ("Bon Bu Prăng", "bon"),
        ("Buôn Ja Ga", "buon"),
        ("Bản Mồ", "ban"),
        ("Làng Mới", "lang"),
        ("Ấp 2", "ap"),
        ("Tổ dân phố 5", "to_dan_pho"),
        ("TDP 5", "to_dan_pho"),
        ("tổ  dân phố Bắc", "to_dan_pho"),
        ("Khu 3", "thon"),
    ],
)
def test_a_new_village_kind_is_guessed_from_its_first_word(name, kind):
    assert guess_village_kind(name) == kind


# -- rows -------------------------------------------------------------------------


def test_a_good_row_is_normalised():
    parsed = _parse(
        _row(
            name=_nfd("  Nguyễn   Văn  An "),
            household="h01",
            relationship="chủ hộ",
            ethnicity="H'Mông",
            sex="nam",
            grade="5",
            stage="1",
            disabled="x",
            residence="tạm trú",
        )
    )
    assert parsed.issues == []
    assert parsed.row_count == 1
    (row,) = parsed.rows
    assert row.row == 2
    assert row.full_name == "Nguyễn Văn An"
    assert unicodedata.is_normalized("NFC", row.full_name)
    assert row.household_code == "H01"
    assert row.relationship == "Chủ hộ"
    assert (row.birth_date, row.birth_year) == (date(1987, 9, 5), 1987)
    assert (row.sex, row.ethnicity_code, row.grade, row.literacy_stage) == ("M", "08", 5, 1)
    assert (row.disabled, row.residence) == (True, "tam_tru")


def test_blank_rows_are_skipped_and_row_numbers_are_the_sheet_rows():
    parsed = _parse(_row(), (None,) * 11, ("", " ", None), _row(name="Lê Thị Hoa", sex="nữ"))
    assert parsed.row_count == 2
    assert [r.row for r in parsed.rows] == [2, 5]


def test_optional_columns_absent_from_the_sheet_stay_unknown():
    header = tuple(c.header for c in roster.COLUMNS if c.required)
    mapping = find_header([header])
    cells = ("Thôn 1", "H01", "Lê Thị Hoa", 1990, "Nữ", "Kinh", 5, 0)
    parsed = parse_rows(mapping, [(2, cells)], TODAY)
    (row,) = parsed.rows
    assert (row.relationship, row.disabled, row.residence) == (None, None, None)


def test_every_problem_of_a_row_is_reported_with_row_and_column():
    parsed = _parse(
        _row(),
        _row(name="", household="", birth=2031, sex="X", ethnicity="Mèo", grade=13, stage=3),
        _row(name="Lê Văn Bảy", birth="1899", grade=-1),
    )
    assert [r.row for r in parsed.rows] == [2]
    found = [(i.row, i.field) for i in parsed.issues]
    assert found == [
        (3, "Mã hộ"),
        (3, "Họ và tên"),
        (3, "Ngày sinh"),
        (3, "Giới tính"),
        (3, "Dân tộc"),
        (3, "Lớp cao nhất đã hoàn thành"),
        (3, "Giai đoạn XMC đã hoàn thành"),
        (4, "Ngày sinh"),
        (4, "Lớp cao nhất đã hoàn thành"),
    ]
    messages = {(i.row, i.field): i.message for i in parsed.issues}
    assert "tương lai" in messages[(3, "Ngày sinh")]
    assert "1900" in messages[(4, "Ngày sinh")]
    assert "0 đến 12" in messages[(4, "Lớp cao nhất đã hoàn thành")]
    assert "«Mèo»" in messages[(3, "Dân tộc")]
    assert parsed.invalid_rows == {3, 4}


def test_a_birth_date_after_today_is_refused():
    parsed = _parse(_row(birth=datetime(2026, 12, 1)))
    assert [(i.row, i.field) for i in parsed.issues] == [(2, "Ngày sinh")]


def test_problems_name_the_columns_as_the_file_writes_them():
    header = tuple("HỌ VÀ TÊN" if h == "Họ và tên" else h for h in HEADERS)
    parsed = _parse(_row(name=" "), header=header)
    assert [(i.row, i.field) for i in parsed.issues] == [(2, "HỌ VÀ TÊN")]


def test_a_person_listed_twice_is_refused_on_the_later_row():
    parsed = _parse(
        _row(),
        _row(name="Lê Thị Hoa", sex="Nữ"),
        _row(name="nguyen van an", birth=1987),
    )
    assert [(i.row, i.field) for i in parsed.issues] == [(4, "Họ và tên")]
    assert "dòng 2" in parsed.issues[0].message
    assert [r.row for r in parsed.rows] == [2, 3]


def test_the_same_name_in_another_household_or_year_is_another_person():
    parsed = _parse(_row(), _row(household="H02"), _row(birth=1988))
    assert parsed.issues == []


def test_a_household_put_in_two_villages_is_refused():
    parsed = _parse(
        _row(), _row(name="Lê Thị Hoa", village="thôn  1"), _row(name="B", village="Thôn 2")
    )
    assert [(i.row, i.field) for i in parsed.issues] == [(4, "Thôn/Tổ dân phố")]
    assert "dòng 2" in parsed.issues[0].message


def test_the_head_is_the_member_marked_chu_ho_else_the_first():
    parsed = _parse(
        _row(name="Lê Thị Hoa", relationship="Vợ", sex="Nữ"),
        _row(name="Nguyễn Văn An", relationship="CHỦ HỘ"),
        _row(household="H02", name="Trần Văn Ba", relationship="Con"),
        _row(household="H02", name="Trần Thị Tư", relationship="", sex="Nữ"),
    )
    assert household_heads(parsed.rows) == {"H01": "Nguyễn Văn An", "H02": "Trần Văn Ba"}


def test_the_identity_of_a_person_ignores_case_and_diacritics():
    assert roster_key("H01", "Nguyễn Văn An", 1987) == roster_key("H01", "nguyen van an", 1987)
    assert roster_key("H01", "Nguyễn Văn An", 1987) != roster_key("H01", "Nguyễn Văn An", 1988)
