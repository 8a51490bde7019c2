"""Every field type parses text, formats values and validates them."""

from datetime import date
from decimal import Decimal

import pytest

from xhht_desktop.forms.fieldtypes import (
    FIELD_TYPES,
    ChoiceType,
    DateType,
    DecimalType,
    IntegerType,
    InvalidValue,
    MultiChoiceType,
    ReferenceType,
    RuleError,
    ScoreType,
    TextType,
    YearType,
    YesNoType,
    format_number,
)


def test_the_ten_types_of_the_issue_are_registered():
    assert set(FIELD_TYPES) == {
        "text",
        "integer",
        "decimal",
        "choice",
        "multi_choice",
        "date",
        "year",
        "yes_no",
        "score",
        "reference",
    }


def test_empty_text_is_no_value_for_every_type():
    needed = {
        "score": {"max": 10},
        "choice": {"choices": {"a": "A"}},
        "multi_choice": {"choices": {"a": "A"}},
        "reference": {"to": "household"},
    }
    for name, type_class in FIELD_TYPES.items():
        ftype = type_class.from_rules(needed.get(name, {}))
        assert ftype.parse("   ") is None
        assert ftype.coerce(None) is None
        assert ftype.format(None) == ""


class TestText:
    def test_cleans_spaces_and_composes_diacritics(self):
        decomposed = "Nguye\u0302\u0303n   Va\u0306n"
        assert TextType().parse(f"  {decomposed} ") == "Nguyễn Văn"

    def test_length_and_pattern(self):
        ftype = TextType.from_rules(
            {
                "min_length": 2,
                "max_length": 5,
                "pattern": r"[A-Z]+",
                "pattern_message": "Chữ in hoa.",
            }
        )
        assert ftype.check("A", "Mã") == "Mã phải có ít nhất 2 ký tự."
        assert ftype.check("ABCDEF", "Mã") == "Mã dài quá 5 ký tự."
        assert ftype.check("abc", "Mã") == "Chữ in hoa."
        assert ftype.check("ABC", "Mã") is None

    def test_pattern_without_message_says_the_format_is_wrong(self):
        assert TextType(pattern=r"\d+").check("x", "Số QĐ") == "Số QĐ không đúng định dạng."

    def test_bad_rules_are_refused(self):
        with pytest.raises(RuleError, match="biểu thức chính quy"):
            TextType.from_rules({"pattern": "("})
        with pytest.raises(RuleError):
            TextType.from_rules({"min_length": 9, "max_length": 3})

    def test_a_number_is_not_text(self):
        with pytest.raises(InvalidValue):
            TextType().coerce(5)


class TestInteger:
    @pytest.mark.parametrize(
        ("text", "value"), [("12", 12), ("-3", -3), ("1.250", 1250), ("12 345", 12345), ("+7", 7)]
    )
    def test_parses(self, text, value):
        assert IntegerType().parse(text) == value

    @pytest.mark.parametrize("text", ["12,5", "1.25", "abc", "1.2345"])
    def test_refuses(self, text):
        with pytest.raises(InvalidValue, match="số nguyên"):
            IntegerType().parse(text)

    def test_bounds(self):
        ftype = IntegerType.from_rules({"min": 0, "max": 200})
        assert ftype.check(-1, "Số người") == "Số người phải từ 0 đến 200."
        assert ftype.check(201, "Số người") == "Số người phải từ 0 đến 200."
        assert ftype.check(5, "Số người") is None
        assert IntegerType.from_rules({"min": 1}).check(0, "X") == "X phải từ 1 trở lên."
        assert IntegerType.from_rules({"max": 9}).check(10, "X") == "X không được lớn hơn 9."

    def test_coerce_and_format(self):
        ftype = IntegerType()
        assert ftype.coerce(Decimal("3")) == 3
        assert ftype.coerce(4.0) == 4
        assert ftype.format(1250) == "1250"
        for wrong in (True, 2.5, Decimal("2.5")):
            with pytest.raises(InvalidValue):
                ftype.coerce(wrong)

    def test_min_above_max_is_a_rule_error(self):
        with pytest.raises(RuleError, match="lớn hơn max"):
            IntegerType.from_rules({"min": 5, "max": 1})


