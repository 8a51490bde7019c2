"""Letterhead and signature from the installation: issuing body, place, authority line."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from xhht_desktop.reports import letterhead
from xhht_desktop.reports.document import Signer
from xhht_desktop.services.setup import CommuneSetup, OfficeSetup


@pytest.mark.parametrize(
    ("unit", "place"),
    [
        ("Xã Đức An", "Đức An"),
        ("Phường Bảo Lộc 1", "Bảo Lộc 1"),
        ("Phường 1", "Phường 1"),
        ("Đặc khu Cô Tô", "Cô Tô"),
        ("Thành phố Hà Nội", "Hà Nội"),
        ("Lâm Đồng", "Lâm Đồng"),
    ],
)
def test_place_of_the_date_line(unit, place):
    assert letterhead.place_name(unit) == place


def test_a_commune_issues_as_its_peoples_committee(context):
    info = context.setup.require()
    head = letterhead.letterhead(info, date(2026, 11, 23))
    assert head.issuer == ("ỦY BAN NHÂN DÂN", "XÃ ĐỨC AN")
    assert head.parent == ""
    assert head.number == "Số:      /BC-UBND"
    assert head.date_line == "Đức An, ngày 23 tháng 11 năm 2026"
    closing = letterhead.closing(info)
    assert closing.recipients == ("Sở GD&ĐT Lâm Đồng", "Lưu: VT.")
    assert closing.signers == (Signer(("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), "Nguyễn Văn Minh"),)


def test_without_a_receiving_office_only_the_archive_receives(context):
    info = replace(context.setup.require(), receiving_office="  ")
    assert letterhead.recipients(info) == ("Lưu: VT.",)


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("Chủ tịch", ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")),
        ("Phó Chủ tịch", ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")),
        ("phó chủ tịch", ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")),
        ("Q. Chủ tịch", ("TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH")),
        ("Quyền Chủ tịch", ("TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH")),
    ],
)
def test_the_authority_line_follows_the_signers_title(title, lines):
    assert letterhead.authority_lines("ỦY BAN NHÂN DÂN", "CHỦ TỊCH", title) == lines


def test_a_long_collective_name_breaks_where_it_is_told():
    assert letterhead.authority_lines("BAN CHỈ ĐẠO,\nXÓA MÙ CHỮ", "TRƯỞNG BAN", "Phó Chủ tịch") == (
        "TM. BAN CHỈ ĐẠO,",
        "XÓA MÙ CHỮ",
        "KT. TRƯỞNG BAN",
        "PHÓ TRƯỞNG BAN",
    )


def test_an_office_issues_under_its_province_and_signs_as_its_head(empty_context):
    info = empty_context.setup.init_office(
        OfficeSetup(
            province_code="68",
            office_name="Sở Giáo dục và Đào tạo",
            year=2026,
            signer_name="Trần Thị Hoa",
            signer_title="Phó Giám đốc",
        )
    )
    head = letterhead.letterhead(info, date(2026, 3, 2))
    assert head.issuer == ("SỞ GIÁO DỤC VÀ ĐÀO TẠO",)
    assert head.parent == f"UBND {info.province_name.upper()}"
    assert head.number == "Số:      /BC-SGDĐT"
    assert head.date_line == f"{info.province_name}, ngày 02 tháng 3 năm 2026"
    assert letterhead.signer(info) == Signer(("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"), "Trần Thị Hoa")
    assert letterhead.head_title("Trưởng phòng") == "Trưởng phòng"
    assert letterhead.head_title("Q. Trưởng phòng") == "Trưởng phòng"


def test_office_codes_are_the_initials():
    assert letterhead.office_code("Sở Giáo dục và Đào tạo") == "SGDĐT"
    assert letterhead.office_code("Phòng Giáo dục và Đào tạo") == "PGDĐT"
    assert letterhead.office_code("") == "CQ"


def test_commune_setup_default_title_gives_the_chair(empty_context):
    info = empty_context.setup.init_commune(CommuneSetup(commune_code="24717", year=2026))
    assert letterhead.signer(info).lines == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
