"""Tests of xhht_desktop.guide and resources/guide: the offline user guide holds together."""

from __future__ import annotations

import struct
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from xhht_desktop import errors, guide

GUIDE = guide.guide_dir()
PAGES = sorted(GUIDE.glob("*.html"))


class _Page(HTMLParser):
    """The anchors, links and pictures of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.images: list[str] = []
        self.styles: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name in ("id", "name"):
            if name in values and (name == "id" or tag == "a"):
                self.ids.add(values[name])
        if tag == "a" and "href" in values:
            self.links.append(values["href"])
        if tag == "img":
            self.images.append(values.get("src", ""))
        if tag == "link" and values.get("rel") == "stylesheet":
            self.styles.append(values.get("href", ""))


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


PARSED = {path.name: _parse(path) for path in PAGES}


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", header[16:24])


def test_every_section_and_topic_exists():
    for section in guide.SECTIONS:
        assert section.page in PARSED, f"missing page {section.page}"
        for anchor, _title in section.topics:
            assert anchor in PARSED[section.page].ids, f"{section.page}#{anchor}"
    # The table of contents names every section, and no page is left out of it.
    index_links = {urlsplit(link).path for link in PARSED[guide.INDEX_PAGE].links}
    assert {s.page for s in guide.SECTIONS} <= index_links
    assert set(PARSED) == {guide.INDEX_PAGE, *(s.page for s in guide.SECTIONS)}


@pytest.mark.parametrize("name", sorted(PARSED))
def test_links_anchors_and_pictures_resolve(name):
    page = PARSED[name]
    assert page.styles == [guide.STYLE_SHEET]
    for link in page.links:
        parts = urlsplit(link)
        # The guide works offline: nothing points to the Internet.
        assert not parts.scheme and not parts.netloc, f"{name}: {link}"
        target = parts.path or name
        assert target in PARSED, f"{name}: {link} names no page"
        if parts.fragment:
            assert parts.fragment in PARSED[target].ids, f"{name}: {link} names no anchor"
    for src in page.images:
        picture = GUIDE / src
        assert picture.is_file(), f"{name}: picture {src} is missing"
        width, _height = _png_size(picture)
        assert width <= 1100, f"{src} is {width} px wide; the guide's pictures stay small"


def test_every_picture_in_the_folder_is_used():
    used = {src for page in PARSED.values() for src in page.images}
    on_disk = {f"img/{p.name}" for p in (GUIDE / "img").glob("*.png")}
    assert on_disk <= used | {"img/help-window.png"}


def test_every_page_topic_resolves():
    for key, address in guide.PAGE_TOPICS.items():
        parts = urlsplit(address)
        assert parts.path in PARSED, key
        if parts.fragment:
            assert parts.fragment in PARSED[parts.path].ids, key
    assert guide.topic_for_page("no-such-page") == guide.INDEX_PAGE


def test_every_error_code_is_explained_in_the_guide():
    codes = {
        cls.code
        for cls in vars(errors).values()
        if isinstance(cls, type) and issubclass(cls, errors.XhhtError)
    }
    assert codes == {entry.code for entry in guide.catalogue()}
    missing_advice = sorted(codes - set(guide.ERROR_ADVICE))
    assert missing_advice == [], (
        f"write the guide's advice for {missing_advice} in xhht_desktop/guide.py "
        "(ERROR_ADVICE), then run `python -m xhht_desktop.guide`"
    )
    assert sorted(set(guide.ERROR_ADVICE) - codes) == [], "advice for codes that no longer exist"
    assert codes <= PARSED[guide.ERRORS_PAGE].ids


def test_the_error_page_is_what_the_catalogue_generates():
    committed = (GUIDE / guide.ERRORS_PAGE).read_text(encoding="utf-8")
    assert committed == guide.render_errors_page(), (
        "resources/guide/thong-bao-loi.html is out of date: run `python -m xhht_desktop.guide`"
    )


def test_fixed_messages_are_quoted_word_for_word():
    text = (GUIDE / guide.ERRORS_PAGE).read_text(encoding="utf-8")
    assert "«Sai tên đăng nhập hoặc mật khẩu.»" in text
    stale = errors.StaleRecord().message
    assert stale in text
    # A message that depends on the case is described, not invented.
    entry = next(e for e in guide.catalogue() if e.code == errors.UnknownCommune.code)
    assert entry.message is None


def test_the_generator_writes_the_page(tmp_path, capsys):
    assert guide.main([str(tmp_path)]) == 0
    written = (tmp_path / guide.ERRORS_PAGE).read_text(encoding="utf-8")
    assert written == guide.render_errors_page()
    assert str(tmp_path / guide.ERRORS_PAGE) in capsys.readouterr().out


class _Text(HTMLParser):
    """The words of a page (tags dropped, spaces collapsed) and the cells of its tables."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join(" ".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.words.append(data)
        if self._cell is not None:
            self._cell.append(data)


def _text(page: str) -> _Text:
    reader = _Text()
    reader.feed((GUIDE / page).read_text(encoding="utf-8"))
    return reader


def _words(page: str) -> str:
    return " ".join("".join(_text(page).words).split())


