"""Official reports: build one for a year, write it safely, say where it went.

The catalogue (:data:`REPORT_KINDS`) names every report the app offers. A
report that exists is one function here that gathers its figures from the
services and hands them to a document declaration in ``reports/`` (e.g.
``reports.literacy.statistical_sheet``); the PDF and Excel renderers do the
rest. Adding a report is adding a declaration and one catalogue line.

Files are written under a temporary name and renamed when complete
(``store.files.write_atomically``): a failure leaves the old file, or none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from xhht_desktop.core.models_cycle import DecisionDraft, normalise_decision
from xhht_desktop.errors import NotFound, ReportFailed, ReportNotSupported
from xhht_desktop.reports import consolidated as consolidated_reports
from xhht_desktop.reports import literacy as literacy_reports
from xhht_desktop.reports import models as model_reports
from xhht_desktop.reports import plan_results as plan_reports
from xhht_desktop.reports.document import Document, Progress, format_count
from xhht_desktop.store.files import write_atomically
from xhht_desktop.store.model_queries import DecisionRow
from xhht_desktop.store.repositories import PersonRow

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext
    from xhht_desktop.reports.pdf import RenderedPdf

FORMATS: dict[str, str] = {"pdf": "PDF", "xlsx": "Excel"}
PAGE = 1000

Builder = Callable[..., Document]
"""``build(context, year, issued, **options)``: the options are the kind's own."""


@dataclass(frozen=True)
class ReportOption:
    """A choice a report takes besides the year (which decision to print…).

    Attributes:
        name: Keyword of the builder and of :meth:`ReportService.write`'s
            ``options``; the command line's ``--name``.
        label: Its Vietnamese name.
        choices: The values offered for a year, as ``(value, label)``, the
            default first; the value is what the command line takes.
    """

    name: str
    label: str
    choices: Callable[[AppContext, int], list[tuple[str, str]]]


@dataclass(frozen=True)
class ReportKind:
    """One report of the catalogue.

    Attributes:
        code: What the command line calls it (``xoa-mu-chu``).
        title: Its Vietnamese name.
        build: Gathers the figures of a year and declares the document;
            ``None`` while the report is not available yet.
        options: The choices ``build`` takes as keywords besides the year.
    """

    code: str
    title: str
    build: Builder | None = None
    options: tuple[ReportOption, ...] = ()

    @property
    def supported(self) -> bool:
        return self.build is not None


@dataclass(frozen=True)
class ReportFile:
    """A written report.

    Attributes:
        path: Where it is.
        kind: Its catalogue code.
        format: ``pdf`` or ``xlsx``.
        year: The year it reports on.
        pages: Pages of a PDF; ``None`` for Excel (Excel paginates when printing).
        signature_page: The PDF page (from 0) with the signer's signature
            space; ``None`` for Excel.
        signature_box: That space in PDF points (x1, y1, x2, y2 from the
            bottom left), where a digital signature's stamp belongs.
    """

    path: Path
    kind: str
    format: str
    year: int
    pages: int | None
    signature_page: int | None = None
    signature_box: tuple[int, int, int, int] | None = None


class _Pages:
    """A service's paged list, read afresh on each iteration (PDF and Excel each read it)."""

    def __init__(self, fetch: Callable[[int, int], list[PersonRow]]) -> None:
        self.fetch = fetch

    def __iter__(self) -> Iterator[PersonRow]:
        offset = 0
        while True:
            rows = self.fetch(offset, PAGE)
            yield from rows
            if len(rows) < PAGE:
                return
            offset += PAGE


class _Stream:
    """A streamed query, started afresh on each iteration."""

    def __init__(self, start: Callable[[], Iterator[PersonRow]]) -> None:
        self.start = start

    def __iter__(self) -> Iterator[PersonRow]:
        return self.start()


# --- The literacy reports -------------------------------------------------------------


def _statistical_sheet(context: AppContext, year: int, issued: date) -> Document:
    info = context.setup.require()
    if info.role == "office":
        # Commune by commune, and the office's verdict (Art. 20.2, 21.2).
        return consolidated_reports.literacy_sheet(
            info, issued, context.consolidation.literacy(year)
        )
    return literacy_reports.statistical_sheet(
        info, issued, context.literacy.by_village(year), context.literacy.rates(year)
    )


