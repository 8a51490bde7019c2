"""Nhật ký thay đổi: the audit log printed, for one record or for a period.

Two declarations on the same table: the history of one record (every field
it was created with and every change since), and every change in a period
(a record's creation as one line). Who, when, which field, what it was and
what it became, in words an inspector reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING

from xhht_desktop.core.permissions import ROLE_WORDS
from xhht_desktop.core.registers import RESIDENCES, SEXES
from xhht_desktop.reports import letterhead
from xhht_desktop.reports.document import (
    Closing,
    Column,
    Document,
    Paragraph,
    Signer,
    Table,
    Value,
    format_count,
)
from xhht_desktop.reports.literacy import PREPARER, unit_phrase

if TYPE_CHECKING:
    from xhht_desktop.services.audit import AuditRow
    from xhht_desktop.services.setup import InstallationInfo

KIND = "NHẬT KÝ THAY ĐỔI"
MAX_VALUE = 160

ACTIONS: dict[str, str] = {
    "create": "Tạo mới",
    "update": "Sửa",
    "delete": "Xóa",
    "restore": "Khôi phục",
}
ENTITIES: dict[str, str] = {
    "villages": "Thôn, tổ dân phố",
    "households": "Hộ gia đình",
    "persons": "Nhân khẩu",
    "clans": "Dòng họ",
    "units": "Đơn vị",
    "decisions": "Quyết định công nhận",
    "model_entries": "Mô hình học tập",
    "aggregate_values": "Số liệu tổng hợp",
    "app_settings": "Cài đặt",
    "exchange": "Gói dữ liệu",
    "signing": "Ký số",
    "users": "Người dùng",
}
FIELDS: dict[str, str] = {
    "active": "Trạng thái tài khoản",
    "role": "Vai trò",
    "password": "Mật khẩu",
    "full_name": "Họ và tên",
    "name": "Tên",
    "kind": "Loại",
    "code": "Mã hộ",
    "head_name": "Chủ hộ",
    "address": "Địa chỉ",
    "village_id": "Thôn",
    "household_id": "Hộ",
    "clan_id": "Dòng họ",
    "relationship_to_head": "Quan hệ với chủ hộ",
    "birth_date": "Ngày sinh",
    "birth_year": "Năm sinh",
    "sex": "Giới tính",
    "ethnicity_code": "Dân tộc",
    "grade": "Lớp đã học xong",
    "literacy_stage": "Giai đoạn xóa mù chữ",
    "disabled": "Khuyết tật",
    "residence": "Cư trú",
    "commune_code": "Mã xã",
    "contact_person": "Người liên hệ",
    "number": "Số quyết định",
    "decided_on": "Ngày quyết định",
    "signer_name": "Người ký",
    "signer_title": "Chức vụ người ký",
    "override_reason": "Lý do công nhận ngoại lệ",
    "scores": "Điểm",
    "total": "Tổng điểm",
    "passed": "Đạt",
    "figures": "Số liệu",
}


def field_label(field: str | None) -> str:
    """The field as a form names it; the column name when no label is known."""
    if field is None:
        return ""
    return FIELDS.get(field, field)


def action_label(action: str) -> str:
    return ACTIONS.get(action, action)


def entity_label(entity: str) -> str:
    return ENTITIES.get(entity, entity)


def value_text(field: str | None, value: str | None) -> str:
    """A stored value as people read it ("Nữ", "Có"), cut when very long (scores)."""
    if value is None or value == "":
        return ""
    if field == "sex":
        value = SEXES.get(value, value)
    elif field == "residence":
        value = RESIDENCES.get(value, value)
    elif field in ("disabled", "passed"):
        value = {"1": "Có", "0": "Không"}.get(value, value)
    elif field == "active":
        value = {"1": "Đang dùng", "0": "Đã khóa"}.get(value, value)
    elif field == "role":
        value = ROLE_WORDS.get(value, value).capitalize()
    if len(value) > MAX_VALUE:
        return value[: MAX_VALUE - 1] + "…"
    return value


def _when(row: AuditRow) -> str:
    return f"{row.at:%d/%m/%Y %H:%M:%S}"


class _Lines:
    """Table rows made afresh on each reading (the PDF and the Excel file each read them)."""

    def __init__(
        self, rows: Callable[[], Iterable[AuditRow]], count: int, cells: Callable[..., tuple]
    ) -> None:
        self.rows = rows
        self.count = count
        self.cells = cells

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[tuple[Value, ...]]:
        for number, row in enumerate(self.rows(), start=1):
            yield self.cells(number, row)


def _record_cells(number: int, row: AuditRow) -> tuple[Value, ...]:
    return (
        number,
        _when(row),
        row.actor,
        action_label(row.action),
        field_label(row.field),
        value_text(row.field, row.old_value),
        value_text(row.field, row.new_value),
    )


def _period_cells(number: int, row: AuditRow) -> tuple[Value, ...]:
    created = row.action == "create"
    return (
        number,
        _when(row),
        row.actor,
        entity_label(row.entity),
        row.record,
        action_label(row.action),
        "" if created else field_label(row.field),
        "" if created else value_text(row.field, row.old_value),
        "" if created else value_text(row.field, row.new_value),
    )


def _closing(info: InstallationInfo) -> Closing:
    return Closing(signers=(Signer((PREPARER,)), letterhead.signer(info)))


def record_history(
    info: InstallationInfo,
    issued: date,
    record_id: str,
    record_name: str,
    entity: str,
    rows: list[AuditRow],
) -> Document:
    """Every logged change of one record, oldest first.

    Args:
        info: The installation (letterhead, signer).
        issued: Date of the document.
        record_id: The record's id (printed, so the record can be found again).
        record_name: How people name it ("Nguyễn Văn An").
        entity: Its register (``persons``…).
        rows: ``AuditService.history`` of the record.
    """
    table = Table(
        columns=(
            Column("STT", 10, "center"),
            Column("Thời gian", 30, "center"),
            Column("Người thực hiện", 28),
            Column("Thao tác", 20),
            Column("Trường", 32),
            Column("Giá trị cũ", 45),
            Column("Giá trị mới", 45),
        ),
        rows=_Lines(lambda: rows, len(rows), _record_cells),
        font_size=10,
        empty_text="Nhật ký không có thay đổi nào của hồ sơ này.",
    )
    body = (
        Paragraph(
            f"Hồ sơ: {entity_label(entity).lower()} «{record_name}» (mã hồ sơ {record_id}) "
            f"của {unit_phrase(info)}. Nhật ký ghi {format_count(len(rows))} thay đổi, "
            "mỗi dòng một trường: ai thực hiện, lúc nào, giá trị cũ và giá trị mới."
        ),
        table,
        Paragraph(
            "Thời gian theo giờ Việt Nam (UTC+7). Nhật ký do phần mềm ghi tự động và không sửa, "
            "xóa được từ phần mềm.",
            italic=True,
        ),
    )
    return Document(
        letterhead=letterhead.letterhead(info, issued),
        kind=KIND,
        summary=f"Lịch sử thay đổi hồ sơ {record_name}",
        body=body,
        closing=_closing(info),
    )


def period_log(
    info: InstallationInfo,
    issued: date,
    start: date,
    end: date,
    rows: Callable[[], Iterable[AuditRow]],
    count: int,
) -> Document:
    """Every change from ``start`` to ``end`` (Vietnam's days), oldest first.

    Args:
        info: The installation (letterhead, signer).
        issued: Date of the document.
        start: First day.
        end: Last day (inclusive).
        rows: Starts a fresh reading of ``AuditService.iter_period``.
        count: How many rows it gives (``AuditService.period_count``).
    """
    table = Table(
        columns=(
            Column("STT", 11, "center"),
            Column("Thời gian", 30, "center"),
            Column("Người thực hiện", 26),
            Column("Sổ", 24),
            Column("Hồ sơ", 40),
            Column("Thao tác", 18),
            Column("Trường", 28),
            Column("Giá trị cũ", 38),
            Column("Giá trị mới", 38),
        ),
        rows=_Lines(rows, count, _period_cells),
        font_size=9,
        empty_text="Không có thay đổi nào trong thời gian này.",
    )
    period = f"từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"
    body = (
        Paragraph(
            f"Các thay đổi dữ liệu của {unit_phrase(info)} {period}: "
            f"{format_count(count)} dòng. Mỗi lần sửa, xóa hoặc khôi phục là một dòng cho mỗi "
            "trường; mỗi hồ sơ tạo mới là một dòng (các trường lúc tạo có trong lịch sử của "
            "từng hồ sơ)."
        ),
        table,
        Paragraph(
            "Thời gian theo giờ Việt Nam (UTC+7). Nhật ký do phần mềm ghi tự động và không sửa, "
            "xóa được từ phần mềm.",
            italic=True,
        ),
    )
    return Document(
        letterhead=letterhead.letterhead(info, issued),
        kind=KIND,
        summary=f"Các thay đổi dữ liệu {period}",
        body=body,
        closing=_closing(info),
    )
