"""The recovery key: the secret on the paper sheet kept in the commune's safe.

The key is 200 random bits written as ten groups of five characters from
Crockford's base32 alphabet (no I, L, O or U, so nothing reads as another
character): four characters of the secret and one check character per group.
A mistyped character is caught before anything is tried, and the message says
which group to look at again.

The database key is derived from the secret (HKDF-SHA256), so the sheet alone
opens the data and its backups even when the key file beside the database is
lost: "losing every password with the recovery sheet still in hand loses
nothing".
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from xhht_desktop.errors import RecoveryKeyInvalid

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS = 10
DATA_PER_GROUP = 4
SECRET_BYTES = GROUPS * DATA_PER_GROUP * 5 // 8  # 25 bytes = 200 bits
DATABASE_KEY_BYTES = 32
_HKDF_INFO = b"xhht-desktop database key v1"
# What people type for what they mean (Crockford's decoding rules).
_READS_AS = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
_SEPARATORS = re.compile(r"[\s\-_.]+")


def _check_char(position: int, data: str) -> str:
    # A hash, not a weighted sum: every single-character change and every
    # swap of two characters alters it (but for a 1-in-32 chance), and the
    # position makes two swapped groups fail too.
    digest = hashlib.sha256(f"{position}:{data}".encode("ascii")).digest()
    return ALPHABET[digest[0] % 32]


def _encode(secret: bytes) -> str:
    number = int.from_bytes(secret, "big")
    chars = GROUPS * DATA_PER_GROUP
    return "".join(ALPHABET[(number >> (5 * (chars - 1 - i))) & 31] for i in range(chars))


def _decode(data: str) -> bytes:
    number = 0
    for char in data:
        number = (number << 5) | ALPHABET.index(char)
    return number.to_bytes(SECRET_BYTES, "big")


@dataclass(frozen=True)
class RecoveryKey:
    """A recovery secret and how it is written on the sheet.

    Attributes:
        secret: The 25 random bytes.
    """

    secret: bytes

    @classmethod
    def generate(cls) -> RecoveryKey:
        return cls(secrets.token_bytes(SECRET_BYTES))

    @property
    def groups(self) -> list[str]:
        """The ten groups of five characters, as printed."""
        data = _encode(self.secret)
        result = []
        for index in range(GROUPS):
            part = data[index * DATA_PER_GROUP : (index + 1) * DATA_PER_GROUP]
            result.append(part + _check_char(index + 1, part))
        return result

    @property
    def text(self) -> str:
        """The key as one line: ``XXXXX-XXXXX-…``."""
        return "-".join(self.groups)

    def database_key(self) -> bytes:
        """The 256-bit database key this secret stands for."""
        return HKDF(
            algorithm=hashes.SHA256(), length=DATABASE_KEY_BYTES, salt=None, info=_HKDF_INFO
        ).derive(self.secret)


def parse(typed: str) -> RecoveryKey:
    """Read a recovery key as a person typed it.

    Case, spaces and dashes do not matter; O, I, L and U are read as 0, 1, 1
    and V.

    Raises:
        RecoveryKeyInvalid: The key has the wrong length or a group fails its
            check; ``groups`` names the groups to look at again.
    """
    cleaned = _SEPARATORS.sub("", typed.upper()).translate(_READS_AS)
    expected = GROUPS * (DATA_PER_GROUP + 1)
    unknown = sorted({char for char in cleaned if char not in ALPHABET})
    if unknown:
        raise RecoveryKeyInvalid(
            "Khóa khôi phục chỉ gồm chữ số và chữ cái in trên tờ khóa; có ký tự lạ: "
            + " ".join(unknown)
            + "."
        )
    if len(cleaned) != expected:
        raise RecoveryKeyInvalid(
            f"Khóa khôi phục gồm {GROUPS} nhóm, mỗi nhóm 5 ký tự ({expected} ký tự); "
            f"bạn đã nhập {len(cleaned)} ký tự."
        )
    data = []
    wrong = []
    for index in range(GROUPS):
        group = cleaned[index * 5 : (index + 1) * 5]
        part, check = group[:DATA_PER_GROUP], group[DATA_PER_GROUP]
        if _check_char(index + 1, part) != check:
            wrong.append(index + 1)
        data.append(part)
    if wrong:
        raise RecoveryKeyInvalid(
            "Khóa khôi phục gõ chưa đúng ở nhóm thứ "
            + ", ".join(str(n) for n in wrong)
            + ". Hãy so lại từng ký tự của các nhóm này với tờ khóa.",
            tuple(wrong),
        )
    return RecoveryKey(_decode("".join(data)))
