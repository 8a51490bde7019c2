"""Encryption at rest: unlock an encrypted database, encrypt a plain one, manage its keys.

An encrypted database is an SQLCipher file keyed with a random 256-bit key
derived from the recovery key (``core.recovery``); the key file beside it
(``store.keystore``) holds that key wrapped once per user password. Unlocking
gives settings that carry the key (``Settings.database_key``); everything
else (engine, backups) takes it from there.

A database without a key file stays plain: tests, the demo, and copies set
up before this version until an administrator encrypts them
(:meth:`EncryptionService.encrypt`).
"""

from __future__ import annotations

import dataclasses
import re
import string
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from xhht_desktop.core import passwords
from xhht_desktop.core.recovery import RecoveryKey, parse
from xhht_desktop.errors import (
    EncryptionFailed,
    FieldIssue,
    KeystoreDamaged,
    PermissionDenied,
    RecoveryKeyInvalid,
    UnlockFailed,
    ValidationFailed,
)
from xhht_desktop.settings import Settings
from xhht_desktop.store import backup, cipher, keystore
from xhht_desktop.store.engine import connect_sqlcipher
from xhht_desktop.store.models import Installation, User

if TYPE_CHECKING:
    from xhht_desktop.context import Actor, AppContext
    from xhht_desktop.services.users import UserInfo


def is_encrypted(settings: Settings) -> bool:
    """Whether the database of ``settings`` is encrypted (needs a password or the recovery key).

    The file itself says so: an encrypted file has no plain SQLite header (even
    when its key file is lost). A key file beside a plain database is what a
    crash in the middle of encrypting leaves: the data is still plain. Before
    the file exists, a key file means it is to be encrypted.
    """
    path = settings.database_file
    if path is None:
        return False
    if path.is_file() and path.stat().st_size > 0:
        return not backup.is_plain_sqlite(path)
    return keystore.exists(path)


def label(settings: Settings) -> str:
    """The unit's name from the key file, shown before the data is unlocked."""
    path = settings.database_file
    if path is None:
        return ""
    try:
        return keystore.load(path).label
    except KeystoreDamaged:
        return ""


def _opens(path: Path, key: bytes) -> bool:
    if not path.is_file():
        # Set up but not written yet: nothing to contradict the key.
        return True
    connection = connect_sqlcipher(path, key, read_only=True)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except backup.DATABASE_ERRORS:
        return False
    finally:
        connection.close()
    return True


def unlock(settings: Settings, password: str, username: str | None = None) -> Settings:
    """Settings that open the encrypted database with a user's password.

    Args:
        settings: The locked settings.
        password: A user's password.
        username: Whose; ``None`` tries every user (the command line).

    Raises:
        KeystoreDamaged: The key file is missing or altered.
        UnlockFailed: The password opens no entry.
    """
    return unlock_as(settings, password, username)[0]


def unlock_as(
    settings: Settings, password: str, username: str | None = None
) -> tuple[Settings, str]:
    """As :func:`unlock`, and the name of the user whose password it is.

    Raises:
        KeystoreDamaged: The key file is missing or altered.
        UnlockFailed: The password opens no entry.
    """
    path = settings.database_file
    assert path is not None, "only an SQLite file is encrypted"
    # The key file's check value proves the key; whether the file opens with
    # it is the start-up check's to say (a damaged file is restored from a
    # backup with this same key).
    name, key = keystore.load(path).unlock_user(password, username)
    return dataclasses.replace(settings, database_key=key), name


def _typed_key(typed: str) -> bytes:
    # The recovery key (50 characters), or the database key itself as 64 hex
    # digits, as the receiving office reads it from an escrow file.
    digits = re.sub(r"[\s\-]+", "", typed)
    if len(digits) == 64 and all(char in string.hexdigits for char in digits):
        return bytes.fromhex(digits)
    return parse(typed).database_key()


