"""Tests of xhht_desktop.ui.setup_wizard: the first start, with the keyboard only."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from xhht_desktop.errors import LoginFailed
from xhht_desktop.ui.setup_wizard import (
    PAGE_ADMIN,
    PAGE_COMMUNE,
    PAGE_OFFICE,
    PAGE_REPORTING,
    PAGE_ROLE,
    PAGE_SUMMARY,
    SetupWizard,
    receiving_office_suggestion,
)

DAK_SONG = "23842"  # Xã Đăk Song, Gia Lai

Key = Qt.Key


@pytest.fixture
def wizard(empty_context, show) -> SetupWizard:
    return show(SetupWizard(empty_context))


def _fill_admin(keyboard, password: str = "matkhau-2026", confirm: str | None = None) -> None:
    keyboard.type("hoa.tran")
    keyboard.press(Key.Key_Tab)
    keyboard.type("Trần Thị Hoa")
    keyboard.press(Key.Key_Tab)
    keyboard.type(password)
    keyboard.press(Key.Key_Tab)
    keyboard.type(password if confirm is None else confirm)
    keyboard.press(Key.Key_Return)


def _to_commune_admin_page(wizard, keyboard) -> None:
    keyboard.press(Key.Key_Return)  # the role page: cấp xã is chosen already
    assert wizard.currentId() == PAGE_COMMUNE
    keyboard.type("gia lai")
    keyboard.press(Key.Key_Tab)
    keyboard.type("dak song")
    keyboard.press(Key.Key_Return)
    assert wizard.currentId() == PAGE_REPORTING
    keyboard.press(Key.Key_Return)
    assert wizard.currentId() == PAGE_ADMIN


def test_a_commune_is_set_up_with_the_keyboard_only(wizard, keyboard, qtbot, empty_context):
    assert wizard.currentId() == PAGE_ROLE
    keyboard.press(Key.Key_Return)
    assert wizard.currentId() == PAGE_COMMUNE

    keyboard.type("gia lai")
    assert wizard.commune_page.province.current().name == "Gia Lai"
    keyboard.press(Key.Key_Tab)
    keyboard.type("dak song")
    picker = wizard.commune_page.commune
    assert [picker.list.item(i).text() for i in range(picker.list.count())] == ["Xã Đăk Song"]
    keyboard.press(Key.Key_Down)  # the arrow keys move in the list, the focus stays
    assert picker.current().name == "Xã Đăk Song"
    assert keyboard.focused() is picker.query
    keyboard.press(Key.Key_Return)

    assert wizard.currentId() == PAGE_REPORTING
    page = wizard.reporting_page
    assert page.receiving_office.text() == "Sở Giáo dục và Đào tạo tỉnh Gia Lai"
    assert page.year.value() == date.today().year
    assert page.signer_title.text() == "Chủ tịch"
    keyboard.press(Key.Key_Tab)  # to the year
    keyboard.press(Key.Key_Tab)  # to the signer's name
    keyboard.type("Nguyễn Văn Bình")
    keyboard.press(Key.Key_Return)

    assert wizard.currentId() == PAGE_ADMIN
    _fill_admin(keyboard)

    assert wizard.currentId() == PAGE_SUMMARY
    assert "Xã Đăk Song" in wizard.summary_page.summary.text()
    with qtbot.waitSignal(wizard.setup_completed) as completed:
        keyboard.press(Key.Key_Return)

    assert wizard.result() == QDialog.DialogCode.Accepted
    info = empty_context.setup.require()
    assert (info.role, info.commune_code, info.commune_name) == ("commune", DAK_SONG, "Xã Đăk Song")
    assert info.province_name == "Gia Lai"
    assert info.receiving_office == "Sở Giáo dục và Đào tạo tỉnh Gia Lai"
    assert (info.signer_name, info.signer_title) == ("Nguyễn Văn Bình", "Chủ tịch")
    assert info.year == date.today().year
    user = empty_context.users.authenticate("hoa.tran", "matkhau-2026")
    assert (user.full_name, user.role) == ("Trần Thị Hoa", "admin")
    assert completed.args[0] == user
    assert wizard.created_user == user


def test_an_office_is_set_up_with_the_keyboard_only(wizard, keyboard, qtbot, empty_context):
    keyboard.press(Key.Key_Down)  # the second role
    assert wizard.role_page.office.isChecked()
    keyboard.press(Key.Key_Return)
    assert wizard.currentId() == PAGE_OFFICE

    keyboard.type("lam dong")
    assert wizard.office_page.province.current().name == "Lâm Đồng"
    keyboard.press(Key.Key_Tab)
    assert keyboard.focused() is wizard.office_page.office_name
    # A name is suggested from the province; the user types their own.
    assert wizard.office_page.office_name.text() == "Sở Giáo dục và Đào tạo tỉnh Lâm Đồng"
    keyboard.type("Phòng Giáo dục thường xuyên")
    keyboard.press(Key.Key_Return)

    assert wizard.currentId() == PAGE_REPORTING
    page = wizard.reporting_page
    assert not page.receiving_office.isVisible()  # an office reports to nobody here
    assert page.signer_title.text() == "Trưởng phòng"
    keyboard.press(Key.Key_Tab)  # from the year to the signer's name
    keyboard.type("Lê Văn Tâm")
    keyboard.press(Key.Key_Return)

    _fill_admin(keyboard)
    assert wizard.currentId() == PAGE_SUMMARY
    with qtbot.waitSignal(wizard.setup_completed):
        keyboard.press(Key.Key_Return)

    info = empty_context.setup.require()
    assert (info.role, info.province_name, info.commune_code) == ("office", "Lâm Đồng", None)
    assert info.office_name == "Phòng Giáo dục thường xuyên"
    assert info.signer_name == "Lê Văn Tâm"
    assert empty_context.users.authenticate("hoa.tran", "matkhau-2026").role == "admin"


def test_a_short_password_is_refused_beside_the_field(wizard, keyboard, empty_context):
    _to_commune_admin_page(wizard, keyboard)
    _fill_admin(keyboard, password="ngan")

    assert wizard.currentId() == PAGE_ADMIN
    page = wizard.admin_page
    message = page.messages["password"]
    assert message.isVisible()
    assert message.text() == "Mật khẩu cần ít nhất 8 ký tự."
    # Beside the field: in the same row of the form, right under it.
    assert message.parentWidget() is page.password.parentWidget()
    assert not page.messages["username"].isVisible()
    assert keyboard.focused() is page.password
    assert not empty_context.setup.is_set_up()

    keyboard.type("matkhau-dai-hon")  # replaces the selected short one
    assert not message.isVisible()
    keyboard.press(Key.Key_Tab)
    keyboard.type("matkhau-dai-hon")
    keyboard.press(Key.Key_Return)
    assert wizard.currentId() == PAGE_SUMMARY


def test_a_confirmation_that_differs_is_refused(wizard, keyboard):
    _to_commune_admin_page(wizard, keyboard)
    _fill_admin(keyboard, password="matkhau-2026", confirm="matkhau-2025")
    assert wizard.currentId() == PAGE_ADMIN
    assert wizard.admin_page.messages["confirm"].text() == "Mật khẩu nhập lại không khớp."


def test_a_bad_username_is_explained(wizard, keyboard):
    _to_commune_admin_page(wizard, keyboard)
    keyboard.type("Hoa Tran")
    for _ in range(3):
        keyboard.press(Key.Key_Tab)
        keyboard.type("x" * 10)
    keyboard.press(Key.Key_Return)
    assert wizard.currentId() == PAGE_ADMIN
    assert "chữ thường không dấu" in wizard.admin_page.messages["username"].text()


def test_next_waits_until_a_commune_is_chosen(qtbot, wizard, keyboard):
    keyboard.press(Key.Key_Return)
    # Under load the page change and its focus can lag the key press.
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_COMMUNE)
    qtbot.waitUntil(lambda: wizard.commune_page.province.query.hasFocus())
    keyboard.type("gia lai")
    keyboard.press(Key.Key_Tab)
    keyboard.type("khong co xa nay")
    assert wizard.commune_page.commune.list.count() == 0
    keyboard.press(Key.Key_Return)
    assert wizard.currentId() == PAGE_COMMUNE
    # Clearing the query lists every commune of the province, none chosen yet;
    # Down chooses the first.
    wizard.commune_page.commune.query.selectAll()
    keyboard.press(Key.Key_Backspace)
    assert wizard.commune_page.commune.list.count() > 100
    assert wizard.commune_page.commune.current() is None
    keyboard.press(Key.Key_Down)
    assert wizard.commune_page.commune.current() is not None
    keyboard.press(Key.Key_Return)
    assert wizard.currentId() == PAGE_REPORTING


def test_a_refusal_at_finish_keeps_the_wizard_open(wizard, keyboard, empty_context):
    _to_commune_admin_page(wizard, keyboard)
    _fill_admin(keyboard)
    assert wizard.currentId() == PAGE_SUMMARY
    # Another window set this database up meanwhile.
    from xhht_desktop.services.setup import CommuneSetup

    empty_context.setup.init_commune(CommuneSetup(commune_code="24717", year=2026))
    keyboard.press(Key.Key_Return)

    assert wizard.isVisible()
    assert wizard.currentId() == PAGE_SUMMARY
    assert "đã được thiết lập" in wizard.summary_page.error.text()
    assert wizard.created_user is None
    with pytest.raises(LoginFailed):
        empty_context.users.authenticate("hoa.tran", "matkhau-2026")


def test_field_refusals_at_finish_are_listed(wizard, keyboard, empty_context):
    _to_commune_admin_page(wizard, keyboard)
    # A year outside what the service accepts (the box normally prevents it).
    wizard.reporting_page.year.setMaximum(2200)
    wizard.reporting_page.year.setValue(2150)
    _fill_admin(keyboard)
    keyboard.press(Key.Key_Return)
    assert wizard.currentId() == PAGE_SUMMARY
    assert "Năm báo cáo phải từ 2000" in wizard.summary_page.error.text()
    assert not empty_context.setup.is_set_up()


def test_escape_cancels_and_writes_nothing(wizard, keyboard, empty_context):
    keyboard.press(Key.Key_Return)
    keyboard.type("gia lai")
    keyboard.press(Key.Key_Escape)
    assert wizard.result() == QDialog.DialogCode.Rejected
    assert not wizard.isVisible()
    assert not empty_context.setup.is_set_up()


@pytest.mark.parametrize(
    ("province", "office"),
    [
        ("Gia Lai", "Sở Giáo dục và Đào tạo tỉnh Gia Lai"),
        ("Thành phố Hà Nội", "Sở Giáo dục và Đào tạo thành phố Hà Nội"),
    ],
)
def test_the_receiving_office_is_suggested_from_the_province(qapp, province, office):
    assert receiving_office_suggestion(province) == office


def test_screenshot(wizard, keyboard, tmp_path):
    keyboard.press(Key.Key_Return)
    keyboard.type("gia lai")
    keyboard.press(Key.Key_Tab)
    keyboard.type("dak song")
    assert wizard.grab().save(str(tmp_path / "setup_wizard.png"))


def test_back_returns_to_the_chosen_role(wizard, keyboard, qtbot):
    keyboard.press(Key.Key_Down)
    keyboard.press(Key.Key_Return)
    assert wizard.currentId() == PAGE_OFFICE
    keyboard.press(Key.Key_Q, Qt.KeyboardModifier.AltModifier)  # "< &Quay lại"
    # A mnemonic clicks its button after a short animation.
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_ROLE)
    assert keyboard.focused() is wizard.role_page.office
    keyboard.press(Key.Key_Up)
    keyboard.press(Key.Key_Return)
    assert wizard.currentId() == PAGE_COMMUNE
    assert keyboard.focused() is wizard.commune_page.province.query
