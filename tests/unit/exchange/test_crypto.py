"""The encryption envelope: only its recipients open it, and any change is detected."""

from __future__ import annotations

import json
import os
import struct

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa, x25519

from xhht_desktop.core import certificates
from xhht_desktop.core.certificates import CertificateSubject, fingerprint_hex
from xhht_desktop.errors import PackageRefused
from xhht_desktop.exchange import crypto
from xhht_desktop.exchange.keys import issue_encryption_certificate
from xhht_desktop.reports.signing import identity_from_key

SUBJECT = CertificateSubject("Sở GD&ĐT Lâm Đồng", "Sở GD&ĐT Lâm Đồng", "Lâm Đồng", "P68")


def _x25519_recipient():
    key, certificate = certificates.create_certificate(SUBJECT, key_type="ec")
    identity = identity_from_key(certificates.KeyMaterial(key, certificate, []))
    private = x25519.X25519PrivateKey.generate()
    return private, issue_encryption_certificate(identity, private.public_key())


def _rsa_recipient():
    # A CA-issued encryption certificate would carry an RSA key: any RSA
    # certificate stands in for it here.
    key, certificate = certificates.create_certificate(SUBJECT, key_type="rsa")
    assert isinstance(key, rsa.RSAPrivateKey)
    return key, certificate


@pytest.fixture(scope="module")
def recipients():
    return {"x25519": _x25519_recipient(), "rsa": _rsa_recipient()}


@pytest.mark.parametrize("kind", ["x25519", "rsa"])
def test_each_recipient_opens_the_envelope(recipients, kind):
    content = os.urandom(10_000)
    sealed = crypto.encrypt(content, [c for _, c in recipients.values()])
    assert crypto.is_envelope(sealed)
    key, certificate = recipients[kind]
    envelope = crypto.parse(sealed)
    assert set(envelope.fingerprints) == {fingerprint_hex(c) for _, c in recipients.values()}
    assert crypto.decrypt(envelope, {fingerprint_hex(certificate): key}) == content


def test_someone_else_cannot_open_it(recipients):
    _, certificate = recipients["x25519"]
    sealed = crypto.encrypt(b"du lieu", [certificate])
    stranger, stranger_certificate = _x25519_recipient()
    with pytest.raises(PackageRefused, match="mã hóa cho đơn vị khác"):
        crypto.decrypt(crypto.parse(sealed), {fingerprint_hex(stranger_certificate): stranger})
    # Even a stranger who claims the recipient's fingerprint gets nothing out.
    with pytest.raises(PackageRefused, match="bị sửa đổi hoặc bị hỏng"):
        crypto.decrypt(crypto.parse(sealed), {fingerprint_hex(certificate): stranger})


def test_every_part_of_the_envelope_is_authenticated(recipients):
    key, certificate = recipients["x25519"]
    keys = {fingerprint_hex(certificate): key}
    sealed = crypto.encrypt(b"x" * 1000, [certificate, recipients["rsa"][1]])
    _, _, length = struct.unpack_from(">8sBI", sealed)
    header = json.loads(sealed[13 : 13 + length])
    # Dropping the other recipient from the header: the content no longer opens.
    header["recipients"] = [r for r in header["recipients"] if r["kem"] != crypto.KEM_RSA]
    text = json.dumps(header, sort_keys=True).encode()
    edited = struct.pack(">8sBI", crypto.MAGIC, 1, len(text)) + text + sealed[13 + length :]
    with pytest.raises(PackageRefused, match="bị sửa đổi"):
        crypto.decrypt(crypto.parse(edited), keys)
    for position in (len(sealed) - 1, 13 + length + 5):
        flipped = bytearray(sealed)
        flipped[position] ^= 1
        with pytest.raises(PackageRefused, match="bị sửa đổi"):
            crypto.decrypt(crypto.parse(bytes(flipped)), keys)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        crypto.MAGIC,
        crypto.MAGIC + b"\x02" + b"\x00" * 20,
        crypto.MAGIC + b"\x01" + struct.pack(">I", 10**9) + b"{}",
        crypto.MAGIC + b"\x01" + struct.pack(">I", 2) + b"{}" + b"\x00" * 16,
        crypto.MAGIC + b"\x01" + struct.pack(">I", 4) + b"\xff\xfe[]" + b"\x00" * 16,
    ],
)
def test_a_damaged_header_is_refused(data):
    with pytest.raises(PackageRefused):
        crypto.parse(data)


def test_a_certificate_without_an_encryption_key_is_refused():
    _, certificate = certificates.create_certificate(SUBJECT, key_type="ec")
    with pytest.raises(PackageRefused, match="không dùng để mã hóa"):
        crypto.encrypt(b"x", [certificate])
