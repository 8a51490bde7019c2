"""The consolidating office's reports, declared: one row per commune and the office's total.

An office prints the same three summary reports as a commune (plan results,
literacy sheet, learning models sheet), but over the communes whose data it
holds: every table has one row per commune and a total row ("Cộng"), whose
summed columns are SUM formulas in Excel. The literacy sheet adds the
office's own verdict (Nghị định 20/2014/NĐ-CP, Art. 20.2 and 21.2: the share
of communes meeting each level).

Nothing is counted here: the figures come from the consolidation service
(per commune, computed by the commune's own code) and the total row is the
sum of the rows above it, so the paper and the formulas agree.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from xhht_desktop.core.literacy import ShareVerdict, percent
from xhht_desktop.core.models_cycle import MODEL_CODES
from xhht_desktop.reports import letterhead
from xhht_desktop.reports import plan_results as plan_reports
from xhht_desktop.reports.document import (
    Block,
    Closing,
    Column,
    Document,
    HeaderCell,
    Heading,
    Paragraph,
    RowItem,
    Signer,
    Table,
    Value,
    format_count,
    format_percent,
)
from xhht_desktop.reports.literacy import PREPARER, unit_phrase
from xhht_desktop.reports.models import (
    ROMAN,
    SUBJECTS,
    figure_cells,
    figure_columns,
    figure_header,
)

if TYPE_CHECKING:
    from xhht_desktop.core.plans import TargetRow
    from xhht_desktop.services.consolidation import ConsolidatedLiteracy, ConsolidatedPlan
    from xhht_desktop.services.learning_models import ModelsReport
    from xhht_desktop.services.setup import InstallationInfo

TOTAL_LABEL = "Cộng"
COMMUNE_COLUMN = "Xã, phường"
MET, NOT_MET = "Đạt", "Chưa đạt"


def _office(info: InstallationInfo) -> str:
    """The office inside a sentence: its name as it is written ("Sở Giáo dục và Đào tạo…")."""
    return info.office_name or unit_phrase(info)


def _commune_header(*rest: tuple[HeaderCell, ...]) -> tuple[tuple[HeaderCell, ...], ...]:
    first = (HeaderCell("TT", rowspan=2), HeaderCell(COMMUNE_COLUMN, rowspan=2))
    return ((*first, *rest[0]), *rest[1:])


# --- Plan results ------------------------------------------------------------------------


def _summable(row: TargetRow) -> bool:
    """Whether a target's commune figures add up to the office's (a SUM formula holds).

    A composite's figures are its lowest part's, which may be another part in
    each commune, and an office-scope indicator is the office's own figure.
    """
    return not row.indicator.parts and row.indicator.scope != "office"


def _target_table(consolidated: ConsolidatedPlan, row: TargetRow) -> Table:
    summable = _summable(row)
    lines: list[RowItem] = []
    for number, entry in enumerate(consolidated.communes, start=1):
        theirs = consolidated.per_commune[entry.code].rows[row.position - 1].as_dict()
        lines.append(
            (
                number,
                entry.name,
                theirs["numerator"],
                theirs["denominator"],
                theirs["value"],
                theirs["status_label"],
            )
        )
    total = row.as_dict()
    return Table(
        columns=(
            Column("TT", 11, "center"),
            Column(COMMUNE_COLUMN, 60),
            Column("Số đạt", 20, "count", total=summable),
            Column("Tổng số", 20, "count", total=summable),
            Column("Tỷ lệ (%)", 20, "percent"),
            Column("Đánh giá", 34, "center"),
        ),
        rows=lines,
        total=(
            "",
            TOTAL_LABEL,
            total["numerator"],
            total["denominator"],
            total["value"],
            total["status_label"],
        ),
        font_size=11,
        empty_text="Chưa có số liệu của xã, phường nào.",
    )


def plan_results(info: InstallationInfo, issued: date, consolidated: ConsolidatedPlan) -> Document:
    """Báo cáo kết quả thực hiện kế hoạch of the office: its total, then commune by commune.

    Parts I–IV are the commune report's, over the office's total
    (``consolidated.total``); part V gives every target commune by commune
    with the office's total under them.
    """
    base = plan_reports.plan_results(info, issued, consolidated.total)
    communes = len(consolidated.communes)
    blocks: list[Block] = [
        Heading("V. Kết quả từng chỉ tiêu theo xã, phường"),
        Paragraph(
            f"Số liệu của {format_count(communes)} xã, phường theo gói dữ liệu đã nhận; dòng "
            "«Cộng» là số liệu chung của đơn vị."
        ),
    ]
    own_only = []
    for row in consolidated.total.rows:
        if row.indicator.scope == "office":
            own_only.append(str(row.position))
            continue
        blocks += [
            Paragraph(
                f"{row.target.wording.rstrip(' .')} (chỉ tiêu {row.target.target.describe()}).",
                bold=True,
                indent=False,
                lead=f"{row.position}.",
            ),
            _target_table(consolidated, row),
        ]
    if own_only:
        blocks.append(
            Paragraph(
                f"Chỉ tiêu số {', '.join(own_only)} là số liệu của chính đơn vị, không chia theo "
                "xã, phường (xem mục IV).",
                italic=True,
            )
        )
    if any(not _summable(r) for r in consolidated.total.rows if r.indicator.scope != "office"):
        blocks.append(
            Paragraph(
                "Chỉ tiêu gộp nhiều thành phần lấy số liệu của thành phần thấp nhất, nên dòng "
                "«Cộng» của chỉ tiêu đó không phải tổng cộng các dòng trên.",
                italic=True,
            )
        )
    # The office's figures are not its own books but the communes' packages.
    books = f"trong sổ sách của {unit_phrase(info)}"
    opening = [
        dataclasses.replace(block, text=block.text.replace(books, f"của {communes} xã, phường"))
        if isinstance(block, Paragraph)
        else block
        for block in base.body[:-1]
    ]
    body = (*opening, *blocks, base.body[-1])
    return Document(
        letterhead=base.letterhead,
        kind=base.kind,
        summary=base.summary,
        body=body,
        closing=base.closing,
        orientation=base.orientation,
    )


# --- Literacy ------------------------------------------------------------------------------


def _verdict_sentence(verdict: ShareVerdict) -> str:
    rate = format_percent(verdict.percent)
    head = (
        f"Có {format_count(verdict.units_met)}/{format_count(verdict.units)} xã, phường đạt chuẩn "
        f"xóa mù chữ mức độ {verdict.level} ({rate}%); yêu cầu tối thiểu "
        f"{verdict.threshold_percent}% số xã, phường: "
    )
    if verdict.met:
        return head + f"đơn vị ĐẠT chuẩn xóa mù chữ mức độ {verdict.level}."
    return (
        head
        + f"đơn vị CHƯA ĐẠT chuẩn xóa mù chữ mức độ {verdict.level} (cần thêm "
        + f"{format_count(verdict.needed)} xã, phường đạt chuẩn)."
    )


def literacy_sheet(
    info: InstallationInfo, issued: date, consolidated: ConsolidatedLiteracy
) -> Document:
    """Biểu thống kê xóa mù chữ of the office: each commune's standards and the office's verdict.

    Each commune's line gives the people of the level's age band, those who
    reached the level and the commune's verdict (Art. 20.1, 21.1, with the
    commune's own settings); the office's verdict is the share of communes
    that meet each level (Art. 20.2, 21.2).
    """
    year = consolidated.year
    rows: list[RowItem] = []
    sums = [0, 0, 0, 0]
    for number, item in enumerate(consolidated.per_commune, start=1):
        one, two = item.rates.standards.level_1, item.rates.standards.level_2
        figures = (one.counted, one.literate, two.counted, two.literate)
        sums = [a + b for a, b in zip(sums, figures, strict=True)]
        rows.append(
            (
                number,
                item.name,
                one.counted,
                one.literate,
                one.percent,
                MET if item.level_1_met else NOT_MET,
                two.counted,
                two.literate,
                two.percent,
                MET if item.level_2_met else NOT_MET,
            )
        )
    total: tuple[Value, ...] = (
        "",
        TOTAL_LABEL,
        sums[0],
        sums[1],
        percent(sums[1], sums[0]),
        f"{consolidated.communes_level_1}/{consolidated.communes_total} đạt",
        sums[2],
        sums[3],
        percent(sums[3], sums[2]),
        f"{consolidated.communes_level_2}/{consolidated.communes_total} đạt",
    )
    level_columns = (
        Column("Số người trong độ tuổi", 22, "count", total=True),
        Column("Số người biết chữ", 22, "count", total=True),
        Column("Tỷ lệ (%)", 17, "percent"),
        Column("Đạt chuẩn", 20, "center"),
    )
    level_header = (
        HeaderCell("Trong độ tuổi"),
        HeaderCell("Biết chữ"),
        HeaderCell("Tỷ lệ (%)"),
        HeaderCell("Đạt chuẩn"),
    )
    table = Table(
        columns=(
            Column("TT", 10, "center"),
            Column(COMMUNE_COLUMN, 50),
            *level_columns,
            *level_columns,
        ),
        rows=rows,
        header=_commune_header(
            (HeaderCell("Mức độ 1", colspan=4), HeaderCell("Mức độ 2", colspan=4)),
            (*level_header, *level_header),
        ),
        total=total,
        numbered=True,
        font_size=10,
        empty_text="Chưa có xã, phường nào.",
    )
    body: list[Block] = [
        Paragraph(
            f"Căn cứ số liệu điều tra xóa mù chữ năm {year} do các xã, phường gửi về, "
            f"{_office(info)} tổng hợp kết quả xóa mù chữ như sau:"
        ),
        Heading("I. Kết quả xóa mù chữ của từng xã, phường"),
        table,
        Paragraph(
            "Độ tuổi, ngưỡng đạt chuẩn của từng xã, phường theo Điều 20, 21 Nghị định "
            "20/2014/NĐ-CP và cài đặt của xã đó (xã có điều kiện kinh tế - xã hội đặc biệt khó "
            "khăn áp dụng ngưỡng riêng).",
            italic=True,
        ),
        Heading("II. Đánh giá chuẩn xóa mù chữ của đơn vị"),
        Paragraph(_verdict_sentence(consolidated.level_1), lead="1."),
        Paragraph(_verdict_sentence(consolidated.level_2), lead="2."),
    ]
    return Document(
        letterhead=letterhead.letterhead(info, issued),
        kind="BIỂU THỐNG KÊ",
        summary=f"Kết quả xóa mù chữ năm {year} của các xã, phường",
        body=tuple(body),
        closing=Closing(signers=(Signer((PREPARER,)), letterhead.signer(info))),
    )


# --- Learning models --------------------------------------------------------------------------


@dataclass(frozen=True)
class CommuneModels:
    """One commune's learning-model figures of a year, as its own sheet counts them."""

    code: str
    name: str
    report: ModelsReport


