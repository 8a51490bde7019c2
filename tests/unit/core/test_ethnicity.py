"""Tests of xhht_desktop.core.ethnicity: the two code tables and name matching."""

from __future__ import annotations

import dataclasses
import unicodedata

import pytest

from xhht_desktop.core.ethnicity import (
    ETHNICITIES,
    FOREIGNER_CODE,
    FOREIGNER_NAME,
    Ethnicity,
    by_code,
    choices,
    lookup,
)

ALL_CODES = [f"{n:02d}" for n in range(1, 55)]

SPELLINGS = [
    pytest.param(spelling, group, id=f"{group.code}-{spelling}")
    for group in ETHNICITIES
    for spelling in (group.name, *group.aliases)
]


def _named(name: str) -> Ethnicity:
    return next(group for group in ETHNICITIES if group.name == name)


def test_exactly_54_groups_coded_01_to_54_in_order():
    assert len(ETHNICITIES) == 54
    assert [group.code for group in ETHNICITIES] == ALL_CODES


def test_1979_codes_are_a_permutation_of_01_to_54():
    codes = [group.code_1979 for group in ETHNICITIES if group.code_1979 is not None]
    assert len(codes) == len(set(codes))
    assert set(codes) <= set(ALL_CODES)
    assert sorted(codes) == ALL_CODES  # every 1979 code is known


def test_names_are_unique():
    names = [group.name for group in ETHNICITIES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(("spelling", "group"), SPELLINGS)
def test_names_and_aliases_are_nfc_without_stray_spaces(spelling, group):
    assert unicodedata.is_normalized("NFC", spelling)
    assert spelling == spelling.strip()
    assert "  " not in spelling


@pytest.mark.parametrize(("spelling", "group"), SPELLINGS)
def test_every_name_and_alias_resolves_to_its_own_group(spelling, group):
    assert lookup(spelling) is group


@pytest.mark.parametrize(("spelling", "group"), SPELLINGS)
def test_nfd_input_resolves(spelling, group):
    assert lookup(unicodedata.normalize("NFD", spelling)) is group


@pytest.mark.parametrize(("spelling", "group"), SPELLINGS)
def test_upper_case_and_surrounding_space_resolve(spelling, group):
    assert lookup(f"  {spelling.upper()} ") is group


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("H'Mông", "Mông"),
        ("HMông", "Mông"),
        ("hmong", "Mông"),
        ("Mông", "Mông"),
        ("Mong", "Mông"),
        ("H’MÔNG", "Mông"),
        ("Khơ-me", "Khơ Me"),
        ("Khơ me", "Khơ Me"),
        ("Khmer", "Khơ Me"),
        ("Khơme", "Khơ Me"),
        ("Mnông", "Mnông"),
        ("M'Nông", "Mnông"),
        ("Mơ Nông", "Mnông"),
        ("Ê-đê", "Ê Đê"),
        ("Ê Đê", "Ê Đê"),
        ("ede", "Ê Đê"),
        ("Rhade", "Ê Đê"),
        ("ÊÐÊ", "Ê Đê"),  # legacy text with the Icelandic eth for Đ
        ("Gia-rai", "Gia Rai"),
        ("Jrai", "Gia Rai"),
        ("Gié Triêng", "Giẻ Triêng"),
        ("Giẻ Triêng", "Giẻ Triêng"),
        ("Gié-Triêng", "Giẻ Triêng"),
        ("Co Lao", "Cơ Lao"),
        ("Cơ Lao", "Cơ Lao"),
        ("Xơ-đăng", "Xơ Đăng"),
        ("Xo Dang", "Xơ Đăng"),
        ("Ba-na", "Ba Na"),
        ("Bahnar", "Ba Na"),
        ("Cơ-ho", "Cơ Ho"),
        ("K'Ho", "Cơ Ho"),
        ("Bru-Vân Kiều", "Bru Vân Kiều"),
        ("Vân Kiều", "Bru Vân Kiều"),
        ("Bru", "Bru Vân Kiều"),
        ("Tà-ôi", "Tà Ôi"),
        ("Pa Cô", "Tà Ôi"),
        ("Khơ Mú", "Khơ Mú"),
        ("Khơ-mú", "Khơ Mú"),
        ("Ra-glai", "Ra Glai"),
        ("Raglai", "Ra Glai"),
        ("X'Tiêng", "Xtiêng"),
        ("Stiêng", "Xtiêng"),
        ("Chơ-ro", "Chơ Ro"),
        ("Chu-ru", "Chu Ru"),
        ("Cao Lan", "Sán Chay"),
        ("Hà Nhì", "Hà Nhì"),
        ("Pà Thẻn", "Pà Thẻn"),
        ("Lô Lô", "Lô Lô"),
        ("Ơ-đu", "Ơ Đu"),
        ("o du", "Ơ Đu"),
        ("Rơ-măm", "Rơ Măm"),
        ("Thổ", "Thổ"),
        ("Mạ", "Mạ"),
        ("Chứt", "Chứt"),
        ("Lự", "Lự"),
        ("Lao", "Lào"),
        ("Co", "Co"),
        ("Dân tộc Tày", "Tày"),
        ("người Kinh", "Kinh"),
        ("Người H'Mông", "Mông"),
    ],
)
def test_common_spellings(text, name):
    assert lookup(text) is _named(name)


