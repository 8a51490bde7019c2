"""The unit's signing certificate: creation, PKCS#12 files, fingerprints."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from xhht_desktop.core import certificates
from xhht_desktop.core.certificates import CertificateSubject
from xhht_desktop.errors import CertificateRefused, KeyPasswordWrong

SUBJECT = CertificateSubject("UBND Xã Đức An", "Xã Đức An", "Lâm Đồng", "24717")


@pytest.fixture(scope="module")
def rsa_pair():
    return certificates.create_certificate(SUBJECT)


def test_new_certificate_names_the_commune_and_its_code(rsa_pair):
    key, certificate = rsa_pair
    subject = certificate.subject
    assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "UBND Xã Đức An"
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "Xã Đức An"
    assert subject.get_attributes_for_oid(NameOID.LOCALITY_NAME)[0].value == "Lâm Đồng"
    assert subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value == "24717"
    assert certificate.issuer == subject  # self-signed
    certificate.verify_directly_issued_by(certificate)
    assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 3072

    info = certificates.describe(certificate)
    assert (info.common_name, info.organization, info.code) == (
        "UBND Xã Đức An",
        "Xã Đức An",
        "24717",
    )
    assert info.self_signed and info.key == "RSA 3072 bit"


def test_new_certificate_may_sign_documents_for_five_years(rsa_pair):
    _, certificate = rsa_pair
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical
    assert usage.value.digital_signature and usage.value.content_commitment
    assert not usage.value.key_cert_sign
    lifetime = certificate.not_valid_after_utc - certificate.not_valid_before_utc
    assert timedelta(days=5 * 365) <= lifetime <= timedelta(days=5 * 366 + 1)


def test_ec_key_on_request():
    key, certificate = certificates.create_certificate(SUBJECT, key_type="ec")
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    assert key.curve.name == "secp256r1"
    assert certificates.describe(certificate).key == "ECDSA secp256r1"


def test_fingerprint_is_sha256_in_groups_of_four(rsa_pair):
    _, certificate = rsa_pair
    digest = hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()
    shown = certificates.fingerprint(certificate)
    groups = shown.split(" ")
    assert len(groups) == 16 and all(len(g) == 4 for g in groups)
    assert "".join(groups) == digest.upper()
    assert certificates.normalize_fingerprint(digest.lower()) == digest.upper()
    assert certificates.normalize_fingerprint(shown) == digest.upper()
    assert [len(line.split()) for line in certificates.fingerprint_lines(certificate)] == [8, 8]


def test_pkcs12_round_trip(rsa_pair):
    key, certificate = rsa_pair
    data = certificates.to_pkcs12(key, certificate, "mật khẩu dài")
    opened = certificates.load_pkcs12(data, "mật khẩu dài")
    assert opened.certificate == certificate
    assert opened.chain == []
    # Encrypted: neither opens without the password nor shows the key in clear.
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(data, None)
    clear = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    assert clear[-64:] not in data


def test_wrong_password_says_so_in_vietnamese(rsa_pair):
    key, certificate = rsa_pair
    data = certificates.to_pkcs12(key, certificate, "matkhau123")
    with pytest.raises(KeyPasswordWrong, match="Sai mật khẩu") as refused:
        certificates.load_pkcs12(data, "matkhau124")
    assert refused.value.code == "XHHT201"


def test_short_password_is_refused(rsa_pair):
    key, certificate = rsa_pair
    with pytest.raises(CertificateRefused, match="ít nhất 8 ký tự"):
        certificates.to_pkcs12(key, certificate, "1234567")


def test_not_a_pkcs12_file_is_refused():
    with pytest.raises(CertificateRefused, match="không phải là tệp chứng thư số PKCS#12"):
        certificates.load_pkcs12(b"PK\x03\x04 this is a zip", "matkhau123")


def test_pkcs12_without_key_is_refused(rsa_pair):
    _, certificate = rsa_pair
    data = pkcs12.serialize_key_and_certificates(
        None,
        None,
        None,
        [certificate],
        serialization.BestAvailableEncryption(b"matkhau123"),
    )
    with pytest.raises(CertificateRefused, match="không chứa khóa bí mật"):
        certificates.load_pkcs12(data, "matkhau123")


def test_key_without_its_certificate_is_refused(rsa_pair):
    _, certificate = rsa_pair
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    # The certificate travels only as a "CA" certificate, not as the key's own.
    data = pkcs12.serialize_key_and_certificates(
        b"x",
        stranger,
        None,
        [certificate],
        serialization.BestAvailableEncryption(b"matkhau123"),
    )
    with pytest.raises(CertificateRefused, match="không chứa chứng thư số của khóa"):
        certificates.load_pkcs12(data, "matkhau123")


def test_key_that_does_not_match_the_certificate_is_refused(rsa_pair, monkeypatch):
    # cryptography will not write such a file; other tools can, so simulate
    # what the reader would hand back for one.
    _, certificate = rsa_pair
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    monkeypatch.setattr(
        certificates.pkcs12,
        "load_key_and_certificates",
        lambda data, password: (stranger, certificate, []),
    )
    with pytest.raises(CertificateRefused, match="không khớp"):
        certificates.load_pkcs12(b"\x30\x82", "matkhau123")


def test_expired_certificate_cannot_sign():
    long_ago = datetime.now(UTC) - timedelta(days=6 * 366)
    key, certificate = certificates.create_certificate(SUBJECT, key_type="ec", now=long_ago)
    with pytest.raises(CertificateRefused, match="đã hết hạn"):
        certificates.check_usage(certificate)
    data = certificates.to_pkcs12(key, certificate, "matkhau123")
    with pytest.raises(CertificateRefused, match="đã hết hạn"):
        certificates.load_pkcs12(data, "matkhau123")


def test_certificate_files_pem_and_der(rsa_pair):
    _, certificate = rsa_pair
    pem = certificates.certificate_pem(certificate)
    assert certificates.load_certificates(pem) == [certificate]
    der = certificate.public_bytes(serialization.Encoding.DER)
    assert certificates.load_certificates(der) == [certificate]
    with pytest.raises(CertificateRefused):
        certificates.load_certificates(b"not a certificate")