class TestDecimal:
    @pytest.mark.parametrize("text", ["7,5", "7.5", " 7,50 "])
    def test_comma_or_dot_is_the_decimal_separator(self, text):
        assert DecimalType().parse(text) == Decimal("7.5")

    def test_a_dot_is_never_a_thousands_separator(self):
        assert DecimalType().parse("1.500") == Decimal("1.5")

    @pytest.mark.parametrize("text", ["7,5,1", "1.000,5", "bảy"])
    def test_refuses(self, text):
        with pytest.raises(InvalidValue, match="dấu phẩy"):
            DecimalType().parse(text)

    def test_formats_with_a_comma(self):
        assert DecimalType().format(Decimal("7.50")) == "7,5"
        assert DecimalType().format(Decimal("10.0")) == "10"
        assert format_number(Decimal("0.25")) == "0,25"

    def test_places_and_bounds(self):
        ftype = DecimalType.from_rules({"min": 0, "max": 10, "places": 1})
        assert (
            ftype.check(Decimal("7.25"), "Điểm") == "Điểm chỉ được có tối đa 1 chữ số sau dấu phẩy."
        )
        assert ftype.check(Decimal("10.5"), "Điểm") == "Điểm phải từ 0 đến 10."
        assert ftype.check(Decimal("9.5"), "Điểm") is None

    def test_coerce_accepts_numbers(self):
        assert DecimalType().coerce(2.5) == Decimal("2.5")
        assert DecimalType().coerce(3) == Decimal(3)
        with pytest.raises(InvalidValue):
            DecimalType().coerce(True)


class TestScore:
    def test_needs_a_positive_maximum(self):
        with pytest.raises(RuleError, match="điểm tối đa"):
            ScoreType.from_rules({})
        with pytest.raises(RuleError):
            ScoreType.from_rules({"max": 0})

    def test_from_zero_to_its_maximum(self):
        ftype = ScoreType.from_rules({"max": 10})
        assert ftype.parse("7,5") == Decimal("7.5")
        assert ftype.check(Decimal("10.5"), "Chỉ số 1") == "Chỉ số 1 phải từ 0 đến 10."
        assert ftype.check(Decimal(-1), "Chỉ số 1") == "Chỉ số 1 phải từ 0 đến 10."
        assert ftype.check(Decimal(10), "Chỉ số 1") is None
        assert ftype.required_message("Chỉ số 1") == "Hãy chấm điểm: Chỉ số 1."

    def test_step(self):
        ftype = ScoreType.from_rules({"max": 10, "step": 0.5})
        assert ftype.check(Decimal("7.5"), "C") is None
        assert ftype.check(Decimal("7.25"), "C") == "C: điểm phải là bội của 0,5."


class TestYear:
    def test_four_digits_within_1900_and_2100_by_default(self):
        ftype = YearType.from_rules({})
        assert ftype.parse("2026") == 2026
        with pytest.raises(InvalidValue, match="4 chữ số"):
            ftype.parse("26")
        assert ftype.check(1899, "Năm") == "Năm phải từ 1900 đến 2100."
        assert ftype.format(2026) == "2026"

    def test_bounds_from_rules(self):
        assert YearType.from_rules({"min": 2016}).check(2015, "Năm") == "Năm phải từ 2016 đến 2100."


class TestDate:
    @pytest.mark.parametrize("text", ["05/09/2026", "5-9-2026", "5.9.2026", "2026-09-05"])
    def test_parses_day_month_year_and_iso(self, text):
        assert DateType().parse(text) == date(2026, 9, 5)

    def test_refuses_dates_not_on_the_calendar(self):
        with pytest.raises(InvalidValue, match="không có thật"):
            DateType().parse("31/02/2026")
        with pytest.raises(InvalidValue, match="ngày/tháng/năm"):
            DateType().parse("tháng chín")

    def test_formats_day_first(self):
        assert DateType().format(date(2024, 2, 12)) == "12/02/2024"

    def test_bounds_are_toml_dates(self):
        ftype = DateType.from_rules({"min": date(2016, 1, 1), "max": date(2030, 12, 31)})
        assert ftype.check(date(2015, 12, 31), "Ngày QĐ") == "Ngày QĐ không được trước 01/01/2016."
        assert ftype.check(date(2031, 1, 1), "Ngày QĐ") == "Ngày QĐ không được sau 31/12/2030."
        with pytest.raises(RuleError, match="ngày TOML"):
            DateType.from_rules({"min": "2016-01-01"})


