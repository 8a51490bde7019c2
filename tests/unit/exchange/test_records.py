"""Records as package lines: every column travels, and reading back is strict."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from xhht_desktop.errors import PackageRefused
from xhht_desktop.exchange import records
from xhht_desktop.exchange.records import BY_NAME, ENTITIES

PERSONS = BY_NAME["persons"]


def _person(**changes):
    row = {
        "id": "11111111-1111-1111-1111-111111111111",
        "commune_code": "24717",
        "created_at": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        "updated_at": datetime(2026, 1, 2, 3, 4, 5),  # naive, as SQLite returns it
        "revision": 3,
        "deleted_at": None,
        "household_id": "22222222-2222-2222-2222-222222222222",
        "full_name": "Nguyễn Thị Ánh",
        "relationship_to_head": "con",
        "birth_date": date(1990, 5, 17),
        "birth_year": 1990,
        "sex": "F",
        "ethnicity_code": "01",
        "grade": 9,
        "literacy_stage": 0,
        "disabled": False,
        "residence": "thuong_tru",
        "name_key": "nguyen thi anh",
        "sort_key": "anh nguyen thi",
    }
    row.update(changes)
    return row


def _read(data: bytes) -> list[dict]:
    return records.decode_records(PERSONS, records.parse_lines("data/persons.jsonl", data))


def test_a_record_travels_unchanged():
    data = records.encode_lines(PERSONS.table, [_person()])
    assert "Nguyễn Thị Ánh".encode() in data  # readable UTF-8, not escapes
    (back,) = _read(data)
    assert back == {**_person(), "updated_at": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)}


def test_times_are_stored_in_utc():
    vietnam = timezone(timedelta(hours=7))
    line = records.encode_lines(PERSONS.table, [_person()]).replace(
        b"2026-01-02T03:04:05+00:00",
        datetime(2026, 1, 2, 10, 4, 5, tzinfo=vietnam).isoformat().encode(),
    )
    (back,) = _read(line)
    assert back["created_at"] == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert back["created_at"].utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"grade": "9"}, "«grade»: không phải số nguyên"),
        ({"grade": True}, "«grade»: không phải số nguyên"),
        ({"birth_year": 70000}, "«birth_year»: số quá lớn"),
        ({"disabled": 0}, "«disabled»: không phải đúng/sai"),
        ({"full_name": None}, "«full_name»: thiếu giá trị"),
        ({"full_name": "a\x00b"}, "«full_name»: có ký tự không hợp lệ"),
        ({"sex": "MF"}, "«sex»: dài quá 1 ký tự"),
        ({"birth_date": "1990-02-30"}, "«birth_date»: không phải ngày"),
        ({"created_at": "2026-01-02T03:04:05"}, "«created_at»: thời điểm thiếu múi giờ"),
    ],
)
def test_a_value_that_does_not_fit_its_column_is_refused(changes, match):
    line = records.encode_lines(PERSONS.table, [_person()])
    obj = json.loads(line)
    obj.update(changes)
    with pytest.raises(PackageRefused, match=match):
        _read(json.dumps(obj).encode())


def test_a_record_with_a_missing_or_unknown_column_is_refused():
    obj = json.loads(records.encode_lines(PERSONS.table, [_person()]))
    del obj["grade"]
    obj["owner"] = "x"
    with pytest.raises(PackageRefused, match="thiếu cột grade; có cột lạ owner"):
        _read(json.dumps(obj).encode())


@pytest.mark.parametrize("data", [b"\xff\xfe", b"{not json}\n", b"[1, 2]\n", b'"text"\n'])
def test_lines_that_are_not_records_are_refused(data):
    with pytest.raises(PackageRefused):
        records.parse_lines("data/persons.jsonl", data)


def test_every_register_has_a_codec_and_references_point_at_registers():
    names = {entity.name for entity in ENTITIES}
    for entity in ENTITIES:
        assert records.columns(entity).names == {c.name for c in entity.table.columns}
        assert set(records.references(entity).values()) <= names
    # Parents come before their children.
    order = [entity.name for entity in ENTITIES]
    for entity in ENTITIES:
        for target in records.references(entity).values():
            assert order.index(target) < order.index(entity.name)


def test_settings_travel_with_defaults_as_null():
    data = records.encode_settings({"literacy": {"upper_age": 60}})
    settings = records.decode_settings(records.parse_lines("data/settings.jsonl", data))
    assert settings == {"literacy": {"upper_age": 60}}
    assert b'"learning_models.criteria", "value": null' in data
