"""Setting up this copy of the app: a commune, or a consolidating office."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select

from xhht_desktop.core import admin_units
from xhht_desktop.errors import AlreadySetUp, FieldIssue, NotSetUp, UnknownCommune, ValidationFailed
from xhht_desktop.store import repositories
from xhht_desktop.store.models import Installation

if TYPE_CHECKING:
    from xhht_desktop.context import AppContext
    from xhht_desktop.services.users import NewUser

ROLES = {"commune": "Cấp xã (nhập liệu, báo cáo)", "office": "Cơ quan tổng hợp (cấp huyện/tỉnh)"}


@dataclass(frozen=True)
class InstallationInfo:
    role: str
    province_code: str
    province_name: str
    commune_code: str | None
    commune_name: str | None
    office_name: str | None
    receiving_office: str
    year: int
    signer_name: str
    signer_title: str
    is_demo: bool
    office_code: str | None = None

    @property
    def owner_code(self) -> str:
        """The code that owns records written here: the commune's, or the office's."""
        return self.commune_code or office_owner_code(self.province_code, self.office_code)

    @property
    def display_name(self) -> str:
        if self.role == "commune":
            return f"{self.commune_name}, {self.province_name}"
        return f"{self.office_name} ({self.province_name})"


@dataclass(frozen=True)
class CommuneSetup:
    commune_code: str
    year: int
    receiving_office: str = ""
    signer_name: str = ""
    signer_title: str = "Chủ tịch"
    is_demo: bool = False


@dataclass(frozen=True)
class OfficeSetup:
    """An office's set-up.

    Attributes:
        office_code: The office's own code when more than one office of the
            province use the app (a district's office sending to the
            province's): letters, digits and "-", at most 10, not a commune
            code; empty for "P" and the province code.
    """

    province_code: str
    office_name: str
    year: int
    signer_name: str = ""
    signer_title: str = "Trưởng phòng"
    office_code: str = ""


_OFFICE_CODE = re.compile(r"[A-Z][A-Z0-9-]{1,9}")


def office_owner_code(province_code: str, office_code: str | None) -> str:
    """The code an office's own records and certificate carry."""
    return office_code or f"P{province_code}"


def _info(row: Installation) -> InstallationInfo:
    return InstallationInfo(
        role=row.role,
        province_code=row.province_code,
        province_name=row.province_name,
        commune_code=row.commune_code,
        commune_name=row.commune_name,
        office_name=row.office_name,
        receiving_office=row.receiving_office,
        year=row.year,
        signer_name=row.signer_name,
        signer_title=row.signer_title,
        is_demo=row.is_demo,
        office_code=row.office_code,
    )


def _year_issues(year: int) -> list[FieldIssue]:
    if not 2000 <= year <= date.today().year + 1:
        return [FieldIssue("year", f"Năm báo cáo phải từ 2000 đến {date.today().year + 1}.")]
    return []


class SetupService:
    def __init__(self, context: AppContext) -> None:
        self.context = context

    def installation(self) -> InstallationInfo | None:
        with self.context.reading() as session:
            row = session.get(Installation, 1)
            return _info(row) if row else None

    def require(self) -> InstallationInfo:
        info = self.installation()
        if info is None:
            raise NotSetUp()
        return info

    def is_set_up(self) -> bool:
        return self.installation() is not None

    def init_commune(self, setup: CommuneSetup, admin: NewUser | None = None) -> InstallationInfo:
        """Set this database up for one commune (and its first user)."""
        commune = admin_units.commune(setup.commune_code)
        if commune is None:
            raise UnknownCommune(
                f"Không có xã/phường mã '{setup.commune_code}' trong danh mục đơn vị hành chính."
            )
        province = admin_units.province(commune.province_code)
        assert province is not None
        issues = _year_issues(setup.year)
        if issues:
            raise ValidationFailed(issues)
        row = Installation(
            id=1,
            role="commune",
            province_code=province.code,
            province_name=province.name,
            commune_code=commune.code,
            commune_name=commune.name,
            office_name=None,
            receiving_office=setup.receiving_office.strip(),
            year=setup.year,
            signer_name=setup.signer_name.strip(),
            signer_title=setup.signer_title.strip(),
            is_demo=setup.is_demo,
        )
        return self._create(row, admin)

    def init_office(self, setup: OfficeSetup, admin: NewUser | None = None) -> InstallationInfo:
        """Set this database up for a consolidating office of a province."""
        province = admin_units.province(setup.province_code)
        if province is None:
            raise UnknownCommune(f"Không có tỉnh/thành phố mã '{setup.province_code}'.")
        issues = _year_issues(setup.year)
        if not setup.office_name.strip():
            issues.append(FieldIssue("office_name", "Tên cơ quan tổng hợp không được để trống."))
        office_code = setup.office_code.strip().upper()
        if office_code and not _OFFICE_CODE.fullmatch(office_code):
            issues.append(
                FieldIssue(
                    "office_code",
                    "Mã cơ quan gồm 2 đến 10 ký tự: chữ cái không dấu, chữ số hoặc dấu gạch "
                    "ngang, bắt đầu bằng chữ cái (ví dụ H68-01).",
                )
            )
        if issues:
            raise ValidationFailed(issues)
        row = Installation(
            id=1,
            role="office",
            province_code=province.code,
            province_name=province.name,
            commune_code=None,
            commune_name=None,
            office_name=setup.office_name.strip(),
            office_code=office_code or None,
            receiving_office="",
            year=setup.year,
            signer_name=setup.signer_name.strip(),
            signer_title=setup.signer_title.strip(),
            is_demo=False,
        )
        return self._create(row, admin)

    def _create(self, row: Installation, admin: NewUser | None) -> InstallationInfo:
        from xhht_desktop.services.users import add_user

        with self.context.transaction() as session:
            if session.scalar(select(Installation.id)) is not None:
                raise AlreadySetUp()
            session.add(row)
            if admin is not None:
                add_user(session, admin)
            info = _info(row)
        return info

    def update(self, **changes: object) -> InstallationInfo:
        """Change editable settings (receiving office, year, signer)."""
        self.context.require("change_settings")
        allowed = {"receiving_office", "year", "signer_name", "signer_title"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"not editable: {sorted(unknown)}")
        if "year" in changes:
            issues = _year_issues(int(changes["year"]))  # type: ignore[call-overload]
            if issues:
                raise ValidationFailed(issues)
        with self.context.transaction() as session:
            row = session.get(Installation, 1)
            if row is None:
                raise NotSetUp()
            for key, value in changes.items():
                setattr(row, key, value)
            return _info(row)

    def counts(self) -> dict[str, int]:
        with self.context.reading() as session:
            return repositories.counts(session)