def _illiterate_list(context: AppContext, year: int, issued: date) -> Document:
    info = context.setup.require()
    service = context.literacy
    villages = [v.id for v in context.villages.list()]

    def illiterate(offset: int, limit: int) -> list[PersonRow]:
        return service.not_literate(year, offset=offset, limit=limit)

    def exempt(offset: int, limit: int) -> list[PersonRow]:
        return service.exempt(year, offset=offset, limit=limit)

    return literacy_reports.illiterate_list(
        info,
        issued,
        year,
        service.settings().target_band,
        literacy_reports.PeopleList(
            _Pages(illiterate),
            service.not_literate_count(year),
            {v: service.not_literate_count(year, v) for v in villages},
        ),
        literacy_reports.PeopleList(
            _Pages(exempt),
            service.exempt_count(year),
            {v: service.exempt_count(year, v) for v in villages},
        ),
    )


def _register_book(context: AppContext, year: int, issued: date) -> Document:
    info = context.setup.require()
    counts = context.setup.counts()
    persons = context.persons
    return literacy_reports.register_book(
        info,
        issued,
        year,
        _Stream(persons.in_register_order),
        persons.register_count(),
        households=counts["households"],
        villages=counts["villages"],
    )


# --- The learning models' reports ----------------------------------------------------


def _models_sheet(context: AppContext, year: int, issued: date) -> Document:
    info = context.setup.require()
    if info.role == "office":
        return consolidated_reports.models_sheet(info, issued, year, _commune_models(context, year))
    return model_reports.models_sheet(info, issued, context.learning_models.counts(year))


def _commune_models(context: AppContext, year: int) -> list[consolidated_reports.CommuneModels]:
    """Each commune's learning-model figures at the office, counted as the commune counts them."""
    from xhht_desktop.services.learning_models import figures
    from xhht_desktop.store.model_queries import count_models

    communes = context.consolidation.communes()
    with context.reading() as session:
        return [
            consolidated_reports.CommuneModels(
                entry.code, entry.name, figures(year, count_models(session, year, entry.code))
            )
            for entry in communes
        ]


def _decision_order(decision: DecisionRow) -> tuple[date, int, str]:
    # "9/QĐ-UBND" comes before "15/QĐ-UBND" of the same day.
    head = decision.number.split("/", 1)[0]
    return decision.decided_on, int(head) if head.isdigit() else 0, decision.number


def _decision_choices(context: AppContext, year: int) -> list[tuple[str, str]]:
    """The year's recognition decisions, the latest (the default) first."""
    decisions = sorted(context.learning_models.decisions(year), key=_decision_order, reverse=True)
    return [
        (
            d.number,
            f"{d.number} ngày {d.decided_on:%d/%m/%Y} "
            f"({format_count(sum(d.recognised.values()))} đối tượng)",
        )
        for d in decisions
    ]


def find_decision(context: AppContext, year: int, number: str | None = None) -> DecisionRow:
    """The recognition decision ``number`` of ``year``; the latest of the year when ``None``.

    ``number`` is matched as entered elsewhere ("15/qd-ubnd" is 15/QĐ-UBND),
    or by its number alone ("15") when that names one decision.

    Raises:
        NotFound: the year has no decision, or none with that number.
    """
    decisions = context.learning_models.decisions(year)
    if not decisions:
        raise NotFound(
            f"Năm {year} chưa có quyết định công nhận mô hình học tập nào: hãy nhập quyết định "
            "(trang Mô hình học tập → Công nhận) trước khi in."
        )
    if number is None:
        return max(decisions, key=_decision_order)
    wanted = normalise_decision(DecisionDraft(number, None, "")).number
    found = [d for d in decisions if d.number == wanted] or [
        d for d in decisions if d.number.split("/", 1)[0] == wanted
    ]
    if len(found) == 1:
        return found[0]
    known = ", ".join(d.number for d in sorted(decisions, key=_decision_order))
    problem = (
        f"Số {number} ứng với nhiều quyết định của năm {year}: hãy ghi đủ số"
        if found
        else f"Năm {year} không có quyết định công nhận số {number}"
    )
    raise NotFound(f"{problem}. Các quyết định của năm: {known}.")


