"""The strict loader: every definition error has a code, a message and a line."""

from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from xhht_desktop.forms import CATALOGUE, load_definitions, load_file, load_text
from xhht_desktop.forms.fieldtypes import ChoiceType, ScoreType, YesNoType
from xhht_desktop.forms.loader import Definitions, definition_files, definition_roots

FORM = """
    id = "thu"
    version = 1
    kind = "form"
    title = "Biểu thử"

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
    required_if = { field = "cu_tru", equals = "tam_tru" }
"""


def test_a_good_form_loads(inline):
    definition = inline.load(FORM)
    assert (definition.id, definition.version, definition.kind) == ("thu", 1, "form")
    assert str(definition.key) == "thu@1"
    assert [f.id for f in definition.fields] == ["cu_tru", "ngay_den"]
    cu_tru = definition.field("cu_tru")
    assert isinstance(cu_tru.type, ChoiceType)
    assert cu_tru.required and cu_tru.label == "Cư trú"
    assert definition.field("ngay_den").required_if is not None
    assert definition.text.startswith("id = ")


def test_every_message_in_the_catalogue_says_how_to_fix_it():
    for code, message in CATALOGUE.items():
        assert code[0] == "F" and len(code) == 4
        assert message.strip()


def test_f001_toml_syntax_with_the_line_tomllib_gives(inline):
    found = inline.problem("""
        id = "thu"
        version = 1
        kind = "form"
        title = "Biểu thử
        """)
    assert (found.code, found.line) == ("F001", 4)
    assert "cú pháp" in found.message


def test_f001_a_key_written_twice(inline):
    found = inline.problem("""
        id = "thu"
        id = "lai"
        """)
    assert (found.code, found.line) == ("F001", 2)


def test_f002_missing_keys_point_at_their_table(inline):
    problems = inline.problems("""
        id = "thu"
        kind = "form"

        [[fields]]
        id = "a"
        type = "text"
        """)
    assert [(p.code, p.line) for p in problems] == [("F002", 1), ("F002", 1), ("F002", 4)]
    assert "'version'" in problems[0].message and "'title'" in problems[1].message
    assert "'label'" in problems[2].message


def test_f003_unknown_keys(inline):
    problems = inline.problems("""
        id = "thu"
        version = 1
        kind = "form"
        title = "Biểu thử"
        titel = "lỗi chính tả"

        [[fields]]
        id = "a"
        type = "text"
        label = "A"
        requried = true
        """)
    assert [(p.code, p.line) for p in problems] == [("F003", 5), ("F003", 11)]
    assert "'titel'" in problems[0].message and "title" in problems[0].message
    assert "'requried'" in problems[1].message


def test_f003_criteria_keys_are_unknown_in_a_form(inline):
    found = inline.problem("""
        id = "thu"
        version = 1
        kind = "form"
        title = "Biểu thử"
        total = 100

        [[fields]]
        id = "a"
        type = "text"
        label = "A"
        """)
    assert (found.code, found.line) == ("F003", 5)


def test_f004_wrong_value_types(inline):
    problems = inline.problems("""
        id = "thu"
        version = "1"
        kind = "form"
        title = ""

        [[fields]]
        id = "a"
        type = "text"
        label = "A"
        required = "có"
        """)
    assert [(p.code, p.line) for p in problems] == [("F004", 2), ("F004", 4), ("F004", 10)]
    assert "số nguyên" in problems[0].message


def test_f004_version_starts_at_one(inline):
    found = inline.problem("""
        id = "thu"
        version = 0
        kind = "form"
        title = "Biểu thử"

        [[fields]]
        id = "a"
        type = "text"
        label = "A"
        """)
    assert (found.code, found.line) == ("F004", 2)


def test_f005_unknown_kind(inline):
    found = inline.problem("""
        id = "thu"
        version = 1
        kind = "bieu"
        title = "Biểu thử"
        """)
    assert (found.code, found.line) == ("F005", 3)


def test_f006_bad_ids(inline):
    problems = inline.problems("""
        id = "Gia Đình"
        version = 1
        kind = "form"
        title = "Biểu thử"

        [[fields]]
        id = "Cu-Tru"
        type = "text"
        label = "A"
        """)
    assert [(p.code, p.line) for p in problems] == [("F006", 1), ("F006", 7)]


