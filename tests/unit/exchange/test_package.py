"""Building and reading the zip: names, signature, hashes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from xhht_desktop.core import certificates
from xhht_desktop.core.certificates import CertificateSubject
from xhht_desktop.errors import PackageRefused
from xhht_desktop.exchange import package
from xhht_desktop.exchange.manifest import Manifest
from xhht_desktop.reports.signing import identity_from_key


@pytest.fixture(scope="module")
def identity():
    subject = CertificateSubject("UBND Xã Đức An", "Xã Đức An", "Lâm Đồng", "24717")
    key, certificate = certificates.create_certificate(subject, key_type="ec")
    return identity_from_key(certificates.KeyMaterial(key, certificate, []))


def _manifest() -> Manifest:
    return Manifest(
        app_version="0.1.0",
        schema_revision="0005",
        commune_code="24717",
        commune_name="Xã Đức An",
        province_code="68",
        province_name="Lâm Đồng",
        year=2026,
        sequence=1,
        created_at=datetime(2026, 11, 23, 8, 0, tzinfo=UTC),
        counts={"villages": 1},
    )


def test_a_package_reads_back_with_every_member(identity):
    members = {
        "data/villages.jsonl": b'{"id": "v1"}\n',
        "data/settings.jsonl": b"",
        "reports/Báo cáo 2026.pdf": b"%PDF-1.7 ...",
    }
    verified = package.read(package.build(_manifest(), members, identity))
    assert verified.manifest.sequence == 1
    assert verified.fingerprint == certificates.fingerprint_hex(identity.certificate)
    assert verified.reports == {"Báo cáo 2026.pdf": b"%PDF-1.7 ..."}
    assert {n: d for n, d in verified.members.items() if n != package.CERTIFICATE} == members
    assert set(verified.manifest.members) == {*members, package.CERTIFICATE}


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("data/persons.jsonl", True),
        ("reports/Báo cáo.xlsx.sig", True),
        ("reports/../../etc/passwd", False),
        ("reports/.hidden", False),
        ("reports/sub/file.pdf", False),
        ("data/Persons.JSONL", False),
        ("/abs", False),
        ("manifest.json", True),
    ],
)
def test_member_names_are_checked(name, allowed):
    assert package.member_name_allowed(name) is allowed


def test_a_report_with_a_bad_name_cannot_be_added():
    with pytest.raises(PackageRefused, match="không dùng được trong gói"):
        package.report_member(".an")


@pytest.mark.parametrize("data", [b"", b"PK", b"not a zip at all", b"PK\x05\x06" + b"\x00" * 18])
def test_what_is_not_a_package_is_refused(data):
    with pytest.raises(PackageRefused):
        package.read(data)
