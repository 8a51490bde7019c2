"""The learning-model reports, read back from the PDF text and the Excel cells.

``mo-hinh`` must print exactly the counting query's figures
(``context.learning_models.counts``), for the hand-built commune below and
for a generated one; ``quyet-dinh`` must list exactly the subjects of the
decision, with their scores, its number and date.

The hand-built commune (programme year 2026), through the services:

========================  =================  ==========  ========  ======  ===========
subject                   village            registered  score     passed  decision
========================  =================  ==========  ========  ======  ===========
H01 Nguyễn Văn Hùng       Thôn Đồng Tâm      yes         90 %      yes     15/QĐ-UBND
H02 Trần Thị Bẩy          Thôn Đồng Tâm      yes         85 %      yes     15/QĐ-UBND
H03 Điểu Sơn              Bon Bu Prăng       yes         50 %      no      —
H04 Y Đỗ Kpă              Bon Bu Prăng       no          —         —       —
H05 (nobody lives there)  Bon Bu Prăng       not in scope
Họ Nguyễn                 (clans: none)      yes         90 %      yes     15/QĐ-UBND
Họ Điểu                   (clans: none)      no          —         —       —
Thôn Đồng Tâm (village)   —                  yes         90 %      yes     16/QĐ-UBND
Bon Bu Prăng, Tổ dân phố 3 (villages)        no          —         —       —
Trường Tiểu học Đức An    Thôn Đồng Tâm      yes         —         —       —
Hợp tác xã Cà phê Ửng     (no village)       yes         95 %      yes     16/QĐ-UBND
========================  =================  ==========  ========  ======  ===========

Counted by hand (in scope / registered / evaluated / passed / recognised):
households 4/3/3/2/2 (Thôn Đồng Tâm 2/2/2/2/2, Bon Bu Prăng 2/1/1/0/0,
Tổ dân phố 3 none); clans 2/1/1/1/1; villages 3/1/1/1/1; units 2/2/1/1/1
(Thôn Đồng Tâm 1/1/0/0/0, no village 1/1/1/1/1).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from xhht_desktop.core.models_cycle import ClanDraft, DecisionDraft, UnitDraft
from xhht_desktop.core.registers import HouseholdDraft, PersonDraft, VillageDraft
from xhht_desktop.errors import NotFound, ReportNotSupported
from xhht_desktop.reports.document import MOTTO, NATIONAL_TITLE
from xhht_desktop.reports.models import CriteriaUsed, decision_signer, recognition_decision
from xhht_desktop.services.demo import DemoService
from xhht_desktop.store.model_queries import DecisionRow

YEAR = 2026
TODAY = date(2026, 12, 20)
ISSUED = date(2026, 11, 23)
FIRST = DecisionDraft("15/QĐ-UBND", date(2026, 11, 20), "Nguyễn Văn Minh", "Chủ tịch")
SECOND = DecisionDraft(
    "16/QĐ-UBND", date(2026, 11, 21), "Lê Thị Hằng", "KT. Chủ tịch – Phó Chủ tịch"
)
MODEL_NAMES = {
    "gdht": ("Gia đình học tập", "Hộ gia đình"),
    "dhht": ("Dòng họ học tập", "Dòng họ"),
    "cdht": ("Cộng đồng học tập cấp thôn", "Thôn, tổ dân phố"),
    "dvht": ("Đơn vị học tập", "Đơn vị"),
}


def _scores(context, model, share):
    criteria = context.learning_models.criteria(model)
    return {f.id: f.type.max * Decimal(str(share)) for f in criteria.scored_fields}


@pytest.fixture
def commune(context):
    """The commune of the module docstring; returns the context and the subjects' ids."""
    from xhht_desktop.services.learning_models import Evaluation

    villages = {
        name: context.villages.save(VillageDraft(kind, name)).id
        for kind, name in (
            ("thon", "Thôn Đồng Tâm"),
            ("bon", "Bon Bu Prăng"),
            ("to_dan_pho", "Tổ dân phố 3"),
        )
    }
    ids = {}
    for code, village, head, people in (
        ("H01", "Thôn Đồng Tâm", "Nguyễn Văn Hùng", 2),
        ("H02", "Thôn Đồng Tâm", "Trần Thị Bẩy", 1),
        ("H03", "Bon Bu Prăng", "Điểu Sơn", 3),
        ("H04", "Bon Bu Prăng", "Y Đỗ Kpă", 1),
        ("H05", "Bon Bu Prăng", "Không Ai Ở", 0),
    ):
        row = context.households.save(HouseholdDraft(code, villages[village], head))
        for n in range(people):
            name = head if n == 0 else f"{head} con {n}"
            context.persons.save(PersonDraft(row.id, name, 1980 + n, "M", "01"))
        ids[code] = row.id
    ids["Họ Nguyễn"] = context.clans.save(ClanDraft("Họ Nguyễn", "Nguyễn Văn Hùng")).id
    ids["Họ Điểu"] = context.clans.save(ClanDraft("Họ Điểu")).id
    ids["school"] = context.units.save(
        UnitDraft("Trường Tiểu học Đức An", "truong_hoc", village_id=villages["Thôn Đồng Tâm"])
    ).id
    ids["coop"] = context.units.save(UnitDraft("Hợp tác xã Cà phê Ửng", "hop_tac_xa")).id
    ids.update(villages)

    service = context.learning_models

    def cycle(model, registered, evaluated):
        service.register(model, YEAR, [ids[k] for k in registered], date(2026, 1, 10), today=TODAY)
        for key, share in evaluated.items():
            service.evaluate(
                model,
                YEAR,
                Evaluation(ids[key], _scores(context, model, share), date(2026, 11, 2)),
                today=TODAY,
            )

    cycle("gdht", ["H01", "H02", "H03"], {"H01": 0.9, "H02": 0.85, "H03": 0.5})
    cycle("dhht", ["Họ Nguyễn"], {"Họ Nguyễn": 0.9})
    cycle("cdht", ["Thôn Đồng Tâm"], {"Thôn Đồng Tâm": 0.9})
    cycle("dvht", ["school", "coop"], {"coop": 0.95})
    first = service.recognise("gdht", YEAR, [ids["H01"], ids["H02"]], FIRST, today=TODAY)
    service.recognise("dhht", YEAR, [ids["Họ Nguyễn"]], first.decision_id, today=TODAY)
    second = service.recognise("cdht", YEAR, [ids["Thôn Đồng Tâm"]], SECOND, today=TODAY)
    service.recognise("dvht", YEAR, [ids["coop"]], second.decision_id, today=TODAY)
    return context, ids


