"""Validating records: every rule, one issue per field, in the form's order."""

from datetime import date
from decimal import Decimal

import pytest

from xhht_desktop.errors import FieldIssue
from xhht_desktop.forms import check_record, validate

HOUSEHOLD = """
    id = "ho-khao-sat"
    version = 1
    kind = "form"
    title = "Phiếu khảo sát hộ"
    subject = "household"

    [[fields]]
    id = "ho"
    type = "reference"
    to = "household"
    label = "Hộ gia đình"
    required = true

    [[fields]]
    id = "cu_tru"
    type = "choice"
    label = "Cư trú"
    choices = { thuong_tru = "Thường trú", tam_tru = "Tạm trú" }
    required = true

    [[fields]]
    id = "ngay_den"
    type = "date"
    label = "Ngày đến"
    visible_if = { field = "cu_tru", equals = "tam_tru" }
    required = true

    [[fields]]
    id = "noi_o_cu"
    type = "text"
    label = "Nơi ở trước"
    required_if = { field = "cu_tru", equals = "tam_tru" }

    [[fields]]
    id = "so_nguoi"
    type = "integer"
    label = "Số người"
    min = 1
    max = 30
    required = true

    [[fields]]
    id = "so_nu"
    type = "integer"
    label = "Số nữ"
    min = 0
    check = { field = "so_nu", le = { field = "so_nguoi" } }
    check_message = "Số nữ không được lớn hơn số người của hộ."

    [[fields]]
    id = "so_dien_thoai"
    type = "text"
    label = "Số điện thoại"
    pattern = "0[0-9]{9}"
    pattern_message = "Số điện thoại có 10 chữ số, bắt đầu bằng 0."

    [[fields]]
    id = "phuong_tien"
    type = "multi_choice"
    label = "Phương tiện học tập"
    choices = { tv = "Ti vi", may_tinh = "Máy tính", internet = "Internet" }
    max = 2

    [[fields]]
    id = "thu_nhap"
    type = "decimal"
    label = "Thu nhập bình quân (triệu đồng/tháng)"
    min = 0
    places = 1

    [[fields]]
    id = "nam_dang_ky"
    type = "year"
    label = "Năm đăng ký"
    min = 2016

    [[fields]]
    id = "hoi_vien"
    type = "yes_no"
    label = "Có hội viên khuyến học"
"""

GOOD = {"ho": "h-001", "cu_tru": "thuong_tru", "so_nguoi": 5, "so_nu": 2}


@pytest.fixture
def household(inline):
    return inline.load(HOUSEHOLD)


def issues(definition, **values):
    return {i.field: i.message for i in validate(definition, values)}


def test_a_valid_record(household):
    assert validate(household, GOOD) == []


def test_required(household):
    assert issues(household) == {
        "ho": "Hãy chọn Hộ gia đình (hộ gia đình).",
        "cu_tru": "Hãy chọn Cư trú.",
        "so_nguoi": "Hãy nhập Số người.",
    }


def test_required_if(household):
    found = issues(household, **{**GOOD, "cu_tru": "tam_tru", "ngay_den": "01/03/2026"})
    assert found == {"noi_o_cu": "Hãy nhập Nơi ở trước."}


def test_visible_if_hides_a_field_and_its_rules(household):
    assert issues(household, **{**GOOD, "cu_tru": "thuong_tru"}) == {}
    found = issues(household, **{**GOOD, "cu_tru": "tam_tru", "noi_o_cu": "Đắk Mil"})
    assert found == {"ngay_den": "Hãy nhập Ngày đến."}


def test_min_and_max(household):
    assert issues(household, **{**GOOD, "so_nguoi": 0, "so_nu": 0}) == {
        "so_nguoi": "Số người phải từ 1 đến 30."
    }
    assert issues(household, **{**GOOD, "nam_dang_ky": 2015}) == {
        "nam_dang_ky": "Năm đăng ký phải từ 2016 đến 2100."
    }
    assert issues(household, **{**GOOD, "phuong_tien": ["tv", "may_tinh", "internet"]}) == {
        "phuong_tien": "Phương tiện học tập: chỉ được chọn tối đa 2."
    }
    assert issues(household, **{**GOOD, "thu_nhap": "3,25"}) == {
        "thu_nhap": "Thu nhập bình quân (triệu đồng/tháng) chỉ được có tối đa 1 chữ số "
        "sau dấu phẩy."
    }


def test_pattern(household):
    assert issues(household, **{**GOOD, "so_dien_thoai": "12345"}) == {
        "so_dien_thoai": "Số điện thoại có 10 chữ số, bắt đầu bằng 0."
    }
    assert issues(household, **{**GOOD, "so_dien_thoai": "0912345678"}) == {}


def test_allowed_values(household):
    assert issues(household, **{**GOOD, "cu_tru": "chuyen_di"}) == {
        "cu_tru": "'chuyen_di' không có trong danh sách: Thường trú, Tạm trú."
    }


def test_a_cross_field_check(household):
    assert issues(household, **{**GOOD, "so_nu": 6}) == {
        "so_nu": "Số nữ không được lớn hơn số người của hộ."
    }


def test_a_check_waits_for_every_field_it_names(household):
    found = issues(household, ho="h-1", cu_tru="thuong_tru", so_nu=6)
    assert found == {"so_nguoi": "Hãy nhập Số người."}


def test_text_values_are_parsed_like_a_form_or_a_sheet(household):
    checked = check_record(
        household,
        {
            "ho": "h-1",
            "cu_tru": "Tạm trú",
            "ngay_den": "05/09/2026",
            "noi_o_cu": "  Đắk   Mil ",
            "so_nguoi": "12",
            "so_nu": "3",
            "phuong_tien": "Internet; ti vi",
            "thu_nhap": "4,5",
            "nam_dang_ky": "2026",
            "hoi_vien": "có",
        },
    )
    assert checked.valid, checked.issues
    assert checked.values == {
        "ho": "h-1",
        "cu_tru": "tam_tru",
        "ngay_den": date(2026, 9, 5),
        "noi_o_cu": "Đắk Mil",
        "so_nguoi": 12,
        "so_nu": 3,
        "so_dien_thoai": None,
        "phuong_tien": ("tv", "internet"),
        "thu_nhap": Decimal("4.5"),
        "nam_dang_ky": 2026,
        "hoi_vien": True,
    }


def test_unreadable_values_are_reported_and_skip_the_other_rules(household):
    found = issues(household, **{**GOOD, "so_nguoi": "năm", "so_nu": 7})
    assert found == {"so_nguoi": "Chỉ nhập số nguyên (ví dụ 12 hoặc 1.250)."}


def test_unknown_keys_are_reported(household):
    assert validate(household, {**GOOD, "so_nguoj": 5}) == [
        FieldIssue(
            "so_nguoj", "Biểu mẫu không có trường này; hãy kiểm tra lại tên cột hoặc mã trường."
        )
    ]


def test_issues_follow_the_order_of_the_form(household):
    fields = [i.field for i in validate(household, {"so_nu": -1, "cu_tru": "x"})]
    assert fields == ["ho", "cu_tru", "so_nguoi", "so_nu"]
