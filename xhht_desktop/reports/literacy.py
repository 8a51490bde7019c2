"""The literacy survey's documents, declared (Nghị định 20/2014/NĐ-CP).

* :func:`statistical_sheet` — Biểu thống kê xóa mù chữ: the survey's table by
  village, the rates by age band × sex × ethnicity, and the commune's
  standards verdict; signed by the preparer and the steering committee.
* :func:`illiterate_list` — Danh sách người chưa biết chữ (15 to the upper
  age of the target group) by village, and the exempt list.
* :func:`register_book` — Sổ theo dõi: every person of the survey.

Each function only arranges figures it is given (from ``services.literacy``
and the persons service) into a :class:`~xhht_desktop.reports.document.Document`;
nothing is counted here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from xhht_desktop.core import ethnicity
from xhht_desktop.core.literacy import (
    ALL,
    LEVEL_1,
    LEVEL_2,
    LEVEL_LABELS,
    Band,
    LiteracyReport,
    StandardVerdict,
    VillageTable,
    level,
)
from xhht_desktop.core.registers import RESIDENCES, SEXES, format_birth
from xhht_desktop.reports import letterhead
from xhht_desktop.reports.document import (
    Closing,
    Column,
    Document,
    GroupRow,
    HeaderCell,
    Heading,
    Paragraph,
    Row,
    RowItem,
    Signer,
    Table,
    Value,
    format_count,
)
from xhht_desktop.store.repositories import PersonRow

if TYPE_CHECKING:
    from xhht_desktop.services.setup import InstallationInfo

DECREE = (
    "Nghị định số 20/2014/NĐ-CP ngày 24 tháng 3 năm 2014 của Chính phủ về phổ cập giáo dục, "
    "xóa mù chữ"
)
STEERING_COMMITTEE = "BAN CHỈ ĐẠO PHỔ CẬP GIÁO DỤC,\nXÓA MÙ CHỮ"
COMMITTEE_HEAD = "TRƯỞNG BAN"
PREPARER = "NGƯỜI LẬP BIỂU"
SEX_LABELS = {ALL: "Chung", "male": "Nam", "female": "Nữ"}
MET, NOT_MET = "Đạt", "Chưa đạt"
ARTICLES = {LEVEL_1: 20, LEVEL_2: 21}


def unit_phrase(info: InstallationInfo) -> str:
    """The issuing unit inside a sentence: "xã Đức An", "phường 1"."""
    name = info.commune_name or info.office_name or ""
    return name[:1].lower() + name[1:]


def ethnicity_name(code: str) -> str:
    group = ethnicity.by_code(code)
    return group.name if group else f"Mã {code}"


# --- Biểu thống kê xóa mù chữ ---------------------------------------------------------


def _band_columns(bands: Iterable[Band]) -> list[Column]:
    columns: list[Column] = []
    for _ in bands:
        columns += [
            Column("Tổng số", 14, "count", total=True),
            Column("Mức độ 1: số người", 14, "count", total=True),
            Column("Mức độ 1: tỷ lệ (%)", 13, "percent"),
            Column("Mức độ 2: số người", 14, "count", total=True),
            Column("Mức độ 2: tỷ lệ (%)", 13, "percent"),
        ]
    return columns


def _band_header(label: str, bands: tuple[Band, ...]) -> tuple[tuple[HeaderCell, ...], ...]:
    return (
        (
            HeaderCell("TT", rowspan=3),
            HeaderCell(label, rowspan=3),
            *(HeaderCell(f"Độ tuổi {band.label}", colspan=5) for band in bands),
        ),
        tuple(
            cell
            for _ in bands
            for cell in (
                HeaderCell("Tổng số", rowspan=2),
                HeaderCell("Biết chữ mức độ 1", colspan=2),
                HeaderCell("Biết chữ mức độ 2", colspan=2),
            )
        ),
        tuple(
            HeaderCell(text)
            for _ in bands
            for text in ("Số người", "Tỷ lệ (%)", "Số người", "Tỷ lệ (%)")
        ),
    )


def _village_table(table: VillageTable) -> Table:
    rows: list[RowItem] = []
    for i, line in enumerate(table.lines, start=1):
        cells: list[Value] = [i, line.village_name]
        for figures in line.figures:
            cells += [
                figures.counted,
                figures.level_1,
                figures.percent(LEVEL_1),
                figures.level_2,
                figures.percent(LEVEL_2),
            ]
        rows.append(tuple(cells))
    total: list[Value] = ["", table.total.village_name]
    for figures in table.total.figures:
        total += [
            figures.counted,
            figures.level_1,
            figures.percent(LEVEL_1),
            figures.level_2,
            figures.percent(LEVEL_2),
        ]
    return Table(
        columns=(
            Column("TT", 8, "center"),
            Column("Thôn, tổ dân phố", 34),
            *_band_columns(table.bands),
        ),
        rows=rows,
        header=_band_header("Thôn, tổ dân phố", table.bands),
        total=tuple(total),
        numbered=True,
        font_size=11,
        empty_text="Chưa có thôn, tổ dân phố nào.",
    )


def _breakdown_table(report: LiteracyReport, bands: tuple[Band, ...]) -> Table:
    rows: list[RowItem] = []
    for number, code in enumerate((None, *report.ethnicities)):
        name = "Tất cả các dân tộc" if code is None else ethnicity_name(code)
        for sex in (ALL, "male", "female"):
            cells: list[Value] = [
                (number or "") if sex == ALL else "",
                name if sex == ALL else f"- {SEX_LABELS[sex]}",
            ]
            for band in bands:
                one = report.rate(band, LEVEL_1, sex, code)
                two = report.rate(band, LEVEL_2, sex, code)
                cells += [one.counted, one.literate, one.percent, two.literate, two.percent]
            rows.append(Row(tuple(cells), bold=sex == ALL))
    return Table(
        columns=(
            Column("TT", 8, "center"),
            Column("Dân tộc, giới tính", 34),
            *_band_columns(bands),
        ),
        rows=rows,
        header=_band_header("Dân tộc, giới tính", bands),
        numbered=True,
        font_size=11,
    )


def _verdict_row(verdict: StandardVerdict) -> tuple[Value, ...]:
    return (
        f"Mức độ {verdict.level} (Điều {ARTICLES[verdict.level]})",
        verdict.band.label,
        verdict.counted,
        verdict.literate,
        verdict.percent,
        verdict.threshold_percent,
        MET if verdict.met else NOT_MET,
        verdict.needed,
    )


def _verdict_table(report: LiteracyReport) -> Table:
    return Table(
        columns=(
            Column("Chuẩn xóa mù chữ", 44),
            Column("Độ tuổi", 20, "center"),
            Column("Số người trong độ tuổi", 26, "count"),
            Column("Số người đạt mức độ", 26, "count"),
            Column("Tỷ lệ (%)", 22, "percent"),
            Column("Tỷ lệ chuẩn (%)", 22, "count"),
            Column("Kết quả", 22, "center"),
            Column("Cần thêm (người)", 22, "count"),
        ),
        rows=[_verdict_row(report.standards.level_1), _verdict_row(report.standards.level_2)],
        font_size=12,
    )


def _verdict_sentence(verdict: StandardVerdict) -> str:
    if verdict.met:
        return f"đạt chuẩn xóa mù chữ mức độ {verdict.level}"
    if verdict.counted == 0:
        return (
            f"chưa đạt chuẩn xóa mù chữ mức độ {verdict.level} (không có người trong độ tuổi "
            f"{verdict.band.label})"
        )
    return (
        f"chưa đạt chuẩn xóa mù chữ mức độ {verdict.level} (cần thêm "
        f"{format_count(verdict.needed)} người trong độ tuổi {verdict.band.label} "
        f"đạt mức độ {verdict.level})"
    )


def statistical_sheet(
    info: InstallationInfo, issued: date, table: VillageTable, report: LiteracyReport
) -> Document:
    """Biểu thống kê xóa mù chữ of one survey year.

    Args:
        info: The installation (letterhead, signer).
        issued: Date of the document.
        table: ``LiteracyService.by_village`` of the year.
        report: ``LiteracyService.rates`` of the same year.
    """
    unit = unit_phrase(info)
    standards = report.standards
    target = report.settings.target_band
    exempt = report.rate(target, LEVEL_1).exempt
    conclusion = (
        f"Kết luận: {unit} {_verdict_sentence(standards.level_1)}; "
        f"{_verdict_sentence(standards.level_2)}./."
    )
    notes = [
        Paragraph(
            f"Tỷ lệ tính trên số người thường trú và tạm trú trong độ tuổi, tuổi tính theo năm "
            f"sinh (năm {report.year} trừ năm sinh); không tính {format_count(exempt)} người "
            f"khuyết tật không có khả năng học tập trong độ tuổi {target.label}.",
            italic=True,
        )
    ]
    if report.settings.difficult_area:
        notes.append(
            Paragraph(
                f"{unit[:1].upper()}{unit[1:]} có điều kiện kinh tế - xã hội đặc biệt khó khăn: "
                f"chuẩn mức độ 1 xét độ tuổi {standards.level_1.band.label}, chuẩn mức độ 2 xét "
                f"độ tuổi {standards.level_2.band.label}.",
                italic=True,
            )
        )
    return Document(
        letterhead=letterhead.letterhead(info, issued),
        kind="BIỂU THỐNG KÊ",
        summary=f"Kết quả điều tra xóa mù chữ năm {report.year}",
        body=(
            Paragraph(
                f"Căn cứ {DECREE}; Ban chỉ đạo phổ cập giáo dục, xóa mù chữ {unit} tổng hợp kết "
                f"quả điều tra xóa mù chữ năm {report.year} như sau:"
            ),
            Heading("I. Người biết chữ theo thôn, tổ dân phố"),
            _village_table(table),
            Heading("II. Người biết chữ theo độ tuổi, giới tính và dân tộc"),
            _breakdown_table(report, table.bands),
            Heading("III. Đánh giá chuẩn xóa mù chữ (Điều 20, Điều 21)"),
            _verdict_table(report),
            *notes,
            Paragraph(conclusion, bold=True),
        ),
        closing=Closing(
            signers=(
                Signer((PREPARER,)),
                Signer(
                    letterhead.authority_lines(
                        STEERING_COMMITTEE, COMMITTEE_HEAD, info.signer_title
                    ),
                    info.signer_name,
                ),
            )
        ),
    )


# --- Danh sách người chưa biết chữ --------------------------------------------------------


@dataclass(frozen=True)
class PeopleList:
    """A list of people by village, as the literacy service gives it.

    Attributes:
        rows: The people, ordered by village; iterable more than once.
        total: How many people (``…_count`` of the service).
        by_village: How many people per village id (``…_count(village_id=…)``).
    """

    rows: Iterable[PersonRow]
    total: int
    by_village: Mapping[str, int]


LIST_COLUMNS: tuple[Column, ...] = (
    Column("STT", 10, "center"),
    Column("Họ và tên", 38),
    Column("Ngày sinh", 22, "center"),
    Column("Giới tính", 11, "center"),
    Column("Dân tộc", 18),
    Column("Lớp", 10, "center"),
    Column("Giai đoạn XMC", 14, "center"),
    Column("Mã hộ", 21, "center"),
    Column("Cư trú", 21),
)


class _ByVillage:
    """A people list as table rows: a group row opens each village."""

    def __init__(self, people: PeopleList) -> None:
        self.people = people

    def __len__(self) -> int:
        villages = sum(1 for count in self.people.by_village.values() if count)
        return self.people.total + villages

    def __iter__(self) -> Iterator[RowItem]:
        village: str | None = None
        for number, person in enumerate(self.people.rows, start=1):
            if person.village_id != village:
                village = person.village_id
                count = self.people.by_village.get(village)
                yield GroupRow(
                    person.village_name
                    if count is None
                    else f"{person.village_name} ({format_count(count)} người)"
                )
            yield (
                number,
                person.full_name,
                format_birth(person.birth_date, person.birth_year),
                SEXES.get(person.sex, person.sex),
                ethnicity_name(person.ethnicity_code),
                person.grade,
                person.literacy_stage or "",
                person.household_code,
                RESIDENCES.get(person.residence, person.residence),
            )


def illiterate_list(
    info: InstallationInfo,
    issued: date,
    year: int,
    band: Band,
    illiterate: PeopleList,
    exempt: PeopleList,
) -> Document:
    """Danh sách người chưa biết chữ, and the exempt, of one survey year.

    Args:
        info: The installation.
        issued: Date of the document.
        year: Survey year.
        band: The target group (15 to the upper age).
        illiterate: ``LiteracyService.not_literate`` and its counts.
        exempt: ``LiteracyService.exempt`` and its counts.
    """
    unit = unit_phrase(info)
    return Document(
        letterhead=letterhead.letterhead(info, issued),
        kind="DANH SÁCH",
        summary=f"Người chưa biết chữ trong độ tuổi {band.label} năm {year}",
        body=(
            Paragraph(
                f"Căn cứ {DECREE}; kết quả điều tra xóa mù chữ năm {year} của {unit}: "
                f"{format_count(illiterate.total)} người trong độ tuổi {band.label} chưa biết "
                f"chữ (chưa đạt mức độ 1) và {format_count(exempt.total)} người khuyết tật không "
                "có khả năng học tập (không tính vào tỷ lệ biết chữ), cụ thể như sau:"
            ),
            Heading(f"I. Người chưa biết chữ ({format_count(illiterate.total)} người)"),
            Table(
                LIST_COLUMNS,
                _ByVillage(illiterate),
                font_size=11,
                empty_text="Không có người chưa biết chữ trong độ tuổi.",
            ),
            Heading(
                f"II. Người khuyết tật không có khả năng học tập "
                f"({format_count(exempt.total)} người)"
            ),
            Table(
                LIST_COLUMNS,
                _ByVillage(exempt),
                font_size=11,
                empty_text="Không có người khuyết tật không có khả năng học tập trong độ tuổi.",
            ),
            Paragraph(
                f"Danh sách có {format_count(illiterate.total)} người chưa biết chữ và "
                f"{format_count(exempt.total)} người khuyết tật không có khả năng học tập./."
            ),
        ),
        closing=letterhead.closing(info),
    )


# --- Sổ theo dõi ----------------------------------------------------------------------------

REGISTER_COLUMNS: tuple[Column, ...] = (
    Column("STT", 12, "center"),
    Column("Họ và tên", 46),
    Column("Ngày sinh", 20, "center"),
    Column("Giới tính", 11, "center"),
    Column("Dân tộc", 20),
    Column("Lớp", 9, "center"),
    Column("Giai đoạn XMC", 12, "center"),
    Column("Mức biết chữ", 22, "center"),
    Column("Khuyết tật", 14, "center"),
    Column("Cư trú", 19),
    Column("Hộ", 20, "center"),
    Column("Thôn, tổ dân phố", 33),
)


class _Register:
    """Persons as rows of the Sổ theo dõi, read afresh on each iteration."""

    def __init__(self, persons: Iterable[PersonRow], count: int) -> None:
        self.persons = persons
        self.count = count
        self._ethnicities: dict[str, str] = {}

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[RowItem]:
        names = self._ethnicities
        sexes, residences, levels = SEXES, RESIDENCES, LEVEL_LABELS
        for number, p in enumerate(self.persons, start=1):
            name = names.get(p.ethnicity_code)
            if name is None:
                name = names[p.ethnicity_code] = ethnicity_name(p.ethnicity_code)
            yield (
                number,
                p.full_name,
                format_birth(p.birth_date, p.birth_year),
                sexes.get(p.sex, p.sex),
                name,
                p.grade,
                p.literacy_stage or "",
                # The level rule itself (Art. 19), as the survey's counts apply it.
                levels[level(p.grade, p.literacy_stage)],
                "Có" if p.disabled else "",
                residences.get(p.residence, p.residence),
                p.household_code,
                p.village_name,
            )


def register_book(
    info: InstallationInfo,
    issued: date,
    year: int,
    persons: Iterable[PersonRow],
    count: int,
    households: int,
    villages: int,
) -> Document:
    """Sổ theo dõi: every person of the survey, by village and household.

    Args:
        info: The installation.
        issued: Date of the document.
        year: Survey year.
        persons: ``PersonService.in_register_order`` (iterable more than once).
        count: ``PersonService.register_count``.
        households: Live households (``SetupService.counts``).
        villages: Live villages (``SetupService.counts``).
    """
    unit = unit_phrase(info)
    return Document(
        letterhead=letterhead.letterhead(info, issued),
        kind="SỔ THEO DÕI",
        summary=f"Phổ cập giáo dục, xóa mù chữ năm {year}",
        body=(
            Paragraph(
                f"Sổ theo dõi nhân khẩu trong điều tra phổ cập giáo dục, xóa mù chữ năm {year} "
                f"của {unit}: {format_count(count)} nhân khẩu thuộc {format_count(households)} "
                f"hộ gia đình ở {format_count(villages)} thôn, tổ dân phố; xếp theo thôn, hộ "
                "(chủ hộ trước), rồi theo năm sinh."
            ),
            Table(
                REGISTER_COLUMNS,
                _Register(persons, count),
                font_size=10,
                empty_text="Chưa có nhân khẩu nào.",
            ),
            Paragraph(f"Sổ có {format_count(count)} nhân khẩu./."),
        ),
        closing=letterhead.closing(info),
    )
