"""The preview of a report's pages, and its printing.

A :class:`ReportPreview` shows a PDF written by the report engine with
QtPdf, one whole page at a time; Page Up and Page Down (Home, End) turn the
pages. :func:`print_pdf` sends the same pages to a printer: each page is
rendered at the printer's resolution and drawn on a full A4 sheet, in the
document's own orientation, so that the paper is the PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QMarginsF,
    QObject,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

MAX_PRINT_DPI = 300
"""Pages are rendered at the printer's resolution up to this: an A4 page at
600 dpi is a 140 MB image, and 300 dpi is already print quality for text."""

POINTS_PER_INCH = 72


class PreviewFailed(Exception):
    """The PDF could not be opened or printed; the message says why, in Vietnamese."""


class ReportPreview(QWidget):
    """A report's pages, one at a time, turned by keyboard.

    Keys (with the focus on the pages): Page Down / Page Up next and
    previous page, Home / End first and last.

    Signals:
        page_changed(int, int): the page shown (from 0) and the page count.

    Attributes:
        document: The PDF shown.
        view: The page view.
        path: The file shown, ``None`` before the first one.
    """

    page_changed = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path: Path | None = None
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setObjectName("reportPreview")
        self.view.setAccessibleName(self.tr("Xem trước báo cáo"))
        self.view.setPageMode(QPdfView.PageMode.SinglePage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.view.setDocument(self.document)
        self.view.installEventFilter(self)
        self.placeholder = QLabel(
            self.tr("Chọn báo cáo rồi bấm «Xem trước» để xem các trang ở đây.")
        )
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.placeholder)
        layout.addWidget(self.view, 1)
        self.view.setVisible(False)
        self.view.pageNavigator().currentPageChanged.connect(
            lambda page: self.page_changed.emit(page, self.page_count())
        )

    # -- the document --------------------------------------------------------

    def load(self, path: Path) -> int:
        """Show the PDF at ``path`` from its first page; return its page count.

        Raises:
            PreviewFailed: the file is not a PDF QtPdf can open.
        """
        error = self.document.load(str(path))
        if error != QPdfDocument.Error.None_:
            self.clear()
            raise PreviewFailed(
                self.tr("Không mở được tệp xem trước «{name}» ({error}).").format(
                    name=Path(path).name, error=error.name
                )
            )
        self.path = Path(path)
        self.placeholder.setVisible(False)
        self.view.setVisible(True)
        self.go_to(0)
        self.page_changed.emit(self.current_page(), self.page_count())
        return self.page_count()

    def clear(self) -> None:
        """Show nothing (and let go of the file)."""
        self.document.close()
        self.path = None
        self.view.setVisible(False)
        self.placeholder.setVisible(True)

    def page_count(self) -> int:
        return self.document.pageCount()

    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage()

    def landscape(self) -> bool:
        """Whether the first page is wider than tall."""
        size = self.document.pagePointSize(0)
        return size.width() > size.height()

    # -- turning pages -----------------------------------------------------------

    def go_to(self, page: int) -> None:
        """Show ``page`` (from 0), kept within the document."""
        count = self.page_count()
        if count == 0:
            return
        page = max(0, min(page, count - 1))
        navigator = self.view.pageNavigator()
        navigator.jump(page, QPointF(), navigator.currentZoom())

    _KEYS: ClassVar[dict[Qt.Key, Callable[[int, int], int]]] = {
        Qt.Key.Key_PageDown: lambda page, count: page + 1,
        Qt.Key.Key_PageUp: lambda page, count: page - 1,
        Qt.Key.Key_Home: lambda page, count: 0,
        Qt.Key.Key_End: lambda page, count: count - 1,
    }

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A whole page is in view: the scroll area's own Page Up/Down would
        # do nothing useful, so they turn the pages instead.
        if watched is self.view and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            turn = self._KEYS.get(Qt.Key(event.key()))
            if turn is not None and self.page_count():
                self.go_to(turn(self.current_page(), self.page_count()))
                return True
        return super().eventFilter(watched, event)


def page_layout(landscape: bool) -> QPageLayout:
    """A4 without margins: the PDF pages carry the decree's margins themselves."""
    orientation = (
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation, QMarginsF(0, 0, 0, 0))


def prepare_printer(printer: QPrinter, document: QPdfDocument, title: str) -> None:
    """Set the printer up for ``document``: A4, its orientation, the whole sheet."""
    size = document.pagePointSize(0)
    printer.setPageLayout(page_layout(size.width() > size.height()))
    printer.setFullPage(True)
    printer.setDocName(title)
    printer.setFromTo(1, max(document.pageCount(), 1))


def print_pdf(document: QPdfDocument, printer: QPrinter) -> int:
    """Print the pages of ``document`` the printer's range asks for; return how many.

    Raises:
        PreviewFailed: the printer cannot be opened.
    """
    count = document.pageCount()
    first, last = printer.fromPage(), printer.toPage()
    if first == 0 and last == 0:
        first, last = 1, count
    pages = range(max(first, 1) - 1, min(last, count))
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        raise PreviewFailed(
            QCoreApplication.translate(
                "ReportPreview", "Không mở được máy in. Hãy kiểm tra máy in rồi thử lại."
            )
        )
    printed = 0
    try:
        for page in pages:
            if printed:
                printer.newPage()
            size = document.pagePointSize(page)
            image = document.render(
                page,
                QSize(
                    round(size.width() / POINTS_PER_INCH * dpi),
                    round(size.height() / POINTS_PER_INCH * dpi),
                ),
            )
            sheet = printer.paperRect(QPrinter.Unit.DevicePixel)
            painter.drawImage(QRectF(0, 0, sheet.width(), sheet.height()), image)
            printed += 1
    finally:
        painter.end()
    return printed