def _write(context, kind, path, fmt, **options):
    return context.reports.write(kind, path, fmt, YEAR, issued=ISSUED, options=options)


def _text(pages):
    return " ".join(line for page in pages for line in page)


# --- the test's own arithmetic and formatting ----------------------------------------------


def rate(part, whole, fmt):
    """The rate as printed, worked out here: half up to two decimals, "—" without a whole."""
    if not whole:
        return "—"
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return fmt.percent(float(value))


def figure_cells(row, fmt):
    return [
        fmt.count(row.in_scope),
        fmt.count(row.registered),
        rate(row.registered, row.in_scope, fmt),
        fmt.count(row.evaluated),
        fmt.count(row.passed),
        fmt.count(row.recognised),
        rate(row.recognised, row.in_scope, fmt),
    ]


class _Zero:
    in_scope = registered = evaluated = passed = recognised = 0


def village_rows(counts, code):
    """(name, figures) of a model's village table: every village, then those without one."""
    villages = [r for r in counts.model("cdht").by_village if r.village_id is not None]
    mine = {r.village_id: r for r in counts.model(code).by_village}
    rows = [(v.village_name, mine.pop(v.village_id, _Zero())) for v in villages]
    rows += [("Không thuộc thôn", row) for key, row in mine.items() if key is None]
    assert all(key is None for key in mine), "rows of villages not in the village list"
    return rows


def expected_pdf_lines(counts, fmt):
    lines = []
    for number, figures in enumerate(counts.models, start=1):
        label, unit = MODEL_NAMES[figures.model.code]
        lines.append(" ".join([str(number), label, unit, *figure_cells(figures, fmt)]))
    for code in ("gdht", "cdht", "dvht"):
        for number, (name, row) in enumerate(village_rows(counts, code), start=1):
            lines.append(" ".join([str(number), name, *figure_cells(row, fmt)]))
        lines.append(" ".join(["Toàn xã", *figure_cells(counts.model(code), fmt)]))
    return lines


