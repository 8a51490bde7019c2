"""The learning models' documents, declared.

* :func:`models_sheet` — Biểu thống kê mô hình học tập: for each of the four
  models, the subjects in scope, registered, evaluated, passed and
  recognised, with the registration and recognition rates, for the whole
  commune and by village.
* :func:`recognition_decision` — Quyết định công nhận: a recognition decision
  in the layout of Nghị định 30/2020/NĐ-CP (Phụ lục I; a decision of the
  commune chairman), with its annex, the list of the subjects it recognises.

As in :mod:`reports.literacy`, nothing is counted here: the figures are the
counting query's (``LearningModelService.counts``) and the annex is the
decision's own (``LearningModelService.decision_annex``); rates are worked
out from those counts by the one rounding rule of the app
(:func:`core.literacy.percent`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from xhht_desktop.core import text as vntext
from xhht_desktop.core.literacy import percent
from xhht_desktop.core.models_cycle import MODEL_CODES
from xhht_desktop.reports import letterhead
from xhht_desktop.reports.document import (
    ARCHIVE_RECIPIENT,
    Annex,
    Block,
    Closing,
    Column,
    Document,
    HeaderCell,
    Heading,
    Paragraph,
    Row,
    RowItem,
    Signer,
    Table,
    Value,
    format_count,
    vietnamese_date,
)
from xhht_desktop.reports.literacy import PREPARER, unit_phrase
from xhht_desktop.store.model_queries import DecisionRow, EntryRow, ModelCount

if TYPE_CHECKING:
    from xhht_desktop.services.learning_models import ModelFigures, ModelsReport
    from xhht_desktop.services.setup import InstallationInfo

TITLES: dict[str, str] = {
    "gdht": "Gia đình học tập",
    "dhht": "Dòng họ học tập",
    "cdht": "Cộng đồng học tập",
    "dvht": "Đơn vị học tập",
}
"""The title each model's recognition confers (danh hiệu), as decisions write it."""

SUBJECTS: dict[str, str] = {
    "gdht": "hộ gia đình",
    "dhht": "dòng họ",
    "cdht": "thôn, tổ dân phố",
    "dvht": "đơn vị",
}
"""What one subject of each model is, inside a sentence."""

TOTAL_LABEL = "Toàn xã"
NO_VILLAGE = "Không thuộc thôn"
"""The row of subjects without a village (units entered without one)."""
DELETED_VILLAGE = "(thôn đã xóa)"
ROMAN = ("I", "II", "III", "IV", "V", "VI")
PASSED, FAILED, NOT_EVALUATED = "Đạt", "Chưa đạt", "Chưa đánh giá"


