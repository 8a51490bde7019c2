"""The manifest is read strictly: a newer format or a damaged field refuses the package."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from xhht_desktop.errors import PackageRefused
from xhht_desktop.exchange.manifest import Manifest, MemberDigest, parse


def _manifest() -> Manifest:
    return Manifest(
        app_version="0.1.0",
        schema_revision="0005",
        commune_code="24717",
        commune_name="Xã Đức An",
        province_code="68",
        province_name="Lâm Đồng",
        year=2026,
        sequence=4,
        created_at=datetime(2026, 11, 23, 8, 0, tzinfo=UTC),
        counts={"persons": 3},
        members={"data/persons.jsonl": MemberDigest("ab" * 32, 120)},
    )


def test_a_manifest_reads_back_as_written():
    assert parse(_manifest().to_json()) == _manifest()


@pytest.mark.parametrize(
    ("path", "value", "match"),
    [
        (("format_version",), 2, "mới hơn phiên bản ứng dụng"),
        (("format",), "other", "không phải gói dữ liệu XHHT"),
        (("sequence",), 0, "sai định dạng"),
        (("sequence",), True, "sai định dạng"),
        (("commune", "code"), "", "sai định dạng"),
        (("created_at",), "2026-11-23T08:00:00", "sai định dạng"),
        (("counts",), {"persons": -1}, "sai định dạng"),
        (("members", "data/persons.jsonl", "sha256"), "XYZ", "sai định dạng"),
    ],
)
def test_a_wrong_field_refuses_the_manifest(path, value, match):
    document = json.loads(_manifest().to_json())
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(PackageRefused, match=match):
        parse(json.dumps(document).encode())


@pytest.mark.parametrize("data", [b"", b"\xff", b"[]", b'{"format": "xhht-package"}'])
def test_garbage_is_refused(data):
    with pytest.raises(PackageRefused):
        parse(data)
