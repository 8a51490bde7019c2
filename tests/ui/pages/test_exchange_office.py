"""An office's own package one level up, from the "Trao đổi dữ liệu" page, by keyboard.

Two communes send their packages to a district office (through the service);
the district trusts the province's certificate and sends its consolidated
package up through the export wizard to a "stick" (a temporary folder listed
as a removable drive); the province imports it (service) and its figures are
the communes' sum; the district imports the province's receipt; the page at
the province shows the district as a sender.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from xhht_desktop.context import Actor, AppContext, open_context
from xhht_desktop.exchange.drives import RemovableDrive
from xhht_desktop.services.demo import DemoService
from xhht_desktop.services.setup import CommuneSetup, OfficeSetup
from xhht_desktop.settings import Settings
from xhht_desktop.store.engine import database_url
from xhht_desktop.ui.exchange import export_wizard
from xhht_desktop.ui.exchange.common import grouped
from xhht_desktop.ui.pages.exchange import ExchangePage

SHOTS = Path("/tmp/shots")
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SAFE = "Đã ghi và kiểm tra xong. An toàn để rút USB."
TIMEOUT = 30_000
PASSWORD = "mat-khau-goi-du-lieu"
YEAR = 2026
PROVINCE_NAME = "Sở Giáo dục và Đào tạo tỉnh Lâm Đồng"
DISTRICT_NAME = "Phòng Giáo dục và Đào tạo khu vực Bảo Lộc"
DISTRICT_CODE = "H68-01"
COMMUNES = {"24717": 7, "24823": 8}  # code: demo seed


@dataclass(frozen=True)
class Units:
    """Two communes that sent their packages to the district, and the province above it."""

    communes: dict[str, AppContext]
    district: AppContext
    province: AppContext
    province_certificate: Path
    sequences: dict[str, int]


def _open(folder: Path) -> AppContext:
    # Each unit has its own data folder (its keys) and database, as on its own machine.
    folder.mkdir(parents=True, exist_ok=True)
    settings = Settings(data_dir=folder, database_url=database_url(folder / "xhht.sqlite"))
    return open_context(settings, Actor("test:admin"))


@pytest.fixture
def units(tmp_path: Path) -> Iterator[Units]:
    opened: list[AppContext] = []

    def office(folder: str, name: str, code: str = "") -> AppContext:
        context = _open(tmp_path / folder)
        opened.append(context)
        context.setup.init_office(
            OfficeSetup(province_code="68", office_name=name, year=YEAR, office_code=code)
        )
        context.signing.create_certificate(PASSWORD, key_type="ec")
        return context

    province = office("province", PROVINCE_NAME)
    province_certificate = tmp_path / "so.pem"
    province.exchange.export_certificate(province_certificate, PASSWORD)
    district = office("district", DISTRICT_NAME, DISTRICT_CODE)
    district_certificate = tmp_path / "huyen.pem"
    district.exchange.export_certificate(district_certificate, PASSWORD)

    communes, sequences = {}, {}
    for code, seed in COMMUNES.items():
        commune = _open(tmp_path / f"xa-{code}")
        opened.append(commune)
        commune.setup.init_commune(
            CommuneSetup(commune_code=code, year=YEAR, receiving_office=DISTRICT_NAME)
        )
        DemoService(commune).generate(persons=30, seed=seed, year=YEAR)
        commune.signing.create_certificate(PASSWORD, key_type="ec")
        commune.exchange.trust_certificate(district_certificate)
        exported = commune.exchange.export_package(tmp_path / f"xa-{code}.xhht", PASSWORD)
        signer = commune.signing.info()
        assert signer is not None
        district.exchange.import_package(
            exported.path, PASSWORD, accept_fingerprint=signer.fingerprint
        )
        communes[code], sequences[code] = commune, exported.sequence
    yield Units(communes, district, province, province_certificate, sequences)
    for context in opened:
        context.close()


def shot(widget: QWidget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"exchange_office_up_{name}.png"))


def stick(folder: Path) -> RemovableDrive:
    folder.mkdir(parents=True, exist_ok=True)
    return RemovableDrive(folder, "USB PHÒNG GD", 3_435_973_837, 16_000_000_000)


def close_message(qtbot, page: ExchangePage) -> str:
    box = page.last_message
    assert box is not None
    text = box.text()
    box.done(0)  # deletes the box: the next message is a new one
    page.last_message = None
    back_to(qtbot, page)
    return text


def back_to(qtbot, page: ExchangePage) -> None:
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    # Offscreen, the focus stays on the closed box's button; a desktop gives it back.
    page.focusNextChild()
    qtbot.waitUntil(lambda: page.isAncestorOf(page.focusWidget()))


def enter(qtbot, keyboard, wizard, page_id: int) -> None:
    keyboard.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wizard.currentId() == page_id)


def test_the_service_previews_what_an_office_package_carries(units: Units) -> None:
    sources = {
        s.code: (s.name, s.sequence, s.role) for s in units.district.exchange.package_sources()
    }
    assert sources == {
        code: (commune.setup.require().commune_name, units.sequences[code], "commune")
        for code, commune in units.communes.items()
    }
    assert units.communes["24717"].exchange.package_sources() == ()


def test_district_sends_its_package_up_and_the_province_gets_the_sum(
    qtbot, keyboard, show, units: Units, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    asked: list[str] = []
    receipt_file: list[Path] = []

    def confirm(_parent, _title, text):
        asked.append(text)
        return True

    page = ExchangePage(
        units.district,
        list_drives=lambda: [stick(usb)],
        choose_certificate=lambda _parent, _start: units.province_certificate,
        choose_receipt=lambda _parent, _start: receipt_file[0],
        confirm=confirm,
    )
    page.resize(1000, 900)
    show(page)
    assert page.office_box.isVisible() and page.received_box.isVisible()
    assert page.office_box.title() == "Cơ quan cấp trên"
    assert not page.sent_box.isVisible()  # nothing to send up to yet
    assert page.communes_model.rowCount() == 2
    shot(page, "1_district_page")

    # Nhập chứng thư của cơ quan cấp trên… (Alt+Q), after comparing the fingerprint.
    keyboard.press(Qt.Key.Key_Q, ALT)
    qtbot.waitUntil(lambda: page.last_message is not None)
    province = units.district.exchange.receiving_office()
    assert province is not None and province.name == PROVINCE_NAME
    assert grouped(province.fingerprint, 8) in asked[0] and "cơ quan cấp trên" in asked[0]
    assert "mã hóa cho cơ quan này" in close_message(qtbot, page)
    assert page.sent_box.isVisible()
    assert page.export_button.text().replace("&", "") == "Gửi gói tổng hợp lên cấp trên…"
    assert page.office_fingerprint.text() == grouped(province.fingerprint, 8)

    # Gửi gói tổng hợp lên cấp trên… (Ctrl+E): the same wizard, in an office's words.
    keyboard.press(Qt.Key.Key_E, CTRL)
    qtbot.waitUntil(lambda: page.wizard is not None)
    wizard = page.wizard
    assert isinstance(wizard, export_wizard.ExportWizard)
    qtbot.waitExposed(wizard)
    qtbot.waitUntil(wizard.isActiveWindow)
    assert wizard.windowTitle() == "Gửi gói tổng hợp lên cấp trên"
    year_page = wizard.year_page
    assert PROVINCE_NAME in year_page.recipient.text()
    carried = [year_page.carried.item(i).text() for i in range(year_page.carried.count())]
    names = {code: c.setup.require().commune_name for code, c in units.communes.items()}
    assert carried == [
        f"{names[code]} (mã {code}) — dữ liệu từ gói số {units.sequences[code]}"
        for code in sorted(COMMUNES)
    ]
    shot(wizard, "2_wizard_year")

    enter(qtbot, keyboard, wizard, export_wizard.PAGE_DESTINATION)
    target = wizard.target()
    assert target is not None and target.parent == usb
    assert target.name.startswith(f"xhht-{DISTRICT_CODE}-{YEAR}-")
    enter(qtbot, keyboard, wizard, export_wizard.PAGE_PASSWORD)
    assert "cơ quan cấp trên" in wizard.password_page.subTitle()
    keyboard.type(PASSWORD)
    shot(wizard, "3_wizard_password")
    enter(qtbot, keyboard, wizard, export_wizard.PAGE_WRITE)
    write = wizard.write_page
    qtbot.waitUntil(lambda: write.result is not None or bool(write.error), timeout=TIMEOUT)
    assert write.error == ""
    assert write.safe.text() == SAFE
    details = write.details.text()
    assert f"Đã mã hóa cho: {PROVINCE_NAME} (và cho chính cơ quan này)." in details
    for code in COMMUNES:
        assert f"{names[code]} (mã {code}) — dữ liệu từ gói số {units.sequences[code]}" in details
    shot(wizard, "4_wizard_written")
    result = write.result
    assert result is not None and result.path == target and target.is_file()
    keyboard.press(Qt.Key.Key_Return)  # Xong
    qtbot.waitUntil(lambda: not wizard.isVisible())
    back_to(qtbot, page)
    assert page.sent_model.rowCount() == 1
    assert page.sent_model.index(0, 0).data() == str(result.sequence)
    assert page.sent_model.index(0, 4).data() == "Chưa có giấy biên nhận"

    # The province imports it: the same checks as a commune's, the district confirmed once.
    check = units.province.exchange.verify_package(target, PASSWORD)
    assert {s.code: s.sequence for s in check.manifest.sources} == units.sequences
    district_signer = units.district.signing.info()
    assert district_signer is not None
    imported = units.province.exchange.import_package(
        target, PASSWORD, accept_fingerprint=district_signer.fingerprint
    )
    assert imported.applied and imported.receipt is not None
    total: Counter[str] = Counter()
    for code, commune in units.communes.items():
        total.update(commune.setup.counts())
        assert units.province.exchange.commune_counts(code) == commune.setup.counts()
    assert total["persons"] == 60
    assert units.province.setup.counts() == dict(total)

    # Back at the district: Nhập giấy biên nhận… (Alt+B) records the province's receipt.
    receipt_file.append(imported.receipt)
    keyboard.press(Qt.Key.Key_B, ALT)
    qtbot.waitUntil(lambda: page.last_message is not None)
    assert close_message(qtbot, page).startswith(f"Gói số {result.sequence} (năm {YEAR}): Đã được")
    (sent,) = units.district.exchange.sent()
    assert sent.accepted and sent.receipt_office == PROVINCE_NAME
    assert page.sent_model.index(0, 4).data().startswith(f"Đã được {PROVINCE_NAME} tiếp nhận")
    shot(page, "5_district_sent")

    # The province's page shows the district as a sender, with the communes it carried.
    province_page = ExchangePage(units.province)
    province_page.resize(1000, 800)
    show(province_page)
    assert province_page.received_model.rowCount() == 1
    sender = province_page.received_model.index(0, 0)
    assert sender.data() == f"{DISTRICT_NAME} (cơ quan cấp dưới)"
    tooltip = sender.data(Qt.ItemDataRole.ToolTipRole)
    for code in COMMUNES:
        assert f"{names[code]} (gói số {units.sequences[code]})" in tooltip
    assert province_page.received_model.index(0, 1).data() == str(result.sequence)
    partners = [
        province_page.communes_model.index(row, 1).data()
        for row in range(province_page.communes_model.rowCount())
    ]
    assert sorted(partners) == sorted([DISTRICT_CODE, *COMMUNES])
    assert province_page.communes_box.title() == "Các xã và cơ quan cấp dưới đã tin cậy"
    # The province has no office above it: nothing to send, nothing sent.
    assert not province_page.sent_box.isVisible()
    shot(province_page, "6_province_page")
