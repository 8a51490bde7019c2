"""The aggregate forms shipped in forms/aggregates feed every seed-plan target
that no register can compute: each such row of DOMAIN.md's two tables has a
form, a numerator and a denominator, and the numerator can never exceed it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from xhht_desktop.forms import Definition, load_definitions, validate
from xhht_desktop.forms.fieldtypes import IntegerType, YesNoType
from xhht_desktop.resources import forms_dir

DAK_SONG = "138/KH-UBND"
DONG_TRIEU = "Đông Triều 2011"

#: The denominator of a yes/no figure: the records it is counted over.
VILLAGES = "villages of the commune (village register)"
COMMUNES = "communes reporting"


@dataclass(frozen=True)
class Row:
    """One target row of DOMAIN.md ("Plan targets in the seeds") that a form serves."""

    plan: str
    english: str
    vietnamese: str
    form: str
    numerator: str
    denominator: str


COVERED: list[Row] = [
    # --- Kế hoạch 138/KH-UBND, Đăk Song, 2020 ---------------------------------
    Row(
        DAK_SONG,
        "villages (thôn, bon, buôn, bản, TDP) with an active chi hội khuyến học",
        "95% thôn, bon, buôn, bản, tổ dân phố trở lên có chi hội khuyến học và hoạt động "
        "có hiệu quả",
        "chi-hoi-khuyen-hoc",
        "co_chi_hoi_khuyen_hoc",
        VILLAGES,
    ),
    Row(
        DAK_SONG,
        "members of the Hội Khuyến học as a share of the population",
        "Phát triển hội viên đạt 25% so với dân số trên địa bàn huyện",
        "chi-hoi-khuyen-hoc",
        "so_hoi_vien_khuyen_hoc",
        "dan_so",
    ),
    Row(
        DAK_SONG,
        "officials and members trained on the learning society",
        "100% cán bộ, hội viên được tập huấn để nâng cao nhận thức về xã hội học tập, các "
        "mô hình học tập",
        "boi-duong-xhht",
        "can_bo_hoi_vien_tap_huan",
        "can_bo_hoi_vien",
    ),
    Row(
        DAK_SONG,
        "rural workers updating knowledge at community learning centres (TTHTCĐ)",
        "lao động nông thôn: 80% học tập cập nhật kiến thức, kỹ năng, chuyển giao khoa học "
        "kỹ thuật công nghệ sản xuất tại các trung tâm học tập cộng đồng",
        "lao-dong-hoc-tap",
        "lao_dong_nong_thon_hoc_tthtcd",
        "lao_dong_nong_thon",
    ),
    Row(
        DAK_SONG,
        "industrial workers with upper-secondary education or equivalent",
        "công nhân lao động: 90% có trình độ học vấn trung học phổ thông hoặc tương đương",
        "cong-nhan-lao-dong",
        "cong_nhan_thpt",
        "cong_nhan",
    ),
    Row(
        DAK_SONG,
        "industrial workers vocationally trained",
        "phấn đấu 95% công nhân qua đào tạo nghề",
        "cong-nhan-lao-dong",
        "cong_nhan_dao_tao_nghe",
        "cong_nhan",
    ),
    Row(
        DAK_SONG,
        "newly literate people who keep learning and do not relapse",
        "90% người biết chữ tiếp tục học tập và không mù chữ trở lại",
        "nguoi-moi-biet-chu",
        "nguoi_moi_biet_chu_tiep_tuc_hoc",
        "nguoi_moi_biet_chu",
    ),
    # --- Đông Triều, 2011 plan ---------------------------------------------------
    Row(
        DONG_TRIEU,
        "2011: villages with internet access and a shared library",
        "100% thôn, khu phố có đủ điều kiện truy cập Internet và thư viện dùng chung",
        "thiet-che-van-hoa-thon",
        "internet_va_thu_vien",
        VILLAGES,
    ),
    Row(
        DONG_TRIEU,
        "2011: communes with a cultural post office (bưu điện văn hóa xã)",
        "100% xã có bưu điện văn hóa xã",
        "buu-dien-tthtcd-xa",
        "co_buu_dien_van_hoa_xa",
        COMMUNES,
    ),
    Row(
        DONG_TRIEU,
        "2011: community learning centres applying science and technology",
        "100% các trung tâm học tập cộng đồng tổ chức đưa ứng dụng khoa học công nghệ vào "
        "phát triển sản xuất",
        "buu-dien-tthtcd-xa",
        "so_tthtcd_ung_dung_khcn",
        "so_tthtcd",
    ),
    Row(
        DONG_TRIEU,
        "2011: departments and communes scoring emulation on self-learning",
        "100% các ban, ngành, đoàn thể và UBND các xã, thị trấn tổ chức chấm điểm thi đua "
        "gắn với phong trào tự học và xây dựng xã hội học tập",
        "thi-dua-tu-hoc",
        "co_quan_cham_diem_tu_hoc",
        "co_quan_ban_nganh",
    ),
    Row(
        DONG_TRIEU,
        "2012: villages with a standard cultural house",
        "100% thôn, khu phố có nhà văn hóa đạt chuẩn",
        "thiet-che-van-hoa-thon",
        "nha_van_hoa_dat_chuan",
        VILLAGES,
    ),
    Row(
        DONG_TRIEU,
        "2012: kindergartens with standard facilities",
        "100% trường học mầm non, mẫu giáo có cơ sở vật chất đạt chuẩn",
        "truong-mam-non",
        "truong_mam_non_csvc_dat_chuan",
        "truong_mam_non",
    ),
    Row(
        DONG_TRIEU,
        "2012: kindergartens meeting the national standard",
        "có 30% trường mầm non, mẫu giáo đạt Chuẩn quốc gia",
        "truong-mam-non",
        "truong_mam_non_chuan_quoc_gia",
        "truong_mam_non",
    ),
    Row(
        DONG_TRIEU,
        "2015: party members, officials and civil servants in training each year",
        "hằng năm có 100% đảng viên, cán bộ công chức, viên chức trong huyện được tham gia "
        "các khoá bồi dưỡng kiến thức, kỹ năng chuyên ngành",
        "can-bo-cong-chuc-xa",
        "dang_vien_cbccvc_boi_duong",
        "dang_vien_cbccvc",
    ),
    Row(
        DONG_TRIEU,
        "2015: trained workforce",
        "Tỷ lệ lao động qua đào tạo đạt 60-65%",
        "lao-dong-hoc-tap",
        "lao_dong_qua_dao_tao",
        "lao_dong",
    ),
    Row(
        DONG_TRIEU,
        "2015: agricultural workers reached by training programmes",
        "100% lao động trong lĩnh vực nông nghiệp được tiếp cận và thụ hưởng các chương "
        "trình bồi dưỡng nâng cao hiểu biết, kỹ năng lao động và chất lượng cuộc sống",
        "lao-dong-hoc-tap",
        "lao_dong_nong_nghiep_boi_duong",
        "lao_dong_nong_nghiep",
    ),
    Row(
        DONG_TRIEU,
        "2015: district officials with a university degree",
        "cán bộ công chức cấp huyện có trình độ chuyên môn đại học đạt 80%",
        "can-bo-cong-chuc-huyen",
        "cbcc_huyen_dai_hoc",
        "cbcc_huyen",
    ),
    Row(
        DONG_TRIEU,
        "2015: district officials trained in state management",
        "100% được bồi dưỡng kiến thức quản lý nhà nước",
        "can-bo-cong-chuc-huyen",
        "cbcc_huyen_qlnn",
        "cbcc_huyen",
    ),
    Row(
        DONG_TRIEU,
        "2015: district officials with intermediate political theory",
        "50% có trình độ trung cấp chính trị",
        "can-bo-cong-chuc-huyen",
        "cbcc_huyen_trung_cap_llct",
        "cbcc_huyen",
    ),
    Row(
        DONG_TRIEU,
        "2015: district officials with a postgraduate degree",
        "có 5-7% có trình độ sau đại học",
        "can-bo-cong-chuc-huyen",
        "cbcc_huyen_sau_dai_hoc",
        "cbcc_huyen",
    ),
    Row(
        DONG_TRIEU,
        "2015: key commune officials with college or higher",
        "100% cán bộ chủ chốt cấp xã có trình độ chuyên môn từ cao đẳng trở lên",
        "can-bo-cong-chuc-xa",
        "can_bo_chu_chot_cao_dang",
        "can_bo_chu_chot",
    ),
    Row(
        DONG_TRIEU,
        "2015: key commune officials with a university degree",
        "trong đó có 60% trở lên có trình độ đại học",
        "can-bo-cong-chuc-xa",
        "can_bo_chu_chot_dai_hoc",
        "can_bo_chu_chot",
    ),
    Row(
        DONG_TRIEU,
        "2015: key commune officials trained in state management",
        "100% được bồi dưỡng kiến thức quản lý nhà nước",
        "can-bo-cong-chuc-xa",
        "can_bo_chu_chot_qlnn",
        "can_bo_chu_chot",
    ),
    Row(
        DONG_TRIEU,
        "2020: district officials with a postgraduate degree",
        "Tỷ lệ cán bộ công chức cấp huyện có trình độ sau đại học đạt 10%",
        "can-bo-cong-chuc-huyen",
        "cbcc_huyen_sau_dai_hoc",
        "cbcc_huyen",
    ),
    Row(
        DONG_TRIEU,
        "2020: district specialised officials: university and intermediate political theory",
        "100% cán bộ chuyên trách cấp huyện có trình độ đại học và trình độ lý luận chính trị "
        "từ trung cấp trở lên",
        "can-bo-cong-chuc-huyen",
        "can_bo_chuyen_trach_huyen_dh_llct",
        "can_bo_chuyen_trach_huyen",
    ),
    Row(
        DONG_TRIEU,
        "2020: commune officials with intermediate professional level or higher",
        "100% cán bộ, công chức cấp xã có trình độ chuyên môn từ trung cấp trở lên",
        "can-bo-cong-chuc-xa",
        "cbcc_xa_trung_cap",
        "cbcc_xa",
    ),
    # The "literate" half of this row comes from the persons register; the
    # post-literacy half is what no register records (see the form's header).
    Row(
        DONG_TRIEU,
        "2020: women under 40 literate and in post-literacy programmes",
        "100% phụ nữ dưới 40 tuổi được xoá mù chữ và thụ hưởng các chương trình sau xoá mù chữ",
        "phu-nu-sau-xoa-mu-chu",
        "phu_nu_duoi_40_hoc_sau_xmc",
        "phu_nu_duoi_40_da_xmc",
    ),
]

#: The other rows of the two tables: the registers and the persons compute them.
FROM_REGISTERS: list[str] = [
    "households registered for 'Gia đình học tập'",
    "clans registered for 'Dòng họ học tập'",
    "villages registered for 'Cộng đồng học tập'",
    "agencies, organisations, schools, enterprises registered for 'Đơn vị học tập'",
    "literate people aged 15–60",
    "literate people aged 15–35",
    "women and girls literate",
    "H'Mông people aged 15–60 literate",
    "H'Mông people aged 15–35 literate",
    "2015: households recognised 'Gia đình hiếu học'",
    "2015: clans recognised 'Dòng họ hiếu học'",
    "2015: schools, agencies, enterprises recognised 'Đơn vị hiếu học'",
]

PAIRS = [row for row in COVERED if row.denominator not in (VILLAGES, COMMUNES)]
YES_NO = [row for row in COVERED if row.denominator in (VILLAGES, COMMUNES)]


@pytest.fixture(scope="module")
def aggregates() -> dict[str, Definition]:
    definitions, problems = load_definitions()
    assert [str(p) for p in problems] == []
    return {d.id: d for d in definitions.latest(kind="aggregate")}


def _label(row: Row) -> str:
    return f"{row.plan}: {row.english}"


def test_every_row_of_both_seed_tables_is_accounted_for():
    # DOMAIN.md lists 16 targets for Đăk Song and 24 for Đông Triều.
    assert sum(1 for row in COVERED if row.plan == DAK_SONG) == 16 - 9
    assert sum(1 for row in COVERED if row.plan == DONG_TRIEU) == 24 - 3
    assert len(COVERED) + len(FROM_REGISTERS) == 16 + 24
    assert len({(row.plan, row.english) for row in COVERED}) == len(COVERED)


@pytest.mark.parametrize("row", COVERED, ids=_label)
def test_the_form_and_its_fields_exist(row, aggregates):
    form = aggregates.get(row.form)
    assert form is not None, f"no aggregate form {row.form!r}"
    assert form.kind == "aggregate" and form.scope in ("village", "commune", "office")
    assert form.version >= 1 and form.title and form.source
    numerator = form.field(row.numerator)
    if row in YES_NO:
        assert isinstance(numerator.type, YesNoType)
        assert numerator.required
        assert form.scope == ("village" if row.denominator == VILLAGES else "commune")
    else:
        denominator = form.field(row.denominator)
        for field in (numerator, denominator):
            assert isinstance(field.type, IntegerType)
            assert field.type.min == 0


def _baseline(form: Definition) -> dict[str, object]:
    """Every field filled consistently: counts all equal, every yes/no answered."""
    return {f.id: True if isinstance(f.type, YesNoType) else 10 for f in form.fields}


@pytest.mark.parametrize("row", PAIRS, ids=_label)
def test_a_numerator_above_its_denominator_is_refused_in_vietnamese(row, aggregates):
    form = aggregates[row.form]
    values = _baseline(form)
    assert validate(form, values) == []
    issues = validate(form, {**values, row.numerator: 11})
    assert [issue.field for issue in issues] == [row.numerator]
    assert "không được lớn hơn" in issues[0].message
    assert validate(form, {**values, row.numerator: -1})[0].field == row.numerator


@pytest.mark.parametrize("row", PAIRS, ids=_label)
def test_a_numerator_without_its_denominator_is_refused(row, aggregates):
    form = aggregates[row.form]
    issues = validate(form, {row.numerator: 3})
    assert row.denominator in [issue.field for issue in issues]
    assert row.numerator in [i.field for i in validate(form, {row.denominator: 3})]
    # Nothing entered is allowed: that pair is "no data", not 0%.
    assert [i.field for i in validate(form, {})] == [f.id for f in form.fields if f.required]


@pytest.mark.parametrize("row", COVERED, ids=_label)
def test_the_header_comment_names_the_plan_and_the_fields(row, aggregates):
    form = aggregates[row.form]
    header = form.text.split("\nid = ")[0]
    assert header.startswith("# ")
    assert ("138/KH-UBND" if row.plan == DAK_SONG else "Đông Triều") in header
    assert row.numerator in header
    if row in PAIRS:
        assert row.denominator in header


def test_every_shipped_aggregate_form_serves_a_row(aggregates):
    assert set(aggregates) == {row.form for row in COVERED}


def _readme_rows() -> list[tuple[str, str, str]]:
    text = (forms_dir() / "README.md").read_text(encoding="utf-8")
    section = text.split("### Plan targets served by aggregate forms")[1]
    found = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[2].startswith("`"):
            numerator = re.sub(r"^count\((\w+) = Có\)$", r"\1", cells[3].strip("`"))
            found.append((cells[2].strip("`"), numerator, cells[4].strip("`")))
    return found


def test_the_readme_table_says_what_the_forms_hold():
    assert _readme_rows() == [(row.form, row.numerator, row.denominator) for row in COVERED]


# --- the "office" scope: figures the consolidating office enters about itself --


def test_an_aggregate_form_may_belong_to_the_consolidating_office(inline):
    form = inline.load("""
        id = "can-bo-van-phong"
        version = 1
        kind = "aggregate"
        title = "Cán bộ của cơ quan tổng hợp"
        scope = "office"

        [[fields]]
        id = "so_can_bo"
        type = "integer"
        label = "Số cán bộ"
        min = 0
        """)
    assert form.scope == "office"


def test_an_unknown_scope_is_refused_with_the_list(inline):
    found = inline.problem("""
        id = "thu"
        version = 1
        kind = "aggregate"
        title = "Biểu thử"
        scope = "district"

        [[fields]]
        id = "a"
        type = "integer"
        label = "A"
        """)
    assert (found.code, found.line) == ("F009", 5)
    assert "village, commune, office" in found.message
