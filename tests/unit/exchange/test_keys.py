"""Encryption certificates issued by the signing key, key files, certificate bundles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import x25519

from xhht_desktop.core import certificates
from xhht_desktop.core.certificates import CertificateSubject, fingerprint_hex
from xhht_desktop.errors import CertificateRefused, KeyPasswordWrong, PackageRefused
from xhht_desktop.exchange.keys import (
    CertificateBundle,
    KeyRing,
    check_issued,
    issue_encryption_certificate,
    load_bundle,
)
from xhht_desktop.reports.signing import identity_from_key

SUBJECT = CertificateSubject(
    "Sở Giáo dục và Đào tạo tỉnh Lâm Đồng",
    "Sở Giáo dục và Đào tạo tỉnh Lâm Đồng",
    "Lâm Đồng",
    "P68",
)


def _identity(key_type: str):
    key, certificate = certificates.create_certificate(SUBJECT, key_type=key_type)  # type: ignore[arg-type]
    return identity_from_key(certificates.KeyMaterial(key, certificate, []))


@pytest.mark.parametrize("key_type", ["rsa", "ec"])
def test_the_signing_key_issues_an_encryption_certificate(key_type):
    identity = _identity(key_type)
    private = x25519.X25519PrivateKey.generate()
    issued = issue_encryption_certificate(identity, private.public_key())
    check_issued(issued, identity.certificate)  # the signature verifies
    usage = issued.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.key_agreement and not usage.digital_signature
    info = certificates.describe(issued)
    assert info.code == "P68" and not info.self_signed
    assert info.common_name.endswith("(khóa mã hóa)")
    assert len(info.common_name.encode()) <= 64
    assert info.not_after <= identity.certificate.not_valid_after_utc


def test_a_certificate_issued_by_another_key_is_refused():
    one, other = _identity("ec"), _identity("ec")
    issued = issue_encryption_certificate(one, x25519.X25519PrivateKey.generate().public_key())
    with pytest.raises(CertificateRefused, match="không do chứng thư ký số đi kèm cấp"):
        check_issued(issued, other.certificate)
    with pytest.raises(CertificateRefused, match="không do chứng thư ký số đi kèm cấp"):
        load_bundle(CertificateBundle(other.certificate, issued).pem())
    later = datetime.now(UTC) + timedelta(days=365 * 6)
    with pytest.raises(CertificateRefused, match="không còn hiệu lực"):
        check_issued(issued, one.certificate, later)


def test_a_bundle_needs_an_encryption_certificate():
    identity = _identity("ec")
    with pytest.raises(CertificateRefused, match="không có chứng thư mã hóa"):
        load_bundle(certificates.certificate_pem(identity.certificate))
    with pytest.raises(CertificateRefused, match=r"X\.509"):
        load_bundle(b"not a certificate")


def test_the_key_ring_keeps_keys_under_the_password(tmp_path):
    identity = _identity("ec")
    ring = KeyRing(tmp_path)
    assert ring.current(identity.certificate) is None
    issued = ring.create(identity, "mat-khau-123")
    assert fingerprint_hex(ring.current(identity.certificate)) == fingerprint_hex(issued)
    key = ring.private_key(fingerprint_hex(issued), "mat-khau-123")
    assert key.public_key().public_bytes_raw() == issued.public_key().public_bytes_raw()
    with pytest.raises(KeyPasswordWrong):
        ring.private_key(fingerprint_hex(issued), "sai-mat-khau")
    with pytest.raises(PackageRefused, match="Không tìm thấy khóa mã hóa"):
        ring.private_key("0" * 64, "mat-khau-123")
    # A new signing key gets a new encryption key; the old one stays for old packages.
    replaced = _identity("ec")
    assert ring.current(replaced.certificate) is None
    ring.create(replaced, "mat-khau-123")
    assert len(ring.fingerprints()) == 2