def _model_table(code: str, communes: Sequence[CommuneModels]) -> Table:
    rows: list[RowItem] = []
    sums = [0, 0, 0, 0, 0]
    for number, commune in enumerate(communes, start=1):
        figures = commune.report.model(code)
        counts = (
            figures.in_scope,
            figures.registered,
            figures.evaluated,
            figures.passed,
            figures.recognised,
        )
        sums = [a + b for a, b in zip(sums, counts, strict=True)]
        rows.append((number, commune.name, *figure_cells(*counts)))
    return Table(
        columns=(Column("TT", 8, "center"), Column(COMMUNE_COLUMN, 54), *figure_columns()),
        rows=rows,
        header=_commune_header(*figure_header(())),
        total=("", TOTAL_LABEL, *figure_cells(*sums)),
        numbered=True,
        font_size=11,
        empty_text="Chưa có xã, phường nào.",
    )


def models_sheet(
    info: InstallationInfo, issued: date, year: int, communes: Sequence[CommuneModels]
) -> Document:
    """Biểu thống kê mô hình học tập of the office: each model commune by commune."""
    body: list[Block] = [
        Paragraph(
            f"Căn cứ kết quả đăng ký, đánh giá và công nhận các mô hình học tập năm {year} do "
            f"các xã, phường gửi về, {_office(info)} tổng hợp kết quả xây dựng các mô hình "
            "học tập như sau:"
        ),
    ]
    for section, code in enumerate(MODEL_CODES):
        label = communes[0].report.model(code).model.label if communes else code
        body += [
            Heading(f"{ROMAN[section]}. {label} ({SUBJECTS[code]}) theo xã, phường"),
            _model_table(code, communes),
        ]
    body.append(
        Paragraph(
            "Tỷ lệ đăng ký và tỷ lệ công nhận tính trên tổng số đối tượng của từng mô hình; "
            "được công nhận là đã có quyết định công nhận của năm và chưa bị thu hồi.",
            italic=True,
        )
    )
    return Document(
        letterhead=letterhead.letterhead(info, issued),
        kind="BIỂU THỐNG KÊ",
        summary=f"Kết quả xây dựng các mô hình học tập năm {year} của các xã, phường",
        body=tuple(body),
        closing=Closing(signers=(Signer((PREPARER,)), letterhead.signer(info))),
    )
