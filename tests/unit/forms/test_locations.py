"""Line numbers found by reading the TOML text."""

import textwrap

from xhht_desktop.forms.locations import SourceMap

TEXT = textwrap.dedent('''\
    # a comment with [brackets] and key = value
    id = "x"
    "quoted key" = 1
    note = """
    [not_a_table]
    fake = 1
    """
    choices = { a = "A",
                b = "B" }
    list = [
      { field = "a", equals = 1 },
      [1, 2]
    ]

    [pass]
    min_total = 80  # comment

    [[criteria]]
    id = "tc1"
      [[criteria.indicators]]
      id = "tc1_1"
      [[criteria.indicators]]
      id = "tc1_2"

    [[criteria]]
    id = "tc2"
      [[criteria.indicators]]
      id = "tc2_1"

    [[pass.variants]]
    id = "v"
    ''')


def test_root_keys_and_quoted_keys():
    source = SourceMap(TEXT)
    assert source.line_of(("id",)) == 2
    assert source.line_of(("quoted key",)) == 3
    assert source.line_of(("note",)) == 4


def test_multi_line_strings_and_values_hide_what_looks_like_keys():
    source = SourceMap(TEXT)
    assert ("not_a_table",) not in source.tables
    assert ("fake",) not in source.keys
    assert ("b",) not in source.keys
    assert source.line_of(("choices", "b")) == 8
    assert source.line_of(("list", 1)) == 10


def test_tables_and_arrays_of_tables_are_numbered_like_toml():
    source = SourceMap(TEXT)
    assert source.line_of(("pass",)) == 15
    assert source.line_of(("pass", "min_total")) == 16
    assert source.line_of(("criteria", 0, "id")) == 19
    assert source.line_of(("criteria", 0, "indicators", 1, "id")) == 23
    assert source.line_of(("criteria", 1)) == 25
    assert source.line_of(("criteria", 1, "indicators", 0, "id")) == 28
    assert source.line_of(("pass", "variants", 0, "id")) == 31


def test_an_unknown_path_falls_back_to_its_nearest_ancestor():
    source = SourceMap(TEXT)
    assert source.line_of(("criteria", 1, "indicators", 0, "max")) == 27
    assert source.line_of(("pass", "min_total", "deeper", 3)) == 16
    assert source.line_of(("nothing",)) == 1
    assert source.line_of(()) == 1
