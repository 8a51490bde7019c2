"""Tests of xhht_desktop.ui.help_window: the guide, offline, with contents, search and F1."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from xhht_desktop import guide
from xhht_desktop.ui.help_window import HelpWindow
from xhht_desktop.ui.main_window import PAGES, MainWindow

Key = Qt.Key
Alt = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def help_window(show):
    return show(HelpWindow())


def _text(window: HelpWindow) -> str:
    return window.browser.toPlainText()


def test_it_opens_on_the_contents_and_follows_links(qtbot, help_window):
    assert help_window.current_address() == guide.INDEX_PAGE
    assert "Hướng dẫn sử dụng XHHT Desktop" in _text(help_window)
    assert not help_window.back_button.isEnabled()
    # A link of the contents page, followed as the browser does on Enter.
    help_window.browser.setSource(help_window.browser.source().resolved("bat-dau.html"))
    assert help_window.current_address() == "bat-dau.html"
    assert "trình thiết lập" in _text(help_window)
    assert help_window.windowTitle().startswith("Bắt đầu")
    assert help_window.back_button.isEnabled()
    help_window.back_button.click()
    assert help_window.current_address() == guide.INDEX_PAGE
    assert help_window.forward_button.isEnabled()
    help_window.browser.setFocus()
    qtbot.keyClick(help_window.browser, Key.Key_Right, Alt)
    assert help_window.current_address() == "bat-dau.html"


def test_the_contents_open_a_part(help_window):
    contents = help_window.contents
    titles = [contents.topLevelItem(i).text(0) for i in range(contents.topLevelItemCount())]
    assert titles == ["Mục lục", *(s.title for s in guide.SECTIONS)]
    literacy = contents.topLevelItem(titles.index("Điều tra xóa mù chữ"))
    rates = next(
        literacy.child(i)
        for i in range(literacy.childCount())
        if literacy.child(i).text(0).startswith("Tỷ lệ")
    )
    contents.itemActivated.emit(rates, 0)
    assert help_window.current_address() == "xoa-mu-chu.html#ty-le"
    assert contents.currentItem() is rates
    assert "Điều 20" in _text(help_window)


def test_the_search_ignores_diacritics_and_enter_opens_the_first_hit(qtbot, keyboard, help_window):
    keyboard.press(Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert help_window.search.hasFocus()
    keyboard.type("van tay")
    qtbot.waitUntil(help_window.results.isVisible)
    addresses = [
        help_window.results.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(help_window.results.count())
    ]
    assert "chuyen-du-lieu-usb.html#van-tay" in addresses
    keyboard.press(Key.Key_Return)
    assert help_window.current_address() == addresses[0]
    # The words are marked on the page, whatever their diacritics.
    assert help_window.browser.textCursor().selectedText().lower() == "vân tay"
    help_window.search.clear()
    help_window.run_search()
    assert not help_window.results.isVisible()


def test_a_search_without_hits_says_so(help_window):
    help_window.search.setText("zzkhongcozz")
    assert help_window.run_search() == []
    assert help_window.no_results.isVisible()


def test_every_error_code_can_be_shown(help_window):
    help_window.show_topic("thong-bao-loi.html#XHHT301")
    assert help_window.current_address() == "thong-bao-loi.html#XHHT301"
    assert "Chưa tin cậy người gửi" in _text(help_window)


def test_an_unknown_page_falls_back_to_the_contents(help_window):
    help_window.show_topic("khong-co.html#x")
    assert help_window.current_address() == guide.INDEX_PAGE


def test_f1_opens_the_guide_at_the_page_on_screen(qtbot, keyboard, show, context):
    window = show(MainWindow(context))
    persons = next(i for i, spec in enumerate(PAGES) if spec.key == "persons")
    window.go_to_page(persons)
    keyboard.press(Key.Key_F1)
    shown = next(w for w in QApplication.topLevelWidgets() if isinstance(w, HelpWindow))
    qtbot.addWidget(shown)
    assert shown.isVisible()
    assert shown.current_address() == "nhap-lieu.html#nhan-khau"
    # From the Help menu, on the dashboard: the same window, another part.
    window.go_to_page(0)
    assert window.open_help() is shown
    assert shown.current_address() == guide.topic_for_page("home")
    assert [w for w in QApplication.topLevelWidgets() if isinstance(w, HelpWindow)] == [shown]


def test_the_guide_stays_usable_while_a_form_is_open(qtbot, show, context):
    from PySide6.QtCore import QEvent, QObject

    from xhht_desktop.ui.forms.village_form import VillageDialog

    class Blocked(QObject):
        """Notes the event Qt sends a window that a modal window blocks."""

        seen = False

        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.WindowBlocked:
                self.seen = True
            return False

    window = show(MainWindow(context))
    shown = window.open_help()
    qtbot.addWidget(shown)
    blocked, main_blocked = Blocked(), Blocked()
    shown.installEventFilter(blocked)
    window.installEventFilter(main_blocked)
    form = VillageDialog(context, parent=window)
    qtbot.addWidget(form)
    form.open()  # window-modal over the main window, as the pages open forms
    qtbot.waitExposed(form)
    qtbot.waitUntil(lambda: main_blocked.seen)
    # The main window is blocked by the form; the guide beside it is not.
    assert not blocked.seen
    assert not shown.testAttribute(Qt.WidgetAttribute.WA_QuitOnClose)
    form.reject()


def test_every_page_of_the_main_window_has_a_topic_that_exists():
    for spec in PAGES:
        page, _sep, anchor = guide.topic_for_page(spec.key).partition("#")
        assert (guide.guide_dir() / page).is_file(), spec.key
        if anchor:
            assert f'id="{anchor}"' in (guide.guide_dir() / page).read_text(encoding="utf-8")
    # Every current page has its own part, not just the contents.
    assert all(spec.key in guide.PAGE_TOPICS for spec in PAGES)
    # And no topic is kept for a page the window no longer has.
    assert set(guide.PAGE_TOPICS) == {spec.key for spec in PAGES}
