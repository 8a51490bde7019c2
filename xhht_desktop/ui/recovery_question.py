"""The question asked when the database failed its start-up check.

Asked both where plain data is opened (``app.open_or_recover``) and where
encrypted data is, after the login has unlocked it (``LoginDialog``): the
backups of encrypted data can only be checked with its key.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from xhht_desktop.errors import DatabaseDamaged
from xhht_desktop.settings import Settings
from xhht_desktop.store import health

APP_NAME = "XHHT Desktop"


def _tr(text: str) -> str:
    return QCoreApplication.translate("Recovery", text)


def offer_recovery(
    settings: Settings, damaged: DatabaseDamaged, parent: QWidget | None = None
) -> bool:
    """Ask whether to restore the newest good backup; do it if the user agrees.

    Args:
        settings: The damaged database's settings, with its key if encrypted.
        damaged: What the start-up check found.
        parent: The window to ask over.

    Returns:
        Whether the database was restored (the damaged file is then in ``hong/``).

    Raises:
        BackupError: No backup verifies; nothing was moved.
    """
    database = settings.database_file
    assert database is not None  # only an SQLite file is checked
    newest = health.newest_good_backup(database, settings.backup_dir, settings.database_key)
    question = _tr(
        "{problem}\n\nBản sao lưu tốt gần nhất: {when}.\n"
        "Khôi phục bản này ngay? Những gì nhập sau thời điểm đó cần nhập lại; tệp hỏng được "
        "chuyển vào thư mục «hong» bên cạnh tệp dữ liệu để gửi cơ quan cấp trên."
    ).format(problem=damaged.message, when=f"{newest.created:%d/%m/%Y %H:%M}")
    answer = QMessageBox.question(
        parent,
        _tr("XHHT Desktop — dữ liệu bị hỏng"),
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    recovery = health.recover(database, settings.backup_dir, settings.database_key)
    QMessageBox.information(
        parent,
        APP_NAME,
        _tr(
            "Đã khôi phục bản sao lưu ngày {when}.\nTệp hỏng được giữ trong thư mục:\n{folder}"
        ).format(when=f"{recovery.restored.created:%d/%m/%Y %H:%M}", folder=recovery.damaged),
    )
    return True
