"""The user guide: its sections, the help topic of each page, the error page.

The guide is hand-written HTML in ``resources/guide/`` that the help window
shows offline. One page of it, ``thong-bao-loi.html``, is generated here
from the error catalogue (:mod:`xhht_desktop.errors`) so that it can never
leave out an error or quote an old message; a test compares the file with
what this module generates. Regenerate it after changing the catalogue::

    python -m xhht_desktop.guide
"""

from __future__ import annotations

import html
import inspect
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from xhht_desktop import errors
from xhht_desktop.core import text as vntext
from xhht_desktop.resources import resource

GUIDE_DIR_NAME = "guide"
INDEX_PAGE = "index.html"
ERRORS_PAGE = "thong-bao-loi.html"
STYLE_SHEET = "guide.css"


@dataclass(frozen=True)
class Section:
    """A page of the guide.

    Attributes:
        page: File name under ``resources/guide/``.
        title: Its title in the table of contents.
        topics: ``(anchor, title)`` of its parts, in order.
    """

    page: str
    title: str
    topics: tuple[tuple[str, str], ...] = ()


SECTIONS: tuple[Section, ...] = (
    Section(
        "bat-dau.html",
        "Bắt đầu",
        (
            ("cai-dat", "Cài đặt và mở ứng dụng"),
            ("thiet-lap", "Lần mở đầu tiên: trình thiết lập"),
            ("dang-nhap", "Đăng nhập"),
            ("cua-so-chinh", "Cửa sổ chính và bàn phím"),
            ("xa-mau", "Xã mẫu để tập"),
        ),
    ),
    Section(
        "nhap-lieu.html",
        "Nhập liệu hằng ngày",
        (
            ("thon", "Thôn, tổ dân phố"),
            ("ho-gia-dinh", "Hộ gia đình"),
            ("nhan-khau", "Nhân khẩu"),
            ("dong-ho", "Dòng họ"),
            ("co-quan-don-vi", "Cơ quan, đơn vị"),
            ("ban-phim", "Nhập nhanh bằng bàn phím"),
        ),
    ),
    Section(
        "mo-hinh-hoc-tap.html",
        "Chu kỳ hằng năm của các mô hình học tập",
        (
            ("bon-mo-hinh", "Bốn mô hình"),
            ("dang-ky", "Đăng ký"),
            ("danh-gia", "Đánh giá, chấm điểm"),
            ("cong-nhan", "Công nhận bằng quyết định"),
            ("thu-hoi", "Không công nhận, thu hồi"),
        ),
    ),
    Section(
        "xoa-mu-chu.html",
        "Điều tra xóa mù chữ",
        (
            ("muc-do", "Mức độ biết chữ (Điều 19)"),
            ("mau-excel", "Mẫu Excel và nhập danh sách"),
            ("ty-le", "Tỷ lệ biết chữ và chuẩn của xã (Điều 20–21)"),
            ("cai-dat", "Cài đặt xóa mù chữ"),
            ("danh-sach", "Danh sách cần xử lý"),
        ),
    ),
    Section(
        "chi-tieu-ke-hoach.html",
        "Chỉ tiêu kế hoạch",
        (
            ("ke-hoach", "Kế hoạch và chỉ tiêu"),
            ("bang-theo-doi", "Trang Tổng quan"),
            ("so-lieu-tong-hop", "Số liệu tổng hợp"),
            ("kiem-tra-du-lieu", "Kiểm tra dữ liệu"),
        ),
    ),
    Section(
        "bao-cao-ky-so.html",
        "In và ký số báo cáo",
        (
            ("loai-bao-cao", "Các loại báo cáo"),
            ("xem-truoc-in", "Xem trước, in, lưu"),
            ("chung-thu", "Chứng thư ký số của đơn vị"),
            ("ky-so", "Ký số và kiểm tra chữ ký"),
        ),
    ),
    Section(
        "chuyen-du-lieu-usb.html",
        "Chuyển dữ liệu bằng USB",
        (
            ("goi-du-lieu", "Gói dữ liệu .xhht"),
            ("chung-thu-co-quan", "Lần đầu: tin cậy chứng thư của cơ quan"),
            ("xuat-goi", "Xã: xuất gói ra USB"),
            ("nhap-goi", "Cơ quan: nhập gói"),
            ("van-tay", "Xác nhận vân tay chứng thư"),
            ("bien-nhan", "Xã: nhập biên nhận"),
            ("tong-hop", "Cơ quan: tổng hợp số liệu các xã"),
            ("bao-cao-tong-hop", "Cơ quan: báo cáo tổng hợp"),
            ("cap-tren", "Cơ quan gửi gói lên cấp trên"),
        ),
    ),
    Section(
        "ma-hoa-du-lieu.html",
        "Mã hóa dữ liệu và phiếu khôi phục",
        (
            ("bao-ve", "Cái gì bảo vệ dữ liệu"),
            ("thiet-lap", "Khi thiết lập: mã hóa ngay từ đầu"),
            ("to-khoa", "Cất tờ khóa khôi phục ở đâu"),
            ("khoi-phuc", "Quên mật khẩu: mở bằng khóa khôi phục"),
            ("ma-hoa-sau", "Dữ liệu chưa mã hóa: mã hóa sau"),
            ("dong-lenh", "Dòng lệnh và biến XHHT_PASSWORD"),
            ("gui-giu", "Gửi giữ khóa ở cơ quan nhận"),
        ),
    ),
    Section(
        "nguoi-dung-quyen.html",
        "Người dùng, quyền và nhật ký thay đổi",
        (
            ("vai-tro", "Vai trò và quyền"),
            ("quan-ly-nguoi-dung", "Quản lý người dùng, đổi mật khẩu"),
            ("khoa-man-hinh", "Tự khóa màn hình khi vắng mặt"),
            ("dang-nhap-sai", "Đăng nhập sai nhiều lần"),
            ("nhat-ky", "Nhật ký thay đổi"),
        ),
    ),
    Section(
        "sao-luu-phuc-hoi.html",
        "Sao lưu và phục hồi",
        (
            ("tu-dong", "Sao lưu tự động"),
            ("sao-luu-ngay", "Sao lưu ngay"),
            ("phuc-hoi", "Khôi phục dữ liệu"),
            ("o-dia-day", "Ổ đĩa đầy, USB bị rút, thư mục chỉ đọc"),
            ("du-lieu-hong", "Tệp dữ liệu bị hỏng"),
            ("cua-so-thu-hai", "Mở hai cửa sổ trên cùng dữ liệu"),
            ("nhat-ky-loi", "Khi có lỗi không mong muốn"),
        ),
    ),
    Section(ERRORS_PAGE, "Thông báo lỗi"),
)