def test_f009_value_not_in_the_list(inline):
    found = inline.problem("""
        id = "thu"
        version = 1
        kind = "aggregate"
        title = "Biểu thử"
        subject = "family"
        scope = "village"

        [[fields]]
        id = "a"
        type = "integer"
        label = "A"
        """)
    assert (found.code, found.line) == ("F009", 5)
    assert "household" in found.message


def test_f010_unknown_field_type(inline):
    found = inline.problem("""
        id = "thu"
        version = 1
        kind = "form"
        title = "Biểu thử"

        [[fields]]
        id = "so"
        type = "number"
        label = "Số"
        min = 0
        """)
    assert (found.code, found.line) == ("F010", 8)
    assert "integer" in found.message and "decimal" in found.message


def test_f011_duplicate_field_id_names_the_first_line(inline):
    found = inline.problem("""
        id = "thu"
        version = 1
        kind = "form"
        title = "Biểu thử"

        [[fields]]
        id = "ten"
        type = "text"
        label = "Tên"

        [[fields]]
        id = "ten"
        type = "text"
        label = "Tên nữa"
        """)
    assert (found.code, found.line) == ("F011", 12)
    assert "dòng 7" in found.message


def test_f011_an_indicator_cannot_reuse_a_field_id(inline):
    found = inline.problem("""
        id = "bo"
        version = 1
        kind = "criteria"
        title = "Bộ"
        subject = "person"
        total = 10

        [[fields]]
        id = "tc1"
        type = "text"
        label = "Ghi chú"

        [pass]
        min_total = 5

        [[criteria]]
        id = "tc1"
        title = "Một"
        max = 10
        """)
    assert (found.code, found.line) == ("F011", 17)


def test_f012_a_rule_for_another_type(inline):
    found = inline.problem("""
        id = "thu"
        version = 1
        kind = "form"
        title = "Biểu thử"

        [[fields]]
        id = "so"
        type = "integer"
        label = "Số"
        pattern = "[0-9]+"
        """)
    assert (found.code, found.line) == ("F012", 10)
    assert "max, min" in found.message


def test_f013_rule_values(inline):
    problems = inline.problems("""
        id = "thu"
        version = 1
        kind = "form"
        title = "Biểu thử"

        [[fields]]
        id = "so"
        type = "integer"
        label = "Số"
        min = 10
        max = 1

        [[fields]]
        id = "ma"
        type = "text"
        label = "Mã"
        pattern = "([a-z"

        [[fields]]
        id = "diem"
        type = "score"
        label = "Điểm"

        [[fields]]
        id = "ghi_chu"
        type = "text"
        label = "Ghi chú"
        check_message = "Sai."
        """)
    assert [(p.code, p.line) for p in problems] == [
        ("F013", 10),
        ("F013", 17),
        ("F013", 19),
        ("F013", 28),
    ]
    assert "min (10) lớn hơn max (1)" in problems[0].message
    assert "chính quy" in problems[1].message
    assert "điểm tối đa" in problems[2].message


def test_f002_a_check_needs_its_message(inline):
    found = inline.problem("""
        id = "thu"
        version = 1
        kind = "form"
        title = "Biểu thử"

        [[fields]]
        id = "so"
        type = "integer"
        label = "Số"
        check = { field = "so", gt = 0 }
        """)
    assert (found.code, found.line) == ("F002", 6)
    assert "check_message" in found.message


CONDITIONS = """
    id = "thu"
    version = 1
    kind = "form"
    title = "Biểu thử"

    [[fields]]
    id = "cu_tru"
    type = "choice"
    label = "Cư trú"
    choices = {{ thuong_tru = "Thường trú", tam_tru = "Tạm trú" }}

    [[fields]]
    id = "ngay_den"
    type = "date"
    label = "Ngày đến"
    required_if = {condition}
"""


def test_f020_unknown_operator(inline):
    found = inline.problem(CONDITIONS.format(condition='{ field = "cu_tru", is = "tam_tru" }'))
    assert (found.code, found.line) == ("F020", 16)
    assert "'is'" in found.message and "equals" in found.message


