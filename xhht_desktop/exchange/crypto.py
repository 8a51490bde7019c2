"""Encryption of a whole package for its recipients: hybrid, authenticated, from ``cryptography``.

Construction (an ECIES/HPKE-style key encapsulation, built only from
primitives of the ``cryptography`` library, none of our own):

1. A fresh random 256-bit content key encrypts the whole package (the zip)
   with AES-256-GCM and a random 96-bit nonce. The associated data is the
   complete envelope header (magic, version, header length and header
   JSON), so that nothing in the header can be changed, added or removed
   without the content failing to decrypt.
2. The content key is wrapped once per recipient (the receiving office, and
   the sending unit itself, so that it can always re-open its own package):

   - X25519 key (the app's own encryption certificates): a fresh ephemeral
     X25519 key pair per recipient; the shared secret of the ephemeral
     private key and the recipient's public key goes through HKDF-SHA256
     (salt: ephemeral public key || recipient public key; info: a fixed
     label and the recipient's certificate fingerprint) to a 256-bit
     key-encryption key, which encrypts the content key with AES-256-GCM.
   - RSA key (a certificate from a CA): RSA-OAEP with SHA-256 (MGF1-SHA256)
     encrypts the content key directly.

The envelope is::

    b"XHHT-ENC" | version (1 byte) | header length (4 bytes, big-endian)
    | header (UTF-8 JSON) | AES-256-GCM ciphertext and 16-byte tag

with the header ``{"cipher": "A256GCM", "nonce": b64, "recipients": [{"fingerprint":
hex, "kem": "X25519-HKDF-SHA256" | "RSA-OAEP-SHA256", "epk": b64, "nonce": b64,
"key": b64}]}``. A recipient is found by the SHA-256 fingerprint of its
encryption certificate; a package for someone else is refused before any
decryption is tried.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa, x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from xhht_desktop.core.certificates import fingerprint_hex
from xhht_desktop.errors import PackageRefused

MAGIC = b"XHHT-ENC"
VERSION = 1
CIPHER = "A256GCM"
KEM_X25519 = "X25519-HKDF-SHA256"
KEM_RSA = "RSA-OAEP-SHA256"
_PREFIX = struct.Struct(">8sBI")
_WRAP_INFO = b"XHHT package content key v1"
MAX_HEADER = 64 * 1024
MAX_RECIPIENTS = 16
# AES-GCM in ``cryptography`` takes at most 2**31 - 1 bytes in one call.
MAX_CONTENT = 2**31 - 1 - 16

DecryptionKey = x25519.X25519PrivateKey | rsa.RSAPrivateKey
EncryptionKey = x25519.X25519PublicKey | rsa.RSAPublicKey


def is_envelope(data: bytes) -> bool:
    """Whether ``data`` starts like an encrypted package (it may still be damaged)."""
    return data[: len(MAGIC)] == MAGIC


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: Any, length: int | None = None, limit: int = 2048) -> bytes:
    if not isinstance(value, str) or len(value) > limit:
        raise ValueError("not base64")
    raw = base64.b64decode(value, validate=True)
    if length is not None and len(raw) != length:
        raise ValueError("wrong length")
    return raw


def _raw(key: x25519.X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _kek(shared: bytes, ephemeral: bytes, recipient: bytes, fingerprint: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=ephemeral + recipient,
        info=_WRAP_INFO + b" " + fingerprint.encode("ascii"),
    ).derive(shared)


def recipient_key(certificate: x509.Certificate) -> EncryptionKey:
    """The public key packages are encrypted to, from an encryption certificate.

    Raises:
        PackageRefused: The key is neither X25519 nor RSA.
    """
    key = certificate.public_key()
    if isinstance(key, x25519.X25519PublicKey | rsa.RSAPublicKey):
        return key
    raise PackageRefused(
        "Chứng thư của nơi nhận không dùng để mã hóa được (cần khóa X25519 hoặc RSA)."
    )


def _wrap(content_key: bytes, certificate: x509.Certificate) -> dict[str, str]:
    key = recipient_key(certificate)
    fingerprint = fingerprint_hex(certificate)
    if isinstance(key, rsa.RSAPublicKey):
        wrapped = key.encrypt(
            content_key,
            padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None),
        )
        return {"fingerprint": fingerprint, "kem": KEM_RSA, "key": _b64(wrapped)}
    ephemeral = x25519.X25519PrivateKey.generate()
    ephemeral_public = _raw(ephemeral.public_key())
    kek = _kek(ephemeral.exchange(key), ephemeral_public, _raw(key), fingerprint)
    nonce = os.urandom(12)
    wrapped = AESGCM(kek).encrypt(nonce, content_key, _WRAP_INFO)
    return {
        "fingerprint": fingerprint,
        "kem": KEM_X25519,
        "epk": _b64(ephemeral_public),
        "nonce": _b64(nonce),
        "key": _b64(wrapped),
    }


def encrypt(content: bytes, recipients: Sequence[x509.Certificate]) -> bytes:
    """Encrypt ``content`` so that each of ``recipients`` (and only they) can open it.

    Args:
        content: The package (a zip).
        recipients: Encryption certificates (X25519 or RSA keys); duplicates
            are dropped.

    Raises:
        PackageRefused: No recipient, a certificate without a usable key, or
            content too large for one AES-GCM message.
    """
    if len(content) > MAX_CONTENT:
        raise PackageRefused("Gói dữ liệu quá lớn để mã hóa (trên 2 GB).")
    unique = {fingerprint_hex(c): c for c in recipients}
    if not unique:
        raise PackageRefused("Không có nơi nhận để mã hóa gói dữ liệu.")
    content_key = AESGCM.generate_key(bit_length=256)
    nonce = os.urandom(12)
    header = json.dumps(
        {
            "cipher": CIPHER,
            "nonce": _b64(nonce),
            "recipients": [_wrap(content_key, c) for c in unique.values()],
        },
        sort_keys=True,
    ).encode("ascii")
    prefix = _PREFIX.pack(MAGIC, VERSION, len(header)) + header
    return prefix + AESGCM(content_key).encrypt(nonce, content, prefix)


@dataclass(frozen=True)
class Envelope:
    """The readable part of an encrypted package.

    Attributes:
        prefix: Magic, version, length and header bytes (the associated data).
        nonce: The content nonce.
        recipients: Each recipient's entry, as in the header.
        ciphertext: The encrypted package and its tag.
    """

    prefix: bytes
    nonce: bytes
    recipients: tuple[Mapping[str, Any], ...]
    ciphertext: bytes

    @property
    def fingerprints(self) -> tuple[str, ...]:
        return tuple(str(r["fingerprint"]) for r in self.recipients)


_DAMAGED = "Gói dữ liệu đã mã hóa bị hỏng hoặc bị cắt cụt (phần đầu không đọc được)."


def parse(data: bytes) -> Envelope:
    """Read the header of an encrypted package without decrypting anything.

    Raises:
        PackageRefused: Not an envelope, an unknown version, a damaged header.
    """
    if len(data) < _PREFIX.size or not is_envelope(data):
        raise PackageRefused(_DAMAGED)
    _, version, length = _PREFIX.unpack_from(data)
    if version != VERSION:
        raise PackageRefused(
            f"Gói được mã hóa theo định dạng phiên bản {version}, phiên bản ứng dụng này chưa "
            "đọc được. Hãy cập nhật XHHT Desktop."
        )
    end = _PREFIX.size + length
    if length > MAX_HEADER or len(data) < end + 16:
        raise PackageRefused(_DAMAGED)
    try:
        header = json.loads(data[_PREFIX.size : end].decode("ascii"))
        if not isinstance(header, dict) or header.get("cipher") != CIPHER:
            raise ValueError("cipher")
        nonce = _unb64(header.get("nonce"), 12)
        recipients = header.get("recipients")
        if not isinstance(recipients, list) or not 0 < len(recipients) <= MAX_RECIPIENTS:
            raise ValueError("recipients")
        for entry in recipients:
            _check_recipient(entry)
    except (ValueError, UnicodeDecodeError, binascii.Error, RecursionError) as exc:
        raise PackageRefused(_DAMAGED) from exc
    return Envelope(data[:end], nonce, tuple(recipients), data[end:])


def _check_recipient(entry: Any) -> None:
    if not isinstance(entry, dict):
        raise ValueError("recipient")
    fingerprint = entry.get("fingerprint")
    if not isinstance(fingerprint, str) or len(fingerprint) != 64:
        raise ValueError("fingerprint")
    if entry.get("kem") == KEM_X25519:
        _unb64(entry.get("epk"), 32)
        _unb64(entry.get("nonce"), 12)
        _unb64(entry.get("key"), 48)
    elif entry.get("kem") == KEM_RSA:
        _unb64(entry.get("key"))
    else:
        raise ValueError("kem")


def _unwrap(entry: Mapping[str, Any], key: DecryptionKey) -> bytes:
    wrapped = _unb64(entry["key"])
    if entry["kem"] == KEM_RSA:
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("key type")
        return key.decrypt(
            wrapped,
            padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None),
        )
    if not isinstance(key, x25519.X25519PrivateKey):
        raise ValueError("key type")
    ephemeral = _unb64(entry["epk"], 32)
    shared = key.exchange(x25519.X25519PublicKey.from_public_bytes(ephemeral))
    kek = _kek(shared, ephemeral, _raw(key.public_key()), str(entry["fingerprint"]))
    return AESGCM(kek).decrypt(_unb64(entry["nonce"], 12), wrapped, _WRAP_INFO)


def decrypt(envelope: Envelope, keys: Mapping[str, DecryptionKey]) -> bytes:
    """Open an envelope with one of ``keys`` (encryption certificate fingerprint -> private key).

    Raises:
        PackageRefused: None of ``keys`` is a recipient (the package is for
            another unit), or the package was changed or damaged on the way.
    """
    entry = next((r for r in envelope.recipients if r["fingerprint"] in keys), None)
    if entry is None:
        raise PackageRefused(
            "Gói dữ liệu được mã hóa cho đơn vị khác, máy này không mở được. Gói dành cho "
            "chứng thư mã hóa có vân tay: "
            + "; ".join(_groups(f) for f in envelope.fingerprints)
            + "."
        )
    try:
        content_key = _unwrap(entry, keys[entry["fingerprint"]])
        return AESGCM(content_key).decrypt(envelope.nonce, envelope.ciphertext, envelope.prefix)
    except (InvalidTag, ValueError) as exc:
        raise PackageRefused(
            "Gói dữ liệu đã mã hóa bị sửa đổi hoặc bị hỏng trên đường chuyển (kiểm tra toàn "
            "vẹn không đạt); không nhập gì."
        ) from exc


def _groups(hex_digits: str) -> str:
    return " ".join(hex_digits[i : i + 4] for i in range(0, len(hex_digits), 4))
