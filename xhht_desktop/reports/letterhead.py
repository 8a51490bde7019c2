"""The letterhead and signature of this installation's documents.

Derived from the set-up (``InstallationInfo``): a commune issues as its
People's Committee ("ỦY BAN NHÂN DÂN" / "XÃ ĐỨC AN"); a consolidating office
under its own name, below its province's People's Committee. The authority
line of the signature (TM., KT., Q. — Nghị định 30/2020, Phụ lục I, mục
II.7) follows from the signer's title: a deputy signs "KT." for the head, an
acting head "Q.".
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from xhht_desktop.core import text as vntext
from xhht_desktop.reports.document import (
    ARCHIVE_RECIPIENT,
    Closing,
    Letterhead,
    Signer,
    number_line,
)

if TYPE_CHECKING:
    from xhht_desktop.services.setup import InstallationInfo

PEOPLES_COMMITTEE = "ỦY BAN NHÂN DÂN"
COMMITTEE_CHAIR = "CHỦ TỊCH"
_UNIT_PREFIXES = ("Xã ", "Phường ", "Đặc khu ", "Thị trấn ", "Tỉnh ", "Thành phố ")
_ACTING = re.compile(r"^(q\.|quyen\s)\s*", re.IGNORECASE)
_DEPUTY = re.compile(r"^pho\s+", re.IGNORECASE)


def place_name(unit_name: str) -> str:
    """The place of the date line: "Xã Đức An" → "Đức An".

    A unit named by a number keeps its word ("Phường 1"), as the decree's
    examples do.
    """
    for prefix in _UNIT_PREFIXES:
        if unit_name.startswith(prefix):
            rest = unit_name[len(prefix) :].strip()
            return unit_name if rest.isdigit() else rest
    return unit_name


def office_code(office_name: str) -> str:
    """Initials of an office for its document numbers: "Sở Giáo dục và Đào tạo" → "SGDĐT"."""
    words = [w for w in vntext.clean(office_name).split(" ") if w and vntext.fold(w) != "va"]
    return "".join(w[0].upper() for w in words if w[0].isalpha()) or "CQ"


def issuer(info: InstallationInfo) -> tuple[tuple[str, ...], str]:
    """The issuing body's lines and the governing body above it ("" when none)."""
    if info.role == "commune" and info.commune_name:
        return (PEOPLES_COMMITTEE, info.commune_name.upper()), ""
    office = (info.office_name or "").upper()
    return (office,), f"UBND {info.province_name.upper()}"


def letterhead(info: InstallationInfo, issued: date, document_code: str = "BC") -> Letterhead:
    """The letterhead of a document of type ``document_code`` (BC, QĐ, KH, TTr…)."""
    lines, parent = issuer(info)
    if info.role == "commune" and info.commune_name:
        body_code, place = "UBND", place_name(info.commune_name)
    else:
        body_code, place = office_code(info.office_name or ""), place_name(info.province_name)
    return Letterhead(
        issuer=lines,
        place=place,
        issued=issued,
        number=number_line(f"{document_code}-{body_code}"),
        parent=parent,
    )


def head_title(title: str) -> str:
    """The head's title from a deputy's or an acting head's: "Phó Trưởng phòng" → "Trưởng phòng"."""
    title = vntext.clean(title)
    folded = vntext.fold(title)
    if _DEPUTY.match(folded) or folded.startswith("quyen "):
        return title.split(" ", 1)[1]
    if folded.startswith("q."):
        return title[2:].strip()
    return title


def authority_lines(collective: str | None, head: str, signer_title: str) -> tuple[str, ...]:
    """The authority and title lines above a signature.

    Args:
        collective: A collective body signed for ("ỦY BAN NHÂN DÂN" gives
            "TM. ỦY BAN NHÂN DÂN"), with a line break where a long name
            breaks; ``None`` where the head decides alone.
        head: The head's title in capitals ("CHỦ TỊCH", "TRƯỞNG BAN").
        signer_title: The signer's own title as set up ("Chủ tịch",
            "Phó Chủ tịch", "Q. Chủ tịch"): it says whether they sign as
            the head, for the head (KT.), or acting (Q.).
    """
    # A long body name may be given on several lines ("…GIÁO DỤC,\nXÓA MÙ CHỮ").
    lines = f"TM. {collective}".split("\n") if collective else []
    folded = vntext.fold(signer_title)
    if _DEPUTY.match(folded):
        lines += [f"KT. {head}", f"PHÓ {head}"]
    elif _ACTING.match(folded):
        lines.append(f"Q. {head}")
    else:
        lines.append(head)
    return tuple(lines)


def signer(info: InstallationInfo) -> Signer:
    """The head's signature of the installation (the People's Committee for a commune)."""
    if info.role == "commune":
        lines = authority_lines(PEOPLES_COMMITTEE, COMMITTEE_CHAIR, info.signer_title)
    else:
        title = vntext.clean(info.signer_title) or "Thủ trưởng"
        lines = authority_lines(None, head_title(title).upper(), title)
    return Signer(lines, info.signer_name)


def recipients(info: InstallationInfo) -> tuple[str, ...]:
    """Nơi nhận: the receiving office from the settings, and the archive."""
    office = vntext.clean(info.receiving_office)
    return (*((office,) if office else ()), ARCHIVE_RECIPIENT)


def closing(info: InstallationInfo) -> Closing:
    """Nơi nhận bottom left, the head's signature bottom right."""
    return Closing(signers=(signer(info),), recipients=recipients(info))