def test_f021_unknown_field_in_a_condition(inline):
    found = inline.problem(CONDITIONS.format(condition='{ field = "cutru", equals = "tam_tru" }'))
    assert (found.code, found.line) == ("F021", 16)
    assert "'cutru'" in found.message


def test_f022_malformed_condition(inline):
    found = inline.problem(CONDITIONS.format(condition='"cu_tru == tam_tru"'))
    assert (found.code, found.line) == ("F022", 16)


def test_f023_a_constant_the_field_cannot_take(inline):
    found = inline.problem(CONDITIONS.format(condition='{ field = "cu_tru", equals = "tamtru" }'))
    assert (found.code, found.line) == ("F023", 16)
    assert "thuong_tru, tam_tru" in found.message


def test_conditions_may_name_scored_fields(inline):
    definition = inline.load("""
        id = "bo"
        version = 1
        kind = "criteria"
        title = "Bộ"
        subject = "person"
        total = 10

        [[fields]]
        id = "ly_do"
        type = "text"
        label = "Lý do điểm thấp"
        required_if = { field = "tc1", lt = 5 }

        [pass]
        min_total = 5

        [[criteria]]
        id = "tc1"
        title = "Một"
        max = 10
        """)
    assert definition.field("ly_do").required_if is not None


CRITERIA = """
    id = "bo"
    version = 1
    kind = "criteria"
    title = "Bộ thử"
    subject = "household"
    total = 100

    [pass]
    min_total = 80

    [[criteria]]
    id = "tc1"
    title = "Trẻ em"
    max = 60
      [[criteria.indicators]]
      id = "tc1_1"
      title = "Đi học"
      max = 30
      [[criteria.indicators]]
      id = "tc1_2"
      title = "Kết quả"
      max = 30

    [[criteria]]
    id = "tc2"
    title = "Người lớn"
    max = 40
"""


def test_a_good_criteria_set_loads(inline):
    definition = inline.load(CRITERIA)
    assert definition.total == Decimal(100)
    assert [c.id for c in definition.criteria] == ["tc1", "tc2"]
    assert [f.id for f in definition.scored_fields] == ["tc1_1", "tc1_2", "tc2"]
    assert [f.criterion for f in definition.scored_fields] == ["tc1", "tc1", "tc2"]
    assert isinstance(definition.field("tc1_1").type, ScoreType)
    assert definition.field("tc1_1").type.max == Decimal(30)
    assert definition.field("tc2").required
    assert definition.pass_rule.min_total == Decimal(80)


def test_f030_indicators_that_do_not_add_up(inline):
    found = inline.problem(CRITERIA.replace("max = 60", "max = 65").replace("max = 40", "max = 35"))
    assert (found.code, found.line) == ("F030", 14)
    assert "65" in found.message and "60" in found.message


def test_f031_criteria_that_do_not_add_up_to_the_total(inline):
    found = inline.problem(CRITERIA.replace("total = 100", "total = 90"))
    assert (found.code, found.line) == ("F031", 6)
    assert "90" in found.message and "100" in found.message


def test_f032_pass_rules(inline):
    found = inline.problem(CRITERIA.replace("min_total = 80", "min_total = 120"))
    assert (found.code, found.line) == ("F032", 9)
    found = inline.problem(CRITERIA.replace("    [pass]\n    min_total = 80\n", ""))
    assert (found.code, found.line) == ("F032", 3)
    found = inline.problem(CRITERIA.replace("min_total = 80", "min_per_indicator = 35"))
    assert (found.code, found.line) == ("F032", 9)
    found = inline.problem(CRITERIA.replace("min_total = 80", ""))
    assert (found.code, found.line) == ("F032", 8)
    assert "không có điều kiện" in found.message


def test_f003_pass_fail_keys_in_a_points_set(inline):
    problems = inline.problems(CRITERIA.replace("min_total = 80", "all_indicators = true"))
    assert [(p.code, p.line) for p in problems] == [("F032", 8), ("F003", 9)]


