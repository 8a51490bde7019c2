"""The look of the app: one style sheet and the few inline styles widgets need.

Widgets find their style by object name, so the sheet stays in one place. The
messages beside fields and the demo banner carry their own inline style too:
they must stay readable even where the application sheet is not applied
(tests, a widget shown on its own).
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

ERROR_COLOUR = "#b71c1c"

FIELD_MESSAGE = f"color: {ERROR_COLOUR};"

DEMO_BANNER = (
    "background-color: #fff3cd; color: #5c4400; border-bottom: 1px solid #e0c36c;"
    " padding: 6px; font-weight: bold;"
)

PAGE_TITLE = "font-size: 15pt; font-weight: bold;"

STATUS_ITEM = "padding: 0 10px;"

STYLE_SHEET = """
QListWidget#navigation {
    font-size: 11pt;
    padding: 4px;
}
QListWidget#navigation::item {
    padding: 8px 10px;
}
QListWidget#navigation::item:selected {
    background-color: #b71c1c;
    color: white;
}
QLabel#count {
    font-size: 18pt;
    font-weight: bold;
    color: #b71c1c;
}
"""


def apply(app: QApplication) -> None:
    """Give ``app`` the application's style sheet."""
    app.setStyleSheet(STYLE_SHEET)
