"""Writing a package to the stick: complete or absent, read back, numbered, encrypted."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from xhht_desktop.context import Actor, open_context
from xhht_desktop.errors import PackageRefused, PackageWriteFailed, PermissionDenied
from xhht_desktop.exchange import crypto, package
from xhht_desktop.services.demo_setup import init_demo_commune
from xhht_desktop.settings import Settings
from xhht_desktop.store import files
from xhht_desktop.store.engine import database_url


@pytest.fixture(scope="module")
def commune(units, office_keys):
    commune = units("24717", persons=30, seed=9)
    commune.exchange.trust_certificate(office_keys / "office.pem")
    return commune


def test_a_package_is_encrypted_for_the_office_and_the_commune_itself(commune, password, tmp_path):
    result = commune.exchange.export_package(tmp_path / "usb" / "goi.xhht", password)
    raw = result.path.read_bytes()
    assert crypto.is_envelope(raw)
    assert b"persons" not in raw  # nothing readable without a key
    envelope = crypto.parse(raw)
    assert result.recipient_fingerprint in envelope.fingerprints
    assert len(envelope.fingerprints) == 2
    # The commune re-opens its own package; without the password it cannot.
    check = commune.exchange.verify_package(result.path, password)
    assert check.encrypted and check.trusted
    assert check.manifest.sequence == result.sequence
    assert check.manifest.counts["persons"] == 30
    with pytest.raises(PackageRefused, match="cần mật khẩu"):
        commune.exchange.verify_package(result.path)
    assert commune.exchange.sent()[-1].package_sha256 == result.package_sha256


def test_without_the_offices_certificate_the_package_is_plain_and_says_so(
    units, password, tmp_path
):
    commune = units("23842", persons=5, seed=1)
    result = commune.exchange.export_package(tmp_path / "goi.xhht", password)
    assert result.recipient is None
    assert any("KHÔNG được mã hóa" in w for w in result.warnings)
    verified = package.read(result.path.read_bytes())
    assert verified.manifest.commune_code == "23842"


def _no_partial_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_full_stick_leaves_no_file_and_no_number_used(commune, password, tmp_path, monkeypatch):
    commune.exchange.export_certificate(tmp_path / "own.pem", password)  # keys exist first
    before = commune.exchange.sent()
    target = tmp_path / "usb" / "goi.xhht"

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, "fsync", full)
    with pytest.raises(PackageWriteFailed, match="đã đầy") as failed:
        commune.exchange.export_package(target, password)
    assert "Không có tệp nào được để lại" in failed.value.message
    monkeypatch.undo()
    assert _no_partial_files(target.parent) == []
    assert commune.exchange.sent() == before
    again = commune.exchange.export_package(target, password)
    assert again.sequence == (before[-1].sequence + 1 if before else 1)


def test_a_stick_removed_before_the_read_back_leaves_no_file(
    commune, password, tmp_path, monkeypatch
):
    target = tmp_path / "usb" / "goi.xhht"
    before = commune.exchange.sent()
    real = Path.read_bytes

    def removed(self: Path) -> bytes:
        if self == target:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", removed)
    with pytest.raises(PackageWriteFailed, match="rút ra hoặc bị lỗi"):
        commune.exchange.export_package(target, password)
    monkeypatch.undo()
    assert _no_partial_files(target.parent) == []
    assert commune.exchange.sent() == before


def test_a_package_that_reads_back_different_is_removed(commune, password, tmp_path, monkeypatch):
    target = tmp_path / "usb" / "goi.xhht"
    real = Path.read_bytes

    def corrupted(self: Path) -> bytes:
        data = real(self)
        return data[:-1] + bytes([data[-1] ^ 1]) if self == target else data

    monkeypatch.setattr(Path, "read_bytes", corrupted)
    with pytest.raises(PackageWriteFailed, match="khác với gói vừa ghi"):
        commune.exchange.export_package(target, password)
    monkeypatch.undo()
    assert _no_partial_files(target.parent) == []


def test_numbers_follow_each_other(commune, password, tmp_path):
    first = commune.exchange.export_package(tmp_path / "a.xhht", password)
    second = commune.exchange.export_package(tmp_path / "b.xhht", password)
    assert second.sequence == first.sequence + 1
    assert [s.sequence for s in commune.exchange.sent()][-2:] == [first.sequence, second.sequence]
    assert all(s.status == "written" for s in commune.exchange.sent())


def test_only_approvers_and_administrators_export(commune, password, tmp_path):
    entry = commune.actor
    commune.actor = Actor("nhap-lieu", role="data_entry")
    try:
        with pytest.raises(PermissionDenied):
            commune.exchange.export_package(tmp_path / "goi.xhht", password)
    finally:
        commune.actor = entry


def test_an_office_exports_its_own_package_one_level_up(office_keys, office, password, tmp_path):
    # No upper office trusted yet: written, but not encrypted, and it says so.
    result = office.exchange.export_package(tmp_path / "goi.xhht", password)
    assert result.recipient is None and "KHÔNG được mã hóa" in result.warnings[0]
    check = office.exchange.verify_package(result.path, password)
    assert check.manifest.from_office and check.manifest.sources == ()
    assert check.manifest.commune_code == office.setup.require().owner_code
    assert office.exchange.sent()[-1].sequence == result.sequence


def test_the_demo_commune_does_not_export(tmp_path, password):
    settings = Settings(data_dir=tmp_path, database_url=database_url(tmp_path / "demo.sqlite"))
    demo = open_context(settings, Actor("test:admin"))
    try:
        init_demo_commune(demo, 2026)
        demo.signing.create_certificate(password, key_type="ec")
        with pytest.raises(PackageRefused, match="xã mẫu"):
            demo.exchange.export_package(tmp_path / "goi.xhht", password)
        assert not (tmp_path / "goi.xhht").exists()
    finally:
        demo.close()