def _quoted(title: str) -> str:
    return f"“{title}”"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _joined(items: Sequence[str]) -> str:
    """ "a", "a và b", "a, b và c"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} và {items[-1]}"


# --- Biểu thống kê mô hình học tập ---------------------------------------------------------


def figure_cells(
    in_scope: int, registered: int, evaluated: int, passed: int, recognised: int
) -> tuple[Value, ...]:
    """A model's figures as a row's cells: the counts, with the shares of those in scope."""
    return (
        in_scope,
        registered,
        percent(registered, in_scope),
        evaluated,
        passed,
        recognised,
        percent(recognised, in_scope),
    )


def figure_columns() -> tuple[Column, ...]:
    """The columns of :func:`figure_cells`."""
    return (
        Column("Tổng số", 15, "count", total=True),
        Column("Đăng ký: số lượng", 15, "count", total=True),
        Column("Đăng ký: tỷ lệ (%)", 15, "percent"),
        Column("Đã đánh giá", 15, "count", total=True),
        Column("Đạt", 13, "count", total=True),
        Column("Công nhận: số lượng", 15, "count", total=True),
        Column("Công nhận: tỷ lệ (%)", 15, "percent"),
    )


def figure_header(first: tuple[HeaderCell, ...]) -> tuple[tuple[HeaderCell, ...], ...]:
    """The two header rows above :func:`figure_columns`, after ``first`` (two rows high)."""
    return (
        (
            *first,
            HeaderCell("Tổng số", rowspan=2),
            HeaderCell("Đăng ký", colspan=2),
            HeaderCell("Đánh giá", colspan=2),
            HeaderCell("Công nhận", colspan=2),
        ),
        (
            HeaderCell("Số lượng"),
            HeaderCell("Tỷ lệ (%)"),
            HeaderCell("Đã đánh giá"),
            HeaderCell("Đạt"),
            HeaderCell("Số lượng"),
            HeaderCell("Tỷ lệ (%)"),
        ),
    )


def _summary_table(report: ModelsReport) -> Table:
    rows: list[RowItem] = []
    for number, figures in enumerate(report.models, start=1):
        rows.append(
            (
                number,
                figures.model.label,
                _capitalised(SUBJECTS[figures.model.code]),
                *figure_cells(
                    figures.in_scope,
                    figures.registered,
                    figures.evaluated,
                    figures.passed,
                    figures.recognised,
                ),
            )
        )
    return Table(
        columns=(
            Column("TT", 8, "center"),
            Column("Mô hình học tập", 34),
            Column("Đơn vị tính", 20),
            *figure_columns(),
        ),
        rows=rows,
        header=figure_header(
            (
                HeaderCell("TT", rowspan=2),
                HeaderCell("Mô hình học tập", rowspan=2),
                HeaderCell("Đơn vị tính", rowspan=2),
            )
        ),
        numbered=True,
        font_size=11,
    )


def _village_lines(
    figures: ModelFigures, villages: Sequence[tuple[str, str]]
) -> list[tuple[str, ModelCount | None]]:
    """Every village (those without subjects of this model too), then any other rows.

    Args:
        figures: One model's counts.
        villages: ``(id, name)`` of every village, in list order.
    """
    mine = {row.village_id: row for row in figures.by_village}
    lines: list[tuple[str, ModelCount | None]] = [
        (name, mine.pop(village_id, None)) for village_id, name in villages
    ]
    # A village deleted while subjects still name it, then those without a village.
    for village_id, row in sorted(mine.items(), key=lambda item: item[0] is None):
        name = NO_VILLAGE if village_id is None else (row.village_name or DELETED_VILLAGE)
        lines.append((name, row))
    return lines


def _village_table(figures: ModelFigures, villages: Sequence[tuple[str, str]]) -> Table:
    rows: list[RowItem] = []
    for number, (name, row) in enumerate(_village_lines(figures, villages), start=1):
        if row is None:
            cells = figure_cells(0, 0, 0, 0, 0)
        else:
            cells = figure_cells(
                row.in_scope, row.registered, row.evaluated, row.passed, row.recognised
            )
        rows.append((number, name, *cells))
    total = (
        "",
        TOTAL_LABEL,
        *figure_cells(
            figures.in_scope,
            figures.registered,
            figures.evaluated,
            figures.passed,
            figures.recognised,
        ),
    )
    return Table(
        columns=(Column("TT", 8, "center"), Column("Thôn, tổ dân phố", 54), *figure_columns()),
        rows=rows,
        header=figure_header(
            (HeaderCell("TT", rowspan=2), HeaderCell("Thôn, tổ dân phố", rowspan=2))
        ),
        total=total,
        numbered=True,
        font_size=11,
        empty_text="Chưa có thôn, tổ dân phố nào.",
    )


def villages_of(report: ModelsReport) -> list[tuple[str, str]]:
    """Every live village of the counts, in list order: the village model's subjects."""
    return [
        (row.village_id, row.village_name or DELETED_VILLAGE)
        for row in report.model("cdht").by_village
        if row.village_id is not None
    ]


def models_sheet(info: InstallationInfo, issued: date, report: ModelsReport) -> Document:
    """Biểu thống kê mô hình học tập of one programme year.

    Part I gives the four models for the whole commune; the parts after it
    give each model that belongs to villages (households, villages, units)
    village by village, with a "Toàn xã" total. Clans belong to no village
    and are counted for the whole commune only (part I), as a note says.

    Args:
        info: The installation (letterhead, signer).
        issued: Date of the document.
        report: ``LearningModelService.counts`` of the year.
    """
    unit = unit_phrase(info)
    year = report.year
    villages = villages_of(report)
    body: list[Block] = [
        Paragraph(
            f"Căn cứ kết quả đăng ký, đánh giá và công nhận các mô hình học tập năm {year}, "
            f"Ủy ban nhân dân {unit} tổng hợp kết quả xây dựng các mô hình học tập "
            "như sau:"
        ),
        Heading(f"{ROMAN[0]}. Tổng hợp {TOTAL_LABEL.lower()}"),
        _summary_table(report),
    ]
    section = 1
    for code in MODEL_CODES:
        if code == "dhht":
            continue
        figures = report.model(code)
        body += [
            Heading(f"{ROMAN[section]}. {figures.model.label} theo thôn, tổ dân phố"),
            _village_table(figures, villages),
        ]
        section += 1
    clans = report.model("dhht")
    notes = [
        "Tỷ lệ đăng ký và tỷ lệ công nhận tính trên tổng số đối tượng của từng mô hình: hộ gia "
        "đình có nhân khẩu, dòng họ, thôn, tổ dân phố và đơn vị đang được theo dõi; được công "
        "nhận là đã có quyết định công nhận của năm và chưa bị thu hồi.",
        "Dòng họ không thuộc riêng một thôn, tổ dân phố nào nên chỉ tính chung "
        f"{TOTAL_LABEL.lower()} (mục I, dòng 2: {format_count(clans.in_scope)} dòng họ).",
    ]
    if any(row.village_id is None for row in report.model("dvht").by_village):
        notes.append(
            f"Đơn vị chưa ghi thôn, tổ dân phố được tính ở dòng «{NO_VILLAGE}» của mục "
            f"{ROMAN[section - 1]}."
        )
    body += [Paragraph(note, italic=True) for note in notes]
    return Document(
        letterhead=letterhead.letterhead(info, issued),
        kind="BIỂU THỐNG KÊ",
        summary=f"Kết quả xây dựng các mô hình học tập năm {year}",
        body=tuple(body),
        closing=Closing(
            signers=(Signer((PREPARER,)), letterhead.signer(info)),
        ),
    )


