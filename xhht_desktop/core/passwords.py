"""Password hashing with scrypt (from ``cryptography``), never home-made.

The stored form is ``scrypt$<log2 n>$<r>$<p>$<salt>$<hash>`` (base64), so the
cost can be raised later without invalidating existing users.
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidKey
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

_LOG2_N = 15  # 2**15 with r=8: about 32 MiB and 0.1 s per check on an old laptop
_R = 8
_P = 1
_LENGTH = 32


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    kdf = Scrypt(salt=salt, length=_LENGTH, n=2**_LOG2_N, r=_R, p=_P)
    digest = kdf.derive(password.encode("utf-8"))
    return f"scrypt${_LOG2_N}${_R}${_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, log2_n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        kdf = Scrypt(
            salt=base64.b64decode(salt),
            length=len(expected),
            n=2 ** int(log2_n),
            r=int(r),
            p=int(p),
        )
        kdf.verify(password.encode("utf-8"), expected)
    except (ValueError, InvalidKey):
        return False
    return True
