"""The office's signed receipt, and the commune recording which package was accepted."""

from __future__ import annotations

import io
import zipfile

import pytest

from xhht_desktop.errors import PackageRefused, SenderNotTrusted
from xhht_desktop.exchange import receipt


@pytest.fixture
def delivered(units, office_keys, office, password, tmp_path):
    """A commune that trusts the office, one package imported, and its receipt."""
    commune = units("24717", persons=15, seed=4)
    commune.exchange.trust_certificate(office_keys / "office.pem")
    exported = commune.exchange.export_package(tmp_path / "goi.xhht", password)
    result = office.exchange.import_package(
        exported.path, password, accept_fingerprint=commune.signing.info().fingerprint
    )
    assert result.receipt == tmp_path / "goi.xhht.receipt"
    return commune, exported, result.receipt


def test_the_commune_records_the_accepted_package(delivered, office):
    commune, exported, path = delivered
    assert not commune.exchange.sent()[-1].accepted
    sent = commune.exchange.import_receipt(path)
    assert sent.accepted and sent.sequence == exported.sequence
    assert sent.receipt_fingerprint == office.signing.info().fingerprint.replace(" ", "")
    assert sent.receipt_summary["persons"]["new"] == 15
    body = receipt.read(path.read_bytes()).receipt
    assert body.package_sha256 == exported.package_sha256
    assert body.accepted_records == sum(exported.counts.values())


def test_a_changed_receipt_is_refused(delivered, tmp_path):
    commune, _, path = delivered
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members[receipt.BODY] = members[receipt.BODY].replace(b'"new": 15', b'"new": 16')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    forged = tmp_path / "forged.receipt"
    forged.write_bytes(buffer.getvalue())
    with pytest.raises(PackageRefused, match="sửa đổi sau khi ký"):
        commune.exchange.import_receipt(forged)
    truncated = tmp_path / "cut.receipt"
    truncated.write_bytes(path.read_bytes()[:100])
    with pytest.raises(PackageRefused, match="bị hỏng, bị cắt cụt"):
        commune.exchange.import_receipt(truncated)
    assert not commune.exchange.sent()[-1].accepted


def test_a_receipt_for_another_unit_or_package_is_refused(delivered, units, password, tmp_path):
    _, _, path = delivered
    other = units("23842")
    with pytest.raises(PackageRefused, match="dành cho đơn vị mã 24717"):
        other.exchange.import_receipt(path)
    # Same commune code, another database: it never wrote that package.
    twin = units("24717", persons=1, seed=1)
    office_fingerprint = receipt.read(path.read_bytes()).fingerprint
    with pytest.raises(SenderNotTrusted):
        twin.exchange.import_receipt(path)
    with pytest.raises(PackageRefused, match="mà máy này không xuất ra"):
        twin.exchange.import_receipt(path, accept_fingerprint=office_fingerprint)
