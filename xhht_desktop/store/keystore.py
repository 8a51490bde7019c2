"""The key file beside an encrypted database: the database key, wrapped per user.

``<database>.keys.json`` holds the random 256-bit database key once per user,
each copy encrypted (AES-256-GCM) under a key derived from that user's
password with scrypt and a salt of its own. The file reveals no secret: the
user names, the unit's name (shown on the login dialog before anything is
unlocked), the KDF parameters and a key check (an HMAC of a constant under
the database key, to tell a wrong recovery key from damaged data). Every
wrapped copy is bound (as associated data) to its user name and parameters,
so an edited file fails to open instead of opening wrongly.

The recovery key is not stored here: the database key is derived from it
(``core.recovery``), so the sheet opens the data even without this file.
"""

from __future__ import annotations

import base64
import hmac
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from xhht_desktop.errors import KeystoreDamaged, UnlockFailed
from xhht_desktop.store.files import write_atomically

FORMAT = "xhht-keystore"
VERSION = 1
SUFFIX = ".keys.json"
# 2**15 with r=8: about 32 MiB and 0.1 s on an old laptop, as for login hashes.
SCRYPT_LOG2_N = 15
SCRYPT_R = 8
SCRYPT_P = 1
_CHECK_LABEL = b"xhht-desktop key check v1"


def keystore_path(database: Path) -> Path:
    """Where the key file of ``database`` lives: beside it."""
    return database.with_name(database.name + SUFFIX)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def key_check(key: bytes) -> str:
    """A value that tells whether ``key`` is this database's key, revealing nothing of it."""
    return hmac.new(key, _CHECK_LABEL, "sha256").hexdigest()[:32]


@dataclass(frozen=True)
class WrappedKey:
    """The database key encrypted under one user's password."""

    username: str
    log2_n: int
    r: int
    p: int
    salt: bytes
    nonce: bytes
    wrapped: bytes

    def _associated_data(self) -> bytes:
        return json.dumps(
            [
                FORMAT,
                VERSION,
                self.username,
                "scrypt",
                self.log2_n,
                self.r,
                self.p,
                _b64(self.salt),
            ],
            separators=(",", ":"),
        ).encode("utf-8")

    @classmethod
    def wrap(
        cls, username: str, password: str, key: bytes, log2_n: int = SCRYPT_LOG2_N
    ) -> WrappedKey:
        salt = os.urandom(16)
        nonce = os.urandom(12)
        unsealed = cls(username, log2_n, SCRYPT_R, SCRYPT_P, salt, nonce, b"")
        kek = unsealed._kek(password)
        wrapped = AESGCM(kek).encrypt(nonce, key, unsealed._associated_data())
        return cls(username, log2_n, SCRYPT_R, SCRYPT_P, salt, nonce, wrapped)

    def _kek(self, password: str) -> bytes:
        kdf = Scrypt(salt=self.salt, length=32, n=2**self.log2_n, r=self.r, p=self.p)
        return kdf.derive(password.encode("utf-8"))

    def unwrap(self, password: str) -> bytes | None:
        """The database key, or ``None`` when the password (or the entry) is wrong."""
        try:
            return AESGCM(self._kek(password)).decrypt(
                self.nonce, self.wrapped, self._associated_data()
            )
        except InvalidTag:
            return None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kdf": "scrypt",
            "log2_n": self.log2_n,
            "r": self.r,
            "p": self.p,
            "salt": _b64(self.salt),
            "nonce": _b64(self.nonce),
            "wrapped": _b64(self.wrapped),
        }

    @classmethod
    def from_dict(cls, username: str, data: dict[str, Any]) -> WrappedKey:
        if data.get("kdf") != "scrypt":
            raise ValueError("unknown kdf")
        log2_n, r, p = int(data["log2_n"]), int(data["r"]), int(data["p"])
        # Bounds keep an altered file from asking for gigabytes of memory.
        if not (10 <= log2_n <= 22 and 1 <= r <= 32 and 1 <= p <= 16):
            raise ValueError("kdf parameters out of range")
        return cls(
            username,
            log2_n,
            r,
            p,
            _unb64(data["salt"]),
            _unb64(data["nonce"]),
            _unb64(data["wrapped"]),
        )


