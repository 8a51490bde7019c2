"""Three communes hand their packages to one office; the office's figures are theirs."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from xhht_desktop.core.registers import PersonDraft
from xhht_desktop.errors import PermissionDenied
from xhht_desktop.store.repositories import PersonFilter

# Two communes of different provinces and a ward (phường), each with its own data.
CODES = {"24717": 1, "23842": 2, "24823": 3}


@pytest.fixture(scope="module")
def communes(units, office_keys):
    made = {}
    for code, seed in CODES.items():
        commune = units(code, persons=300, seed=seed)
        commune.exchange.trust_certificate(office_keys / "office.pem")
        made[code] = commune
    return made


def _literacy_totals(context, year: int) -> Counter:
    """counted, literate and exempt of every overall rate line, keyed by band, sex and level."""
    totals: Counter = Counter()
    for rate in context.literacy.rates(year).rates:
        if rate.ethnicity is None:
            key = (rate.age_from, rate.age_to, rate.sex, rate.level)
            totals[(*key, "counted")] += rate.counted
            totals[(*key, "literate")] += rate.literate
            totals[(*key, "exempt")] += rate.exempt
    return totals


def test_three_communes_consolidate_at_one_office(communes, office, password, tmp_path):
    office_name = office.setup.require().office_name
    year = office.setup.require().year
    usb = tmp_path / "usb"
    for number, (code, commune) in enumerate(communes.items(), start=1):
        exported = commune.exchange.export_package(usb / f"xa-{code}.xhht", password)
        assert exported.recipient == office_name
        assert exported.counts["persons"] == 300
        result = office.exchange.import_package(
            exported.path, password, accept_fingerprint=commune.signing.info().fingerprint
        )
        persons = next(c for c in result.changes if c.entity == "persons")
        assert (persons.new, persons.updated, persons.deleted) == (300, 0, 0)
        assert result.receipt is not None and result.receipt.is_file()
        assert len(office.exchange.partners("commune")) == number

        # The commune learns which package the office accepted.
        sent = commune.exchange.import_receipt(result.receipt)
        assert sent.accepted and sent.sequence == exported.sequence
        assert sent.receipt_office == office_name
        assert commune.exchange.sent()[-1].receipt_summary["persons"]["new"] == 300

    for code, commune in communes.items():
        assert office.exchange.commune_counts(code) == commune.setup.counts()
    totals = Counter()
    for commune in communes.values():
        totals.update(commune.setup.counts())
    assert office.setup.counts() == dict(totals)

    # The office's literacy figures are the sum of the communes' own.
    expected: Counter = Counter()
    for commune in communes.values():
        expected.update(_literacy_totals(commune, year))
    assert _literacy_totals(office, year) == expected
    assert sum(v for k, v in expected.items() if k[-1] == "counted") > 0

    partner = next(p for p in office.exchange.partners() if p.code == "24717")
    assert partner.last_sequence == communes["24717"].exchange.sent()[-1].sequence


def _edit(commune) -> tuple[str, str]:
    first, second = commune.persons.page(PersonFilter(), 0, 2)
    draft = PersonDraft(
        household_id=first.household_id,
        full_name=first.full_name,
        birth_year=first.birth_year,
        birth_date=first.birth_date,
        sex=first.sex,
        ethnicity_code=first.ethnicity_code,
        relationship_to_head=first.relationship_to_head,
        grade=first.grade,
        literacy_stage=first.literacy_stage,
        disabled=not first.disabled,
        residence=first.residence,
    )
    commune.persons.save(draft, first.id, expected_revision=first.revision)
    commune.persons.delete(second.id)
    return first.id, second.id


def test_a_second_package_updates_only_what_changed(units, office_keys, office, password, tmp_path):
    commune = units("24717", persons=300, seed=7)
    commune.exchange.trust_certificate(office_keys / "office.pem")
    fingerprint = commune.signing.info().fingerprint
    first = commune.exchange.export_package(tmp_path / "goi-1.xhht", password)
    office.exchange.import_package(first.path, password, accept_fingerprint=fingerprint)

    edited, _ = _edit(commune)
    second = commune.exchange.export_package(tmp_path / "goi-2.xhht", password)
    assert second.sequence == first.sequence + 1

    preview = office.exchange.import_package(second.path, password, dry_run=True)
    assert not preview.applied
    by_entity = {c.entity: c for c in preview.changes}
    persons = by_entity["persons"]
    assert (persons.new, persons.updated, persons.deleted, persons.unchanged) == (0, 1, 1, 298)
    assert all(c.changed == 0 for c in preview.changes if c.entity != "persons")
    assert preview.warnings == ()

    result = office.exchange.import_package(second.path, password)
    assert {c.entity: c.as_dict() for c in result.changes} == {
        c.entity: c.as_dict() for c in preview.changes
    }
    assert office.exchange.commune_counts("24717") == commune.setup.counts()
    assert office.persons.get(edited).disabled == commune.persons.get(edited).disabled
    assert [r.sequence for r in office.exchange.received("24717")] == [1, 2]

    # The office may read a commune's record but never change it.
    row = office.persons.get(edited)
    draft = PersonDraft(
        household_id=row.household_id,
        full_name=row.full_name,
        birth_year=row.birth_year,
        sex=row.sex,
        ethnicity_code=row.ethnicity_code,
    )
    with pytest.raises(PermissionDenied, match="chỉ xem, không sửa"):
        office.persons.save(replace(draft, full_name="Tên Khác"), edited)
    with pytest.raises(PermissionDenied):
        office.persons.delete(row.id)
    assert office.persons.get(edited).full_name == row.full_name