# --- mo-hinh: the hand-built commune ----------------------------------------------------------


def test_the_counting_query_agrees_with_the_hand_counts(commune):
    context, _ids = commune
    counts = context.learning_models.counts(YEAR)

    def totals(code):
        m = counts.model(code)
        return (m.in_scope, m.registered, m.evaluated, m.passed, m.recognised)

    assert totals("gdht") == (4, 3, 3, 2, 2)
    assert totals("dhht") == (2, 1, 1, 1, 1)
    assert totals("cdht") == (3, 1, 1, 1, 1)
    assert totals("dvht") == (2, 2, 1, 1, 1)
    by_village = {
        r.village_name: (r.in_scope, r.registered, r.evaluated, r.passed, r.recognised)
        for r in counts.model("dvht").by_village
    }
    assert by_village == {"Thôn Đồng Tâm": (1, 1, 0, 0, 0), None: (1, 1, 1, 1, 1)}


def test_models_sheet_pdf_prints_the_counting_querys_figures(commune, tmp_path, pdf_pages, fmt):
    context, _ids = commune
    made = _write(context, "mo-hinh", tmp_path / "mo-hinh.pdf", "pdf")
    pages = pdf_pages(made.path)
    assert made.pages == len(pages)
    lines = [line for page in pages for line in page]
    counts = context.learning_models.counts(YEAR)
    assert fmt.in_order(expected_pdf_lines(counts, fmt), lines) == []
    # The hand counts themselves, as printed.
    for line in (
        "1 Gia đình học tập Hộ gia đình 4 3 75,00 3 2 2 50,00",
        "2 Dòng họ học tập Dòng họ 2 1 50,00 1 1 1 50,00",
        "1 Bon Bu Prăng 2 1 50,00 1 0 0 0,00",
        "3 Tổ dân phố 3 0 0 — 0 0 0 —",
        "4 Không thuộc thôn 1 1 100,00 1 1 1 100,00",
        "Toàn xã 2 2 100,00 1 1 1 50,00",
    ):
        assert line in lines
    first = pages[0]
    assert first[:8] == [
        "ỦY BAN NHÂN DÂN",
        "XÃ ĐỨC AN",
        NATIONAL_TITLE,
        MOTTO,
        "Số: /BC-UBND",
        "Đức An, ngày 23 tháng 11 năm 2026",
        "BIỂU THỐNG KÊ",
        "Kết quả xây dựng các mô hình học tập năm 2026",
    ]
    text = _text(pages)
    assert "Dòng họ không thuộc riêng một thôn, tổ dân phố nào" in text
    assert "dòng 2: 2 dòng họ" in text
    assert "Đơn vị chưa ghi thôn, tổ dân phố được tính ở dòng «Không thuộc thôn»" in text
    assert fmt.in_order(["NGƯỜI LẬP BIỂU", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], lines) == []
    assert "Nguyễn Văn Minh" in pages[-1]


def _xlsx_tables(rows):
    """Each table's rows (sheet row indexes), from the row after "(1) (2) …" to a blank row."""
    tables, current = [], None
    for index, row in enumerate(rows):
        if row[0] == "(1)":
            current = []
            tables.append(current)
        elif current is not None:
            if all(v is None for v in row[:2]):
                current = None
            else:
                current.append(index)
    return tables


def _values(row):
    """A row's values without the cells merged into their neighbours."""
    return tuple(v for v in row if v is not None)