@dataclass
class Keystore:
    """The content of a key file.

    Attributes:
        label: The unit's name, shown before the data is unlocked.
        check: ``key_check`` of the database key.
        users: The wrapped key per user name.
    """

    label: str
    check: str
    users: dict[str, WrappedKey] = field(default_factory=dict)

    @classmethod
    def new(cls, key: bytes, label: str = "") -> Keystore:
        return cls(label=label, check=key_check(key))

    def matches(self, key: bytes) -> bool:
        """Whether ``key`` is the key this file was made for."""
        return hmac.compare_digest(self.check, key_check(key))

    def set_user(self, username: str, password: str, key: bytes) -> None:
        """Wrap ``key`` for ``username`` (a new user, or a changed password)."""
        if not self.matches(key):
            raise ValueError("key does not belong to this keystore")
        self.users[username] = WrappedKey.wrap(username, password, key)

    def remove_user(self, username: str) -> None:
        self.users.pop(username, None)

    def unlock(self, password: str, username: str | None = None) -> bytes:
        """The database key from a user's password.

        Args:
            password: The password.
            username: Whose password it is; ``None`` tries every user (the
                command line knows only a password).

        Raises:
            UnlockFailed: No entry opens with this password.
        """
        return self.unlock_user(password, username)[1]

    def unlock_user(self, password: str, username: str | None = None) -> tuple[str, bytes]:
        """Whose password this is, and the database key it unwraps.

        The command line acts as that user: knowing the password of a data
        entry clerk must not give an administrator's rights.

        Raises:
            UnlockFailed: No entry opens with this password.
        """
        if username is not None:
            entry = self.users.get(username)
            candidates = [(username, entry)] if entry is not None else []
        else:
            candidates = sorted(self.users.items())
        for name, entry in candidates:
            key = entry.unwrap(password)
            if key is not None and self.matches(key):
                return name, key
        raise UnlockFailed()

    def as_json(self) -> bytes:
        document = {
            "format": FORMAT,
            "version": VERSION,
            "cipher": "sqlcipher4-raw-key",
            "label": self.label,
            "key_check": self.check,
            "users": {name: entry.as_dict() for name, entry in sorted(self.users.items())},
        }
        return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> Keystore:
        document = json.loads(data.decode("utf-8"))
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise ValueError("not a keystore")
        if document.get("version") != VERSION:
            raise ValueError(f"keystore version {document.get('version')!r}")
        users = {
            str(name): WrappedKey.from_dict(str(name), entry)
            for name, entry in dict(document["users"]).items()
        }
        return cls(str(document.get("label", "")), str(document["key_check"]), users)


def exists(database: Path) -> bool:
    return keystore_path(database).is_file()


def load(database: Path) -> Keystore:
    """Read the key file of ``database``.

    Raises:
        KeystoreDamaged: The file is missing, unreadable or not a key file.
    """
    path = keystore_path(database)
    try:
        return Keystore.from_json(path.read_bytes())
    except FileNotFoundError as exc:
        raise KeystoreDamaged(
            f"Thiếu tệp khóa '{path.name}' bên cạnh dữ liệu đã mã hóa. Hãy chép lại tệp này "
            "từ bản sao, hoặc mở dữ liệu bằng khóa khôi phục."
        ) from exc
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise KeystoreDamaged(
            f"Tệp khóa '{path.name}' bị hỏng hoặc bị sửa. Hãy mở dữ liệu bằng khóa khôi phục "
            "(tệp khóa sẽ được tạo lại)."
        ) from exc


def save(database: Path, keystore: Keystore) -> Path:
    """Write the key file of ``database`` (complete or untouched)."""
    content = keystore.as_json()
    return write_atomically(keystore_path(database), lambda handle: handle.write(content))
