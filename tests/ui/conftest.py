"""Fixtures of the widget tests: a keyboard that types into the focused widget."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget


@dataclass
class Keyboard:
    """Types where the focus is, as a user does: nothing is aimed at a widget.

    A test that reaches a field only through Tab and Enter proves the
    keyboard flow of the form, not just its slots.
    """

    qtbot: object

    def focused(self) -> QWidget:
        widget = QApplication.activePopupWidget() or QApplication.focusWidget()
        assert widget is not None, "no widget has the keyboard focus"
        return widget

    def type(self, text: str) -> None:
        """Type ``text``; letters with diacritics arrive as an input method sends them.

        QTest only types ASCII; for other characters a Vietnamese input method
        hands Qt key events whose text is the composed letter.
        """
        for char in text:
            widget = self.focused()
            if char.isascii():
                self.qtbot.keyClick(widget, char)  # type: ignore[attr-defined]
                continue
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(
                    widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
                )

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier):
        self.qtbot.keyClick(self.focused(), key, modifier)  # type: ignore[attr-defined]


@pytest.fixture
def keyboard(qtbot) -> Keyboard:
    return Keyboard(qtbot)


@pytest.fixture
def show(qtbot):
    """Show a top-level widget, make it the active window and wait for it."""

    def _show(widget: QWidget) -> QWidget:
        qtbot.addWidget(widget)
        widget.show()
        qtbot.waitExposed(widget)
        widget.activateWindow()
        qtbot.waitUntil(widget.isActiveWindow)
        return widget

    return _show
