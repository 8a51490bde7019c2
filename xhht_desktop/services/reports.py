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

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from xhht_desktop.errors import ReportFailed, ReportNotSupported
from xhht_desktop.reports import literacy as literacy_reports
from xhht_desktop.reports.document import Document, Progress
from xhht_desktop.store.files import write_atomically
from xhht_desktop.store.repositories import PersonRow

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext
    from xhht_desktop.reports.pdf import RenderedPdf

FORMATS: dict[str, str] = {"pdf": "PDF", "xlsx": "Excel"}
PAGE = 1000

Builder = Callable[["AppContext", int, date], Document]


@dataclass(frozen=True)
class ReportKind:
    """One report of the catalogue.

    Attributes:
        code: What the command line calls it (``xoa-mu-chu``).
        title: Its Vietnamese name.
        build: Gathers the figures of a year and declares the document;
            ``None`` while the report is not available yet.
    """

    code: str
    title: str
    build: Builder | None = None

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


REPORT_KINDS: dict[str, ReportKind] = {
    kind.code: kind
    for kind in (
        ReportKind("ket-qua", "Báo cáo kết quả thực hiện kế hoạch xây dựng xã hội học tập"),
        ReportKind("mo-hinh", "Biểu thống kê mô hình học tập"),
        ReportKind("xoa-mu-chu", "Biểu thống kê xóa mù chữ", _statistical_sheet),
        ReportKind("quyet-dinh", "Quyết định công nhận và danh sách kèm theo"),
        ReportKind("chua-biet-chu", "Danh sách người chưa biết chữ", _illiterate_list),
        ReportKind("so-theo-doi", "Sổ theo dõi phổ cập giáo dục, xóa mù chữ", _register_book),
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

    def document(self, code: str, year: int | None = None, issued: date | None = None) -> Document:
        """Gather the figures of a year and declare the document.

        Args:
            code: Catalogue code.
            year: Reported year; the installation's reporting year when ``None``.
            issued: Date of the document; today when ``None``.
        """
        kind = self.kind(code)
        year = self.context.setup.require().year if year is None else year
        assert kind.build is not None
        return kind.build(self.context, year, issued or date.today())

    def write(
        self,
        code: str,
        path: Path,
        fmt: str | None = None,
        year: int | None = None,
        issued: date | None = None,
        progress: Progress | None = None,
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
        document = self.document(code, year, issued)
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