def _recognition_decision(
    context: AppContext, year: int, issued: date, decision: str | None = None
) -> Document:
    # The decision carries its own date: ``issued`` does not apply.
    info = context.setup.require()
    service = context.learning_models
    found = find_decision(context, year, decision)
    annex = service.decision_annex(found.id)
    if not any(annex.values()):
        raise NotFound(
            f"Quyết định số {found.number} không còn đối tượng nào được công nhận: không có "
            "danh sách để in."
        )
    definitions = service.definitions()
    used: list[model_reports.CriteriaUsed] = []
    for entries in annex.values():
        for key in dict.fromkeys(
            (e.criteria_id, e.criteria_version)
            for e in entries
            if e.criteria_id is not None and e.criteria_version is not None
        ):
            loaded = definitions.get(*key)
            used.append(model_reports.CriteriaUsed(*key, title=loaded.title if loaded else ""))
    return model_reports.recognition_decision(info, found, annex, list(dict.fromkeys(used)))


# --- The plan's results ---------------------------------------------------------------


def _plan_choices(context: AppContext, year: int) -> list[tuple[str, str]]:
    """Every plan that loads, the active one (the default) first."""
    active = context.plans.active_id()
    plans = sorted(context.plans.list(), key=lambda p: p.id != active)
    # "Đang dùng" leads: a long title is cut at its end in a narrow drop-down.
    return [(p.id, f"Đang dùng: {p.title}" if p.id == active else p.title) for p in plans]


def _plan_results(
    context: AppContext, year: int, issued: date, plan: str | None = None
) -> Document:
    info = context.setup.require()
    if info.role == "office":
        return consolidated_reports.plan_results(
            info, issued, context.consolidation.evaluations(year, plan)
        )
    return plan_reports.plan_results(info, issued, context.indicators.evaluate(year, plan))


# --- The audit log ------------------------------------------------------------------


def _audit_log(
    context: AppContext,
    year: int,
    issued: date,
    period: str | None = None,
    record: str | None = None,
) -> Document:
    from xhht_desktop.services.audit import audit_document

    return audit_document(context, year, issued, period=period, record=record)


def _audit_period_choices(context: AppContext, year: int) -> list[tuple[str, str]]:
    from xhht_desktop.services.audit import period_choices

    return period_choices(year)


def _audit_record_choices(context: AppContext, year: int) -> list[tuple[str, str]]:
    # A record's history is opened from its register (or ``xhht audit --record``).
    return [("", "Mọi hồ sơ")]


REPORT_KINDS: dict[str, ReportKind] = {
    kind.code: kind
    for kind in (
        ReportKind(
            "ket-qua",
            plan_reports.REPORT_TITLE,
            _plan_results,
            (ReportOption("plan", "Kế hoạch", _plan_choices),),
        ),
        ReportKind("mo-hinh", "Biểu thống kê mô hình học tập", _models_sheet),
        ReportKind("xoa-mu-chu", "Biểu thống kê xóa mù chữ", _statistical_sheet),
        ReportKind(
            "quyet-dinh",
            "Quyết định công nhận và danh sách kèm theo",
            _recognition_decision,
            (ReportOption("decision", "Quyết định", _decision_choices),),
        ),
        ReportKind("chua-biet-chu", "Danh sách người chưa biết chữ", _illiterate_list),
        ReportKind("so-theo-doi", "Sổ theo dõi phổ cập giáo dục, xóa mù chữ", _register_book),
        ReportKind(
            "nhat-ky",
            "Nhật ký thay đổi dữ liệu",
            _audit_log,
            (
                ReportOption("period", "Thời gian", _audit_period_choices),
                ReportOption("record", "Hồ sơ", _audit_record_choices),
            ),
        ),
    )
}


