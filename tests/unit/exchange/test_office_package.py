"""An office's own package one level up: communes → district office → province office.

The district imports two communes' packages and exports everything it holds
(each commune's records with their own codes and revisions, and its own
aggregate form), signed by its key and encrypted for the province. The
province's figures are then the sum of the communes'; the same data
arriving directly and through the district never duplicates, and older
data never replaces newer.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from xhht_desktop.context import Actor, open_context
from xhht_desktop.core.registers import PersonDraft
from xhht_desktop.errors import PackageRefused, SenderNotTrusted
from xhht_desktop.services.setup import OfficeSetup
from xhht_desktop.settings import Settings
from xhht_desktop.store.engine import database_url
from xhht_desktop.store.repositories import PersonFilter

YEAR = 2026
DISTRICT_CODE = "H68-01"
DISTRICT_NAME = "Phòng Giáo dục và Đào tạo khu vực Bảo Lộc"
CODES = {"24717": 1, "24823": 2}
OWN_FORM = "can-bo-cong-chuc-huyen"
OWN_FIGURES = {
    "cbcc_huyen": 40,
    "cbcc_huyen_dai_hoc": 35,
    "cbcc_huyen_sau_dai_hoc": 3,
    "cbcc_huyen_qlnn": 40,
    "cbcc_huyen_trung_cap_llct": 20,
    "can_bo_chuyen_trach_huyen": 10,
    "can_bo_chuyen_trach_huyen_dh_llct": 9,
}


@pytest.fixture(scope="module")
def district_keys(tmp_path_factory: pytest.TempPathFactory, password: str) -> Path:
    """The district office's data folder: its key and certificate file (``district.pem``)."""
    folder = tmp_path_factory.mktemp("district")
    context = _district(folder)
    try:
        context.exchange.export_certificate(folder / "district.pem", password)
    finally:
        context.close()
    return folder


def _district(folder: Path, db: Path | None = None):
    settings = Settings(data_dir=folder, database_url=database_url(db or folder / "xhht.sqlite"))
    context = open_context(settings, Actor("test:admin"))
    context.setup.init_office(
        OfficeSetup(
            province_code="68", office_name=DISTRICT_NAME, year=YEAR, office_code=DISTRICT_CODE
        )
    )
    if not context.signing.key_file.exists():
        context.signing.create_certificate("mat-khau-goi-du-lieu", key_type="ec")
    return context


@pytest.fixture
def district(district_keys: Path, office_keys: Path, tmp_path: Path):
    """A fresh district database that trusts the province (``office``) as its receiving office."""
    context = _district(district_keys, tmp_path / "district.sqlite")
    partner = context.exchange.trust_certificate(office_keys / "office.pem")
    assert partner.role == "office"
    yield context
    context.close()


@pytest.fixture(scope="module")
def communes(units, district_keys):
    made = {}
    for code, seed in CODES.items():
        commune = units(code, persons=120, seed=seed)
        commune.exchange.trust_certificate(district_keys / "district.pem")
        made[code] = commune
    return made


def _literacy_totals(context, year: int, commune_code: str | None = None) -> Counter:
    totals: Counter = Counter()
    for rate in context.literacy.rates(year, commune_code).rates:
        if rate.ethnicity is None:
            key = (rate.age_from, rate.age_to, rate.sex, rate.level)
            totals[(*key, "counted")] += rate.counted
            totals[(*key, "literate")] += rate.literate
    return totals


def _to_district(communes, district, password, usb: Path) -> dict[str, int]:
    """Every commune exports to the district, which imports; their package numbers."""
    sequences = {}
    for code, commune in communes.items():
        exported = commune.exchange.export_package(usb / f"xa-{code}.xhht", password)
        assert exported.recipient == DISTRICT_NAME
        district.exchange.import_package(
            exported.path, password, accept_fingerprint=commune.signing.info().fingerprint
        )
        sequences[code] = exported.sequence
    return sequences


