"""Key escrow: the database key of a commune, encrypted for its receiving office.

A last resort when every password and the recovery sheet are lost. The
commune writes an escrow file (``xhht escrow --out FILE``) encrypted for the
receiving office's encryption certificate, the one its packages go to
(trusted with ``xhht trust-cert``), and hands it over with a package. The
office opens it with its key password (``xhht escrow-open FILE``) and reads
the 64-hex-digit database key back to the commune, which types it where the
recovery key goes. Nobody else, the stick's finder included, can read it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from xhht_desktop.errors import EncryptionFailed, PackageRefused
from xhht_desktop.exchange import crypto
from xhht_desktop.exchange.keys import check_issued
from xhht_desktop.exchange.ledger import Ledger
from xhht_desktop.store.files import write_atomically
from xhht_desktop.store.keystore import key_check

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext

FORMAT = "xhht-key-escrow"
VERSION = 1


@dataclass(frozen=True)
class EscrowedKey:
    """What an escrow file holds, once opened at the office.

    Attributes:
        unit_code: The commune's code.
        unit_name: Its name.
        created: When the file was written (UTC).
        key: The database key.
    """

    unit_code: str
    unit_name: str
    created: datetime
    key: bytes

    @property
    def key_text(self) -> str:
        """The key as read out: 16 groups of four hex digits."""
        digits = self.key.hex().upper()
        return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def write_escrow(context: AppContext, target: Path) -> Path:
    """Write this encrypted database's key, encrypted for the receiving office.

    Raises:
        EncryptionFailed: The data is not encrypted, or no office is trusted yet.
        CertificateRefused: The office's encryption certificate is no longer valid.
    """
    key = context.settings.database_key
    if key is None:
        raise EncryptionFailed("Dữ liệu trên máy này chưa được mã hóa: không có khóa để gửi.")
    info = context.setup.require()
    with context.reading() as session:
        ledger = Ledger(session)
        office = ledger.receiving_office()
        encryption = signing = None
        if office is not None and office.encryption_fingerprint is not None:
            encryption = ledger.certificate(office.encryption_fingerprint)
            signing = ledger.certificate(office.fingerprint)
    if office is None or encryption is None or signing is None:
        raise EncryptionFailed(
            "Chưa có chứng thư của cơ quan nhận. Hãy nhập tệp chứng thư của cơ quan nhận "
            "(xhht trust-cert TỆP.pem) trước khi gửi khóa."
        )
    check_issued(encryption, signing)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "unit_code": info.owner_code,
        "unit_name": info.display_name,
        "created": datetime.now(UTC).isoformat(),
        "key_check": key_check(key),
        "database_key": key.hex(),
    }
    content = crypto.encrypt(json.dumps(document).encode("utf-8"), [encryption])
    return write_atomically(target, lambda handle: handle.write(content))


def open_escrow(context: AppContext, source: Path, password: str) -> EscrowedKey:
    """Open an escrow file at the office it was written for.

    Raises:
        PackageRefused: Not an escrow file, altered, or for another office.
        KeyPasswordWrong: ``password`` does not open the office's key.
    """
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise PackageRefused(f"Không đọc được tệp '{source}': {exc.strerror or exc}") from exc
    if not crypto.is_envelope(raw):
        raise PackageRefused(f"Tệp '{source.name}' không phải tệp khóa gửi giữ của XHHT.")
    envelope = crypto.parse(raw)
    keyring = context.exchange.keyring
    mine = sorted(keyring.fingerprints() & set(envelope.fingerprints))
    if not mine:
        crypto.decrypt(envelope, {})  # raises: for another unit
    content = crypto.decrypt(envelope, {mine[0]: keyring.private_key(mine[0], password)})
    try:
        document = json.loads(content.decode("utf-8"))
        if document.get("format") != FORMAT or document.get("version") != VERSION:
            raise ValueError("not an escrow")
        key = bytes.fromhex(document["database_key"])
        if len(key) != 32 or key_check(key) != document["key_check"]:
            raise ValueError("damaged key")
        return EscrowedKey(
            str(document["unit_code"]),
            str(document["unit_name"]),
            datetime.fromisoformat(document["created"]),
            key,
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PackageRefused(f"Tệp '{source.name}' không phải tệp khóa gửi giữ hợp lệ.") from exc
