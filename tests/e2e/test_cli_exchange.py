"""USB packages on the command line: a commune exports, the office imports, the receipt returns."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from xhht_desktop.cli import main

PASSWORD = "mat-khau-ky-so"
FINGERPRINT = re.compile(r"(?:[0-9A-F]{4} ){15}[0-9A-F]{4}")
OFFICE_NAME = "Sở Giáo dục và Đào tạo tỉnh Lâm Đồng"


@pytest.fixture
def xhht(data_dir, monkeypatch, capsys):
    """Run ``xhht --db DB ARGS`` in this process; returns (exit code, stdout, stderr)."""
    monkeypatch.delenv("XHHT_KEY_PASSWORD", raising=False)

    def run(db: Path, *args: str, password: str | None = PASSWORD) -> tuple[int, str, str]:
        if password is None:
            monkeypatch.delenv("XHHT_KEY_PASSWORD", raising=False)
        else:
            monkeypatch.setenv("XHHT_KEY_PASSWORD", password)
        code = main(["--db", str(db), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def units(xhht, tmp_path):
    """An office with its certificate file, and a commune of 300 persons that trusts it."""
    office, commune = tmp_path / "so.sqlite", tmp_path / "xa.sqlite"
    steps = [
        (office, "init", "--role", "office", "--province-code", "68", "--office-name", OFFICE_NAME),
        (office, "cert", "create", "--key-type", "ec"),
        (office, "export-cert", "--out", str(tmp_path / "so-gd.pem")),
        (commune, "init", "--role", "commune", "--commune-code", "24717", "--year", "2026"),
        (commune, "demo", "--persons", "300", "--seed", "1", "--year", "2026"),
        (commune, "cert", "create", "--key-type", "ec"),
        (commune, "trust-cert", str(tmp_path / "so-gd.pem")),
    ]
    for db, *args in steps:
        code, out, err = xhht(db, *args)
        assert code == 0, (args, out, err)
    return office, commune


def test_a_package_goes_from_commune_to_office_and_the_receipt_comes_back(xhht, units, tmp_path):
    office, commune = units
    package = tmp_path / "usb" / "xa-duc-an-2026.xhht"

    code, out, err = xhht(commune, "export-package", "--year", "2026", "--out", str(package))
    assert code == 0, err
    assert "Đã ghi gói dữ liệu số 1, năm 2026" in out
    assert f"Đã mã hóa cho: {OFFICE_NAME}" in out
    assert out.strip().endswith("an toàn để rút USB.")

    code, out, err = xhht(commune, "verify-package", str(package))
    assert code == 0, err
    assert "Gói do chính đơn vị này ký." in out

    # The office does not know the commune yet: it is shown the fingerprint.
    code, out, err = xhht(office, "import-package", str(package))
    assert code == 1
    assert "Lần đầu nhận gói của Xã Đức An" in err
    fingerprint = FINGERPRINT.search(err).group(0)

    code, out, err = xhht(
        office,
        "import-package",
        str(package),
        "--dry-run",
        "--accept-fingerprint",
        fingerprint,
        "--json",
    )
    assert code == 0, err
    preview = json.loads(out)
    assert preview["applied"] is False
    assert preview["changes"]["persons"]["new"] == 300
    code, out, _ = xhht(office, "info", "--json")
    assert json.loads(out)["counts"]["persons"] == 0

    code, out, err = xhht(
        office, "import-package", str(package), "--accept-fingerprint", fingerprint
    )
    assert code == 0, err
    assert "Nhân khẩu: 300 mới, 0 sửa, 0 xóa, 0 không đổi" in out
    assert "Đã nhập gói trong một giao dịch." in out
    receipt = Path(f"{package}.receipt")
    assert receipt.is_file()

    code, out, err = xhht(office, "import-package", str(package))
    assert code == 1 and "đã được nhập lúc" in err

    code, out, err = xhht(commune, "import-receipt", str(receipt))
    assert code == 0, err
    assert f"{OFFICE_NAME} đã nhận gói số 1 (năm 2026)" in out
    code, out, err = xhht(commune, "packages")
    assert "Gói số 1 (năm 2026)" in out and f"{OFFICE_NAME} đã nhận" in out

    code, out, _ = xhht(office, "packages", "--json")
    assert [row["sequence"] for row in json.loads(out)] == [1]


def test_refusals_speak_vietnamese_and_leave_nothing(xhht, units, tmp_path):
    office, commune = units
    package = tmp_path / "goi.xhht"
    assert xhht(commune, "export-package", "--out", str(package))[0] == 0
    broken = tmp_path / "hong.xhht"
    broken.write_bytes(package.read_bytes()[:-100])
    code, _, err = xhht(office, "import-package", str(broken))
    assert code == 1 and "Lỗi:" in err and "bị hỏng" in err

    # The stick is not a folder (or was removed): a clear message, no file.
    blocker = tmp_path / "usb"
    blocker.write_text("không phải thư mục")
    code, _, err = xhht(commune, "export-package", "--out", str(blocker / "goi.xhht"))
    assert code == 1 and "Không ghi được gói dữ liệu" in err
    assert blocker.read_text() == "không phải thư mục"

    code, _, err = xhht(office, "import-package", str(package), password=None)
    assert code == 2 and "XHHT_KEY_PASSWORD" in err
    code, _, err = xhht(commune, "export-package", "--out", str(package), password="sai-mat-khau")
    assert code == 1 and "Sai mật khẩu" in err


def test_an_office_exports_its_own_package_one_level_up(xhht, units, tmp_path):
    """Commune → district office (``--office-code``) → the province's office (``units``)."""
    province, commune = units
    district = tmp_path / "huyen.sqlite"
    district_name = "Phòng Giáo dục và Đào tạo khu vực Bảo Lộc"
    usb = tmp_path / "usb"
    steps = [
        (
            district,
            "init",
            "--role",
            "office",
            "--province-code",
            "68",
            "--office-name",
            district_name,
            "--office-code",
            "H68-01",
            "--year",
            "2026",
        ),
        (district, "cert", "create", "--key-type", "ec"),
        (district, "export-cert", "--out", str(tmp_path / "huyen.pem")),
        (district, "trust-cert", str(tmp_path / "so-gd.pem")),
        (commune, "trust-cert", str(tmp_path / "huyen.pem")),
        (commune, "export-package", "--year", "2026", "--out", str(usb / "xa.xhht")),
    ]
    for db, *args in steps:
        code, out, err = xhht(db, *args)
        assert code == 0, (args, out, err)
    code, out, err = xhht(district, "import-package", str(usb / "xa.xhht"))
    fingerprint = FINGERPRINT.search(err).group(0)
    code, out, err = xhht(
        district, "import-package", str(usb / "xa.xhht"), "--accept-fingerprint", fingerprint
    )
    assert code == 0, err

    code, out, err = xhht(
        district, "export-package", "--year", "2026", "--out", str(usb / "h.xhht")
    )
    assert code == 0, err
    assert f"Đã mã hóa cho: {OFFICE_NAME}" in out
    assert "persons 300" in out

    code, out, err = xhht(province, "import-package", str(usb / "h.xhht"))
    assert code == 1 and district_name in err
    fingerprint = FINGERPRINT.search(err).group(0)
    code, out, err = xhht(
        province, "import-package", str(usb / "h.xhht"), "--accept-fingerprint", fingerprint
    )
    assert code == 0, err
    code, out, err = xhht(province, "info", "--json")
    assert json.loads(out)["counts"]["persons"] == 300
    code, out, err = xhht(province, "packages", "--json")
    (received,) = json.loads(out)
    assert received["commune_code"] == "H68-01"
    assert received["sources"] == [{"code": "24717", "name": "Xã Đức An", "sequence": 1}]
