"""The help window: the Vietnamese user guide, offline, with contents and search.

The guide is the HTML in ``resources/guide/`` (see :mod:`xhht_desktop.guide`);
a :class:`~PySide6.QtWidgets.QTextBrowser` shows it, with back and forward,
the table of contents on the left and a search box above it that ignores
diacritics. F1 anywhere in the main window opens the part of the guide
about the page on screen (``guide.PAGE_TOPICS``).
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QPoint, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xhht_desktop import guide
from xhht_desktop.core import text as vntext

ADDRESS_ROLE = Qt.ItemDataRole.UserRole
SEARCH_DELAY_MS = 200


class HelpWindow(QWidget):
    """The guide in its own window, beside the main window.

    Keys: Alt+← / Alt+→ back and forward, Ctrl+F the search box (Enter there
    opens the first result, ↓ goes into the results), Esc closes.

    Attributes:
        browser: Shows the current page.
        contents: The table of contents: sections and their parts.
        search: The search box.
        results: The parts that match the search (shown while searching).

    Signals:
        topic_shown(str): the address (``page.html#anchor``) now shown.
    """

    topic_shown = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("Hướng dẫn sử dụng — XHHT Desktop"))
        self.setObjectName("helpWindow")

        self.back_button = self._tool_button(self.tr("◀ Lùi"), self.tr("Trang trước (Alt+←)"))
        self.forward_button = self._tool_button(self.tr("Tiến ▶"), self.tr("Trang sau (Alt+→)"))
        self.home_button = self._tool_button(self.tr("Mục lục"), self.tr("Về mục lục"))
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Tìm trong hướng dẫn, không cần dấu (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Tìm trong hướng dẫn"))
        search_label = QLabel(self.tr("&Tìm:"))
        search_label.setBuddy(self.search)

        self.contents = QTreeWidget()
        self.contents.setHeaderHidden(True)
        self.contents.setAccessibleName(self.tr("Mục lục"))
        self._fill_contents()
        self.results = QListWidget()
        self.results.setAccessibleName(self.tr("Kết quả tìm"))
        self.results.setWordWrap(True)
        self.results.setAlternatingRowColors(True)
        self.results.setSpacing(2)
        self.results.hide()
        self.no_results = QLabel(self.tr("Không tìm thấy trong hướng dẫn."))
        self.no_results.setWordWrap(True)
        self.no_results.hide()

        self.browser = QTextBrowser()
        self.browser.setOpenLinks(True)
        self.browser.setOpenExternalLinks(False)
        self.browser.setSearchPaths([str(guide.guide_dir())])
        # Qt's rich text does not load <link rel="stylesheet">: the guide's
        # one style sheet is every page's default instead.
        self.browser.document().setDefaultStyleSheet(
            (guide.guide_dir() / guide.STYLE_SHEET).read_text(encoding="utf-8")
        )

        bar = QHBoxLayout()
        for button in (self.back_button, self.forward_button, self.home_button):
            bar.addWidget(button)
        bar.addSpacing(12)
        bar.addWidget(search_label)
        bar.addWidget(self.search, 1)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.results, 1)
        side_layout.addWidget(self.no_results)
        side_layout.addWidget(self.contents, 1)
        splitter = QSplitter()
        splitter.addWidget(side)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 740])

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

        self._address = ""
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._connect()
        for first, second in pairwise([self.search, self.results, self.contents, self.browser]):
            QWidget.setTabOrder(first, second)
        self.resize(1000, 700)
        self.show_topic(guide.INDEX_PAGE)

    def _tool_button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button

    def _fill_contents(self) -> None:
        top = QTreeWidgetItem([self.tr("Mục lục")])
        top.setData(0, ADDRESS_ROLE, guide.INDEX_PAGE)
        self.contents.addTopLevelItem(top)
        for section in guide.SECTIONS:
            item = QTreeWidgetItem([section.title])
            item.setData(0, ADDRESS_ROLE, section.page)
            for anchor, title in section.topics:
                child = QTreeWidgetItem([title])
                child.setData(0, ADDRESS_ROLE, f"{section.page}#{anchor}")
                item.addChild(child)
            self.contents.addTopLevelItem(item)

    def _connect(self) -> None:
        self.back_button.clicked.connect(self.browser.backward)
        self.forward_button.clicked.connect(self.browser.forward)
        self.home_button.clicked.connect(lambda: self.show_topic(guide.INDEX_PAGE))
        self.browser.backwardAvailable.connect(self.back_button.setEnabled)
        self.browser.forwardAvailable.connect(self.forward_button.setEnabled)
        self.back_button.setEnabled(False)
        self.forward_button.setEnabled(False)
        self.browser.sourceChanged.connect(self._source_changed)
        self.browser.anchorClicked.connect(self._anchor_clicked)
        self.contents.itemActivated.connect(self._item_activated)
        self.contents.itemClicked.connect(self._item_activated)
        self.results.itemActivated.connect(self._result_activated)
        self.results.itemClicked.connect(self._result_activated)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self._search_timer.timeout.connect(self.run_search)
        self.search.returnPressed.connect(self._open_first_result)

        for keys, slot in (
            (QKeySequence.StandardKey.Find, self.focus_search),
            (QKeySequence.StandardKey.Back, self.browser.backward),
            (QKeySequence.StandardKey.Forward, self.browser.forward),
            (QKeySequence(Qt.Key.Key_Escape), self.close),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(slot)
        down = QShortcut(QKeySequence(Qt.Key.Key_Down), self.search)
        down.setContext(Qt.ShortcutContext.WidgetShortcut)
        down.activated.connect(self._into_results)

    # --- navigation --------------------------------------------------------

    def show_topic(self, address: str) -> None:
        """Show ``page.html`` or ``page.html#anchor`` of the guide."""
        page, _sep, anchor = address.partition("#")
        path = guide.guide_dir() / (page or guide.INDEX_PAGE)
        if not path.is_file():
            path, anchor = guide.guide_dir() / guide.INDEX_PAGE, ""
        url = QUrl.fromLocalFile(str(path))
        if anchor:
            url.setFragment(anchor)
        self.browser.setSource(url)

    def current_address(self) -> str:
        """The address shown now, as ``page.html#anchor``."""
        return self._address

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _source_changed(self, url: QUrl) -> None:
        # Qt emits this before source() is updated: the URL given is the new one.
        address = url.fileName() + (f"#{url.fragment()}" if url.hasFragment() else "")
        self._address = address
        page = address.split("#", 1)[0]
        self.setWindowTitle(
            self.tr("{title} — Hướng dẫn sử dụng XHHT Desktop").format(title=guide.page_title(page))
        )
        self._select_in_contents(address)
        self.topic_shown.emit(address)

    def _select_in_contents(self, address: str) -> None:
        page = address.split("#", 1)[0]
        best: QTreeWidgetItem | None = None
        iterator = [self.contents.topLevelItem(i) for i in range(self.contents.topLevelItemCount())]
        for item in iterator:
            if item.data(0, ADDRESS_ROLE) == page:
                best = item
            for row in range(item.childCount()):
                child = item.child(row)
                if child.data(0, ADDRESS_ROLE) == address:
                    best = child
        if best is not None:
            self.contents.blockSignals(True)
            self.contents.setCurrentItem(best)
            self.contents.blockSignals(False)

    def _anchor_clicked(self, url: QUrl) -> None:
        # The guide never links outside itself; should it ever, the system's
        # browser opens it rather than this window showing a blank page.
        if url.scheme() in ("http", "https", "mailto"):
            self.browser.setSource(self.browser.source())
            QDesktopServices.openUrl(url)

    def _item_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        self.show_topic(str(item.data(0, ADDRESS_ROLE)))

    # --- search ------------------------------------------------------------

    def run_search(self) -> list[guide.Hit]:
        """Search the guide for the text of the search box; list the parts found."""
        self._search_timer.stop()
        query = self.search.text()
        hits = guide.search(query)
        self.results.clear()
        for hit in hits:
            item = QListWidgetItem(f"{hit.title}\n{hit.snippet}")
            item.setData(ADDRESS_ROLE, hit.address)
            item.setToolTip(guide.page_title(hit.address.split("#", 1)[0]))
            self.results.addItem(item)
        searching = bool(query.strip())
        self.results.setVisible(searching and bool(hits))
        self.no_results.setVisible(searching and not hits)
        return hits

    def _open_first_result(self) -> None:
        self.run_search()
        if self.results.count():
            self.results.setCurrentRow(0)
            self._result_activated(self.results.item(0))

    def _into_results(self) -> None:
        if self.results.isVisible() and self.results.count():
            self.results.setFocus()
            if self.results.currentRow() < 0:
                self.results.setCurrentRow(0)

    def _result_activated(self, item: QListWidgetItem) -> None:
        self.show_topic(str(item.data(ADDRESS_ROLE)))
        self.mark(self.search.text())

    def mark(self, query: str) -> bool:
        """Select the first place at or below the top of the view that matches ``query``.

        Diacritics are ignored as in the search: "van tay" marks "vân tay".
        Returns whether a place was found.
        """
        phrase = " ".join(vntext.search_tokens(query))
        if not phrase:
            return False
        top = self.browser.cursorForPosition(QPoint(0, 0)).block()
        block = top
        while block.isValid():
            text = block.text()
            folded = vntext.fold(text)
            # Folding keeps one letter per letter of composed Vietnamese text,
            # so a place in the folded block is the same place in the block.
            at = folded.find(phrase) if len(folded) == len(text) else -1
            if at >= 0:
                cursor = QTextCursor(block)
                cursor.setPosition(block.position() + at)
                cursor.setPosition(
                    block.position() + at + len(phrase), QTextCursor.MoveMode.KeepAnchor
                )
                self.browser.setTextCursor(cursor)
                self.browser.ensureCursorVisible()
                return True
            block = block.next()
        return False

    def sizeHint(self) -> QSize:
        return QSize(1000, 700)