def test_f033_a_set_without_criteria(inline):
    problems = inline.problems("""
        id = "bo"
        version = 1
        kind = "criteria"
        title = "Bộ"
        subject = "person"
        total = 10

        [pass]
        min_total = 5
        """)
    assert ("F033", 3) in [(p.code, p.line) for p in problems]


PASS_FAIL = """
    id = "xa"
    version = 1
    kind = "criteria"
    title = "Cộng đồng học tập cấp xã"
    subject = "commune"
    scoring = "pass_fail"

    [[levels]]
    id = "muc_1"
    title = "Mức độ 1"
    all_indicators = true

    [[criteria]]
    id = "tc1"
    title = "Lãnh đạo"
      [[criteria.indicators]]
      id = "tc1_1"
      title = "Tuyên truyền"
      [[criteria.indicators]]
      id = "tc1_2"
      title = "Kế hoạch"
      levels = ["muc_2"]
"""


def test_f040_an_indicator_naming_an_unknown_level(inline):
    found = inline.problem(PASS_FAIL)
    assert (found.code, found.line) == ("F040", 22)
    assert "'muc_2'" in found.message


def test_a_pass_fail_set_has_yes_no_fields_without_points(inline):
    definition = inline.load(PASS_FAIL.replace('  levels = ["muc_2"]\n', ""))
    field = definition.field("tc1_1")
    assert isinstance(field.type, YesNoType)
    assert field.type.format(True) == "Đạt"
    assert definition.total is None and definition.levels[0].id == "muc_1"


def test_f003_points_in_a_pass_fail_set(inline):
    problems = inline.problems(
        PASS_FAIL.replace('title = "Kế hoạch"', 'title = "Kế hoạch"\n  max = 5')
    )
    assert "F003" in {p.code for p in problems}


def test_problems_come_in_line_order_and_name_the_file(tmp_path: Path):
    path = tmp_path / "loi.toml"
    path.write_text(
        'id = "thu"\nversion = 1\nkind = "form"\ntitle = "T"\nxyz = 1\n'
        '[[fields]]\nid = "a"\ntype = "so"\nlabel = "A"\n',
        encoding="utf-8",
    )
    definition, problems = load_file(path)
    assert definition is None
    assert [p.line for p in problems] == sorted(p.line for p in problems)
    assert str(problems[0]).startswith(f"{path}:5: [F003] ")


def test_f008_a_file_that_is_not_utf8(tmp_path: Path):
    path = tmp_path / "hong.toml"
    path.write_bytes(b'title = "\xff\xfe"\n')
    definition, problems = load_file(path)
    assert definition is None
    assert [(p.code, p.path) for p in problems] == [("F008", path)]


def test_text_without_a_file(inline):
    found = inline.problem('id = "thu"\nversion = 1\nkind = "bieu"\ntitle = "T"\n')
    assert found.where == "<văn bản>:3"


def _write(root: Path, name: str, text: str) -> Path:
    path = root / "criteria" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_app_starts_with_the_definitions_that_are_right(forms_root: Path, inline):
    _write(forms_root, "tot.toml", inline.toml(CRITERIA))
    broken = _write(
        forms_root,
        "hong.toml",
        inline.toml(CRITERIA).replace('"bo"', '"bo-hong"').replace("total = 100", "total = 90"),
    )
    definitions, problems = load_definitions(forms_root)
    assert [d.id for d in definitions] == ["bo"]
    assert [(p.code, p.path, p.line) for p in problems] == [("F031", broken, 6)]


def test_f007_the_same_id_and_version_twice(forms_root: Path, tmp_path: Path, inline):
    first = _write(forms_root, "a.toml", inline.toml(CRITERIA))
    user = tmp_path / "user"
    second = _write(user, "b.toml", inline.toml(CRITERIA))
    definitions, problems = load_definitions(forms_root, user)
    assert [d.path for d in definitions] == [first]
    assert [(p.code, p.path, p.line) for p in problems] == [("F007", second, 1)]
    assert str(first) in problems[0].message