class TestYesNo:
    @pytest.mark.parametrize(
        ("text", "value"),
        [
            ("có", True),
            ("Co", True),
            ("x", True),
            ("Đạt", True),
            ("không", False),
            ("0", False),
            ("Không đạt", False),
        ],
    )
    def test_parses_vietnamese_answers(self, text, value):
        assert YesNoType().parse(text) is value

    def test_labels(self):
        ftype = YesNoType.from_rules({"yes_label": "Hoàn thành", "no_label": "Chưa"})
        assert ftype.parse("hoan thanh") is True
        assert ftype.format(False) == "Chưa"
        with pytest.raises(InvalidValue, match="'Hoàn thành' hoặc 'Chưa'"):
            ftype.parse("có lẽ")

    def test_false_is_a_value(self):
        assert YesNoType().coerce(False) is False


class TestChoice:
    TYPE = ChoiceType({"thuong_tru": "Thường trú", "tam_tru": "Tạm trú"})

    def test_by_code_or_by_label_without_diacritics(self):
        assert self.TYPE.parse("tam_tru") == "tam_tru"
        assert self.TYPE.parse("Tạm trú") == "tam_tru"
        assert self.TYPE.parse("tam tru") == "tam_tru"
        assert self.TYPE.format("tam_tru") == "Tạm trú"

    def test_unknown_values(self):
        with pytest.raises(InvalidValue, match="Thường trú, Tạm trú"):
            self.TYPE.parse("Chuyển đi")
        assert self.TYPE.check("da_mat", "Cư trú") == "Cư trú: 'da_mat' không có trong danh sách."

    def test_choices_need_labels(self):
        with pytest.raises(RuleError, match="choices"):
            ChoiceType.from_rules({"choices": {}})
        with pytest.raises(RuleError, match="nhãn"):
            ChoiceType.from_rules({"choices": {"a": 1}})


class TestMultiChoice:
    TYPE = MultiChoiceType({"tv": "Ti vi", "may_tinh": "Máy tính", "internet": "Internet"}, 1, 2)

    def test_parses_a_list_in_the_order_of_the_choices(self):
        assert self.TYPE.parse("Internet; ti vi") == ("tv", "internet")
        assert self.TYPE.coerce(["internet", "tv", "tv"]) == ("tv", "internet")
        assert self.TYPE.format(("tv", "internet")) == "Ti vi; Internet"

    def test_counts(self):
        assert self.TYPE.check(("tv", "may_tinh", "internet"), "Phương tiện") == (
            "Phương tiện: chỉ được chọn tối đa 2."
        )
        assert MultiChoiceType({"a": "A"}, 1).check((), "P") == "P: hãy chọn ít nhất 1."

    def test_unknown(self):
        with pytest.raises(InvalidValue):
            self.TYPE.coerce(["radio"])


class TestReference:
    def test_needs_a_register(self):
        with pytest.raises(RuleError, match="household"):
            ReferenceType.from_rules({"to": "family"})

    def test_holds_an_id(self):
        ftype = ReferenceType.from_rules({"to": "clan"})
        assert ftype.parse(" 3f2a ") == "3f2a"
        assert ftype.check("x" * 65, "Dòng họ") == "Dòng họ: mã bản ghi dài quá 64 ký tự."
        assert ftype.required_message("Dòng họ") == "Hãy chọn Dòng họ (dòng họ)."
        with pytest.raises(InvalidValue):
            ftype.coerce(12)


def test_nan_and_infinity_are_not_numbers():
    for value in (float("nan"), float("inf")):
        with pytest.raises(InvalidValue):
            DecimalType().coerce(value)
        with pytest.raises(InvalidValue):
            IntegerType().coerce(value)
        with pytest.raises(RuleError, match="hữu hạn"):
            IntegerType.from_rules({"max": value})
        with pytest.raises(ValueError, match="hữu hạn"):
            DecimalType().literal(value)