def _assert_xlsx(counts, path, sheet_rows):
    rows = sheet_rows(path)
    cached = sheet_rows(path, data_only=True)
    tables = _xlsx_tables(rows)
    assert len(tables) == 4

    def check_cells(values, figures):
        in_scope, registered, registered_rate, evaluated, passed, recognised, rate_ = values
        assert (in_scope, registered, evaluated, passed, recognised) == (
            figures.in_scope,
            figures.registered,
            figures.evaluated,
            figures.passed,
            figures.recognised,
        )
        for got, part in ((registered_rate, figures.registered), (rate_, figures.recognised)):
            if figures.in_scope:
                assert got == pytest.approx(part / figures.in_scope, abs=5e-5)
            else:
                assert got == "—"

    summary = [_values(rows[i]) for i in tables[0]]
    assert [r[1] for r in summary] == [MODEL_NAMES[m.model.code][0] for m in counts.models]
    for row, figures in zip(summary, counts.models, strict=True):
        check_cells(row[3:10], figures)
    for table, code in zip(tables[1:], ("gdht", "cdht", "dvht"), strict=True):
        expected = village_rows(counts, code)
        *data, total_at = table
        assert [_values(rows[i])[1] for i in data] == [name for name, _row in expected]
        for i, (_name, figures) in zip(data, expected, strict=True):
            check_cells(_values(rows[i])[2:9], figures)
        total = rows[total_at]
        assert _values(total)[0] == "Toàn xã"
        formulas = {col: v for col, v in enumerate(total) if str(v).startswith("=")}
        # In scope, registered, evaluated, passed and recognised add up by formula.
        assert len(formulas) == 5
        for col, formula in formulas.items():
            letter = "ABCDEFGHIJKLMNOP"[col]
            assert formula == f"=SUM({letter}{data[0] + 1}:{letter}{data[-1] + 1})"
            assert sum(rows[i][col] for i in data) == cached[total_at][col]
        check_cells(_values(cached[total_at])[1:8], counts.model(code))


def test_models_sheet_xlsx_cells_are_the_counts_and_totals_are_formulas(
    commune, tmp_path, sheet_rows
):
    context, _ids = commune
    made = _write(context, "mo-hinh", tmp_path / "mo-hinh.xlsx", "xlsx")
    assert made.pages is None
    _assert_xlsx(context.learning_models.counts(YEAR), made.path, sheet_rows)


# --- mo-hinh: a generated commune ---------------------------------------------------------------


@pytest.fixture
def demo(context):
    DemoService(context).generate(persons=1500, seed=7, year=YEAR)
    return context


def test_demo_commune_every_figure_in_pdf_and_excel(demo, tmp_path, pdf_pages, sheet_rows, fmt):
    counts = demo.learning_models.counts(YEAR)
    assert counts.model("gdht").recognised > 0 and counts.model("dvht").registered > 0
    pdf = _write(demo, "mo-hinh", tmp_path / "mo-hinh.pdf", "pdf")
    lines = [line for page in pdf_pages(pdf.path) for line in page]
    expected = expected_pdf_lines(counts, fmt)
    assert len(expected) > 15
    assert fmt.in_order(expected, lines) == []
    xlsx = _write(demo, "mo-hinh", tmp_path / "mo-hinh.xlsx", "xlsx")
    _assert_xlsx(counts, xlsx.path, sheet_rows)


def test_a_year_without_records_prints_zeros_and_dashes(context, tmp_path, pdf_pages):
    made = _write(context, "mo-hinh", tmp_path / "empty.pdf", "pdf")
    lines = [line for page in pdf_pages(made.path) for line in page]
    assert "1 Gia đình học tập Hộ gia đình 0 0 — 0 0 0 —" in lines
    assert "Chưa có thôn, tổ dân phố nào." in lines


# --- quyet-dinh ---------------------------------------------------------------------------------


def _annex_lines(context, decision_number):
    """The annex rows the decision's own list gives (from the service)."""
    decision = next(
        d for d in context.learning_models.decisions(YEAR) if d.number == decision_number
    )
    annex = context.learning_models.decision_annex(decision.id)
    lines = []
    for model, entries in annex.items():
        for number, entry in enumerate(entries, start=1):
            s = entry.subject
            cells = [str(number), s.name]
            if model == "gdht":
                cells.append(s.code)
            if model in ("gdht", "dvht"):
                cells.append(s.village_name or "")
            total = Decimal(entry.total)
            cells.append(str(int(total)) if total == int(total) else str(total).replace(".", ","))
            cells.append("Đạt" if entry.passed else "Chưa đạt")
            lines.append(" ".join(c for c in cells if c))
    return annex, lines


