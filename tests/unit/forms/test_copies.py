"""A copy of a set that a province adapts: new id and title, same content."""

from pathlib import Path

import pytest

from xhht_desktop.forms import copy_definition, load_definitions, load_text
from xhht_desktop.forms.loader import definition_roots


@pytest.fixture
def gdht():
    definitions, _ = load_definitions()
    return definitions.get("gdht-448")


def test_a_copy_loads_with_its_new_id_and_title(gdht):
    text = copy_definition(gdht, "gdht-lam-dong", "Gia đình học tập (Lâm Đồng, 2026)")
    copy, problems = load_text(text)
    assert problems == []
    assert (copy.id, copy.version, copy.title) == (
        "gdht-lam-dong",
        1,
        "Gia đình học tập (Lâm Đồng, 2026)",
    )
    assert copy.copied_from == "gdht-448@1"
    assert [f.id for f in copy.fields] == [f.id for f in gdht.fields]
    assert copy.pass_rule == gdht.pass_rule and copy.total == gdht.total


def test_a_copy_keeps_the_header_that_cites_the_sources(gdht):
    text = copy_definition(gdht, "gdht-tinh", "Bản của tỉnh")
    assert text.startswith("# Bản sao của gdht-448@1")
    assert "Quyết định số 448/QĐ-KHVN" in text


def test_quotes_in_a_title_are_escaped(gdht):
    text = copy_definition(gdht, "gdht-x", 'Bộ "mới" \\ 2026')
    copy, _ = load_text(text)
    assert copy.title == 'Bộ "mới" \\ 2026'


def test_a_copy_of_a_copy_replaces_copied_from(gdht):
    first, _ = load_text(copy_definition(gdht, "gdht-a", "A"))
    second, problems = load_text(copy_definition(first, "gdht-b", "B"))
    assert problems == [] and second.copied_from == "gdht-a@1"
    assert second.text.count("copied_from") == 1


@pytest.mark.parametrize(
    ("new_id", "title", "message"),
    [
        ("Gia Dinh", "T", "không hợp lệ"),
        ("gdht-448", "T", "mã khác"),
        ("gdht-x", "   ", "tên"),
    ],
)
def test_refused_copies(gdht, new_id, title, message):
    with pytest.raises(ValueError, match=message):
        copy_definition(gdht, new_id, title)


def test_copies_in_the_user_folder_load_after_the_shipped_sets(gdht, tmp_path: Path):
    user = tmp_path / "forms" / "criteria"
    user.mkdir(parents=True)
    (user / "gdht_tinh.toml").write_text(copy_definition(gdht, "gdht-tinh", "Của tỉnh"), "utf-8")
    definitions, problems = load_definitions(*definition_roots(tmp_path))
    assert problems == []
    assert definitions.get("gdht-tinh").copied_from == "gdht-448@1"
    assert definitions.get("gdht-448") is not None
