"""Backups: automatic (start, exit, before a migration) and by hand; restore."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from xhht_desktop.errors import BackupError, ReadOnlyDatabase
from xhht_desktop.store import backup, migrate

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext


class BackupService:
    def __init__(self, context: AppContext) -> None:
        self.context = context

    def _database(self) -> Path:
        path = self.context.settings.database_file
        if path is None:
            raise BackupError(
                "Cơ sở dữ liệu máy chủ (PostgreSQL…) được sao lưu bằng công cụ của máy chủ "
                "(pg_dump), không bằng XHHT Desktop."
            )
        return path

    @property
    def folder(self) -> Path:
        return self.context.settings.backup_dir

    @property
    def _key(self) -> bytes | None:
        # An encrypted database's backups are encrypted with the same key.
        return self.context.settings.database_key

    def supported(self) -> bool:
        return self.context.settings.database_file is not None

    def automatic(self, reason: str) -> backup.BackupFile | None:
        """A rotating backup; none for an empty or server database."""
        path = self.context.settings.database_file
        if path is None or not path.exists() or path.stat().st_size == 0:
            return None
        return backup.make_backup(
            path, self.folder, reason, self.context.settings.backups_kept, self._key
        )

    def create(self, target: Path | None = None) -> backup.BackupFile:
        """A backup by hand: kept until the user deletes it."""
        database = self._database()
        if target is None:
            return backup.make_backup(database, self.folder, backup.MANUAL, None, self._key)
        backup.copy_database(database, target, self._key)
        return backup.BackupFile(target, datetime.now(), backup.MANUAL, target.stat().st_size)

    def list(self) -> list[backup.BackupFile]:
        path = self.context.settings.database_file
        return backup.list_backups(path, self.folder) if path is not None else []

    def restore(self, source: Path) -> backup.BackupFile | None:
        """Replace the data with a backup; the current data is backed up first.

        Returns the safety backup of the data as it was before the restore.
        """
        self.context.require("restore_backup")
        if self.context.read_only:
            # The restore writes the file directly: refused here, not by the session.
            raise ReadOnlyDatabase()
        database = self._database()
        backup.verify(source, self._key)
        revision = backup.schema_revision(source, self._key)
        known = {rev.revision for rev in migrate.script_directory().walk_revisions()}
        if revision not in known:
            raise BackupError(
                f"Tệp '{source.name}' được tạo bởi phiên bản mới hơn của ứng dụng; "
                "hãy cập nhật XHHT Desktop trước khi khôi phục."
            )
        safety = self.automatic("truoc-khoi-phuc")
        self.context.engine.dispose()
        backup.restore_into(source, database, self._key)
        if revision != migrate.head_revision():
            migrate.upgrade(self.context.engine)
        return safety