def test_the_decision_lists_exactly_its_subjects_with_their_scores(
    commune, tmp_path, pdf_pages, fmt
):
    context, _ids = commune
    made = _write(context, "quyet-dinh", tmp_path / "qd.pdf", "pdf", decision="15/QĐ-UBND")
    pages = pdf_pages(made.path)
    lines = [line for page in pages for line in page]
    annex, expected = _annex_lines(context, "15/QĐ-UBND")
    assert sorted(annex) == ["dhht", "gdht"]
    # As registers order names: by given name ("Bẩy" before "Hùng").
    assert expected == [
        "1 Trần Thị Bẩy H02 Thôn Đồng Tâm 85 Đạt",
        "2 Nguyễn Văn Hùng H01 Thôn Đồng Tâm 90 Đạt",
        "1 Họ Nguyễn 90 Đạt",
    ]
    assert fmt.in_order(expected, lines) == []
    text = _text(pages)
    # Nobody the decision did not recognise.
    for absent in ("Điểu Sơn", "Y Đỗ Kpă", "Họ Điểu", "Hợp tác xã Cà phê Ửng", "Không Ai Ở"):
        assert absent not in text
    assert pages[0][:8] == [
        "ỦY BAN NHÂN DÂN",
        "XÃ ĐỨC AN",
        NATIONAL_TITLE,
        MOTTO,
        "Số: 15/QĐ-UBND",
        "Đức An, ngày 20 tháng 11 năm 2026",
        "QUYẾT ĐỊNH",
        "Về việc công nhận danh hiệu “Gia đình học tập”, “Dòng họ học tập” năm 2026",
    ]
    for expected_text in (
        "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ ĐỨC AN",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
        "Căn cứ Quyết định số 387/QĐ-TTg ngày 25 tháng 3 năm 2022",
        "mã gdht-448, phiên bản 1;",
        "mã dhht-448, phiên bản 1;",
        "QUYẾT ĐỊNH:",
        "Điều 1. Công nhận danh hiệu “Gia đình học tập” năm 2026 đối với 2 hộ gia đình; "
        "danh hiệu “Dòng họ học tập” năm 2026 đối với 1 dòng họ có tên trong danh sách kèm "
        "theo Quyết định này.",
        "Điều 2.",
        "Điều 3.",
        "(Kèm theo Quyết định số 15/QĐ-UBND ngày 20 tháng 11 năm 2026 của Chủ tịch Ủy ban nhân "
        "dân xã Đức An)",
        "I. Gia đình học tập (2 hộ gia đình)",
        "II. Dòng họ học tập (1 dòng họ)",
    ):
        assert expected_text in text, expected_text
    assert "mã cdht" not in text  # only the sets the decision's subjects were scored with
    closing = ["Nơi nhận:", "- Như Điều 3;", "- Sở GD&ĐT Lâm Đồng;", "- Lưu: VT."]
    assert fmt.in_order(closing, lines) == []
    assert fmt.in_order(["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn Minh"], lines) == []
    # The list starts on its own page, after the signature.
    annex_page = next(i for i, page in enumerate(pages) if page[0] == "DANH SÁCH")
    assert annex_page > made.signature_page
    assert "Nguyễn Văn Minh" in pages[annex_page - 1]


def test_the_default_is_the_latest_decision_of_the_year(commune, tmp_path, pdf_pages, fmt):
    context, _ids = commune
    made = _write(context, "quyet-dinh", tmp_path / "qd.pdf", "pdf")
    pages = pdf_pages(made.path)
    lines = [line for page in pages for line in page]
    _annex, expected = _annex_lines(context, "16/QĐ-UBND")
    assert expected == ["1 Thôn Đồng Tâm 90 Đạt", "1 Hợp tác xã Cà phê Ửng 95 Đạt"]
    assert fmt.in_order(expected, lines) == []
    assert "Số: 16/QĐ-UBND" in pages[0]
    assert "Nguyễn Văn Hùng" not in _text(pages)
    # Signed by a deputy: for the chairman, in the decree's form.
    signature = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Thị Hằng"]
    assert fmt.in_order(signature, lines) == []


def test_a_decision_is_found_by_its_number_as_people_type_it(commune):
    context, _ids = commune
    for typed in ("15", "15/qd-ubnd", " 15/QĐ-UBND "):
        document = context.reports.document("quyet-dinh", YEAR, options={"decision": typed})
        assert document.letterhead.number == "Số: 15/QĐ-UBND"
    with pytest.raises(NotFound, match="không có quyết định công nhận số 99/QĐ-UBND") as found:
        context.reports.document("quyet-dinh", YEAR, options={"decision": "99/QĐ-UBND"})
    assert "15/QĐ-UBND, 16/QĐ-UBND" in found.value.message
    with pytest.raises(ReportNotSupported, match="không có tùy chọn"):
        context.reports.document("mo-hinh", YEAR, options={"decision": "15"})
    assert [value for value, _label in context.reports.choices("quyet-dinh", "decision")] == [
        "16/QĐ-UBND",
        "15/QĐ-UBND",
    ]


