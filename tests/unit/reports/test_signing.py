"""Signing reports: PAdES signatures of PDFs and detached CMS signatures of Excel files."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from asn1crypto import cms
from openpyxl import Workbook
from PIL import Image, ImageDraw
from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from xhht_desktop.core import certificates
from xhht_desktop.core.certificates import CertificateSubject, KeyMaterial
from xhht_desktop.errors import SigningRefused
from xhht_desktop.reports import signing
from xhht_desktop.reports.signing import (
    SignatureAppearance,
    SigningIdentity,
    StampImages,
    VerificationStatus,
)

MARKER = b"Tong so nguoi: 1234"
APPEARANCE = SignatureAppearance(signer_name="Nguyễn Văn Minh", signer_title="Chủ tịch")


def _identity(common_name: str, organization: str, code: str) -> SigningIdentity:
    key, certificate = certificates.create_certificate(
        CertificateSubject(common_name, organization, "Lâm Đồng", code), key_type="ec"
    )
    return signing.identity_from_key(KeyMaterial(key, certificate, []))


@pytest.fixture(scope="module")
def commune() -> SigningIdentity:
    return _identity("UBND Xã Đức An", "Xã Đức An", "24717")


@pytest.fixture(scope="module")
def other_commune() -> SigningIdentity:
    return _identity("UBND Xã Đạ Tẻh", "Xã Đạ Tẻh", "24700")


def make_pdf(path: Path, pages: int = 2) -> Path:
    # Uncompressed, so that a test can find and flip a byte of the page text.
    pdf = canvas.Canvas(str(path), pagesize=A4, pageCompression=0)
    for number in range(1, pages + 1):
        pdf.drawString(72, 760, f"Trang {number}")
        pdf.drawString(72, 740, MARKER.decode())
        pdf.showPage()
    pdf.save()
    return path


def make_xlsx(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["Thôn", "Số người"])
    sheet.append(["Thôn 1", 120])
    sheet.append(["Tổng", "=SUM(B2:B2)"])
    book.save(path)
    return path


def flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def pyhanko_status(path: Path, trusted: SigningIdentity):
    context = ValidationContext(
        trust_roots=[translate_pyca_cryptography_cert_to_asn1(trusted.certificate)]
    )
    reader = PdfFileReader(io.BytesIO(path.read_bytes()))
    (signature,) = reader.embedded_signatures
    return validate_pdf_signature(signature, context)


# ----------------------------------------------------------------------- PDF


def test_signed_pdf_validates_with_pyhanko(tmp_path, commune):
    signed = tmp_path / "bao-cao-ky.pdf"
    result = signing.sign_pdf(make_pdf(tmp_path / "bao-cao.pdf"), signed, commune, APPEARANCE)

    status = pyhanko_status(signed, commune)
    assert status.intact and status.valid and status.trusted
    assert status.coverage is SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.subject.native["common_name"] == "UBND Xã Đức An"
    # The stamp shows the time the signature records, in Vietnam's time.
    assert status.signer_reported_dt == result.signed_at
    assert result.signed_at.utcoffset().total_seconds() == 7 * 3600
    assert result.fingerprint == certificates.fingerprint(commune.certificate)

    verdict = signing.verify_file(signed, [commune.certificate])
    assert verdict.status is VerificationStatus.INTACT
    assert verdict.trusted and verdict.ok
    (check,) = verdict.signatures
    assert check.signer.common_name == "UBND Xã Đức An"
    assert check.signer.code == "24717"
    assert check.signed_at == result.signed_at
    assert "còn nguyên vẹn" in verdict.message


def test_pdf_signature_is_pades(tmp_path, commune):
    signed = signing.sign_pdf(
        make_pdf(tmp_path / "a.pdf"), tmp_path / "b.pdf", commune, APPEARANCE
    ).path
    reader = PdfFileReader(io.BytesIO(signed.read_bytes()))
    (signature,) = reader.embedded_signatures
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"


def test_stamp_sits_bottom_right_of_the_last_page(tmp_path, commune):
    signed = signing.sign_pdf(
        make_pdf(tmp_path / "a.pdf", pages=3), tmp_path / "b.pdf", commune, APPEARANCE
    ).path
    reader = PdfFileReader(io.BytesIO(signed.read_bytes()))
    (signature,) = reader.embedded_signatures
    widget = signature.sig_field
    last_page = reader.root["/Pages"]["/Kids"][2].get_object()
    assert widget["/P"].get_object() is last_page or widget["/P"] == last_page
    x1, y1, x2, _ = (float(v) for v in widget["/Rect"])
    width, _ = A4
    assert x1 > width / 2  # right half
    assert x2 <= width - 15 * signing.MM + 1  # clear of the right margin
    assert 0 < y1 < 100  # bottom of the page
    assert "/AP" in widget  # a visible appearance, not an invisible signature


def test_caller_chooses_page_and_box(tmp_path, commune):
    signed = signing.sign_pdf(
        make_pdf(tmp_path / "a.pdf"),
        tmp_path / "b.pdf",
        commune,
        APPEARANCE,
        page=0,
        box=(300, 400, 540, 480),
    ).path
    reader = PdfFileReader(io.BytesIO(signed.read_bytes()))
    (signature,) = reader.embedded_signatures
    assert [float(v) for v in signature.sig_field["/Rect"]] == [300, 400, 540, 480]
    first_page = reader.root["/Pages"]["/Kids"][0]
    assert signature.sig_field["/P"] == first_page
    assert signing.verify_file(signed, [commune.certificate]).ok


def test_a_signature_field_reserved_by_the_report_is_used(tmp_path, commune):
    source = make_pdf(tmp_path / "a.pdf")
    writer = IncrementalPdfFileWriter(io.BytesIO(source.read_bytes()))
    fields.append_signature_field(
        writer, fields.SigFieldSpec("ChuKySo", on_page=1, box=(320, 200, 560, 280))
    )
    reserved = tmp_path / "reserved.pdf"
    with reserved.open("wb") as handle:
        writer.write(handle)

    signed = signing.sign_pdf(reserved, tmp_path / "b.pdf", commune, APPEARANCE).path
    reader = PdfFileReader(io.BytesIO(signed.read_bytes()))
    (signature,) = reader.embedded_signatures
    assert signature.field_name == "ChuKySo"
    assert [float(v) for v in signature.sig_field["/Rect"]] == [320, 200, 560, 280]
    assert signing.verify_file(signed, [commune.certificate]).ok


def test_stamp_lines_name_signer_time_and_fingerprint(commune):
    moment = datetime(2026, 5, 4, 2, 30, tzinfo=UTC)
    lines = signing.stamp_lines(commune, APPEARANCE, moment)
    assert lines[0] == "Ký số bởi: UBND Xã Đức An"
    assert lines[1] == "Người ký: Nguyễn Văn Minh – Chủ tịch"
    assert lines[2] == "Thời gian ký: 2026-05-04T09:30:00+07:00"
    groups = " ".join(lines[4:]).split(" ")
    assert " ".join(groups) == certificates.fingerprint(commune.certificate)
    assert all(len(line.split(" ")) == 8 for line in lines[4:])


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler's pdftoppm")
def test_stamp_is_drawn(tmp_path, commune):
    signed = signing.sign_pdf(
        make_pdf(tmp_path / "a.pdf"), tmp_path / "b.pdf", commune, APPEARANCE
    ).path
    unsigned_png = _render_last_page(tmp_path / "a.pdf", tmp_path / "before")
    signed_png = _render_last_page(signed, tmp_path / "after")
    with Image.open(unsigned_png) as before, Image.open(signed_png) as after:
        x1, y1, x2, y2 = signing.default_stamp_box(*A4, APPEARANCE)
        scale = 80 / 72
        region = (
            round(x1 * scale),
            round((A4[1] - y2) * scale),
            round(x2 * scale),
            round((A4[1] - y1) * scale),
        )
        assert before.crop(region).convert("L").getextrema() == (255, 255)
        # Text in dark blue: many pixels well below white.
        histogram = after.crop(region).convert("L").histogram()
        assert sum(histogram[:160]) > 300


def _render_last_page(pdf: Path, prefix: Path) -> Path:
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-singlefile", "-f", "2", "-l", "2", pdf, prefix],
        check=True,
    )
    return prefix.with_suffix(".png")


def test_one_flipped_byte_in_the_signed_range_is_detected(tmp_path, commune):
    signed = signing.sign_pdf(
        make_pdf(tmp_path / "a.pdf"), tmp_path / "b.pdf", commune, APPEARANCE
    ).path
    flip_byte(signed, signed.read_bytes().index(MARKER) + len(MARKER) - 1)  # 1234 → 1235

    assert not pyhanko_status(signed, commune).intact
    verdict = signing.verify_file(signed, [commune.certificate])
    assert verdict.status is VerificationStatus.MODIFIED
    assert not verdict.ok
    assert "ĐÃ BỊ SỬA ĐỔI" in verdict.message
    assert verdict.signatures[0].problem


def test_garbage_appended_after_the_signature_is_reported(tmp_path, commune):
    signed = signing.sign_pdf(
        make_pdf(tmp_path / "a.pdf"), tmp_path / "b.pdf", commune, APPEARANCE
    ).path
    with signed.open("ab") as handle:
        handle.write(b"\n% appended by someone\n1 0 obj (x) endobj\n")

    verdict = signing.verify_file(signed, [commune.certificate])
    assert verdict.status is VerificationStatus.MODIFIED
    assert "sau chữ ký cuối cùng" in (verdict.signatures[0].problem or "")


def test_an_edit_saved_as_incremental_update_is_reported(tmp_path, commune):
    signed = signing.sign_pdf(
        make_pdf(tmp_path / "a.pdf"), tmp_path / "b.pdf", commune, APPEARANCE
    ).path
    writer = IncrementalPdfFileWriter(io.BytesIO(signed.read_bytes()))
    writer.add_stream_to_page(
        0,
        writer.add_object(generic.StreamObject(stream_data=b"BT /F1 12 Tf 72 700 Td (9999) Tj ET")),
    )
    edited = io.BytesIO()
    writer.write(edited)
    signed.write_bytes(edited.getvalue())

    verdict = signing.verify_file(signed, [commune.certificate])
    assert verdict.status is VerificationStatus.MODIFIED


def test_unsigned_pdf_is_reported_as_not_signed(tmp_path, commune):
    verdict = signing.verify_file(make_pdf(tmp_path / "a.pdf"), [commune.certificate])
    assert verdict.status is VerificationStatus.UNSIGNED
    assert "chưa ký" in verdict.message
    assert not verdict.ok


def test_damaged_pdf_is_unreadable_not_a_crash(tmp_path, commune):
    damaged = tmp_path / "hong.pdf"
    damaged.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    verdict = signing.verify_file(damaged, [commune.certificate])
    assert verdict.status is VerificationStatus.UNREADABLE
    assert "Không kiểm tra được" in verdict.message


def test_signer_outside_the_trusted_list_is_intact_but_not_trusted(
    tmp_path, commune, other_commune
):
    signed = signing.sign_pdf(
        make_pdf(tmp_path / "a.pdf"), tmp_path / "b.pdf", other_commune, APPEARANCE
    ).path
    verdict = signing.verify_file(signed, [commune.certificate])
    assert verdict.status is VerificationStatus.INTACT
    assert not verdict.trusted and not verdict.ok
    assert verdict.signatures[0].signer.common_name == "UBND Xã Đạ Tẻh"
    assert "CHƯA được tin cậy" in verdict.message

    # Nobody trusted at all (a fresh office): still intact, still named.
    verdict = signing.verify_file(signed, [])
    assert verdict.intact and not verdict.trusted
    assert verdict.signatures[0].signer.code == "24700"


def test_a_second_signature_keeps_the_first_valid(tmp_path, commune, other_commune):
    first = signing.sign_pdf(make_pdf(tmp_path / "a.pdf"), tmp_path / "b.pdf", commune, APPEARANCE)
    signing.sign_pdf(first.path, first.path, other_commune, APPEARANCE, box=(60, 60, 300, 140))
    verdict = signing.verify_file(first.path, [commune.certificate, other_commune.certificate])
    assert verdict.status is VerificationStatus.INTACT and verdict.ok
    assert [s.signer.code for s in verdict.signatures] == ["24717", "24700"]
    reader = PdfFileReader(io.BytesIO(first.path.read_bytes()))
    assert [s.field_name for s in reader.embedded_signatures] == ["ChuKySo", "ChuKySo2"]


def test_signing_in_place_leaves_no_temporary_file(tmp_path, commune):
    report = make_pdf(tmp_path / "bao-cao.pdf")
    signing.sign_pdf(report, report, commune, APPEARANCE)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bao-cao.pdf"]
    assert signing.verify_file(report, [commune.certificate]).ok


def test_not_a_pdf_is_refused(tmp_path, commune):
    text = tmp_path / "a.pdf"
    text.write_text("không phải PDF", encoding="utf-8")
    with pytest.raises(SigningRefused, match="không phải là tệp PDF"):
        signing.sign_pdf(text, tmp_path / "b.pdf", commune, APPEARANCE)
    assert not (tmp_path / "b.pdf").exists()


def _picture(
    path: Path, colour: tuple[int, int, int], size: tuple[int, int], fmt: str = "PNG"
) -> Path:
    if fmt == "PNG":
        image = Image.new("RGBA", size, (255, 255, 255, 0))
    else:
        image = Image.new("RGB", size, (255, 255, 255))
    ImageDraw.Draw(image).ellipse([10, 10, size[0] - 10, size[1] - 10], outline=colour, width=12)
    image.save(path, fmt)
    return path


def test_signature_and_seal_pictures(tmp_path, commune):
    images = StampImages(
        signature=_picture(tmp_path / "chu-ky.png", (20, 40, 200), (600, 250)),
        seal=_picture(tmp_path / "con-dau.png", (220, 20, 20), (500, 500)),
    )
    appearance = SignatureAppearance("Nguyễn Văn Minh", "Chủ tịch", images=images)
    signed = signing.sign_pdf(make_pdf(tmp_path / "a.pdf"), tmp_path / "b.pdf", commune, appearance)
    assert signing.verify_file(signed.path, [commune.certificate]).ok
    reader = PdfFileReader(io.BytesIO(signed.path.read_bytes()))
    (signature,) = reader.embedded_signatures
    x1, _, x2, _ = (float(v) for v in signature.sig_field["/Rect"])
    assert x2 - x1 > 120 * signing.MM  # room for the seal at true size beside the text

    picture, width, height = signing.stamp_picture(images)
    assert height == pytest.approx(35 * signing.MM, rel=0.01)  # the seal at true size
    # The seal covers the left third of the signature (20 mm high, 48 mm wide).
    signature_width = 20 * 600 / 250
    assert width == pytest.approx((35 + signature_width * 2 / 3) * signing.MM, rel=0.01)
    assert picture.getpixel((2, 2))[3] == 0  # transparent around the seal


def test_a_jpeg_picture_is_refused(tmp_path, commune):
    images = StampImages(
        signature=_picture(tmp_path / "chu-ky.jpg", (20, 40, 200), (600, 250), "JPEG")
    )
    appearance = SignatureAppearance("Nguyễn Văn Minh", "Chủ tịch", images=images)
    with pytest.raises(SigningRefused, match="PNG"):
        signing.sign_pdf(make_pdf(tmp_path / "a.pdf"), tmp_path / "b.pdf", commune, appearance)


# --------------------------------------------------------------- XLSX (.sig)


def test_xlsx_detached_signature_is_cms_and_verifies(tmp_path, commune):
    book = make_xlsx(tmp_path / "bieu.xlsx")
    result = signing.sign_detached(book, commune)
    assert result.path == tmp_path / "bieu.xlsx.sig"
    assert result.signed == book

    content = cms.ContentInfo.load(result.path.read_bytes())
    assert content["content_type"].native == "signed_data"
    assert content["content"]["encap_content_info"]["content"].native is None  # detached

    verdict = signing.verify_file(book, [commune.certificate])
    assert verdict.kind == "detached"
    assert verdict.status is VerificationStatus.INTACT and verdict.ok
    assert verdict.signatures[0].signer.common_name == "UBND Xã Đức An"
    assert verdict.signatures[0].signed_at == result.signed_at
    # The signature file itself may be named too.
    assert signing.verify_file(result.path, [commune.certificate]).ok


def test_one_flipped_byte_in_the_xlsx_is_detected(tmp_path, commune):
    book = make_xlsx(tmp_path / "bieu.xlsx")
    signing.sign_detached(book, commune)
    flip_byte(book, len(book.read_bytes()) // 2)

    verdict = signing.verify_file(book, [commune.certificate])
    assert verdict.status is VerificationStatus.MODIFIED
    assert "ĐÃ BỊ SỬA ĐỔI" in verdict.message


def test_xlsx_signed_by_another_commune_is_not_trusted(tmp_path, commune, other_commune):
    book = make_xlsx(tmp_path / "bieu.xlsx")
    signing.sign_detached(book, other_commune)
    verdict = signing.verify_file(book, [commune.certificate])
    assert verdict.intact and not verdict.trusted
    assert verdict.signatures[0].signer.common_name == "UBND Xã Đạ Tẻh"


def test_a_signature_moved_to_another_file_fails(tmp_path, commune):
    first = make_xlsx(tmp_path / "a.xlsx")
    second = tmp_path / "b.xlsx"
    book = Workbook()
    book.active.append(["khác"])
    book.save(second)
    shutil.copy(signing.sign_detached(first, commune).path, signing.signature_path(second))
    assert signing.verify_file(second, [commune.certificate]).status is VerificationStatus.MODIFIED


def test_xlsx_without_signature_file_is_unsigned(tmp_path, commune):
    verdict = signing.verify_file(make_xlsx(tmp_path / "bieu.xlsx"), [commune.certificate])
    assert verdict.status is VerificationStatus.UNSIGNED
    assert "bieu.xlsx.sig" in verdict.message


def test_damaged_signature_file_is_unreadable(tmp_path, commune):
    book = make_xlsx(tmp_path / "bieu.xlsx")
    signing.signature_path(book).write_bytes(b"\x30\x82\x01\x00 not a CMS")
    verdict = signing.verify_file(book, [commune.certificate])
    assert verdict.status is VerificationStatus.UNREADABLE
    assert "bieu.xlsx.sig" in verdict.message


def test_missing_file_is_unreadable(tmp_path, commune):
    verdict = signing.verify_file(tmp_path / "khong-co.pdf", [commune.certificate])
    assert verdict.status is VerificationStatus.UNREADABLE


# --------------------------------------------------------------- USB token


def test_token_with_a_missing_module_is_refused_clearly(tmp_path):
    from xhht_desktop.errors import TokenUnavailable

    config = signing.TokenConfig(module=tmp_path / "khong-co-pkcs11.so")
    with pytest.raises(TokenUnavailable, match="Không tìm thấy thư viện PKCS#11"):
        signing.open_token_identity(config, "123456")


def test_token_without_python_pkcs11_is_refused_clearly(tmp_path, monkeypatch):
    from xhht_desktop.errors import TokenUnavailable

    # As on a machine installed without the "token" extra.
    monkeypatch.setattr(signing, "token_library_installed", lambda: False)
    module = tmp_path / "vendor-pkcs11.so"
    module.write_bytes(b"\x7fELF")
    with pytest.raises(TokenUnavailable, match="python-pkcs11"):
        signing.open_token_identity(signing.TokenConfig(module=module), "123456")
