import unicodedata

import pytest

from xhht_desktop.core import text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Nguyễn   Văn\tAn ", "Nguyễn Văn An"),
        (unicodedata.normalize("NFD", "Nguyễn Văn Ấn"), "Nguyễn Văn Ấn"),
        (None, ""),
    ],
)
def test_clean_gives_nfc_with_single_spaces(raw, expected):
    cleaned = text.clean(raw)
    assert cleaned == expected
    assert unicodedata.is_normalized("NFC", cleaned)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Xã Đăk Song", "xa dak song"),
        ("NGUYỄN VĂN", "nguyen van"),
        (unicodedata.normalize("NFD", "Đắk Nông"), "dak nong"),
        ("Ê Đê", "e de"),
    ],
)
def test_fold_drops_diacritics_and_case(raw, expected):
    assert text.fold(raw) == expected


def test_search_tokens_fold_each_word():
    assert text.search_tokens("  Nguyễn  vĂn ") == ["nguyen", "van"]
    assert text.search_tokens("") == []


def test_sort_key_follows_the_vietnamese_alphabet():
    words = ["đa", "da", "ơ", "ô", "o", "ư", "u", "ă", "â", "a", "b", "ê", "e"]
    expected = ["a", "ă", "â", "b", "da", "đa", "e", "ê", "o", "ô", "ơ", "u", "ư"]
    assert sorted(words, key=text.sort_key) == expected


def test_sort_key_orders_tones_after_letters():
    # Letters decide first; at equal letters: ngang, huyền, hỏi, ngã, sắc, nặng.
    words = ["bạ", "bá", "bã", "bả", "bà", "ba", "bac"]
    assert sorted(words, key=text.sort_key) == ["ba", "bà", "bả", "bã", "bá", "bạ", "bac"]


def test_shorter_word_sorts_first():
    assert sorted(["anh", "an"], key=text.sort_key) == ["an", "anh"]


def test_sort_key_is_plain_ascii_for_any_database():
    assert text.sort_key("Nguyễn Thị Ánh").isascii()


def test_persons_sort_by_given_name_then_full_name():
    names = ["Trần Văn Bình", "Nguyễn Văn An", "Lê Thị An", "Đỗ Văn Ân"]
    assert sorted(names, key=text.person_sort_key) == [
        "Lê Thị An",
        "Nguyễn Văn An",
        "Đỗ Văn Ân",
        "Trần Văn Bình",
    ]
