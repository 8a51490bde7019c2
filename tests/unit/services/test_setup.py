import pytest

from xhht_desktop.errors import AlreadySetUp, NotSetUp, UnknownCommune, ValidationFailed
from xhht_desktop.services.setup import CommuneSetup, OfficeSetup
from xhht_desktop.services.users import NewUser


def test_a_fresh_database_is_not_set_up(empty_context):
    assert empty_context.setup.installation() is None
    with pytest.raises(NotSetUp):
        empty_context.setup.require()


def test_commune_set_up_takes_names_from_the_official_list(empty_context):
    admin = NewUser("quantri", "Trần Thị Lan", "admin", "mat-khau-dai")
    info = empty_context.setup.init_commune(CommuneSetup("23842", 2026, "Phòng GD&ĐT"), admin)
    assert (info.role, info.commune_code, info.commune_name) == ("commune", "23842", "Xã Đăk Song")
    # After the 2025 reform this Xã Đăk Song belongs to Gia Lai; the one in
    # Lâm Đồng (24718) is spelt "Xã Đắk song" in the official list.
    assert info.province_name == "Gia Lai"
    assert info.owner_code == "23842"
    assert empty_context.users.authenticate("quantri", "mat-khau-dai").role == "admin"


def test_office_set_up(empty_context):
    info = empty_context.setup.init_office(OfficeSetup("68", "Sở GD&ĐT Lâm Đồng", 2026))
    assert (info.role, info.commune_code, info.province_name) == ("office", None, "Lâm Đồng")
    assert info.owner_code == "P68"


def test_set_up_happens_once(context):
    with pytest.raises(AlreadySetUp):
        context.setup.init_commune(CommuneSetup("23842", 2026))


def test_unknown_commune_is_refused(empty_context):
    with pytest.raises(UnknownCommune, match="99999"):
        empty_context.setup.init_commune(CommuneSetup("99999", 2026))
    assert empty_context.setup.installation() is None


def test_a_bad_first_user_refuses_the_whole_set_up(empty_context):
    with pytest.raises(ValidationFailed) as refused:
        empty_context.setup.init_commune(
            CommuneSetup("24717", 2026), NewUser("quantri", "A", "admin", "ngan")
        )
    assert refused.value.for_field("password")
    assert empty_context.setup.installation() is None


def test_settings_can_change_later(context):
    info = context.setup.update(year=2027, signer_name="Lê Văn Hùng")
    assert (info.year, info.signer_name) == (2027, "Lê Văn Hùng")
    with pytest.raises(ValidationFailed):
        context.setup.update(year=1800)