# What the guide tells users to press or look for, and the module that shows it:
# renaming a button in the code without the guide fails here.
QUOTED_LABELS = (
    ("chuyen-du-lieu-usb.html", "ui/pages/exchange.py", "Nhập chứng thư của cơ quan nhận…"),
    ("chuyen-du-lieu-usb.html", "ui/pages/exchange.py", "Xuất chứng thư của xã…"),
    ("chuyen-du-lieu-usb.html", "ui/pages/exchange.py", "Xuất gói dữ liệu…"),
    ("chuyen-du-lieu-usb.html", "ui/pages/exchange.py", "Nhập giấy biên nhận…"),
    ("chuyen-du-lieu-usb.html", "ui/pages/exchange.py", "Nhập chứng thư của xã…"),
    ("chuyen-du-lieu-usb.html", "ui/pages/exchange.py", "Xuất chứng thư của cơ quan…"),
    ("chuyen-du-lieu-usb.html", "ui/pages/exchange.py", "Nhập gói dữ liệu…"),
    ("chuyen-du-lieu-usb.html", "ui/pages/exchange.py", "Chưa có giấy biên nhận"),
    ("chuyen-du-lieu-usb.html", "ui/pages/exchange.py", "Ghi dở, bỏ số này"),
    (
        "chuyen-du-lieu-usb.html",
        "ui/exchange/export_wizard.py",
        "Đã ghi và kiểm tra xong. An toàn để rút USB.",
    ),
    ("chuyen-du-lieu-usb.html", "ui/exchange/export_wizard.py", "Quay lại để sửa"),
    ("chuyen-du-lieu-usb.html", "ui/exchange/import_wizard.py", "Ghi lại giấy biên nhận"),
    (
        "chuyen-du-lieu-usb.html",
        "ui/exchange/import_wizard.py",
        "Xác nhận vân tay chứng thư của xã",
    ),
    (
        "chuyen-du-lieu-usb.html",
        "ui/exchange/import_wizard.py",
        "Tôi đã đối chiếu: vân tay trên KHỚP với vân tay in trên báo cáo giấy của xã",
    ),
    ("chuyen-du-lieu-usb.html", "ui/exchange/common.py", "Làm mới"),
    ("chuyen-du-lieu-usb.html", "ui/pages/dashboard.py", "Từng xã"),
    ("ma-hoa-du-lieu.html", "ui/recovery_panel.py", "Lưu tờ khóa khôi phục (PDF) để in…"),
    (
        "ma-hoa-du-lieu.html",
        "ui/recovery_panel.py",
        "Tôi đã in (hoặc chép tay) khóa khôi phục và sẽ cất vào tủ của đơn vị",
    ),
    ("ma-hoa-du-lieu.html", "ui/setup_wizard.py", "Mã hóa dữ liệu và khóa khôi phục"),
    ("ma-hoa-du-lieu.html", "ui/login_dialog.py", "Quên mật khẩu? Mở bằng khóa khôi phục…"),
    ("ma-hoa-du-lieu.html", "ui/recovery_dialog.py", "Mở dữ liệu bằng khóa khôi phục"),
    ("ma-hoa-du-lieu.html", "ui/encrypt_dialog.py", "Mã hóa dữ liệu…"),
    ("nguoi-dung-quyen.html", "ui/main_window.py", "Người dùng…"),
    ("nguoi-dung-quyen.html", "ui/main_window.py", "Đổi mật khẩu…"),
    ("nguoi-dung-quyen.html", "ui/users_dialog.py", "Thêm…"),
    ("nguoi-dung-quyen.html", "ui/users_dialog.py", "Đặt lại mật khẩu…"),
    ("nguoi-dung-quyen.html", "ui/users_dialog.py", "Đổi vai trò"),
    ("nguoi-dung-quyen.html", "ui/users_dialog.py", "Khóa tài khoản"),
    ("nguoi-dung-quyen.html", "ui/users_dialog.py", "Mở khóa tài khoản"),
    ("nguoi-dung-quyen.html", "ui/users_dialog.py", "chưa đặt mật khẩu mới sau khi mã hóa"),
    ("nguoi-dung-quyen.html", "ui/lock_screen.py", "Màn hình đã khóa"),
    ("nguoi-dung-quyen.html", "ui/lock_screen.py", "Mở khóa"),
    ("nguoi-dung-quyen.html", "ui/settings_dialog.py", "Khóa màn hình sau"),
    ("nguoi-dung-quyen.html", "ui/forms/person_form.py", "Nhật ký thay đổi"),
    ("nguoi-dung-quyen.html", "ui/audit_dialog.py", "In ra tệp…"),
    ("nguoi-dung-quyen.html", "services/reports.py", "Nhật ký thay đổi dữ liệu"),
    (
        "sao-luu-phuc-hoi.html",
        "ui/main_window.py",
        "Một cửa sổ XHHT khác đang mở dữ liệu này; cửa sổ này chỉ để xem.",
    ),
)


@pytest.mark.parametrize(("page", "module", "label"), QUOTED_LABELS)
def test_the_labels_the_guide_quotes_are_the_apps(page, module, label):
    import xhht_desktop

    source = (Path(xhht_desktop.__file__).parent / module).read_text(encoding="utf-8")
    # "&" marks the Alt shortcut letter in Qt's labels.
    assert label in source.replace("&", ""), f"{module} no longer says «{label}»"
    assert label in _words(page), f"{page} does not say «{label}»"


def test_the_roles_table_is_the_permission_table():
    from xhht_desktop.core import permissions

    rows = _text("nguoi-dung-quyen.html").rows
    header = rows[0]
    assert header[1:] == ["Nhập liệu", "Phê duyệt, ký báo cáo", "Quản trị"]
    roles = [permissions.DATA_ENTRY, permissions.APPROVER, permissions.ADMIN]
    for permission in permissions.PERMISSIONS.values():
        row = next((r for r in rows[1:] if permission.what.casefold() in r[0].casefold()), None)
        assert row is not None, f"the guide's table has no row for «{permission.what}»"
        allowed = [cell == "Được" for cell in row[1:]]
        assert allowed == [role in permission.roles for role in roles], permission.action