class ReportService:
    def __init__(self, context: AppContext) -> None:
        self.context = context

    def kinds(self) -> tuple[ReportKind, ...]:
        """Every report of the catalogue, available or not, in menu order."""
        return tuple(REPORT_KINDS.values())

    def kind(self, code: str) -> ReportKind:
        """The catalogue entry of an available report.

        Raises:
            ReportNotSupported: no such report, or not available in this version.
        """
        kind = REPORT_KINDS.get(code)
        if kind is None:
            raise ReportNotSupported(
                f"Không có loại báo cáo '{code}'. Các loại: {', '.join(REPORT_KINDS)}."
            )
        if kind.build is None:
            raise ReportNotSupported(
                f"Báo cáo «{kind.title}» ({code}) chưa hỗ trợ trong phiên bản này."
            )
        return kind

    def choices(self, code: str, option: str, year: int | None = None) -> list[tuple[str, str]]:
        """The values a report's option offers for a year, ``(value, label)``, the default first.

        Raises:
            ReportNotSupported: no such report or option.
        """
        kind = self.kind(code)
        year = self.context.setup.require().year if year is None else year
        for candidate in kind.options:
            if candidate.name == option:
                return candidate.choices(self.context, year)
        raise ReportNotSupported(f"Báo cáo «{kind.title}» không có tùy chọn '{option}'.")

    def _options(
        self, kind: ReportKind, options: Mapping[str, str | None] | None
    ) -> dict[str, str]:
        given = {name: value for name, value in (options or {}).items() if value}
        unknown = sorted(set(given) - {option.name for option in kind.options})
        if unknown:
            raise ReportNotSupported(
                f"Báo cáo «{kind.title}» không có tùy chọn {', '.join(unknown)}."
            )
        return given

    def document(
        self,
        code: str,
        year: int | None = None,
        issued: date | None = None,
        options: Mapping[str, str | None] | None = None,
    ) -> Document:
        """Gather the figures of a year and declare the document.

        Args:
            code: Catalogue code.
            year: Reported year; the installation's reporting year when ``None``.
            issued: Date of the document; today when ``None``.
            options: The report's own options by name (``{"decision":
                "15/QĐ-UBND"}``); an empty or missing one takes its default.

        Raises:
            ReportNotSupported: unknown report or option.
        """
        kind = self.kind(code)
        chosen = self._options(kind, options)
        year = self.context.setup.require().year if year is None else year
        assert kind.build is not None
        return kind.build(self.context, year, issued or date.today(), **chosen)

    def write(
        self,
        code: str,
        path: Path,
        fmt: str | None = None,
        year: int | None = None,
        issued: date | None = None,
        progress: Progress | None = None,
        options: Mapping[str, str | None] | None = None,
    ) -> ReportFile:
        """Build a report and write it to ``path``, complete or not at all.

        Args:
            code: Catalogue code.
            path: The file to write (replaced if it exists).
            fmt: ``pdf`` or ``xlsx``; from the file's extension when ``None``.
            year: Reported year; the installation's reporting year when ``None``.
            issued: Date of the document; today when ``None``.
            progress: Told how far the tables are; raising from it cancels
                (and leaves no file).
            options: The report's own options (see :meth:`document`).

        Raises:
            ReportNotSupported: unknown or unavailable report, unknown format.
            ReportFailed: the file could not be written.
        """
        path = Path(path)
        fmt = (fmt or path.suffix.lstrip(".")).lower()
        if fmt not in FORMATS:
            raise ReportNotSupported(
                f"Định dạng '{fmt}' không được hỗ trợ; chọn một trong: {', '.join(FORMATS)}."
            )
        year = self.context.setup.require().year if year is None else year
        document = self.document(code, year, issued, options)
        rendered: list[RenderedPdf] = []

        def render(out: BinaryIO) -> None:
            # Imported here: reportlab is loaded only when a PDF is made.
            if fmt == "pdf":
                from xhht_desktop.reports import pdf

                rendered.append(pdf.render(document, out, progress))
            else:
                from xhht_desktop.reports import xlsx

                xlsx.render(document, out, progress)

        try:
            write_atomically(path, render)
        except OSError as exc:
            raise ReportFailed(
                f"Không ghi được tệp '{path}': {exc.strerror or exc}. Chưa có tệp nào được tạo "
                "hoặc thay đổi."
            ) from exc
        if not rendered:
            return ReportFile(path, code, fmt, year, None)
        space = rendered[0].signature
        if space is None:
            return ReportFile(path, code, fmt, year, rendered[0].pages)
        x1, y1, x2, y2 = (round(v) for v in space.box)
        return ReportFile(path, code, fmt, year, rendered[0].pages, space.page, (x1, y1, x2, y2))

    def file_name(self, code: str, fmt: str, year: int | None = None) -> str:
        """A file name to offer when saving: ``bieu-thong-ke-xoa-mu-chu-2026.pdf``."""
        year = self.context.setup.require().year if year is None else year
        kind = self.kind(code)
        return f"{kind.code}-{year}.{fmt}"
