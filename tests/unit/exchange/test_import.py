"""Importing at the office: preview, ledger, trust, older versions, one transaction."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from xhht_desktop.core.certificates import describe
from xhht_desktop.core.registers import VillageDraft
from xhht_desktop.errors import PackageRefused, SenderNotTrusted
from xhht_desktop.exchange import package


def _fingerprint(commune) -> str:
    return commune.signing.info().fingerprint


def craft(
    commune,
    password: str,
    source: Path,
    target: Path,
    *,
    edit: Callable[[dict[str, list[dict]]], None] | None = None,
    **manifest_changes,
) -> Path:
    """A package signed by ``commune``'s real key, its records edited by ``edit``.

    Stands for a buggy or misused installation: the signature is genuine, so
    only the office's checks of the content can refuse it.
    """
    verified = package.read(source.read_bytes())
    records = {
        name[len("data/") : -len(".jsonl")]: [json.loads(line) for line in data.splitlines()]
        for name, data in verified.members.items()
        if name.startswith("data/")
    }
    if edit is not None:
        edit(records)
    members = {
        f"data/{name}.jsonl": "".join(json.dumps(r) + "\n" for r in rows).encode()
        for name, rows in records.items()
    }
    members.update({k: v for k, v in verified.members.items() if k.startswith("reports/")})
    counts = {name: len(rows) for name, rows in records.items() if name != "settings"}
    manifest = replace(verified.manifest, counts=counts, **manifest_changes)
    identity = commune.signing.load_identity(password)
    target.write_bytes(package.build(manifest, members, identity))
    return target


@pytest.fixture(scope="module")
def commune(units):
    """Commune 24717 with data, exporting plain packages."""
    return units("24717", persons=50, seed=11)


def test_villages_that_swapped_names_are_applied(units, office, password, tmp_path):
    commune = units("24717")
    first = commune.villages.save(VillageDraft(kind="thon", name="Thôn 1"))
    second = commune.villages.save(VillageDraft(kind="thon", name="Thôn 2"))
    office.exchange.import_package(
        commune.exchange.export_package(tmp_path / "1.xhht", password).path,
        password,
        accept_fingerprint=_fingerprint(commune),
    )
    commune.villages.save(VillageDraft(kind="thon", name="Tạm"), first.id)
    commune.villages.save(VillageDraft(kind="thon", name="Thôn 1"), second.id)
    commune.villages.save(VillageDraft(kind="thon", name="Thôn 2"), first.id)
    result = office.exchange.import_package(
        commune.exchange.export_package(tmp_path / "2.xhht", password).path, password
    )
    villages = next(c for c in result.changes if c.entity == "villages")
    assert villages.updated == 2
    assert {v.id: v.name for v in office.villages.list()} == {
        first.id: "Thôn 2",
        second.id: "Thôn 1",
    }


def test_a_dry_run_and_a_preview_change_nothing(commune, office, password, dump_db, tmp_path):
    path = commune.exchange.export_package(tmp_path / "goi.xhht", password).path
    before = dump_db(office)
    preview = office.exchange.import_package(
        path, password, accept_fingerprint=_fingerprint(commune), dry_run=True
    )
    opened = office.exchange.open_package(path, password, accept_fingerprint=_fingerprint(commune))
    assert dump_db(office) == before
    assert not preview.applied
    persons = next(c for c in opened.changes if c.entity == "persons")
    assert persons.new == 50
    assert opened.first_time
    # The first package still needs the fingerprint after a dry run: nothing was trusted.
    with pytest.raises(SenderNotTrusted):
        office.exchange.import_package(path, password)


def test_settings_travel_per_commune_and_leave_the_offices_own(units, office, password, tmp_path):
    commune = units("24717", persons=20, seed=3)
    stored = commune.literacy.settings()
    commune.literacy.save_settings(replace(stored, difficult_area=True))
    path = commune.exchange.export_package(tmp_path / "goi.xhht", password).path
    office.exchange.import_package(path, password, accept_fingerprint=_fingerprint(commune))
    partner = next(p for p in office.exchange.partners("commune") if p.code == "24717")
    assert partner.settings["literacy"]["difficult_area"] is True
    assert office.literacy.settings().difficult_area is False


def test_a_gap_in_the_numbering_is_a_warning(commune, office, password, tmp_path):
    commune.exchange.export_package(tmp_path / "lost.xhht", password)
    later = commune.exchange.export_package(tmp_path / "later.xhht", password)
    result = office.exchange.import_package(
        later.path, password, accept_fingerprint=_fingerprint(commune)
    )
    assert result.applied
    assert any("Chưa nhận gói" in w for w in result.warnings)
    assert office.exchange.received("24717")[0].sequence == later.sequence


def test_a_package_from_an_older_version_is_migrated_forward(commune, office, password, tmp_path):
    source = commune.exchange.export_package(tmp_path / "goi.xhht", password).path
    newer = {"clans", "units", "decisions", "model_entries", "aggregate_values"}

    def as_in_0003(records):
        for name in newer:
            records.pop(name, None)
        for household in records["households"]:
            del household["clan_id"]

    base = package.read(source.read_bytes()).manifest.sequence
    old = craft(
        commune,
        password,
        source,
        tmp_path / "old.xhht",
        edit=as_in_0003,
        schema_revision="0003",
        sequence=base + 1,
    )
    result = office.exchange.import_package(old, password, accept_fingerprint=_fingerprint(commune))
    changes = {c.entity: c for c in result.changes}
    assert changes["households"].new == commune.setup.counts()["households"]
    assert changes["clans"].new == 0
    assert office.exchange.commune_counts("24717") == commune.setup.counts()

    # The same records declared as of today's schema lack a column: refused.
    broken = craft(
        commune, password, source, tmp_path / "broken.xhht", edit=as_in_0003, sequence=base + 2
    )
    with pytest.raises(PackageRefused, match="thiếu cột clan_id"):
        office.exchange.import_package(broken, password)

    newer_app = craft(
        commune,
        password,
        source,
        tmp_path / "new.xhht",
        schema_revision="0099",
        sequence=base + 3,
    )
    with pytest.raises(PackageRefused, match="phiên bản ứng dụng mới hơn"):
        office.exchange.import_package(newer_app, password)


def test_records_a_commune_could_not_have_written_are_refused(
    commune, units, office, password, dump_db, tmp_path
):
    source = commune.exchange.export_package(tmp_path / "goi.xhht", password).path
    office.exchange.import_package(source, password, accept_fingerprint=_fingerprint(commune))
    before = dump_db(office)

    def foreign(records):
        records["persons"][0]["commune_code"] = "23842"

    def dangling(records):
        records["persons"][0]["household_id"] = "00000000-0000-0000-0000-000000000000"

    def too_long(records):
        records["villages"][0]["name"] = "x" * 500

    def bad_date(records):
        records["persons"][0]["birth_date"] = "31/12/1990"

    cases = [
        (foreign, "không phải xã 24717"),
        (dangling, "không có trong gói"),
        (too_long, "dài quá 100 ký tự"),
        (bad_date, "không phải ngày"),
    ]
    base = package.read(source.read_bytes()).manifest.sequence
    for number, (edit, match) in enumerate(cases, start=base + 1):
        crafted = craft(commune, password, source, tmp_path / "c.xhht", edit=edit, sequence=number)
        with pytest.raises(PackageRefused, match=match):
            office.exchange.import_package(crafted, password)
        assert dump_db(office) == before

    # A second commune claiming a record id the office holds for the first one.
    other = units("23842", persons=10, seed=4)
    other_source = other.exchange.export_package(tmp_path / "other.xhht", password).path
    taken = json.loads(
        package.read(source.read_bytes()).members["data/villages.jsonl"].splitlines()[0]
    )

    def steal(records):
        records["villages"].append({**taken, "commune_code": "23842", "name": "Thôn Lạ"})

    crafted = craft(other, password, other_source, tmp_path / "steal.xhht", edit=steal)
    with pytest.raises(PackageRefused, match="mâu thuẫn với dữ liệu đã có"):
        office.exchange.import_package(crafted, password, accept_fingerprint=_fingerprint(other))
    assert dump_db(office) == before


def test_a_commune_that_changed_its_key_needs_the_new_fingerprint(
    units, office, password, tmp_path
):
    commune = units("24717", persons=10, seed=2)
    first = commune.exchange.export_package(tmp_path / "1.xhht", password).path
    office.exchange.import_package(first, password, accept_fingerprint=_fingerprint(commune))
    old = _fingerprint(commune)
    commune.signing.create_certificate(password, key_type="ec", replace=True)
    second = commune.exchange.export_package(tmp_path / "2.xhht", password).path
    with pytest.raises(SenderNotTrusted, match="chứng thư KHÁC") as refused:
        office.exchange.import_package(second, password)
    assert refused.value.known_fingerprint == old
    assert refused.value.fingerprint == _fingerprint(commune)
    result = office.exchange.import_package(
        second, password, accept_fingerprint=_fingerprint(commune)
    )
    assert any("thay chứng thư" in w for w in result.warnings)
    # Reports the commune signed with either key are trusted at the office.
    trusted = {describe(c).fingerprint for c in office.signing.trusted_certificates()}
    assert {old, _fingerprint(commune)} <= trusted


def test_reports_travel_with_the_package(units, office, password, tmp_path):
    commune = units("24717", persons=5, seed=1)
    report = tmp_path / "bao-cao-xoa-mu-chu.xlsx"
    report.write_bytes(b"PK fake workbook")
    exported = commune.exchange.export_package(tmp_path / "goi.xhht", password, reports=[report])
    check = office.exchange.verify_package(exported.path, password)
    assert check.reports == ("bao-cao-xoa-mu-chu.xlsx",)
    result = office.exchange.import_package(
        exported.path, password, accept_fingerprint=_fingerprint(commune)
    )
    assert result.reports_folder is not None
    assert (result.reports_folder / report.name).read_bytes() == report.read_bytes()


def test_only_an_office_imports(commune, password, tmp_path):
    path = commune.exchange.export_package(tmp_path / "goi.xhht", password).path
    with pytest.raises(PackageRefused, match="Chỉ cơ quan tổng hợp"):
        commune.exchange.import_package(path, password)
    assert commune.exchange.verify_package(path, password).trusted


def test_a_lost_receipt_can_be_written_again(commune, office, password, tmp_path):
    path = commune.exchange.export_package(tmp_path / "goi.xhht", password).path
    result = office.exchange.import_package(
        path, password, accept_fingerprint=_fingerprint(commune)
    )
    assert result.receipt is not None
    first = result.receipt.read_bytes()
    result.receipt.unlink()
    again = office.exchange.write_receipt(path, password)
    assert again == result.receipt
    office_fingerprint = office.signing.info().fingerprint
    assert commune.exchange.import_receipt(again, accept_fingerprint=office_fingerprint).accepted
    assert len(first) > 0
    unknown = tmp_path / "khac.xhht"
    unknown.write_bytes(b"not imported")
    with pytest.raises(PackageRefused, match="chưa được nhập"):
        office.exchange.write_receipt(unknown, password)