#: The help topic of each page of the main window (``main_window.PAGES``
#: keys): F1 on a page opens it. A page not listed opens the table of contents.
PAGE_TOPICS: dict[str, str] = {
    "home": "chi-tieu-ke-hoach.html#bang-theo-doi",
    "villages": "nhap-lieu.html#thon",
    "households": "nhap-lieu.html#ho-gia-dinh",
    "persons": "nhap-lieu.html#nhan-khau",
    "literacy": "xoa-mu-chu.html#ty-le",
    "literacy_lists": "xoa-mu-chu.html#danh-sach",
    "learning_models": "mo-hinh-hoc-tap.html",
    "aggregates": "chi-tieu-ke-hoach.html#so-lieu-tong-hop",
    "clans": "nhap-lieu.html#dong-ho",
    "units": "nhap-lieu.html#co-quan-don-vi",
    "reports": "bao-cao-ky-so.html",
    "data_checks": "chi-tieu-ke-hoach.html#kiem-tra-du-lieu",
    "exchange": "chuyen-du-lieu-usb.html",
}


def guide_dir() -> Path:
    """The folder of the guide's HTML, style sheet and pictures."""
    return resource(GUIDE_DIR_NAME)


def topic_for_page(key: str) -> str:
    """The guide's address (``page.html#anchor``) for a page of the main window."""
    return PAGE_TOPICS.get(key, INDEX_PAGE)