def test_roots_load_in_order_and_versions_are_kept_apart(forms_root: Path, tmp_path: Path, inline):
    _write(forms_root, "a.toml", inline.toml(CRITERIA))
    user = tmp_path / "user"
    _write(user, "a2.toml", inline.toml(CRITERIA).replace("version = 1", "version = 2"))
    _write(user, "khac.toml", inline.toml(CRITERIA).replace('id = "bo"', 'id = "bo-tinh"'))
    definitions, problems = load_definitions(forms_root, tmp_path / "missing", user)
    assert problems == []
    assert len(definitions) == 3
    assert definitions.get("bo").version == 2
    assert definitions.get("bo", 1).version == 1
    assert definitions.get("bo", 3) is None
    assert definitions.get("khong-co") is None
    assert sorted(d.id for d in definitions.latest(kind="criteria")) == ["bo", "bo-tinh"]
    assert definitions.latest(kind="form") == []
    assert definitions.get("bo").key in definitions


def test_only_the_definition_folders_are_read(forms_root: Path, inline):
    (forms_root / "plans").mkdir()
    (forms_root / "plans" / "dak_song.toml").write_text('targets = "not a definition"\n')
    (forms_root / "README.md").write_text("# forms\n")
    _write(forms_root, "a.toml", inline.toml(CRITERIA))
    assert [p.name for p in definition_files(forms_root)] == ["a.toml"]
    definitions, problems = load_definitions(forms_root)
    assert (len(definitions), problems) == (1, [])


def test_the_default_roots_are_the_shipped_folder_then_the_users(tmp_path: Path):
    shipped, user = definition_roots(tmp_path)
    assert (shipped / "README.md").is_file()
    assert user == tmp_path / "forms"
    assert definition_roots() == (shipped,)


def test_an_empty_registry():
    empty = Definitions()
    assert len(empty) == 0 and empty.get("x") is None and list(empty) == []


def test_a_bom_is_ignored(tmp_path: Path, inline):
    path = tmp_path / "bom.toml"
    path.write_bytes("\ufeff".encode() + inline.toml(FORM).encode())
    definition, problems = load_file(path)
    assert problems == [] and definition.id == "thu"


def test_load_text_never_raises_on_garbage():
    for garbage in (
        "",
        "[[",
        "= 1",
        "id = 1\nversion = 'a'\nkind = 3\ntitle = []\nfields = 5\n",
        "kind = []\nsubject = {}\nfields = [1, {}]\n",
        'kind = "criteria"\ntotal = nan\ncriteria = [{ id = "a", max = inf }]\npass = 3\n',
        'kind = "criteria"\nscoring = "pass_fail"\nlevels = [{ id = 1 }]\ncriteria = "x"\n',
    ):
        definition, problems = load_text(garbage)
        assert definition is None and problems


LINES = [
    'id = "bo"',
    "id = 3",
    "version = 1",
    'version = "1"',
    'kind = "criteria"',
    'kind = "form"',
    'kind = "aggregate"',
    'title = "T"',
    'subject = "person"',
    'scoring = "pass_fail"',
    "total = 10",
    "total = -1",
    "total = nan",
    "[pass]",
    "min_total = 5",
    "min_total = inf",
    "all_indicators = true",
    "min_passed = 2",
    "[[pass.variants]]",
    "[[levels]]",
    'id = "muc_1"',
    "[[criteria]]",
    'id = "tc1"',
    'title = "Một"',
    "max = 10",
    "max = 0",
    "pass_min = 20",
    'levels = ["muc_1"]',
    'levels = ["x"]',
    "[[criteria.indicators]]",
    'id = "tc1_1"',
    "max = 5",
    "[[fields]]",
    'type = "score"',
    'type = "choice"',
    'type = "zzz"',
    'label = "L"',
    'choices = { a = "A" }',
    "choices = {}",
    'pattern = "("',
    "required = true",
    'required_if = { field = "tc1", lt = 5 }',
    "visible_if = { all = [] }",
    'check = { field = "a", gt = { field = "tc1" } }',
    'check_message = "Sai."',
    'to = "clan"',
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(LINES), max_size=25))
def test_any_mix_of_lines_loads_or_is_reported_never_a_crash(lines):
    definition, problems = load_text("\n".join(lines) + "\n")
    assert (definition is None) == bool(problems)
    assert all(p.code in CATALOGUE for p in problems)
    assert all(p.line is None or 1 <= p.line <= max(1, len(lines)) for p in problems)
