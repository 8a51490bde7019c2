"""Signing use cases: the commune's key in the data folder, who may sign, signing and checking."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from openpyxl import Workbook
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from sqlalchemy import select

from xhht_desktop.context import Actor, AppContext, open_context
from xhht_desktop.core import certificates
from xhht_desktop.core.certificates import CertificateSubject
from xhht_desktop.errors import (
    CertificateRefused,
    KeyPasswordWrong,
    NoCertificate,
    PermissionDenied,
    SigningRefused,
    TokenUnavailable,
)
from xhht_desktop.reports import signing
from xhht_desktop.reports.signing import TokenConfig, VerificationStatus
from xhht_desktop.services.setup import CommuneSetup
from xhht_desktop.store.models import AuditEntry

PASSWORD = "mật-khẩu-ký-số"


def make_pdf(path: Path) -> Path:
    pdf = canvas.Canvas(str(path), pagesize=A4, pageCompression=0)
    pdf.drawString(72, 760, "Bao cao ket qua: 1234")
    pdf.showPage()
    pdf.save()
    return path


def make_xlsx(path: Path) -> Path:
    book = Workbook()
    book.active.append(["Thôn 1", 120])
    book.save(path)
    return path


@pytest.fixture
def signer(context: AppContext) -> AppContext:
    """The test commune with its key made (EC, for speed)."""
    context.signing.create_certificate(PASSWORD, key_type="ec")
    return context


def _as(context: AppContext, role: str) -> AppContext:
    return open_context(context.settings, Actor(f"test:{role}", role))


def test_create_keeps_an_encrypted_pkcs12_in_the_data_folder(context, data_dir):
    info = context.signing.create_certificate(PASSWORD)

    folder = data_dir / "keys" / "24717"
    assert context.signing.key_file == folder / "signing.p12"
    data = context.signing.key_file.read_bytes()
    assert PASSWORD.encode() not in data
    with pytest.raises(KeyPasswordWrong):
        certificates.load_pkcs12(data, "sai mật khẩu")
    opened = certificates.load_pkcs12(data, PASSWORD)
    assert certificates.fingerprint(opened.certificate) == info.fingerprint
    # The certificate alone, readable without the password.
    assert context.signing.info() == info
    assert list(folder.glob("*.partial")) == []

    assert info.common_name == "UBND Xã Đức An"
    assert info.organization == "Xã Đức An"
    assert info.locality == "Lâm Đồng"
    assert info.code == "24717"
    assert info.key == "RSA 3072 bit"


def test_name_of_the_certificate_can_be_chosen(context):
    info = context.signing.create_certificate(PASSWORD, name="Ủy ban nhân dân xã Đức An")
    assert info.common_name == "Ủy ban nhân dân xã Đức An"
    assert info.code == "24717"


def test_an_existing_key_is_replaced_only_on_request(signer, tmp_path):
    old = signer.signing.certificate()
    with pytest.raises(CertificateRefused, match="đã có khóa ký số"):
        signer.signing.create_certificate(PASSWORD, key_type="ec")

    report = make_pdf(tmp_path / "cu.pdf")
    signer.signing.sign(report, signer.signing.load_identity(PASSWORD))

    new = signer.signing.create_certificate(PASSWORD, key_type="ec", replace=True)
    assert new.fingerprint != certificates.fingerprint(old)
    # A report signed with the old key is still the commune's own.
    assert signer.signing.verify(report).ok
    assert len(signer.signing.own_certificates()) == 2


def test_short_password_is_refused(context):
    with pytest.raises(CertificateRefused, match="ít nhất 8 ký tự"):
        context.signing.create_certificate("ngan", key_type="ec")
    assert not context.signing.key_file.exists()


def test_wrong_password_is_a_clear_vietnamese_error(signer):
    with pytest.raises(KeyPasswordWrong) as refused:
        signer.signing.load_identity("không đúng")
    assert "Sai mật khẩu của khóa ký số" in refused.value.message


def test_no_key_yet_says_how_to_make_one(context):
    assert context.signing.info() is None
    with pytest.raises(NoCertificate, match="xhht cert create"):
        context.signing.load_identity(PASSWORD)


def test_import_pkcs12_checks_and_keeps_it(context, tmp_path):
    key, certificate = certificates.create_certificate(
        CertificateSubject("UBND Xã Đức An", "Xã Đức An", "Lâm Đồng", "24717"), key_type="ec"
    )
    source = tmp_path / "tu-ca.p12"
    source.write_bytes(certificates.to_pkcs12(key, certificate, "pfx-password"))

    with pytest.raises(KeyPasswordWrong):
        context.signing.import_pkcs12(source, "wrong-password")
    assert not context.signing.key_file.exists()

    info = context.signing.import_pkcs12(source, "pfx-password")
    assert info.fingerprint == certificates.fingerprint(certificate)
    identity = context.signing.load_identity("pfx-password")
    assert identity.certificate == certificate


def test_import_refuses_what_is_not_pkcs12(context, tmp_path):
    source = make_xlsx(tmp_path / "khong-phai.p12")
    with pytest.raises(CertificateRefused, match="PKCS#12"):
        context.signing.import_pkcs12(source, PASSWORD)
    with pytest.raises(CertificateRefused, match="Không đọc được tệp"):
        context.signing.import_pkcs12(tmp_path / "khong-co.p12", PASSWORD)


def test_sign_pdf_with_the_signer_from_the_settings(signer, tmp_path):
    report = make_pdf(tmp_path / "bao-cao.pdf")
    identity = signer.signing.load_identity(PASSWORD)
    appearance = signer.signing.appearance(identity)
    assert (appearance.signer_name, appearance.signer_title) == ("Nguyễn Văn Minh", "Chủ tịch")
    assert appearance.organization == "UBND Xã Đức An"

    result = signer.signing.sign(report, identity)
    assert result.path == report  # signed in place by default

    verdict = signer.signing.verify(report)
    assert verdict.status is VerificationStatus.INTACT and verdict.ok
    assert verdict.signatures[0].signer.common_name == "UBND Xã Đức An"


def test_sign_to_another_file_keeps_the_original(signer, tmp_path):
    report = make_pdf(tmp_path / "bao-cao.pdf")
    before = report.read_bytes()
    out = tmp_path / "da-ky" / "bao-cao.pdf"
    signer.signing.sign(report, signer.signing.load_identity(PASSWORD), out=out)
    assert report.read_bytes() == before
    assert signer.signing.verify(out).ok
    assert signer.signing.verify(report).status is VerificationStatus.UNSIGNED


def test_sign_xlsx_writes_a_detached_signature(signer, tmp_path):
    book = make_xlsx(tmp_path / "bieu.xlsx")
    before = book.read_bytes()
    result = signer.signing.sign(book, signer.signing.load_identity(PASSWORD))
    assert result.path == tmp_path / "bieu.xlsx.sig"
    assert book.read_bytes() == before  # the workbook itself is untouched
    assert signer.signing.verify(book).ok


def test_data_entry_may_not_sign_nor_manage_keys(signer, tmp_path):
    clerk = _as(signer, "data_entry")
    try:
        identity = clerk.signing.load_identity(PASSWORD)
        report = make_pdf(tmp_path / "bao-cao.pdf")
        with pytest.raises(PermissionDenied, match="phê duyệt hoặc quản trị"):
            clerk.signing.sign(report, identity)
        assert clerk.signing.verify(report).status is VerificationStatus.UNSIGNED
        with pytest.raises(PermissionDenied):
            clerk.signing.create_certificate(PASSWORD, key_type="ec", replace=True)
        with pytest.raises(PermissionDenied):
            clerk.signing.set_token(TokenConfig(module=tmp_path / "x.so"))
        # Checking a signature is for everyone.
        signer.signing.sign(report, identity)
        assert clerk.signing.verify(report).ok
    finally:
        clerk.close()


def test_approver_may_sign(signer, tmp_path):
    approver = _as(signer, "approver")
    try:
        report = make_pdf(tmp_path / "bao-cao.pdf")
        approver.signing.sign(report, approver.signing.load_identity(PASSWORD))
        assert approver.signing.verify(report).ok
    finally:
        approver.close()


def test_key_creation_and_signing_are_audited(signer, tmp_path):
    report = make_pdf(tmp_path / "bao-cao.pdf")
    signer.signing.sign(report, signer.signing.load_identity(PASSWORD))
    with signer.reading() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "signature").order_by(AuditEntry.id)
        ).all()
    assert [e.action for e in entries] == ["create", "sign"]
    assert entries[1].field == "bao-cao.pdf"
    assert entries[1].actor == "test:admin"
    assert "+07:00" in (entries[1].new_value or "")


def test_file_signed_by_another_commune_is_not_trusted(signer, tmp_path):
    key, certificate = certificates.create_certificate(
        CertificateSubject("UBND Xã Đạ Tẻh", "Xã Đạ Tẻh", "Lâm Đồng", "24700"), key_type="ec"
    )
    stranger = signing.identity_from_key(certificates.KeyMaterial(key, certificate, []))
    book = make_xlsx(tmp_path / "bieu.xlsx")
    signing.sign_detached(book, stranger)
    verdict = signer.signing.verify(book)
    assert verdict.intact and not verdict.trusted


def test_sign_refuses_missing_file_and_expired_certificate(signer, tmp_path):
    identity = signer.signing.load_identity(PASSWORD)
    with pytest.raises(SigningRefused, match="Không có tệp"):
        signer.signing.sign(tmp_path / "khong-co.pdf", identity)

    from datetime import UTC, datetime, timedelta

    key, old = certificates.create_certificate(
        CertificateSubject("UBND Xã Đức An", "Xã Đức An", "Lâm Đồng", "24717"),
        key_type="ec",
        now=datetime.now(UTC) - timedelta(days=6 * 366),
    )
    expired = signing.identity_from_key(certificates.KeyMaterial(key, old, []))
    with pytest.raises(CertificateRefused, match="đã hết hạn"):
        signer.signing.sign(make_pdf(tmp_path / "a.pdf"), expired)


def test_stamp_pictures_are_kept_with_the_key(signer, tmp_path):
    assert signer.signing.stamp_images().empty
    png = tmp_path / "chu-ky.png"
    Image.new("RGBA", (300, 120), (20, 40, 200, 255)).save(png)
    jpeg = tmp_path / "con-dau.jpg"
    Image.new("RGB", (300, 300), (220, 20, 20)).save(jpeg)

    with pytest.raises(SigningRefused, match="PNG"):
        signer.signing.set_stamp_images(seal=jpeg)
    images = signer.signing.set_stamp_images(signature=png)
    assert images.signature == signer.signing.folder / "signature.png"
    assert images.seal is None

    report = make_pdf(tmp_path / "bao-cao.pdf")
    signer.signing.sign(report, signer.signing.load_identity(PASSWORD))
    assert signer.signing.verify(report).ok

    signer.signing.clear_stamp_images()
    assert signer.signing.stamp_images().empty


def test_without_a_token_the_pkcs12_signs(signer):
    status = signer.signing.token_status()
    assert status.config is None and not status.usable
    assert signer.signing.load_identity(PASSWORD).source == "pkcs12"


def test_a_configured_token_whose_module_is_missing_is_reported(signer, tmp_path):
    module = tmp_path / "vendor" / "pkcs11.so"
    signer.signing.set_token(TokenConfig(module=module, token_label="VNPT-CA"))
    status = signer.signing.token_status()
    assert status.config == TokenConfig(module=module, token_label="VNPT-CA")
    assert not status.module_found and not status.usable
    with pytest.raises(TokenUnavailable, match="Không tìm thấy thư viện PKCS#11"):
        signer.signing.load_identity("123456")

    signer.signing.set_token(None)
    assert signer.signing.token_config() is None
    assert signer.signing.load_identity(PASSWORD).source == "pkcs12"


def test_demo_commune_keeps_its_key_apart(empty_context, data_dir):
    empty_context.setup.init_commune(CommuneSetup(commune_code="24717", year=2026, is_demo=True))
    empty_context.signing.create_certificate(PASSWORD, key_type="ec")
    assert empty_context.signing.key_file == data_dir / "keys" / "24717-demo" / "signing.p12"


def test_verify_works_before_setup(empty_context, tmp_path):
    verdict = empty_context.signing.verify(make_pdf(tmp_path / "a.pdf"))
    assert verdict.status is VerificationStatus.UNSIGNED
    assert empty_context.signing.trusted_certificates() == []


def test_stored_certificate_matches_the_key(signer):
    pem = signer.signing.certificate_file.read_bytes()
    assert pem.startswith(b"-----BEGIN CERTIFICATE-----")
    identity = signer.signing.load_identity(PASSWORD)
    assert identity.certificate.public_bytes(serialization.Encoding.PEM) == pem


SOFTHSM = Path("/usr/lib/softhsm/libsofthsm2.so")


@pytest.mark.skipif(
    not (SOFTHSM.is_file() and signing.token_library_installed()),
    reason="needs SoftHSM2 (Debian softhsm2) and python-pkcs11 (extra 'token')",
)
def test_sign_with_a_pkcs11_token(signer, tmp_path, monkeypatch):
    """A software token stands in for the USB one: same PKCS#11 calls, same code path."""
    import subprocess

    import pkcs11
    from pkcs11 import Attribute
    from pkcs11.util.ec import decode_ec_private_key
    from pkcs11.util.x509 import decode_x509_certificate

    tokens = tmp_path / "tokens"
    tokens.mkdir()
    config = tmp_path / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(config))
    init = ["softhsm2-util", "--init-token", "--free", "--label", "XHHT-TEST"]
    subprocess.run(
        [*init, "--so-pin", "12345678", "--pin", "246810"],
        check=True,
        capture_output=True,
    )
    key, certificate = certificates.create_certificate(
        CertificateSubject("UBND Xã Đức An", "Xã Đức An", "Lâm Đồng", "24717"), key_type="ec"
    )
    token = pkcs11.lib(str(SOFTHSM)).get_token(token_label="XHHT-TEST")
    with token.open(rw=True, user_pin="246810") as session:
        der = key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
        attributes = decode_ec_private_key(der)
        attributes.update({Attribute.LABEL: "xa", Attribute.TOKEN: True, Attribute.SIGN: True})
        session.create_object(attributes)
        cert_attributes = decode_x509_certificate(
            certificate.public_bytes(serialization.Encoding.DER)
        )
        cert_attributes.update({Attribute.LABEL: "xa", Attribute.TOKEN: True})
        session.create_object(cert_attributes)

    signer.signing.set_token(TokenConfig(module=SOFTHSM, token_label="XHHT-TEST", key_label="xa"))
    assert signer.signing.token_status().usable
    with pytest.raises(TokenUnavailable, match="Sai mã PIN"):
        signer.signing.load_identity("000000")

    identity = signer.signing.load_identity("246810")
    try:
        assert identity.source == "pkcs11"
        assert identity.certificate == certificate
        report = make_pdf(tmp_path / "bao-cao.pdf")
        book = make_xlsx(tmp_path / "bieu.xlsx")
        signer.signing.sign(report, identity)
        signer.signing.sign(book, identity)
    finally:
        identity.close()
    # The token's certificate joins the commune's own.
    for path in (report, book):
        verdict = signer.signing.verify(path)
        assert verdict.ok, verdict.message
        assert verdict.signatures[0].signer.fingerprint == certificates.fingerprint(certificate)