@pytest.mark.parametrize("code", ["8", "08", " 08 ", "\t8\n"])
def test_one_or_two_digit_codes_with_space(code):
    assert by_code(code) is _named("Mông")
    assert by_code(code, "1979") is _named("Mông")
    assert lookup(code) is _named("Mông")


@pytest.mark.parametrize("code", ALL_CODES)
def test_every_2008_code_resolves(code):
    group = by_code(code)
    assert group is not None
    assert group.code == code
    assert lookup(code) is group
    assert lookup(str(int(code))) is group


@pytest.mark.parametrize("group", ETHNICITIES, ids=lambda group: group.code)
def test_every_1979_code_resolves(group):
    assert group.code_1979 is not None
    assert by_code(group.code_1979, "1979") is group


@pytest.mark.parametrize(
    ("name", "code_2008", "code_1979"),
    [
        ("Kinh", "01", "01"),
        ("Mông", "08", "08"),
        ("Mnông", "20", "20"),
        ("Hoa", "06", "04"),
        ("Mường", "04", "06"),
        ("Khơ Me", "05", "05"),
        ("Ê Đê", "11", "12"),
        ("Xơ Đăng", "16", "14"),
        ("Ngái", "43", "11"),
        ("Rơ Măm", "52", "54"),
        ("Ơ Đu", "54", "53"),
    ],
)
def test_codes_in_both_tables(name, code_2008, code_1979):
    group = _named(name)
    assert group.code == code_2008
    assert group.code_1979 == code_1979
    assert by_code(code_2008, "2008") is group
    assert by_code(code_1979, "1979") is group


def test_the_tables_differ_where_they_should():
    assert by_code("04") is _named("Mường")
    assert by_code("04", "1979") is _named("Hoa")
    assert by_code("06") is _named("Hoa")
    assert by_code("06", "1979") is _named("Mường")
    assert by_code("11") is _named("Ê Đê")
    assert by_code("11", "1979") is _named("Ngái")


@pytest.mark.parametrize(
    "code", ["", " ", "0", "00", "55", "56", "99", "100", "008", "-8", "8a", "abc", "٠٨", "０８"]
)
def test_codes_outside_the_tables_give_none(code):
    assert by_code(code) is None
    assert by_code(code, "1979") is None


def test_unknown_table_raises():
    with pytest.raises(ValueError, match="table"):
        by_code("08", "2019")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "xyz",
        "Kinhh",
        "Mèo",  # pejorative former name: deliberately not accepted
        "Meo",
        "Gia Lai",  # a province, not the Gia Rai
        "Người nước ngoài",
        "55",
        "00",
        "người",
        "dân tộc",
        "04 – Hoa",  # 04 is Mường in the 2008 table: code and name disagree
        "08 – Kinh",
        "99 – Kinh",
    ],
)
def test_unknown_text_gives_none(text):
    assert lookup(text) is None


def test_foreigner_code_is_apart_from_the_54():
    assert FOREIGNER_CODE == "55"
    assert FOREIGNER_NAME == "Người nước ngoài"
    assert FOREIGNER_CODE not in {group.code for group in ETHNICITIES}
    assert by_code(FOREIGNER_CODE) is None
    assert lookup(FOREIGNER_NAME) is None


def test_choices():
    pairs = choices()
    assert len(pairs) == 54
    assert pairs[0] == ("01", "01 – Kinh")
    assert ("08", "08 – Mông") in pairs
    assert [code for code, _ in pairs] == ALL_CODES
    pairs.clear()
    assert len(choices()) == 54  # callers get their own list


@pytest.mark.parametrize(("code", "label"), choices())
def test_choice_labels_resolve_back(code, label):
    assert lookup(label) is by_code(code)
    assert lookup(label.replace("–", "-")) is by_code(code)
    assert lookup(unicodedata.normalize("NFD", label)) is by_code(code)


def test_ethnicity_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        ETHNICITIES[0].name = "Việt"  # type: ignore[misc]
