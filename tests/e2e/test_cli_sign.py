"""``xhht cert``, ``xhht sign`` and ``xhht verify``, run as an official would."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from xhht_desktop.cli import main
from xhht_desktop.core import certificates
from xhht_desktop.core.certificates import CertificateSubject

PASSWORD = "mat-khau-ky-so"
FINGERPRINT = re.compile(r"(?:[0-9A-F]{4} ){15}[0-9A-F]{4}")


def make_pdf(path: Path) -> Path:
    pdf = canvas.Canvas(str(path), pagesize=A4, pageCompression=0)
    pdf.drawString(72, 760, "Tong so: 1234")
    pdf.showPage()
    pdf.save()
    return path


def make_xlsx(path: Path) -> Path:
    book = Workbook()
    book.active.append(["Thôn 1", 120])
    book.save(path)
    return path


@pytest.fixture
def xhht(tmp_path, data_dir, monkeypatch, capsys):
    """Run ``xhht --db … ARGS`` in this process; returns (exit code, stdout, stderr)."""
    db = tmp_path / "xa.sqlite"
    monkeypatch.delenv("XHHT_KEY_PASSWORD", raising=False)

    def run(*args: str, password: str | None = None) -> tuple[int, str, str]:
        if password is None:
            monkeypatch.delenv("XHHT_KEY_PASSWORD", raising=False)
        else:
            monkeypatch.setenv("XHHT_KEY_PASSWORD", password)
        code = main(["--db", str(db), *args])
        out, err = capsys.readouterr()
        return code, out, err

    code, _, err = run(
        "init", "--role", "commune", "--commune-code", "24717", "--signer-name", "Nguyễn Văn Minh"
    )
    assert code == 0, err
    return run


@pytest.fixture
def with_key(xhht):
    code, out, err = xhht("cert", "create", "--key-type", "ec", password=PASSWORD)
    assert code == 0, err
    return xhht, FINGERPRINT.search(out.replace("\n    ", " ")).group(0)


def test_cert_create_and_show(xhht, data_dir):
    code, out, _ = xhht("cert", "show")
    assert code == 1
    assert "Chưa có chứng thư ký số" in out

    code, out, err = xhht("cert", "create", password=PASSWORD)
    assert code == 0, err
    assert "UBND Xã Đức An" in out and "24717" in out
    assert (data_dir / "keys" / "24717" / "signing.p12").is_file()

    code, out, _ = xhht("cert", "show")
    assert code == 0
    assert "Tên (CN):       UBND Xã Đức An" in out
    assert "RSA 3072 bit" in out
    assert "(tự ký)" in out
    # The fingerprint in two lines of eight groups, as the stamp prints it.
    lines = [
        line.strip() for line in out.splitlines() if re.fullmatch(r"\s+([0-9A-F]{4} ?){8}", line)
    ]
    assert len(lines) == 2

    code, out, _ = xhht("cert", "show", "--json")
    shown = json.loads(out)
    assert shown["certificate"]["code"] == "24717"
    assert shown["certificate"]["fingerprint"] == " ".join(lines)
    assert shown["token"]["usable"] is False


def test_cert_create_needs_a_password(xhht):
    code, _, err = xhht("cert", "create")  # pytest's stdin is not a terminal
    assert code == 2
    assert "XHHT_KEY_PASSWORD" in err
    code, _, err = xhht("cert", "create", password="ngan")
    assert code == 1
    assert "ít nhất 8 ký tự" in err


def test_sign_and_verify_pdf(with_key, tmp_path):
    xhht, fingerprint = with_key
    report = make_pdf(tmp_path / "bao-cao.pdf")

    code, out, _ = xhht("verify", str(report))
    assert code == 1
    assert "chưa ký số" in out

    code, out, err = xhht("sign", str(report), password=PASSWORD)
    assert code == 0, err
    assert "Đã ký số" in out and "+07:00" in out and fingerprint in out

    code, out, _ = xhht("verify", str(report))
    assert code == 0
    assert "còn nguyên vẹn" in out
    assert "UBND Xã Đức An" in out
    assert "chứng thư của chính đơn vị này" in out
    assert fingerprint in out

    data = bytearray(report.read_bytes())
    data[data.index(b"1234")] ^= 0x01
    report.write_bytes(bytes(data))
    code, out, _ = xhht("verify", str(report), "--json")
    assert code == 1
    verdict = json.loads(out)
    assert verdict["status"] == "modified"
    assert verdict["signatures"][0]["intact"] is False


def test_sign_and_verify_xlsx(with_key, tmp_path):
    xhht, _ = with_key
    book = make_xlsx(tmp_path / "bieu.xlsx")
    code, out, err = xhht("sign", str(book), password=PASSWORD)
    assert code == 0, err
    assert "bieu.xlsx.sig" in out

    code, out, _ = xhht("verify", str(book), "--json")
    assert code == 0
    verdict = json.loads(out)
    assert verdict["status"] == "intact" and verdict["trusted"] is True
    assert verdict["signatures"][0]["own"] is True
    assert verdict["signature_file"].endswith("bieu.xlsx.sig")

    data = bytearray(book.read_bytes())
    data[len(data) // 2] ^= 0x01
    book.write_bytes(bytes(data))
    code, out, _ = xhht("verify", str(book))
    assert code == 1
    assert "ĐÃ BỊ SỬA ĐỔI" in out


def test_another_communes_signature_is_intact_but_unknown(with_key, tmp_path):
    xhht, _ = with_key
    key, certificate = certificates.create_certificate(
        CertificateSubject("UBND Xã Đạ Tẻh", "Xã Đạ Tẻh", "Lâm Đồng", "24700"), key_type="ec"
    )
    from xhht_desktop.reports import signing

    book = make_xlsx(tmp_path / "bieu.xlsx")
    signing.sign_detached(
        book, signing.identity_from_key(certificates.KeyMaterial(key, certificate, []))
    )
    code, out, _ = xhht("verify", str(book))
    assert code == 1
    assert "còn nguyên vẹn" in out and "CHƯA được tin cậy" in out
    assert "UBND Xã Đạ Tẻh" in out
    assert certificates.fingerprint(certificate) in out


def test_wrong_password_is_refused(with_key, tmp_path):
    xhht, _ = with_key
    report = make_pdf(tmp_path / "bao-cao.pdf")
    before = report.read_bytes()
    code, _, err = xhht("sign", str(report), password="khong-dung-mat-khau")
    assert code == 1
    assert "Sai mật khẩu của khóa ký số" in err
    assert report.read_bytes() == before


def test_sign_options(with_key, tmp_path):
    xhht, _ = with_key
    report = make_pdf(tmp_path / "bao-cao.pdf")
    out_file = tmp_path / "ky" / "bao-cao.pdf"
    code, _, err = xhht(
        "sign",
        str(report),
        "--out",
        str(out_file),
        "--page",
        "0",
        "--box",
        "300,60,560,140",
        password=PASSWORD,
    )
    assert code == 0, err
    assert xhht("verify", str(out_file))[0] == 0
    code, _, err = xhht("sign", str(report), "--box", "1,2,3", password=PASSWORD)
    assert code == 2
    assert "--box" in err


def test_cert_import(xhht, tmp_path):
    key, certificate = certificates.create_certificate(
        CertificateSubject("UBND Xã Đức An", "Xã Đức An", "Lâm Đồng", "24717"), key_type="ec"
    )
    source = tmp_path / "chung-thu.p12"
    source.write_bytes(certificates.to_pkcs12(key, certificate, PASSWORD))
    code, _, err = xhht("cert", "import", str(source), password="sai-mat-khau")
    assert code == 1 and "Sai mật khẩu" in err
    code, out, err = xhht("cert", "import", str(source), password=PASSWORD)
    assert code == 0, err
    assert certificates.fingerprint(certificate).split(" ")[0] in out


def test_cert_token_configuration(with_key, tmp_path):
    xhht, _ = with_key
    code, out, _ = xhht("cert", "token", "--module", str(tmp_path / "khong-co.so"))
    assert code == 0
    assert "không tìm thấy thư viện PKCS#11" in out
    code, _, err = xhht("sign", str(make_pdf(tmp_path / "a.pdf")), password="123456")
    assert code == 1 and "PKCS#11" in err
    code, out, _ = xhht("cert", "token", "--off")
    assert "chưa cấu hình" in out
    assert xhht("sign", str(tmp_path / "a.pdf"), password=PASSWORD)[0] == 0


def test_real_command_line(tmp_path):
    """One round through the installed entry point, as a subprocess."""
    data_dir, db = tmp_path / "data", tmp_path / "xa.sqlite"
    env = {k: v for k, v in os.environ.items() if not k.startswith("XHHT_")}
    env.update(XHHT_DATA_DIR=str(data_dir), XHHT_KEY_PASSWORD=PASSWORD)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "xhht_desktop", "--db", str(db), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            stdin=subprocess.DEVNULL,
            timeout=300,
        )

    assert run("init", "--role", "commune", "--commune-code", "24717").returncode == 0
    done = run("cert", "create", "--key-type", "ec")
    assert done.returncode == 0, done.stderr
    report = make_pdf(tmp_path / "bao-cao.pdf")
    done = run("sign", str(report))
    assert done.returncode == 0, done.stderr
    done = run("verify", str(report))
    assert done.returncode == 0, done.stderr
    assert "còn nguyên vẹn" in done.stdout
    assert done.stderr == ""  # no library chatter on the official's screen
