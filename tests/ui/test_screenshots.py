"""Tests of xhht_desktop.ui.screenshots: the README's pictures can be made."""

from __future__ import annotations

from PySide6.QtGui import QImage

from xhht_desktop.ui import screenshots


def test_every_screenshot_is_saved_from_a_demo_commune(qapp, tmp_path, data_dir, capsys):
    try:
        assert screenshots.main([str(tmp_path / "shots")]) == 0
    finally:
        qapp.setStyleSheet("")
    names = sorted(p.name for p in (tmp_path / "shots").iterdir())
    assert names == sorted(["setup-commune.png", "login.png", *screenshots.PAGE_SHOTS])
    for name in screenshots.PAGE_SHOTS:
        image = QImage(str(tmp_path / "shots" / name))
        assert (image.width(), image.height()) == screenshots.WINDOW_SIZE
    # Only the pictures are left: the demo databases lived in a temporary folder.
    assert list(data_dir.iterdir()) == []
    assert "main-persons.png" in capsys.readouterr().out


def test_the_folder_is_required(qapp, capsys):
    assert screenshots.main([]) == 2
    assert "Cách dùng" in capsys.readouterr().err
