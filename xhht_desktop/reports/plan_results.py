"""Báo cáo kết quả thực hiện kế hoạch xây dựng xã hội học tập, declared.

:func:`plan_results` turns one plan checked for one year (a
:class:`~xhht_desktop.core.plans.PlanEvaluation`, from
``context.indicators.evaluate``) into a report of the commune's People's
Committee in the layout of Nghị định 30/2020/NĐ-CP: the plan it reports on
cited in the summary and the opening paragraph; short generated text — what
is reached (I), what is not and how much is missing (II), what cannot be
judged for want of figures (III) — and the table of every target (IV).

Nothing is counted or compared here. Every figure, status and gap sentence
is the evaluation's own, read through :meth:`TargetRow.as_dict`, the same
dictionary ``xhht indicators --json`` prints, so the paper, the screen and
the command line cannot disagree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from xhht_desktop.core.indicators import GROUPS
from xhht_desktop.core.targets import Status
from xhht_desktop.reports import letterhead
from xhht_desktop.reports.document import (
    Block,
    Column,
    Document,
    HeaderCell,
    Heading,
    Paragraph,
    RowItem,
    Table,
    format_count,
    format_percent,
)
from xhht_desktop.reports.literacy import unit_phrase

if TYPE_CHECKING:
    from xhht_desktop.core.plans import Plan, PlanEvaluation, TargetRow
    from xhht_desktop.services.setup import InstallationInfo

REPORT_TITLE = "Báo cáo kết quả thực hiện kế hoạch xây dựng xã hội học tập"
DOCUMENT_TYPES: dict[str, str] = {
    "KH": "Kế hoạch",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "NQ": "Nghị quyết",
    "CTr": "Chương trình",
    "HD": "Hướng dẫn",
    "ĐA": "Đề án",
}
"""Abbreviations of the document types a plan may be (Nghị định 30/2020, Phụ lục III)."""
DEFAULT_TYPE = "Kế hoạch"
_TYPE_CODE = re.compile(r"/([^-/\s]+)")
REACHED_NOTES = {
    Status.WITHIN_RANGE: "đạt mức tối thiểu",
    Status.ABOVE_STRETCH: "vượt mức phấn đấu",
}
"""What a reached target's sentence adds when it is more than plainly "đạt"."""


def document_type(plan: Plan) -> str:
    """What kind of document the plan is, from its number: "138/KH-UBND" is a Kế hoạch."""
    found = _TYPE_CODE.search(plan.number)
    if found is None:
        return DEFAULT_TYPE
    return DOCUMENT_TYPES.get(found.group(1), DEFAULT_TYPE)


def citation(plan: Plan) -> str:
    """The plan as the report cites it.

    "Kế hoạch số 138/KH-UBND ngày 15/6/2020 của Ủy ban nhân dân huyện Đăk
    Song (tỉnh Đắk Nông)"; without a number, "Kế hoạch ngày … của …";
    without number, date and issuer, the plan's title in quotes.
    """
    kind = document_type(plan)
    if plan.number:
        return f"{kind} số {plan.document}"
    if plan.issued_on is not None or plan.issuer:
        return f"{kind} {plan.document}"
    return f"{kind} “{plan.title}”"


def _lower_first(text: str) -> str:
    # "Hộ gia đình …" inside a sentence; "H'Mông", "UBND" keep their capitals.
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _reporter(info: InstallationInfo) -> str:
    """Who reports, inside a sentence: "Ủy ban nhân dân xã Đức An"."""
    if info.role == "commune" and info.commune_name:
        return f"Ủy ban nhân dân {unit_phrase(info)}"
    return info.office_name or unit_phrase(info)


def _figures(data: dict[str, Any]) -> str:
    """ "72,09% (248/344 hộ gia đình)": the row's figures as a sentence gives them."""
    value = format_percent(data["value"])
    return f"{value}% ({format_count(data['numerator'])}/{format_count(data['denominator'])})"


def _reached_item(row: TargetRow, data: dict[str, Any]) -> str:
    note = REACHED_NOTES.get(row.check.status)
    target = f"chỉ tiêu {row.target.target.describe()}" + (f", {note}" if note else "")
    return f"{_lower_first(row.indicator.label)} đạt {_figures(data)}, {target}"


def _group_sentence(rows: Sequence[TargetRow], dicts: dict[int, dict[str, Any]]) -> str:
    """How many of a group's targets are reached, naming each one reached."""
    reached = [row for row in rows if row.check.status.reached]
    no_data = sum(row.check.status is Status.NO_DATA for row in rows)
    waiting = f" ({no_data} chỉ tiêu chưa có số liệu)" if no_data else ""
    if no_data == len(rows):
        return f"chưa có số liệu để đánh giá {len(rows)} chỉ tiêu của kế hoạch."
    if not reached:
        return f"chưa đạt chỉ tiêu nào trong {len(rows)} chỉ tiêu của kế hoạch{waiting}."
    named = "; ".join(_reached_item(row, dicts[row.position]) for row in reached)
    if len(reached) == len(rows):
        return f"đạt cả {len(rows)} chỉ tiêu của kế hoạch, trong đó {named}."
    return f"đạt {len(reached)} trên {len(rows)} chỉ tiêu của kế hoạch{waiting}, trong đó {named}."


def _villages_behind(row: TargetRow) -> str:
    """ " Chưa đạt ở: Thôn 1 (cần thêm 12), Bon Bu Prăng (cần thêm 3)." — who to work with."""
    behind = [
        f"{village.village_name} (cần thêm {format_count(village.check.gap)})"
        if village.check.gap
        else village.village_name
        for village in row.villages
        if village.check.status is Status.NOT_MET
    ]
    if not behind:
        return ""
    return f" Chưa đạt ở: {', '.join(behind)}."


