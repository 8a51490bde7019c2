"""Tests of xhht_desktop.ui.main_window: the navigation's order and every shortcut.

Pages keep their place in ``PAGES`` (and so their Ctrl+digit) when a later
page is listed higher up in the navigation.
"""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut

from xhht_desktop.core.registers import VillageDraft
from xhht_desktop.ui.main_window import (
    PAGES,
    MainWindow,
    PageSpec,
    navigation_order,
    page_shortcut,
)
from xhht_desktop.ui.pages.clans import ClansPage
from xhht_desktop.ui.pages.units import UnitsPage

Ctrl = Qt.KeyboardModifier.ControlModifier
# Pages other work adds may open dialogs of their own; the offscreen platform
# warns about their size hints.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

#: The pages and shortcuts users know from earlier versions: they must not move.
KNOWN = (
    "Tổng quan",
    "Thôn/Tổ dân phố",
    "Hộ gia đình",
    "Nhân khẩu",
    "Xóa mù chữ",
    "Danh sách cần xử lý",
)


def _index(key: str) -> int:
    return next(number for number, spec in enumerate(PAGES) if spec.key == key)


@pytest.fixture
def window(context, show) -> MainWindow:
    context.villages.save(VillageDraft("thon", "Thôn 1"))
    return show(MainWindow(context))


def _texts(window: MainWindow) -> list[str]:
    return [window.navigation.item(row).text() for row in range(window.navigation.count())]


def test_clans_and_units_are_listed_after_households_and_known_shortcuts_stay(window):
    texts = _texts(window)
    assert texts[:6] == [
        "Tổng quan",
        "Thôn/Tổ dân phố",
        "Hộ gia đình",
        "Dòng họ",
        "Cơ quan, đơn vị",
        "Nhân khẩu",
    ]
    assert sorted(texts) == sorted(window.tr(spec.title) for spec in PAGES)
    # The View menu lists the pages as the navigation does.
    (view_menu,) = (a.menu() for a in window.menuBar().actions() if a.text() == "&Xem")
    assert [action.text() for action in view_menu.actions()] == texts
    for number, title in enumerate(KNOWN, start=1):
        action = window.page_actions[number - 1]
        assert (action.text(), action.shortcut().toString()) == (title, f"Ctrl+{number}")
    # The new pages take the next free digits; the navigation's tool tip says which.
    shortcuts = {
        window.page_actions[_index(key)].shortcut().toString() for key in ("clans", "units")
    }
    assert shortcuts == {page_shortcut(_index("clans")), page_shortcut(_index("units"))}
    assert "" not in shortcuts
    assert window.navigation.item(3).toolTip() == page_shortcut(_index("clans"))


def test_no_two_shortcuts_of_the_window_are_the_same(window):
    actions: Counter[str] = Counter(
        sequence.toString()
        for action in window.findChildren(QAction)
        for sequence in action.shortcuts()
        if not sequence.isEmpty()
    )
    assert actions, "the window has shortcuts"
    assert [key for key, count in actions.items() if count > 1] == []

    # Nor does a page take a key that a menu already has.
    pages = [window.page(number) for number in range(len(PAGES))]
    taken = {
        shortcut.key().toString() for page in pages for shortcut in page.findChildren(QShortcut)
    }
    assert taken, "the register pages have shortcuts"
    assert taken.isdisjoint(actions)


def test_the_new_pages_open_from_their_shortcuts_and_the_navigation(window, keyboard):
    for key, page_class in (("clans", ClansPage), ("units", UnitsPage)):
        sequence = QKeySequence(page_shortcut(_index(key)))[0]
        keyboard.press(sequence.key(), sequence.keyboardModifiers())
        page = window.page(_index(key))
        assert isinstance(page, page_class)
        assert window.current_index() == _index(key)
        assert window.stack.currentWidget().isAncestorOf(page)
        # The keyboard lands in the page: the search box first.
        assert keyboard.focused() is page.search

    keyboard.press(Qt.Key.Key_3, Ctrl)
    assert window.navigation.currentItem().text() == "Hộ gia đình"
    window.navigation.setFocus()
    keyboard.press(Qt.Key.Key_Down)
    assert window.current_index() == _index("clans")
    keyboard.press(Qt.Key.Key_Down)
    assert window.current_index() == _index("units")
    keyboard.press(Qt.Key.Key_Down)
    assert window.navigation.currentItem().text() == "Nhân khẩu"
    assert window.current_index() == _index("persons")


def test_a_database_not_set_up_offers_neither_clans_nor_units(empty_context, show, keyboard):
    window = show(MainWindow(empty_context))
    for row, text in ((3, "Dòng họ"), (4, "Cơ quan, đơn vị")):
        item = window.navigation.item(row)
        assert item.text() == text
        assert not item.flags() & Qt.ItemFlag.ItemIsEnabled
    sequence = QKeySequence(page_shortcut(_index("clans")))[0]
    keyboard.press(sequence.key(), sequence.keyboardModifiers())
    assert window.current_index() == 0


def test_the_navigation_order_follows_after_and_tolerates_an_unknown_page():
    pages = (
        PageSpec("a", "A"),
        PageSpec("b", "B"),
        PageSpec("c", "C"),
        PageSpec("e", "E", after="d"),
        PageSpec("d", "D", after="a"),
        PageSpec("x", "X", after="no-such-page"),
    )
    assert [pages[i].key for i in navigation_order(pages)] == ["a", "d", "e", "b", "c", "x"]
    assert [page_shortcut(i) for i in (0, 8, 9, 10)] == ["Ctrl+1", "Ctrl+9", "Ctrl+0", ""]