def unlock_with_recovery(settings: Settings, typed: str) -> Settings:
    """Settings that open the encrypted database with the recovery key.

    Works without the key file too (the key is derived from the recovery key).
    The 64 hex digits of the database key (from the office's escrow) work too.

    Raises:
        RecoveryKeyInvalid: The key is mistyped or belongs to other data.
    """
    path = settings.database_file
    assert path is not None, "only an SQLite file is encrypted"
    key = _typed_key(typed)
    try:
        matches = keystore.load(path).matches(key)
    except KeystoreDamaged:
        matches = _opens(path, key)
    if not matches or not _opens(path, key):
        raise RecoveryKeyInvalid(
            "Khóa khôi phục này không mở được dữ liệu trên máy này: đây là khóa của dữ liệu "
            "khác, hoặc tờ khóa đã cũ."
        )
    return dataclasses.replace(settings, database_key=key)


def open_unlocked(
    settings: Settings, username: str, password: str, actor: Actor
) -> tuple[AppContext, UserInfo]:
    """Unlock with a login, open the data and check the login against it.

    Raises:
        LoginFailed: Wrong name or password (the same words for both).
    """
    from xhht_desktop.context import Actor, open_context
    from xhht_desktop.errors import LoginFailed

    try:
        unlocked = unlock(settings, password, username.strip())
    except UnlockFailed as exc:
        raise LoginFailed() from exc
    context = open_context(unlocked, actor)
    try:
        user = context.users.authenticate(username, password)
    except BaseException:
        context.close()
        raise
    context.actor = Actor(user.username, user.role, user.id)
    return context, user


def recover(
    settings: Settings, typed_key: str, username: str, new_password: str, actor: Actor
) -> tuple[AppContext, UserInfo]:
    """Open the data with the recovery key and give an administrator a new password.

    Raises:
        RecoveryKeyInvalid: The key is mistyped or not this data's.
        ValidationFailed: No such administrator, or the password is too short.
    """
    from xhht_desktop.context import Actor, open_context

    unlocked = unlock_with_recovery(settings, typed_key)
    context = open_context(unlocked, actor)
    try:
        context.encryption.reset_password(username, new_password)
        user = context.users.authenticate(username, new_password)
    except BaseException:
        context.close()
        raise
    context.actor = Actor(user.username, user.role, user.id)
    return context, user


def write_recovery_sheet(path: Path, recovery: RecoveryKey, unit_name: str) -> Path:
    """Write the recovery sheet (PDF, to print) for ``recovery``.

    Raises:
        FileWriteFailed: the file could not be written (nothing is left).
    """
    from xhht_desktop.reports import recovery_sheet

    return recovery_sheet.write(path, recovery, unit_name)


