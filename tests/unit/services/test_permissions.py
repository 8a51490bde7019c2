"""Every action of the permission table, for every role, through the real service.

An allowed role gets past the check (the call works, or for the package
import fails on its input, not on the role); a refused role gets a
``PermissionDenied`` in Vietnamese and the database is exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from xhht_desktop.context import Actor, AppContext
from xhht_desktop.core import permissions
from xhht_desktop.core.models_cycle import DecisionDraft
from xhht_desktop.core.registers import HouseholdDraft, PersonDraft, VillageDraft
from xhht_desktop.core.roster import SHEET_NAME
from xhht_desktop.errors import PackageRefused, PermissionDenied
from xhht_desktop.services.learning_models import Evaluation
from xhht_desktop.services.users import NewUser
from xhht_desktop.store.models import Base

PASSWORD = "mat-khau-khoa-ky"
YEAR = 2026
TODAY = date(2026, 12, 20)
DECISION = DecisionDraft("15/QĐ-UBND", date(2026, 12, 15), "Nguyễn Văn Minh", "Chủ tịch")
ROLES = ("data_entry", "approver", "admin")


def _snapshot(context: AppContext) -> dict[str, list[Any]]:
    with context.engine.connect() as connection:
        return {
            table.name: connection.execute(select(table).order_by(*table.primary_key.columns)).all()
            for table in Base.metadata.sorted_tables
        }


def _household(context: AppContext, _folder: Path) -> str:
    village = context.villages.save(VillageDraft("thon", "Thôn 1")).id
    household = context.households.save(HouseholdDraft("H01", village, "Nguyễn Văn An")).id
    context.persons.save(PersonDraft(household, "Nguyễn Văn An", 1980, "M", "01"))
    return household


def _eligible(context: AppContext, folder: Path) -> str:
    """A household registered and evaluated as passing: ready to be recognised."""
    household = _household(context, folder)
    context.learning_models.register(
        "gdht", YEAR, [household], date(2026, 1, 10), "Người đăng ký", today=TODAY
    )
    criteria = context.learning_models.criteria("gdht")
    scores = {f.id: f.type.max * Decimal("0.9") for f in criteria.scored_fields}
    context.learning_models.evaluate(
        "gdht", YEAR, Evaluation(household, scores, date(2026, 11, 20)), today=TODAY
    )
    return household


def _roster(context: AppContext, folder: Path) -> Path:
    template = folder / "mau.xlsx"
    context.roster.write_template(template)
    workbook = load_workbook(template)
    workbook[SHEET_NAME].append(
        ("Thôn 2", "H09", "Lê Văn Ba", "Chủ hộ", 1975, "Nam", "Kinh", 9, 0, None, None)
    )
    path = folder / "danh-sach.xlsx"
    workbook.save(path)
    return path


def _backup(context: AppContext, _folder: Path) -> Path:
    return context.backups.create().path


def _certificate(context: AppContext, _folder: Path) -> None:
    context.signing.create_certificate(PASSWORD, key_type="ec")


def _garbage(_context: AppContext, folder: Path) -> Path:
    path = folder / "bien-nhan.xhht.receipt"
    path.write_bytes(b"not a receipt")
    return path


@dataclass(frozen=True)
class Case:
    """How to try one action: set up as an administrator, then act as the role."""

    prepare: Callable[[AppContext, Path], Any]
    act: Callable[[AppContext, Any, Path], Any]
    # The input is refused on purpose (no real receipt here): an allowed role
    # must get past the role check and meet this error instead.
    allowed_error: type[Exception] | None = None


CASES: dict[str, Case] = {
    "edit_registers": Case(
        lambda c, f: None, lambda c, _p, f: c.villages.save(VillageDraft("thon", "Thôn 9"))
    ),
    "import_roster": Case(_roster, lambda c, path, f: c.roster.import_persons(path)),
    "recognise": Case(
        _eligible,
        lambda c, h, f: c.learning_models.recognise("gdht", YEAR, [h], DECISION, today=TODAY),
    ),
    "approve_override": Case(
        _household,
        lambda c, h, f: c.learning_models.recognise(
            "gdht", YEAR, [h], DECISION, override_reason="Gia đình tiêu biểu", today=TODAY
        ),
    ),
    "sign": Case(
        lambda c, f: None,
        lambda c, _p, f: c.signing.create_certificate(PASSWORD, key_type="ec"),
    ),
    "export_package": Case(
        _certificate, lambda c, _p, f: c.exchange.export_package(f / "goi.xhht", PASSWORD)
    ),
    "import_package": Case(
        _garbage, lambda c, path, f: c.exchange.import_receipt(path), PackageRefused
    ),
    "manage_plans": Case(
        lambda c, f: None,
        lambda c, _p, f: c.plans.copy(c.plans.default_id(), "ke-hoach-thu", "Kế hoạch thử"),
    ),
    "manage_users": Case(
        lambda c, f: None,
        lambda c, _p, f: c.users.create(
            NewUser("lan.le", "Lê Thị Lan", "approver", "matkhau-2026")
        ),
    ),
    "restore_backup": Case(_backup, lambda c, path, f: c.backups.restore(path)),
    "change_settings": Case(
        lambda c, f: None, lambda c, _p, f: c.literacy.save_settings(c.literacy.settings())
    ),
}


def test_every_action_of_the_table_is_tried():
    assert set(CASES) == set(permissions.PERMISSIONS)


def test_the_table_says_what_the_issue_asks():
    assert not permissions.allowed("data_entry", "sign")
    assert not permissions.allowed("data_entry", "approve_override")
    assert not permissions.allowed("data_entry", "manage_users")
    assert not permissions.allowed("approver", "manage_users")
    assert not permissions.allowed("approver", "restore_backup")
    assert not permissions.allowed("approver", "change_settings")
    assert all(permissions.allowed("admin", action) for action in permissions.PERMISSIONS)
    assert all(permissions.allowed(role, "edit_registers") for role in ROLES)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(CASES))
def test_each_role_may_or_may_not(context, tmp_path, action, role):
    case = CASES[action]
    prepared = case.prepare(context, tmp_path)
    context.actor = Actor(f"test:{role}", role)
    if permissions.allowed(role, action):
        if case.allowed_error is None:
            case.act(context, prepared, tmp_path)
        else:
            with pytest.raises(case.allowed_error) as failed:
                case.act(context, prepared, tmp_path)
            assert not isinstance(failed.value, PermissionDenied)
        return
    before = _snapshot(context)
    files_before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    with pytest.raises(PermissionDenied) as refused:
        case.act(context, prepared, tmp_path)
    message = refused.value.message
    assert "phê duyệt" in message or "quản trị" in message
    assert message.startswith("Chỉ người")
    assert _snapshot(context) == before
    files_after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert files_after == files_before


def test_the_refusal_names_the_users_role():
    with pytest.raises(PermissionDenied, match="vai trò nhập liệu") as refused:
        permissions.require("data_entry", "sign")
    assert "Chỉ người dùng có vai trò phê duyệt hoặc quản trị mới được ký số" in str(refused.value)
    with pytest.raises(PermissionDenied, match="Chỉ người dùng có vai trò quản trị mới được"):
        permissions.require("approver", "manage_users")
