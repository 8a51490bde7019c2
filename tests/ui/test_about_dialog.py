"""Tests of xhht_desktop.ui.about_dialog and xhht_desktop.about: version, data, licences."""

from __future__ import annotations

from email.message import Message
from importlib import metadata

import PySide6
from PySide6.QtCore import Qt, qVersion

from xhht_desktop import __version__, about
from xhht_desktop.settings import Settings
from xhht_desktop.ui.about_dialog import AboutDialog


def _table(dialog: AboutDialog) -> dict[str, tuple[str, str]]:
    table = dialog.components
    return {
        table.item(row, 0).text(): (table.item(row, 1).text(), table.item(row, 2).text())
        for row in range(table.rowCount())
    }


def test_the_dialog_shows_version_folders_and_versions(qtbot, show, settings, data_dir):
    dialog = show(AboutDialog(settings))
    values = {key: label.text() for key, label in dialog.values.items()}
    assert values["version"] == __version__
    assert values["data_dir"] == str(data_dir)
    assert values["database"] == str(data_dir / "xhht.sqlite")
    assert values["logs_dir"] == str(data_dir / "logs")
    assert values["qt"] == f"Qt {qVersion()}, PySide6 {PySide6.__version__}"
    assert values["python"].split()[0] == ".".join(map(str, __import__("sys").version_info[:3]))
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_the_licences_are_read_from_the_installed_metadata(qtbot, show, settings):
    dialog = show(AboutDialog(settings))
    rows = _table(dialog)
    assert rows["SQLAlchemy"] == (metadata.version("SQLAlchemy"), "MIT")
    assert rows["Alembic"] == (metadata.version("alembic"), "MIT")
    assert rows["openpyxl"][1] == "MIT"  # from its licence field
    assert rows["pyHanko"][1] == "MIT"
    assert rows["platformdirs"][1] == "MIT"
    assert rows["cryptography"][1] == "Apache-2.0 OR BSD-3-Clause"
    assert "BSD" in rows["ReportLab"][1]
    assert rows["Qt for Python (PySide6) và Qt"][1].startswith("LGPL-3.0-only")
    # Declared by the project, not in the installed metadata: marked so.
    assert rows["vietnam-provinces (danh mục đơn vị hành chính)"][1] == "GPL-3.0-or-later *"
    assert rows["Phông chữ Liberation Serif 2.1.5"] == ("", "OFL-1.1 (SIL Open Font License 1.1) *")
    # The font licence's text is shipped and shown.
    assert "SIL OPEN FONT LICENSE Version 1.1" in dialog.licence_texts[0].toPlainText()


def test_a_server_database_is_shown_without_its_password(tmp_path):
    facts = about.about_facts(Settings(tmp_path, "postgresql+psycopg://xa:bi-mat@may-chu/xhht"))
    assert facts.database == "postgresql+psycopg://xa:***@may-chu/xhht"


def test_a_licence_text_in_the_field_gives_way_to_the_classifier():
    # Installed metadata is an email message; one is built here as a package would be.
    message = Message()
    message["Name"] = "x"
    message["License"] = "Long licence text\nwith many lines"
    message["Classifier"] = "License :: OSI Approved :: BSD License"
    assert about.licence_of(message) == "BSD License"
    bare = Message()
    bare["Name"] = "y"
    assert about.licence_of(bare) is None