class EncryptionService:
    """Keys of this database: encrypt it, add or change a user's wrapped key."""

    def __init__(self, context: AppContext) -> None:
        self.context = context

    @property
    def encrypted(self) -> bool:
        return self.context.settings.database_key is not None

    def available(self) -> bool:
        """Whether this database can be encrypted here (an SQLite file, not a server)."""
        return self.context.settings.database_file is not None

    def _check_admin(self, username: str | None, password: str) -> str:
        from xhht_desktop.errors import LoginFailed

        with self.context.reading() as session:
            query = select(User).where(User.active.is_(True))
            if username is None:
                # The command line may give only a password: the one
                # administrator it belongs to.
                query = query.where(User.role == "admin")
            else:
                query = query.where(User.username == username)
            rows = list(session.scalars(query))
        for row in rows:
            if passwords.verify_password(password, row.password_hash):
                if row.role != "admin":
                    raise PermissionDenied("Chỉ người quản trị mới mã hóa được dữ liệu.")
                return row.username
        raise LoginFailed()

    def keyless_users(self) -> list[str]:
        """Active users whose password does not open the encrypted data (yet).

        Encrypting knows only the administrator's password; the others get a
        key when the administrator sets their password again.
        """
        path = self.context.settings.database_file
        if not self.encrypted or path is None:
            return []
        wrapped = keystore.load(path).users
        with self.context.reading() as session:
            names = session.scalars(select(User.username).where(User.active.is_(True)))
            return sorted(name for name in names if name not in wrapped)

    def _label(self) -> str:
        with self.context.reading() as session:
            row = session.get(Installation, 1)
            if row is None:
                return ""
            if row.role == "commune":
                return f"{row.commune_name}, {row.province_name}"
            return f"{row.office_name} ({row.province_name})"

    def encrypt(
        self, username: str | None, password: str, recovery: RecoveryKey | None = None
    ) -> RecoveryKey:
        """Encrypt this plain database (and its backups); the context goes on encrypted.

        Args:
            username: An administrator, whose password must match the users table;
                ``None``: whichever administrator has this password.
            password: That password; it unlocks the data from now on.
            recovery: The recovery key to use (the set-up wizard shows it
                before Finish); a new one when ``None``.

        Returns:
            The recovery key: print it and keep it in the commune's safe.

        Raises:
            LoginFailed: The password does not match.
            PermissionDenied: The user is not an administrator.
            EncryptionFailed: Nothing was changed.
        """
        path = self.context.settings.database_file
        if path is None:
            raise EncryptionFailed(
                "Cơ sở dữ liệu máy chủ (PostgreSQL…) được bảo vệ bằng máy chủ, không bằng "
                "XHHT Desktop."
            )
        if self.encrypted:
            raise EncryptionFailed("Dữ liệu trên máy này đã được mã hóa.")
        if self.context.read_only:
            from xhht_desktop.errors import ReadOnlyDatabase

            raise ReadOnlyDatabase()
        username = self._check_admin(username, password)
        recovery = recovery or RecoveryKey.generate()
        key = recovery.database_key()
        store = keystore.Keystore.new(key, self._label())
        store.set_user(username, password, key)
        self.context.engine.dispose()
        cipher.checkpoint(path)
        target = path.with_name(path.name + cipher.ENCRYPTING)
        cipher.export_encrypted(path, target, key)
        # The key file goes first: a crash after it leaves a plain database
        # beside a key file, which still opens as plain (its header says so).
        keystore.save(path, store)
        cipher.replace_with_encrypted(path, target)
        self.context.reopen(dataclasses.replace(self.context.settings, database_key=key))
        for item in self._plain_backups(path):
            # An old backup in plain text would undo the point; it is
            # encrypted with the same key, so restoring it still works.
            cipher.encrypt_file(item, key)
        return recovery

    def _plain_backups(self, database: Path) -> Iterable[Path]:
        for item in backup.list_backups(database, self.context.settings.backup_dir):
            if backup.is_plain_sqlite(item.path):
                yield item.path

    def set_user_key(self, username: str, password: str) -> None:
        """Wrap the key for a new user or a changed password (nothing when plain)."""
        key = self.context.settings.database_key
        path = self.context.settings.database_file
        if key is None or path is None:
            return
        try:
            store = keystore.load(path)
        except KeystoreDamaged:
            # Opened with the recovery key after the file was lost: start a new one.
            store = keystore.Keystore.new(key, self._label())
        store.set_user(username, password, key)
        keystore.save(path, store)

    def remove_user_key(self, username: str) -> None:
        """Forget a user's wrapped key (a user removed or deactivated)."""
        path = self.context.settings.database_file
        if self.context.settings.database_key is None or path is None:
            return
        store = keystore.load(path)
        store.remove_user(username)
        keystore.save(path, store)

    def reset_password(self, username: str, new_password: str) -> None:
        """Give an administrator a new password (after unlocking with the recovery key)."""
        from xhht_desktop.services.users import MIN_PASSWORD_LENGTH

        issues = []
        if len(new_password) < MIN_PASSWORD_LENGTH:
            issues.append(
                FieldIssue("password", f"Mật khẩu cần ít nhất {MIN_PASSWORD_LENGTH} ký tự.")
            )
        with self.context.transaction() as session:
            row = session.scalars(select(User).where(User.username == username.strip())).first()
            if row is None or row.role != "admin":
                issues.append(
                    FieldIssue("username", f"Không có người quản trị tên đăng nhập '{username}'.")
                )
            if issues:
                raise ValidationFailed(issues)
            assert row is not None
            row.password_hash = passwords.hash_password(new_password)
            row.active = True
            row.failed_logins = 0
        self.set_user_key(row.username, new_password)