# --- Quyết định công nhận -------------------------------------------------------------------

LOCAL_GOVERNMENT_LAW_2025 = date(2025, 7, 1)
"""Luật Tổ chức chính quyền địa phương 2025 (72/2025/QH15) takes effect: two local levels."""
LOCAL_GOVERNMENT_LAW = "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;"
LOCAL_GOVERNMENT_LAW_2015 = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung "
    "một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng "
    "11 năm 2019;"
)
PROGRAMME_DECISION = (
    "Căn cứ Quyết định số 387/QĐ-TTg ngày 25 tháng 3 năm 2022 của Thủ tướng Chính phủ phê duyệt "
    "Đề án “Khuyến học, khuyến tài, xây dựng xã hội học tập giai đoạn 2021 - 2030”;"
)


@dataclass(frozen=True)
class CriteriaUsed:
    """A criteria set the recognised subjects were evaluated with.

    Attributes:
        id: The set's id (``gdht-448``), as the entries keep it.
        version: Its version, as the entries keep it.
        title: Its title, when the set still loads; empty otherwise.
    """

    id: str
    version: int
    title: str = ""

    @property
    def basis(self) -> str:
        """The "Căn cứ" line of the set, without its closing punctuation.

        The title names the text the set follows ("… khung QĐ 448/QĐ-KHVN");
        id and version say exactly which set, as the entries keep it.
        """
        named = f" {_quoted(self.title)}," if self.title else ""
        return f"Căn cứ bộ tiêu chí{named} mã {self.id}, phiên bản {self.version}"


def decision_signer(decision: DecisionRow) -> Signer:
    """The decision's own signer, signing for the People's Committee.

    The title as entered may carry the authority already ("KT. Chủ tịch –
    Phó Chủ tịch"); what counts is whether the signer is the chairman, a
    deputy or acting.
    """
    folded = vntext.fold(decision.signer_title)
    if "pho chu tich" in folded:
        title = "Phó Chủ tịch"
    elif folded.startswith(("q.", "quyen ")):
        title = "Q. Chủ tịch"
    else:
        title = "Chủ tịch"
    lines = letterhead.authority_lines(
        letterhead.PEOPLES_COMMITTEE, letterhead.COMMITTEE_CHAIR, title
    )
    return Signer(lines, decision.signer_name)


def _score(total: str) -> Value:
    """The stored total ("85", "87.5") as the annex prints it: 85, "87,5"."""
    if not total:
        return ""
    try:
        value = Decimal(total)
    except InvalidOperation:
        return total
    if value == value.to_integral_value():
        return int(value)
    return format(value.normalize(), "f").replace(".", ",")


def _result(entry: EntryRow) -> str:
    if entry.criteria_id is None:
        return NOT_EVALUATED
    return PASSED if entry.passed else FAILED


_NAME_TITLES = {
    "gdht": "Họ và tên chủ hộ",
    "dhht": "Tên dòng họ",
    "cdht": "Tên thôn, tổ dân phố",
    "dvht": "Tên đơn vị",
}


def _annex_table(model: str, entries: Sequence[EntryRow]) -> Table:
    columns: list[Column] = [Column("STT", 12, "center"), Column(_NAME_TITLES[model], 62)]
    if model == "gdht":
        columns.append(Column("Mã hộ", 20, "center"))
    if model in ("gdht", "dvht"):
        columns.append(Column("Thôn, tổ dân phố", 40))
    columns += [Column("Tổng điểm", 22, "center"), Column("Kết quả", 24, "center")]
    rows: list[RowItem] = []
    for number, entry in enumerate(entries, start=1):
        subject = entry.subject
        cells: list[Value] = [number, subject.name]
        if model == "gdht":
            cells.append(subject.code)
        if model in ("gdht", "dvht"):
            cells.append(subject.village_name or "")
        cells += [_score(entry.total), _result(entry)]
        rows.append(tuple(cells))
    rows.append(
        Row(
            (
                "",
                f"Cộng: {format_count(len(entries))} {SUBJECTS[model]}",
                *([""] * (len(columns) - 2)),
            ),
            bold=True,
        )
    )
    return Table(tuple(columns), rows, font_size=12)