def page_title(page: str) -> str:
    """The table-of-contents title of a guide page (the file name if unknown)."""
    if page == INDEX_PAGE:
        return "Mục lục"
    return next((s.title for s in SECTIONS if s.page == page), page)


# --- search ------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """A part of the guide that matches a search.

    Attributes:
        address: ``page.html#anchor`` of the part (``page.html`` for its top).
        title: The part's heading.
        snippet: A few words around the first match, for the result list.
    """

    address: str
    title: str
    snippet: str


@dataclass
class _Part:
    anchor: str
    title: str
    text: list[str]


class _PartsReader(HTMLParser):
    """Splits a page into parts at each heading that has an id."""

    _SKIPPED = frozenset({"head", "title", "style", "script"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[_Part] = [_Part("", "", [])]
        self._heading: str | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIPPED:
            self._skip += 1
        elif tag in ("h1", "h2", "h3"):
            anchor = dict(attrs).get("id") or ""
            if tag != "h1" and anchor:
                self.parts.append(_Part(anchor, "", []))
                self._heading = tag
            elif tag == "h1":
                self._heading = tag

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIPPED:
            self._skip -= 1
        elif tag == self._heading:
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        part = self.parts[-1]
        if self._heading is not None:
            part.title += data
        else:
            part.text.append(data)


def search(query: str, folder: Path | None = None) -> list[Hit]:
    """The parts of the guide that hold ``query``, diacritics ignored.

    "mat khau" finds "mật khẩu". The words are looked for as one phrase
    first; when no part has the phrase, every part that has all the words.
    Parts come in the order of the table of contents, each page's parts in
    the order they appear.
    """
    tokens = vntext.search_tokens(query)
    if not tokens:
        return []
    phrase = " ".join(tokens)
    return _search([phrase], folder) or (_search(tokens, folder) if len(tokens) > 1 else [])


def _search(tokens: list[str], folder: Path | None) -> list[Hit]:
    folder = folder or guide_dir()
    hits = []
    for page in [INDEX_PAGE, *(s.page for s in SECTIONS)]:
        path = folder / page
        if not path.is_file():
            continue
        reader = _PartsReader()
        reader.feed(path.read_text(encoding="utf-8"))
        for part in reader.parts:
            words = vntext.clean(" ".join(part.text))
            folded = vntext.fold(words)
            heading = vntext.fold(part.title)
            if not all(token in folded or token in heading for token in tokens):
                continue
            title = vntext.clean(part.title) or page_title(page)
            address = f"{page}#{part.anchor}" if part.anchor else page
            hits.append(Hit(address, title, _snippet(words, folded, tokens[0])))
    return hits


def _snippet(words: str, folded: str, token: str, width: int = 70) -> str:
    # Folding keeps the length of Vietnamese text (one letter stays one
    # letter), so a place in the folded text is the same place in the words.
    at = folded.find(token) if len(folded) == len(words) else -1
    if at < 0:
        return words[:width] + ("…" if len(words) > width else "")
    start = max(0, at - width // 3)
    end = min(len(words), start + width)
    return ("…" if start else "") + words[start:end].strip() + ("…" if end < len(words) else "")


# --- the error page ----------------------------------------------------------


@dataclass(frozen=True)
class Advice:
    """What the guide says about one error.

    Attributes:
        title: A short name of the situation.
        meaning: When it happens, in words an official reads.
        action: What to do.
    """

    title: str
    meaning: str
    action: str


ERROR_ADVICE: dict[str, Advice] = {
    "XHHT000": Advice(
        "Lỗi chung",
        "Một việc không làm được vì một lý do mà thông báo nói rõ.",
        "Đọc kỹ thông báo: nó nói việc gì chưa làm được và vì sao. Nếu không hiểu, chép "
        "nguyên văn thông báo gửi cơ quan hỗ trợ.",
    ),
    "XHHT001": Advice(
        "Chưa thiết lập",
        "Cơ sở dữ liệu còn trống: chưa chọn vai trò, xã hoặc cơ quan.",
        "Mở ứng dụng và làm theo trình thiết lập (xem mục «Bắt đầu»), hoặc dùng lệnh «xhht init».",
    ),
    "XHHT002": Advice(
        "Đã thiết lập rồi",
        "Lệnh «xhht init» chạy trên một cơ sở dữ liệu đã có xã hoặc cơ quan.",
        "Không cần thiết lập lại. Muốn sửa năm báo cáo, người ký… hãy dùng phần cài đặt; "
        "muốn bắt đầu lại từ đầu, hãy dùng một tệp dữ liệu khác (--db).",
    ),
    "XHHT003": Advice(
        "Không có xã hoặc tỉnh này",
        "Mã xã hoặc mã tỉnh không có trong danh mục đơn vị hành chính năm 2025.",
        "Kiểm tra lại mã (ví dụ 24717 là Xã Đức An, Lâm Đồng); trong trình thiết lập hãy "
        "gõ vài chữ của tên để tìm thay vì gõ mã.",
    ),
    "XHHT004": Advice(
        "Dữ liệu của phiên bản mới hơn",
        "Tệp dữ liệu đã được một phiên bản XHHT Desktop mới hơn mở và nâng cấp.",
        "Cài phiên bản mới nhất rồi mở lại. Không dùng phiên bản cũ trên tệp này.",
    ),
    "XHHT005": Advice(
        "Không sao lưu hoặc khôi phục được",
        "Không ghi được bản sao lưu (ổ đĩa đầy, thư mục không ghi được) hoặc tệp chọn để "
        "khôi phục không phải bản sao lưu hợp lệ.",
        "Giải phóng chỗ trống trên ổ đĩa rồi thử lại; khi khôi phục, chọn một tệp "
        "«.xhht-backup.sqlite» trong thư mục sao lưu.",
    ),
    "XHHT006": Advice(
        "Sai tên đăng nhập hoặc mật khẩu",
        "Tên đăng nhập không có hoặc mật khẩu không đúng.",
        "Gõ lại (chú ý phím Caps Lock và bộ gõ tiếng Việt: mật khẩu gõ không dấu). Quên "
        "mật khẩu thì nhờ người quản trị đặt lại; khi dữ liệu đã mã hóa, người quản trị quên "
        "mật khẩu thì bấm «Quên mật khẩu? Mở bằng khóa khôi phục…» trên hộp đăng nhập.",
    ),
    "XHHT007": Advice(
        "Không tìm thấy",
        "Bản ghi, kế hoạch, quyết định hoặc biểu cần dùng không còn (có thể đã bị xóa).",
        "Đóng cửa sổ rồi mở lại danh sách để xem dữ liệu hiện có.",
    ),
    "XHHT008": Advice(
        "Không có quyền",
        "Vai trò của người dùng không được làm việc này (ví dụ người nhập liệu không được "
        "ký số), hoặc cơ quan tổng hợp định sửa dữ liệu của xã.",
        "Nhờ người có vai trò phê duyệt hoặc quản trị làm việc này. Dữ liệu của xã chỉ "
        "được sửa ở xã.",
    ),
    "XHHT009": Advice(
        "Bản ghi vừa bị người khác sửa",
        "Trong lúc bạn sửa, bản ghi đã được sửa hoặc xóa ở cửa sổ khác.",
        "Đóng cửa sổ sửa, mở lại bản ghi để xem dữ liệu mới nhất rồi sửa lại.",
    ),
    "XHHT010": Advice(
        "Không tạo được dữ liệu mẫu",
        "Dữ liệu mẫu chỉ được tạo trong một sổ còn trống, để không lẫn với dữ liệu thật.",
        "Dùng «xhht gui --demo» (xã mẫu riêng) thay vì tạo dữ liệu mẫu vào sổ thật.",
    ),
    "XHHT011": Advice(
        "Đăng nhập sai nhiều lần",
        "Đã nhập sai mật khẩu nhiều lần liên tiếp; phải chờ một lúc mới được thử lại.",
        "Chờ đủ số giây trong thông báo rồi nhập lại cẩn thận; quên mật khẩu thì nhờ người "
        "quản trị đặt lại.",
    ),
    "XHHT100": Advice(
        "Dữ liệu không hợp lệ",
        "Một ô của biểu mẫu sai hoặc còn thiếu; chưa lưu gì.",
        "Đọc dòng chữ đỏ bên cạnh ô bị sai, sửa rồi nhấn Enter để lưu lại. Những gì đã gõ "
        "vẫn còn trên biểu mẫu.",
    ),
    "XHHT101": Advice(
        "Tệp Excel bị từ chối",
        "Tệp danh sách có dòng sai (thông báo ghi số dòng và tên cột) nên cả tệp chưa được nhập.",
        "Bấm «Lưu tệp lỗi…» để có bản tô đỏ các ô sai kèm cột «Lỗi», sửa trong Excel rồi "
        "nhập lại; hoặc chọn chỉ nhập các dòng hợp lệ.",
    ),
    "XHHT102": Advice(
        "Đã hủy nhập",
        "Bạn đã bấm hủy khi đang kiểm tra hoặc nhập tệp.",
        "Không cần làm gì: cơ sở dữ liệu không thay đổi. Nhập lại khi sẵn sàng.",
    ),
    "XHHT110": Advice(
        "Không công nhận được",
        "Một số đối tượng chưa đủ điều kiện công nhận (chưa đăng ký, chưa chấm điểm, chưa "
        "đạt, hoặc đã được công nhận); chưa lưu gì.",
        "Xem cột «Lý do chưa công nhận được»: chỉ công nhận các đối tượng đủ điều kiện, "
        "hoặc (người phê duyệt) ghi lý do để công nhận khi chưa đủ điều kiện.",
    ),
    "XHHT120": Advice(
        "Báo cáo chưa có",
        "Loại báo cáo hoặc năm được chọn chưa được phiên bản này hỗ trợ.",
        "Chọn loại báo cáo khác trong danh sách, hoặc cài phiên bản mới hơn.",
    ),
    "XHHT121": Advice(
        "Không lập được báo cáo",
        "Không ghi được tệp báo cáo (ổ đĩa đầy, thư mục không ghi được, tệp đang mở trong "
        "chương trình khác); không có tệp dở dang nào bị để lại.",
        "Đóng tệp cùng tên đang mở trong Excel hoặc trình đọc PDF, chọn thư mục khác hoặc "
        "giải phóng chỗ trống rồi lưu lại.",
    ),
    "XHHT200": Advice(
        "Chứng thư không dùng được",
        "Tệp chứng thư hoặc khóa ký số hỏng, hết hạn, hoặc không khớp nhau.",
        "Nhập lại tệp .p12 do cơ quan cấp chứng thư gửi («xhht cert import»), hoặc tạo "
        "chứng thư mới cho đơn vị («xhht cert create»).",
    ),
    "XHHT201": Advice(
        "Sai mật khẩu khóa ký số",
        "Mật khẩu của khóa ký số (tệp PKCS#12) không đúng.",
        "Nhập đúng mật khẩu đã đặt khi tạo hoặc nhập chứng thư. Mật khẩu này khác mật khẩu "
        "đăng nhập.",
    ),
    "XHHT202": Advice(
        "Chưa có chứng thư ký số",
        "Đơn vị chưa có chứng thư để ký báo cáo và gói dữ liệu.",
        "Tạo bằng «xhht cert create» hoặc nhập tệp .p12 bằng «xhht cert import» (xem mục "
        "«In và ký số báo cáo»).",
    ),
    "XHHT203": Advice(
        "Không ký số được tệp này",
        "Tệp không phải PDF hoặc Excel do ứng dụng lập, đã bị mã hóa, hoặc không đọc được.",
        "Lập lại báo cáo, lưu thành PDF hoặc Excel rồi ký tệp vừa lưu.",
    ),
    "XHHT204": Advice(
        "Không dùng được USB ký số",
        "Đã cài đặt ký bằng USB token (PKCS#11) nhưng không tìm thấy token, thư viện của "
        "token, hoặc khóa trên token.",
        "Cắm USB ký số, kiểm tra mã PIN và phần mềm của nhà cung cấp, rồi ký lại.",
    ),
    "XHHT300": Advice(
        "Gói dữ liệu bị từ chối",
        "Tệp .xhht không đọc được, đã bị sửa trên đường đi, không gửi cho đơn vị này, hoặc "
        "cũ hơn gói đã nhập; không có gì được lưu.",
        "Xin xã gửi lại gói mới (xuất lại từ máy của xã), chép lại vào USB rồi nhập lại.",
    ),
    "XHHT301": Advice(
        "Chưa tin cậy người gửi",
        "Gói còn nguyên vẹn nhưng là gói đầu tiên của xã này, hoặc xã đã ký bằng chứng thư "
        "khác trước.",
        "So vân tay chứng thư trên màn hình với vân tay in trên báo cáo giấy có chữ ký của "
        "xã; chỉ khi trùng khớp mới xác nhận (xem mục «Chuyển dữ liệu bằng USB»).",
    ),
    "XHHT302": Advice(
        "Không ghi được gói vào USB",
        "USB đầy hoặc bị rút ra khi đang ghi; không có tệp dở dang nào bị để lại.",
        "Cắm lại USB, kiểm tra chỗ trống rồi xuất gói lại. Chỉ rút USB khi ứng dụng báo "
        "«an toàn để rút USB».",
    ),
    "XHHT400": Advice(
        "Dữ liệu đã mã hóa",
        "Dữ liệu trên máy được mã hóa và chưa có mật khẩu để mở.",
        "Nhập mật khẩu khi ứng dụng hỏi; với dòng lệnh, đặt biến môi trường XHHT_PASSWORD "
        "hoặc chạy trong cửa sổ dòng lệnh để được hỏi.",
    ),
    "XHHT401": Advice(
        "Không mở được dữ liệu đã mã hóa",
        "Mật khẩu hoặc khóa khôi phục không mở được dữ liệu.",
        "Nhập lại đúng mật khẩu của một người dùng, hoặc khóa khôi phục in trên tờ giấy "
        "cất ở tủ của xã.",
    ),
    "XHHT402": Advice(
        "Tệp khóa bị hỏng",
        "Tệp khóa nằm cạnh dữ liệu đã mã hóa bị mất, hỏng hoặc bị sửa.",
        "Khôi phục bản sao lưu gần nhất (kèm tệp khóa), hoặc dùng khóa khôi phục; liên hệ "
        "cơ quan hỗ trợ nếu không có.",
    ),
    "XHHT403": Advice(
        "Khóa khôi phục không đúng",
        "Khóa khôi phục gõ sai (thông báo chỉ nhóm ký tự sai) hoặc là khóa của dữ liệu khác.",
        "Gõ lại các nhóm được chỉ ra, so từng ký tự với tờ giấy khóa khôi phục.",
    ),
    "XHHT404": Advice(
        "Không mã hóa được",
        "Việc mã hóa dữ liệu hiện có không hoàn thành; dữ liệu chưa mã hóa vẫn nguyên vẹn.",
        "Giải phóng chỗ trống trên ổ đĩa rồi thử lại.",
    ),
    "XHHT500": Advice(
        "Không ghi được tệp",
        "Một tệp (báo cáo, mẫu Excel, gói, bản sao lưu) không ghi được; tệp cũ, nếu có, "
        "vẫn nguyên vẹn.",
        "Đọc lý do trong thông báo, chọn thư mục khác rồi lưu lại.",
    ),
    "XHHT501": Advice(
        "Ổ đĩa hoặc USB đã đầy",
        "Không còn chỗ trống để ghi tệp.",
        "Xóa bớt tệp không cần hoặc dùng USB khác rồi lưu lại.",
    ),
    "XHHT502": Advice(
        "Thư mục không ghi được",
        "Thư mục hoặc USB chỉ cho đọc, hoặc người dùng máy không có quyền ghi.",
        "Chọn thư mục khác (ví dụ thư mục Tài liệu), gạt khóa ghi của thẻ nhớ, hoặc nhờ "
        "người quản trị máy cấp quyền.",
    ),
    "XHHT503": Advice(
        "USB bị rút ra hoặc hỏng",
        "USB (hoặc ổ mạng) mất kết nối trong lúc ghi.",
        "Cắm lại USB và ghi lại từ đầu; không dùng tệp trên USB cũ nếu ứng dụng chưa báo ghi xong.",
    ),
    "XHHT504": Advice(
        "Tệp đang mở trong chương trình khác",
        "Excel hoặc trình đọc PDF đang mở tệp cùng tên nên Windows không cho ghi đè.",
        "Đóng tệp đó trong chương trình kia rồi lưu lại, hoặc lưu với tên khác.",
    ),
    "XHHT505": Advice(
        "Ổ đĩa chứa dữ liệu đã đầy",
        "Cơ sở dữ liệu không lớn thêm được; thay đổi vừa rồi chưa lưu, dữ liệu cũ nguyên "
        "vẹn, những gì trên màn hình vẫn còn.",
        "Giải phóng chỗ trống trên ổ đĩa rồi lưu lại.",
    ),
    "XHHT506": Advice(
        "Tệp dữ liệu không ghi được",
        "Thư mục hoặc tệp dữ liệu chỉ cho đọc, hoặc không có quyền ghi.",
        "Nhờ người quản trị máy cấp quyền ghi cho thư mục dữ liệu rồi lưu lại.",
    ),
    "XHHT507": Advice(
        "Dữ liệu đang mở ở cửa sổ khác",
        "Một cửa sổ XHHT hoặc một lệnh khác đang ghi vào dữ liệu này; cửa sổ này chỉ xem "
        "(dải báo «cửa sổ này chỉ để xem» ở đầu cửa sổ).",
        "Đóng cửa sổ kia (hoặc chờ lệnh kia chạy xong) rồi mở lại ứng dụng để sửa.",
    ),
    "XHHT508": Advice(
        "Tệp dữ liệu bị hỏng",
        "Tệp dữ liệu không qua được bước kiểm tra khi mở (thường do mất điện hoặc ổ đĩa "
        "lỗi); ứng dụng không ghi gì vào đó.",
        "Khôi phục bản sao lưu tốt gần nhất (Tệp → Khôi phục dữ liệu…, hoặc lệnh «xhht "
        "restore --newest»). Tệp hỏng được giữ trong thư mục «hong» để gửi cơ quan kiểm tra.",
    ),
}


@dataclass(frozen=True)
class CatalogueEntry:
    """One error of the catalogue, as the guide lists it.

    Attributes:
        code: The stable code (``XHHT006``).
        name: The class name, for developers.
        message: The fixed message, or ``None`` when the message depends on
            the case (the file, the row, the reason).
        advice: What the guide says; ``None`` if nobody wrote it yet.
    """

    code: str
    name: str
    message: str | None
    advice: Advice | None


def catalogue() -> list[CatalogueEntry]:
    """Every error class of :mod:`xhht_desktop.errors`, by code."""
    found: dict[str, CatalogueEntry] = {}
    for name, cls in vars(errors).items():
        if not (inspect.isclass(cls) and issubclass(cls, errors.XhhtError)):
            continue
        if cls.code in found:
            continue
        found[cls.code] = CatalogueEntry(
            cls.code, name, _fixed_message(cls), ERROR_ADVICE.get(cls.code)
        )
    return [found[code] for code in sorted(found)]


def _fixed_message(cls: type[errors.XhhtError]) -> str | None:
    """The message a class always gives, if it takes no arguments (or only optional ones)."""
    signature = inspect.signature(cls.__init__)
    required = [
        p
        for p in list(signature.parameters.values())[1:]
        if p.default is inspect.Parameter.empty
        and p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    ]
    if required:
        return None
    return cls().message


_GROUPS: tuple[tuple[str, str], ...] = (
    ("XHHT0", "Thiết lập, đăng nhập và bản ghi"),
    ("XHHT1", "Dữ liệu nhập, mô hình học tập và báo cáo"),
    ("XHHT2", "Chứng thư và ký số"),
    ("XHHT3", "Gói dữ liệu USB"),
    ("XHHT4", "Dữ liệu được mã hóa"),
    ("XHHT5", "Ổ đĩa, USB và tệp dữ liệu"),
)


def _group_of(code: str) -> str:
    return next((title for prefix, title in _GROUPS if code.startswith(prefix)), "Khác")


def render_errors_page(entries: Sequence[CatalogueEntry] | None = None) -> str:
    """The HTML of ``thong-bao-loi.html``, generated from the catalogue."""
    entries = catalogue() if entries is None else entries
    escape = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="vi">',
        "<head>",
        '<meta charset="utf-8">',
        "<title>Thông báo lỗi — XHHT Desktop</title>",
        f'<link rel="stylesheet" href="{STYLE_SHEET}">',
        "</head>",
        "<body>",
        "<!-- Tệp này được sinh tự động từ xhht_desktop/errors.py: đừng sửa tay; chạy "
        "«python -m xhht_desktop.guide». -->",
        f'<p class="nav"><a href="{INDEX_PAGE}">Mục lục</a></p>',
        '<h1 id="dau-trang">Thông báo lỗi</h1>',
        "<p>Khi không làm được một việc, ứng dụng nói bằng tiếng Việt điều gì đã xảy ra và "
        "<b>không lưu một nửa</b>: hoặc việc được lưu trọn vẹn, hoặc không có gì thay đổi. "
        "Dưới đây là mọi thông báo lỗi của ứng dụng, theo mã lỗi. Mã lỗi có trong tệp nhật "
        "ký và trong kết quả của dòng lệnh; trên màn hình chỉ hiện lời thông báo, nên cách "
        "nhanh nhất là gõ vài chữ của thông báo vào ô <b>Tìm</b> của cửa sổ hướng dẫn.</p>",
        "<p>Một lỗi <b>không có</b> trong danh sách này là lỗi không mong muốn của phần "
        'mềm: xem <a href="sao-luu-phuc-hoi.html#nhat-ky-loi">Khi có lỗi không mong '
        "muốn</a>.</p>",
        '<table class="toc">',
    ]
    for entry in entries:
        title = entry.advice.title if entry.advice else entry.name
        out.append(
            f'<tr><td><a href="#{entry.code}">{entry.code}</a></td><td>{escape(title)}</td></tr>'
        )
    out.append("</table>")
    group = None
    for entry in entries:
        if _group_of(entry.code) != group:
            group = _group_of(entry.code)
            out.append(f"<h2>{escape(group)}</h2>")
        advice = entry.advice
        title = advice.title if advice else entry.name
        out.append(f'<h3 id="{entry.code}">{entry.code} — {escape(title)}</h3>')
        if entry.message is not None:
            out.append(f'<p class="message">«{escape(entry.message)}»</p>')
        else:
            out.append(
                '<p class="message">Lời thông báo nói rõ trường hợp cụ thể (tệp, dòng, lý do).</p>'
            )
        if advice is not None:
            out.append(f"<p><b>Khi nào:</b> {escape(advice.meaning)}</p>")
            out.append(f"<p><b>Cách xử lý:</b> {escape(advice.action)}</p>")
        else:
            out.append(
                "<p><b>Cách xử lý:</b> đọc kỹ lời thông báo; nếu chưa rõ, chép nguyên văn "
                "gửi cơ quan hỗ trợ.</p>"
            )
    out += [
        '<p class="nav"><a href="#dau-trang">Lên đầu trang</a> · '
        f'<a href="{INDEX_PAGE}">Mục lục</a></p>',
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(out)


def write_errors_page(folder: Path | None = None) -> Path:
    """Write ``thong-bao-loi.html`` into the guide folder (or ``folder``)."""
    target = (folder or guide_dir()) / ERRORS_PAGE
    target.write_text(render_errors_page(), encoding="utf-8")
    return target


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate the error page: ``python -m xhht_desktop.guide [FOLDER]``."""
    args = list(sys.argv[1:] if argv is None else argv)
    folder = Path(args[0]) if args else None
    print(write_errors_page(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