def test_a_year_without_decisions_is_refused_in_vietnamese(context, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(NotFound, match="Năm 2026 chưa có quyết định công nhận"):
        _write(context, "quyet-dinh", out / "qd.pdf", "pdf")
    assert not out.exists() or list(out.iterdir()) == []
    assert context.reports.choices("quyet-dinh", "decision") == []


def test_the_decision_in_excel(commune, tmp_path, sheet_rows):
    context, _ids = commune
    made = _write(context, "quyet-dinh", tmp_path / "qd.xlsx", "xlsx", decision="15")
    rows = [tuple(v for v in row if v is not None) for row in sheet_rows(made.path)]
    cells = [v for row in rows for v in row if isinstance(v, str)]
    assert ("Số: 15/QĐ-UBND", "Đức An, ngày 20 tháng 11 năm 2026") in rows
    assert (1, "Trần Thị Bẩy", "H02", "Thôn Đồng Tâm", 85, "Đạt") in rows
    assert (2, "Nguyễn Văn Hùng", "H01", "Thôn Đồng Tâm", 90, "Đạt") in rows
    assert (1, "Họ Nguyễn", 90, "Đạt") in rows
    assert any(c.startswith("Điều 1. Công nhận danh hiệu “Gia đình học tập”") for c in cells)
    assert "DANH SÁCH" in cells
    assert not any("Điểu Sơn" in c for c in cells)


def test_a_long_list_numbers_its_own_pages(demo, tmp_path, pdf_pages):
    choices = demo.reports.choices("quyet-dinh", "decision")
    biggest = max(demo.learning_models.decisions(YEAR), key=lambda d: sum(d.recognised.values()))
    assert biggest.number in dict(choices)
    made = _write(demo, "quyet-dinh", tmp_path / "qd.pdf", "pdf", decision=biggest.number)
    pages = pdf_pages(made.path)
    start = next(i for i, page in enumerate(pages) if page[0] == "DANH SÁCH")
    assert len(pages) - start >= 2, "the list should run over a page"
    # Pages of the decision from 2 on, then the list's pages from its own 2 on.
    for number, page in enumerate(pages[1:start], start=2):
        assert page[0] == str(number)
    for number, page in enumerate(pages[start + 1 :], start=2):
        assert page[0] == str(number)
    listed = [
        line
        for page in pages[start:]
        for line in page
        if re.match(r"^\d+ .+ (Đạt|Chưa đạt|Chưa đánh giá)$", line)
    ]
    assert len(listed) == sum(biggest.recognised.values())


# --- the declaration alone ------------------------------------------------------------------------


def _decision(decided_on, title="Chủ tịch"):
    return DecisionRow("d", 2025, "7/QĐ-UBND", decided_on, "Phạm Văn Đức", title, "", {}, 1)


def test_the_law_cited_is_the_one_in_force_on_the_decisions_day(context):
    info = context.setup.require()
    before = recognition_decision(info, _decision(date(2025, 3, 2)), {}, [])
    after = recognition_decision(info, _decision(date(2025, 7, 1)), {}, [])
    first = [block.text for block in before.body[1:3]]
    assert first[0].startswith("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm")
    assert "ngày 16 tháng 6 năm 2025" in after.body[1].text


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("Chủ tịch", ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")),
        ("Phó Chủ tịch", ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")),
        ("KT. Chủ tịch – Phó Chủ tịch", ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")),
        ("Q. Chủ tịch", ("TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH")),
    ],
)
def test_the_signer_signs_for_the_peoples_committee(title, lines):
    signer = decision_signer(_decision(date(2025, 12, 1), title))
    assert (signer.lines, signer.name) == (lines, "Phạm Văn Đức")


def test_a_criteria_set_no_longer_loaded_is_still_cited_by_id_and_version():
    assert CriteriaUsed("gdht-tinh", 3).basis == "Căn cứ bộ tiêu chí mã gdht-tinh, phiên bản 3"
    assert CriteriaUsed("gdht-448", 1, "Gia đình học tập").basis == (
        "Căn cứ bộ tiêu chí “Gia đình học tập”, mã gdht-448, phiên bản 1"
    )