def _models_in(annex: Mapping[str, Sequence[EntryRow]]) -> list[str]:
    return [code for code in MODEL_CODES if annex.get(code)]


def recognition_summary(models: Sequence[str], year: int) -> str:
    """ "Về việc công nhận danh hiệu “Gia đình học tập”, “Dòng họ học tập” năm 2026"."""
    titles = ", ".join(_quoted(TITLES[code]) for code in models)
    return f"Về việc công nhận danh hiệu {titles} năm {year}"


def recognition_decision(
    info: InstallationInfo,
    decision: DecisionRow,
    annex: Mapping[str, Sequence[EntryRow]],
    criteria: Sequence[CriteriaUsed],
) -> Document:
    """A recognition decision of the commune chairman, and the list it recognises.

    Args:
        info: The installation (issuing body, place, receiving office).
        decision: The decision (number, date, signer).
        annex: ``LearningModelService.decision_annex`` of the decision: the
            subjects it recognises, by model code.
        criteria: The criteria sets those subjects were evaluated with.
    """
    models = _models_in(annex)
    year = decision.year
    unit = unit_phrase(info)
    commune = (info.commune_name or info.office_name or "").upper()
    subjects = [SUBJECTS[code] for code in models]
    counted = [
        f"danh hiệu {_quoted(TITLES[code])} năm {year} đối với "
        f"{format_count(len(annex[code]))} {SUBJECTS[code]}"
        for code in models
    ]
    who = _joined(subjects)
    law = (
        LOCAL_GOVERNMENT_LAW
        if decision.decided_on >= LOCAL_GOVERNMENT_LAW_2025
        else LOCAL_GOVERNMENT_LAW_2015
    )
    bases = [
        law,
        PROGRAMME_DECISION,
        *(f"{used.basis};" for used in criteria),
        f"Căn cứ kết quả đánh giá, xét công nhận các mô hình học tập năm {year} của {unit}.",
    ]
    issued_on = vietnamese_date(decision.decided_on)
    body: list[Block] = [
        Paragraph(f"CHỦ TỊCH ỦY BAN NHÂN DÂN {commune}", bold=True, align="center", indent=False),
        *(Paragraph(basis, italic=True) for basis in bases),
        Paragraph("QUYẾT ĐỊNH:", bold=True, align="center", indent=False),
        Paragraph(
            f"Công nhận {'; '.join(counted)} có tên trong danh sách kèm theo Quyết định này.",
            lead="Điều 1.",
        ),
        Paragraph(
            f"Các {who} có tên tại Điều 1 có trách nhiệm giữ vững, phát huy danh hiệu được công "
            "nhận. Quyết định này có hiệu lực kể từ ngày ký.",
            lead="Điều 2.",
        ),
        Paragraph(
            f"Văn phòng Hội đồng nhân dân và Ủy ban nhân dân {unit}, Hội Khuyến học {unit}, "
            f"Trưởng các thôn, tổ dân phố; các {who} có tên tại Điều 1 chịu trách nhiệm thi "
            "hành Quyết định này./.",
            lead="Điều 3.",
        ),
    ]
    office = vntext.clean(info.receiving_office)
    head = letterhead.letterhead(info, decision.decided_on, "QĐ")
    tables: list[Block] = []
    for index, code in enumerate(models):
        count = f"{format_count(len(annex[code]))} {SUBJECTS[code]}"
        tables += [
            Heading(f"{ROMAN[index]}. {_capitalised(TITLES[code])} ({count})"),
            _annex_table(code, annex[code]),
        ]
    return Document(
        letterhead=dataclasses.replace(head, number=f"Số: {decision.number}"),
        kind="QUYẾT ĐỊNH",
        summary=recognition_summary(models, year),
        body=tuple(body),
        closing=Closing(
            signers=(decision_signer(decision),),
            recipients=("Như Điều 3", *((office,) if office else ()), ARCHIVE_RECIPIENT),
        ),
        annexes=(
            Annex(
                kind="DANH SÁCH",
                summary=_capitalised(
                    f"{who} được công nhận danh hiệu "
                    f"{', '.join(_quoted(TITLES[code]) for code in models)} năm {year}"
                ),
                reference=(
                    f"(Kèm theo Quyết định số {decision.number} {issued_on} của Chủ tịch Ủy ban "
                    f"nhân dân {unit})"
                ),
                body=tuple(tables),
            ),
        ),
    )
