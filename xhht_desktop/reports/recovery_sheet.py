"""The recovery sheet: the recovery key on paper, for the commune's safe.

One A4 page: the unit, the date, the key as text (ten groups of five) and as
a QR code, and what to do with the sheet. The text is in the bundled Liberation
Serif, so the sheet looks the same on every machine.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from xhht_desktop.core.recovery import RecoveryKey
from xhht_desktop.reports import fonts
from xhht_desktop.store.files import write_atomically

TITLE = "TỜ KHÓA KHÔI PHỤC DỮ LIỆU"
INSTRUCTIONS = (
    "Dữ liệu XHHT Desktop trên máy tính của đơn vị đã được mã hóa. Mật khẩu của mỗi người "
    "dùng mở được dữ liệu; khóa khôi phục dưới đây cũng mở được, kể cả khi mọi người đã quên "
    "mật khẩu.",
    "1. Cất tờ giấy này trong tủ (két) có khóa của đơn vị. Không chụp ảnh, không lưu vào máy "
    "tính, không gửi qua mạng.",
    "2. Ai có tờ giấy này thì đọc được toàn bộ dữ liệu: giữ gìn như giữ con dấu.",
    "3. Khi quên hết mật khẩu: mở XHHT Desktop, ở hộp đăng nhập chọn «Mở bằng khóa khôi "
    "phục…», gõ khóa (không phân biệt chữ hoa, chữ thường; có thể bỏ dấu gạch) hoặc quét mã QR, "
    "rồi đặt mật khẩu mới cho người quản trị.",
    "4. Mất cả mọi mật khẩu lẫn tờ giấy này thì dữ liệu không thể đọc lại được nữa: không ai, "
    "kể cả người viết phần mềm, mở được.",
)


def render(key: RecoveryKey, unit_name: str, created: date) -> bytes:
    """The sheet as PDF bytes."""
    names = fonts.registered(fonts.bundled())
    buffer = io.BytesIO()
    width, height = A4
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle(f"{TITLE} — {unit_name}")
    canvas.setAuthor("XHHT Desktop")
    left, right = 25 * mm, width - 20 * mm
    y = height - 25 * mm

    canvas.setFont(names.bold, 16)
    canvas.drawCentredString(width / 2, y, TITLE)
    y -= 8 * mm
    canvas.setFont(names.italic, 12)
    canvas.drawCentredString(width / 2, y, "Phần mềm sổ sách xây dựng xã hội học tập XHHT Desktop")
    y -= 14 * mm

    canvas.setFont(names.regular, 13)
    canvas.drawString(left, y, "Đơn vị: ")
    canvas.setFont(names.bold, 13)
    canvas.drawString(left + stringWidth("Đơn vị: ", names.regular, 13), y, unit_name)
    y -= 7 * mm
    canvas.setFont(names.regular, 13)
    canvas.drawString(left, y, f"Ngày lập: {created:%d/%m/%Y}")
    y -= 14 * mm

    canvas.setFont(names.bold, 13)
    canvas.drawString(left, y, "Khóa khôi phục:")
    y -= 11 * mm
    groups = key.groups
    canvas.setFont(names.bold, 20)
    for line in (groups[:5], groups[5:]):
        # Wide spacing between groups, so that each is read (and typed) on its own.
        canvas.drawString(left + 5 * mm, y, "   ".join(line))
        y -= 10 * mm

    qr_size = 55 * mm
    widget = QrCodeWidget(key.text, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(
        qr_size, qr_size, transform=[qr_size / (x1 - x0), 0, 0, qr_size / (y1 - y0), 0, 0]
    )
    drawing.add(widget)
    y -= qr_size
    renderPDF.draw(drawing, canvas, (width - qr_size) / 2, y)
    y -= 10 * mm

    canvas.setFont(names.regular, 12)
    for paragraph in INSTRUCTIONS:
        for line in simpleSplit(paragraph, names.regular, 12, right - left):
            canvas.drawString(left, y, line)
            y -= 6 * mm
        y -= 2 * mm

    y -= 8 * mm
    canvas.setFont(names.bold, 12)
    canvas.drawCentredString(left + 40 * mm, y, "NGƯỜI LẬP")
    canvas.drawCentredString(right - 40 * mm, y, "NGƯỜI NHẬN CẤT GIỮ")
    y -= 6 * mm
    canvas.setFont(names.italic, 12)
    canvas.drawCentredString(left + 40 * mm, y, "(Ký, ghi rõ họ tên)")
    canvas.drawCentredString(right - 40 * mm, y, "(Ký, ghi rõ họ tên)")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def write(path: Path, key: RecoveryKey, unit_name: str, created: date | None = None) -> Path:
    """Write the sheet to ``path`` (complete or not at all)."""
    content = render(key, unit_name, created or date.today())
    return write_atomically(path, lambda handle: handle.write(content))