def _not_met_item(row: TargetRow, data: dict[str, Any]) -> Paragraph:
    return Paragraph(
        f"{row.indicator.label}: đạt {_figures(data)}, chỉ tiêu "
        f"{row.target.target.describe()}; {data['gap_text']}.{_villages_behind(row)}",
        lead=f"{row.position}.",
    )


def _no_data_item(row: TargetRow, data: dict[str, Any]) -> Paragraph:
    return Paragraph(
        f"{row.indicator.label} (chỉ tiêu {row.target.target.describe()}): {data['gap_text']}.",
        lead=f"{row.position}.",
    )


COLUMNS = (
    Column("STT", 11, "center"),
    Column("Chỉ tiêu", 43),
    Column("Chỉ tiêu kế hoạch", 17, "center"),
    Column("Số đạt", 14, "count"),
    Column("Tổng số", 14, "count"),
    Column("Tỷ lệ (%)", 14, "percent"),
    Column("Đánh giá", 17, "center"),
    Column("Còn thiếu", 35),
)
"""The table of targets: 165 mm, a portrait page's text area."""
HEADER = (
    (
        HeaderCell("STT", rowspan=2),
        HeaderCell("Chỉ tiêu", rowspan=2),
        HeaderCell("Chỉ tiêu kế hoạch", rowspan=2),
        HeaderCell("Thực hiện", colspan=3),
        HeaderCell("Đánh giá", rowspan=2),
        HeaderCell("Còn thiếu", rowspan=2),
    ),
    (HeaderCell("Số đạt"), HeaderCell("Tổng số"), HeaderCell("Tỷ lệ (%)")),
)


def targets_table(evaluation: PlanEvaluation) -> Table:
    """One row per target, in the plan's order: its words, the target, the figures, the gap."""
    rows: list[RowItem] = []
    for row in evaluation.rows:
        data = row.as_dict()
        rows.append(
            (
                row.position,
                row.target.wording,
                row.target.target.describe(),
                data["numerator"],
                data["denominator"],
                data["value"],
                data["status_label"],
                data["gap_text"],
            )
        )
    return Table(
        columns=COLUMNS,
        rows=rows,
        header=HEADER,
        numbered=True,
        font_size=11,
        empty_text="Kế hoạch chưa có chỉ tiêu nào.",
    )


def plan_results(info: InstallationInfo, issued: date, evaluation: PlanEvaluation) -> Document:
    """Báo cáo kết quả thực hiện kế hoạch of one year.

    Args:
        info: The installation (letterhead, receiving office, signer).
        issued: Date of the report.
        evaluation: ``context.indicators.evaluate(year, plan_id)``.
    """
    plan, year = evaluation.plan, evaluation.year
    cited = citation(plan)
    reporter = _reporter(info)
    dicts = {row.position: row.as_dict() for row in evaluation.rows}
    counts = evaluation.summary()
    reached = sum(n for status, n in counts.items() if status.reached)
    about = f" về việc {_lower_first(plan.summary)}" if plan.summary else ""
    body: list[Block] = [
        Paragraph(
            f"Thực hiện {cited}{about}, {reporter} báo cáo kết quả thực hiện các chỉ tiêu "
            f"của {document_type(plan).lower()} năm {year} như sau:"
        ),
        Paragraph(
            f"{document_type(plan)} đặt {len(evaluation.rows)} chỉ tiêu. Đối chiếu với số liệu "
            f"năm {year} trong sổ sách của {unit_phrase(info)}: đạt {reached} chỉ tiêu, chưa "
            f"đạt {counts[Status.NOT_MET]} chỉ tiêu"
            + (
                f", còn {counts[Status.NO_DATA]} chỉ tiêu chưa có số liệu để đánh giá."
                if counts[Status.NO_DATA]
                else "."
            )
        ),
        Heading("I. Kết quả đạt được"),
    ]
    for group, label in GROUPS.items():
        rows = evaluation.rows_of_group(group)
        if rows:
            body.append(Paragraph(_group_sentence(rows, dicts), lead=f"{label}:"))
    not_met = [row for row in evaluation.rows if row.check.status is Status.NOT_MET]
    body.append(Heading("II. Những chỉ tiêu chưa đạt"))
    if not_met:
        body += [_not_met_item(row, dicts[row.position]) for row in not_met]
    else:
        body.append(Paragraph("Không có chỉ tiêu nào chưa đạt."))
    no_data = [row for row in evaluation.rows if row.check.status is Status.NO_DATA]
    body.append(Heading("III. Chỉ tiêu chưa có số liệu"))
    if no_data:
        body += [_no_data_item(row, dicts[row.position]) for row in no_data]
        body.append(
            Paragraph(
                "Các chỉ tiêu trên chưa được đánh giá; cần nhập đủ số liệu để báo cáo lần sau.",
                italic=True,
            )
        )
    else:
        body.append(Paragraph("Tất cả các chỉ tiêu đều đã có số liệu để đánh giá."))
    body += [
        Heading("IV. Kết quả từng chỉ tiêu"),
        targets_table(evaluation),
        Paragraph(f"Trên đây là báo cáo kết quả thực hiện {cited} năm {year} của {reporter}./."),
    ]
    return Document(
        letterhead=letterhead.letterhead(info, issued),
        kind="BÁO CÁO",
        summary=f"Kết quả thực hiện {cited} về xây dựng xã hội học tập năm {year}",
        body=tuple(body),
        closing=letterhead.closing(info),
        orientation="portrait",
    )
