"""Tests of xhht_desktop.ui.screenshots: the README's pictures can be made."""

from __future__ import annotations

from PySide6.QtGui import QImage

from xhht_desktop.ui import screenshots


def test_every_screenshot_is_saved_from_a_demo_commune(qapp, tmp_path, data_dir, capsys):
    try:
        assert screenshots.main([str(tmp_path / "shots")]) == 0
    finally:
        qapp.setStyleSheet("")
    from xhht_desktop.ui.main_window import PAGES

    # One picture per page of the main window, the exchange page included.
    assert len(screenshots.PAGE_SHOTS) == len(PAGES)
    assert "main-exchange.png" in screenshots.PAGE_SHOTS
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


def test_the_guide_pictures_are_the_ones_the_guide_shows(qapp, tmp_path, data_dir, capsys):
    from xhht_desktop.guide import guide_dir

    try:
        assert screenshots.main(["--guide", str(tmp_path / "img")]) == 0
    finally:
        qapp.setStyleSheet("")
    made = {p.name for p in (tmp_path / "img").iterdir()}
    shown = {
        src.removeprefix("img/")
        for page in guide_dir().glob("*.html")
        for src in _image_sources(page.read_text(encoding="utf-8"))
    }
    # Every picture the guide shows is made by the script, and nothing else.
    assert made == shown
    for name in made:
        image = QImage(str(tmp_path / "img" / name))
        assert image.width() <= screenshots.GUIDE_WIDTH
        assert image.format() == QImage.Format.Format_Indexed8
    # The guide-only pictures: the office's exchange page and the encryption step.
    assert {"exchange-office.png", "setup-encryption.png", "main-exchange.png"} <= made
    overview = QImage(str(tmp_path / "img" / "main-overview.png"))
    assert overview.width() == screenshots.GUIDE_WIDTH
    assert list(data_dir.iterdir()) == []


def _image_sources(html: str) -> list[str]:
    import re

    return re.findall(r'<img src="([^"]+)"', html)