def test_district_package_consolidates_at_the_province(
    communes, district, office, password, tmp_path
):
    usb = tmp_path / "usb"
    sequences = _to_district(communes, district, password, usb)
    district.aggregates.save(OWN_FORM, YEAR, OWN_FIGURES)

    exported = district.exchange.export_package(usb / "huyen.xhht", password)
    assert exported.recipient == office.setup.require().office_name
    total = Counter()
    for commune in communes.values():
        total.update(commune.setup.counts())
    assert exported.counts["persons"] == total["persons"]
    assert exported.counts["aggregate_values"] >= 1

    check = office.exchange.verify_package(exported.path, password)
    assert check.manifest.from_office and check.manifest.commune_code == DISTRICT_CODE
    assert {s.code: s.sequence for s in check.manifest.sources} == sequences

    # First package of the district: its fingerprint is confirmed like a commune's.
    with pytest.raises(SenderNotTrusted):
        office.exchange.import_package(exported.path, password)
    result = office.exchange.import_package(
        exported.path, password, accept_fingerprint=district.signing.info().fingerprint
    )
    assert result.applied and result.receipt is not None
    persons = next(c for c in result.changes if c.entity == "persons")
    assert (persons.new, persons.updated, persons.older) == (total["persons"], 0, 0)

    # The province's figures are the communes' sum; each commune's are its own.
    assert office.setup.counts() == dict(total)
    year = office.setup.require().year
    expected: Counter = Counter()
    for code, commune in communes.items():
        assert office.exchange.commune_counts(code) == commune.setup.counts()
        own = _literacy_totals(commune, year)
        assert _literacy_totals(office, year, code) == own
        expected.update(own)
    assert _literacy_totals(office, year) == expected
    assert sum(v for k, v in expected.items() if k[-1] == "counted") > 0
    # The district's own form keeps its code; the province's own rows are untouched.
    assert office.exchange.commune_counts(DISTRICT_CODE)["persons"] == 0
    consolidated = {entry.code for entry in office.consolidation.communes()}
    assert set(CODES) <= consolidated

    # Ledger: the sender is the district; each commune's provenance is kept.
    (received,) = office.exchange.received()
    assert received.commune_code == DISTRICT_CODE and received.sequence == exported.sequence
    assert {s["code"]: s["sequence"] for s in received.sources} == sequences
    partners = {p.code: p for p in office.exchange.partners()}
    assert partners[DISTRICT_CODE].role == "sub_office"
    for code, commune in communes.items():
        assert partners[code].role == "commune"
        assert partners[code].last_sequence == sequences[code]
        assert partners[code].fingerprint == commune.signing.info().fingerprint.replace(" ", "")

    # The district learns that the province accepted its package.
    sent = district.exchange.import_receipt(result.receipt)
    assert sent.accepted and sent.sequence == exported.sequence

    # The same package again is a replay.
    with pytest.raises(PackageRefused, match="đã được nhập"):
        office.exchange.import_package(exported.path, password)


def test_direct_and_forwarded_data_never_duplicate_and_newer_wins(
    communes, district, office, password, tmp_path, office_keys
):
    usb = tmp_path / "usb"
    code = "24717"
    commune = communes[code]
    _to_district(communes, district, password, usb)

    # The commune edits a person and sends that newer package straight to the province.
    # The communes are shared by the module's SQLite and PostgreSQL runs: a name of
    # each run's own, so that the second run does not find the first run's edit.
    renamed = f"Tên Mới Hơn {office.engine.dialect.name}"
    (first,) = commune.persons.page(PersonFilter(), 0, 1)
    draft = PersonDraft(
        household_id=first.household_id,
        full_name=renamed,
        birth_year=first.birth_year,
        birth_date=first.birth_date,
        sex=first.sex,
        ethnicity_code=first.ethnicity_code,
        relationship_to_head=first.relationship_to_head,
        grade=first.grade,
        literacy_stage=first.literacy_stage,
        disabled=first.disabled,
        residence=first.residence,
    )
    commune.persons.save(draft, first.id, expected_revision=first.revision)
    direct = commune.exchange.export_package(
        usb / "truc-tiep.xhht", password, encrypt_to=office_keys / "office.pem"
    )
    office.exchange.import_package(
        direct.path, password, accept_fingerprint=commune.signing.info().fingerprint
    )
    before = office.setup.counts()

    # The district's package carries the same commune's older data: nothing doubles,
    # the newer name stays, and the commune's ledger keeps the newer number.
    forwarded = district.exchange.export_package(usb / "huyen.xhht", password)
    result = office.exchange.import_package(
        forwarded.path, password, accept_fingerprint=district.signing.info().fingerprint
    )
    persons = next(c for c in result.changes if c.entity == "persons")
    assert persons.older >= 1
    assert any("cũ hơn" in warning for warning in result.warnings)
    other = communes["24823"].setup.counts()
    assert office.setup.counts()["persons"] == before["persons"] + other["persons"]
    assert office.exchange.commune_counts(code) == commune.setup.counts()
    found = office.persons.page(PersonFilter(search=renamed), 0, 10)
    assert [(p.id, p.full_name) for p in found] == [(first.id, renamed)]
    partner = next(p for p in office.exchange.partners() if p.code == code)
    assert partner.last_sequence == direct.sequence

    # The other commune was vouched for by the district: its next package sent
    # straight to the province needs no new confirmation, and an older one is refused.
    second = communes["24823"]
    again = second.exchange.export_package(
        usb / "xa2.xhht", password, encrypt_to=office_keys / "office.pem"
    )
    applied = office.exchange.import_package(again.path, password)
    assert sum(c.changed for c in applied.changes) == 0


def test_a_tampered_district_package_is_refused_and_changes_nothing(
    communes, district, office, password, tmp_path, dump_db
):
    usb = tmp_path / "usb"
    _to_district(communes, district, password, usb)
    exported = district.exchange.export_package(usb / "huyen.xhht", password)
    fingerprint = district.signing.info().fingerprint
    before = dump_db(office)
    data = bytearray(exported.path.read_bytes())
    for offset in (len(data) // 2, len(data) - 10, 200):
        tampered = usb / f"sua-{offset}.xhht"
        changed = bytearray(data)
        changed[offset] ^= 0x01
        tampered.write_bytes(bytes(changed))
        with pytest.raises(PackageRefused):
            office.exchange.import_package(tampered, password, accept_fingerprint=fingerprint)
    truncated = usb / "cut.xhht"
    truncated.write_bytes(bytes(data[: len(data) // 3]))
    with pytest.raises(PackageRefused):
        office.exchange.import_package(truncated, password, accept_fingerprint=fingerprint)
    assert dump_db(office) == before
