"""Reading a partner's certificate file before trusting it: the fingerprint, nothing stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from xhht_desktop.core.certificates import fingerprint
from xhht_desktop.errors import CertificateRefused, PackageRefused


def test_a_commune_reads_the_offices_fingerprint_before_trusting_it(units, office_keys, tmp_path):
    commune = units("24717")
    info = commune.exchange.certificate_file_info(office_keys / "office.pem")
    assert commune.exchange.partners() == []  # only read
    partner = commune.exchange.trust_certificate(office_keys / "office.pem")
    assert info.fingerprint == partner.fingerprint_groups
    assert info.organization == partner.name


def test_an_office_reads_a_communes_certificate(units, office, tmp_path: Path):
    commune = units("23842")
    certificate = commune.signing.certificate()
    assert certificate is not None
    path = tmp_path / "xa.pem"
    path.write_bytes(commune.signing.certificate_file.read_bytes())
    info = office.exchange.certificate_file_info(path)
    assert info.fingerprint == fingerprint(certificate)
    assert info.code == "23842"
    assert office.exchange.partners() == []


def test_a_file_that_is_no_certificate_or_missing_is_refused(units, tmp_path: Path):
    commune = units("24717")
    bad = tmp_path / "bad.pem"
    bad.write_bytes(b"not a certificate")
    with pytest.raises(CertificateRefused):
        commune.exchange.certificate_file_info(bad)
    with pytest.raises(PackageRefused, match="Không đọc được"):
        commune.exchange.certificate_file_info(tmp_path / "missing.pem")


def test_an_office_trusts_a_communes_export_cert_file_by_its_signing_certificate(
    units, office, password, tmp_path: Path
):
    commune = units("23842")
    path = tmp_path / "xa.pem"
    bundle = commune.exchange.export_certificate(path, password)  # encryption cert comes first
    info = office.exchange.certificate_file_info(path)
    assert info.fingerprint == fingerprint(bundle.signing)
    partner = office.exchange.trust_certificate(path)
    assert partner.code == "23842" and partner.fingerprint_groups == info.fingerprint
