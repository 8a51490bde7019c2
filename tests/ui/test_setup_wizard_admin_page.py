"""The set-up wizard's administrator page says truly what saves a forgotten password."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from xhht_desktop.ui.setup_wizard import PAGE_ADMIN, PAGE_COMMUNE, PAGE_REPORTING, SetupWizard

Key = Qt.Key


def _to_admin_page(wizard: SetupWizard, keyboard) -> None:
    keyboard.press(Key.Key_Return)  # the role page: cấp xã is chosen already
    assert wizard.currentId() == PAGE_COMMUNE
    keyboard.type("gia lai")
    keyboard.press(Key.Key_Tab)
    keyboard.type("dak song")
    keyboard.press(Key.Key_Return)
    assert wizard.currentId() == PAGE_REPORTING
    keyboard.press(Key.Key_Return)
    assert wizard.currentId() == PAGE_ADMIN


@pytest.mark.parametrize(
    ("encrypt", "said"),
    [
        (True, "tờ khóa khôi phục (in ở bước sau) mở lại được dữ liệu và đặt mật khẩu mới"),
        (False, "chỉ một người quản trị khác đặt lại được mật khẩu"),
    ],
)
def test_the_admin_page_says_who_can_reset_a_forgotten_password(
    empty_context, show, keyboard, encrypt, said
):
    wizard = show(SetupWizard(empty_context, encrypt=encrypt))
    _to_admin_page(wizard, keyboard)
    subtitle = wizard.admin_page.subTitle()
    assert said in subtitle
    assert "không ai khôi phục được" not in subtitle
    assert "Tệp → Người dùng…" in subtitle
