"""Property: whatever bytes arrive, the reader answers with a refusal and changes nothing.

Random files, and valid packages (plain and encrypted) with random bytes
flipped, cut off or inserted, go through the office's full import. The
office has already imported the valid packages, so even a mutation that
leaves every signed byte intact (a zip timestamp, say) must end as a refused
replay: the database may never change, and no other error may escape.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xhht_desktop.errors import PackageRefused
from xhht_desktop.exchange import crypto

FUZZ = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def fuzzed(units, office_keys, module_office, password, dump_db, tmp_path_factory):
    """The office, having imported a plain and an encrypted package, and those packages."""
    folder = tmp_path_factory.mktemp("fuzz")
    plain = units("24717", persons=20, seed=5)
    sealed = units("24823", persons=20, seed=6)
    sealed.exchange.trust_certificate(office_keys / "office.pem")
    packages = {}
    for name, commune in (("plain", plain), ("sealed", sealed)):
        path = commune.exchange.export_package(folder / f"{name}.xhht", password).path
        module_office.exchange.import_package(
            path, password, accept_fingerprint=commune.signing.info().fingerprint
        )
        packages[name] = path.read_bytes()
    assert crypto.is_envelope(packages["sealed"])
    return {
        "office": module_office,
        "packages": packages,
        "before": dump_db(module_office),
        "target": folder / "mutated.xhht",
        "password": password,
    }


def _import_is_refused(fuzzed, data: bytes) -> None:
    fuzzed["target"].write_bytes(data)
    with pytest.raises(PackageRefused):
        fuzzed["office"].exchange.import_package(fuzzed["target"], fuzzed["password"])


@pytest.fixture
def unchanged(fuzzed, dump_db):
    """Check, after a property ran all its examples, that the office's data is as before."""
    yield
    assert dump_db(fuzzed["office"]) == fuzzed["before"]


@FUZZ
@given(
    prefix=st.sampled_from(
        [b"", b"PK\x03\x04", b"PK\x05\x06", crypto.MAGIC, crypto.MAGIC + b"\x01"]
    ),
    body=st.binary(max_size=4096),
)
def test_random_bytes_are_refused(fuzzed, unchanged, prefix, body):
    _import_is_refused(fuzzed, prefix + body)


@st.composite
def mutations(draw: st.DrawFn, which: str) -> tuple[str, list[tuple[str, float, bytes]]]:
    steps = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["flip", "cut", "insert", "delete"]),
                st.floats(min_value=0, max_value=1, allow_nan=False),
                st.binary(min_size=1, max_size=16),
            ),
            min_size=1,
            max_size=6,
        )
    )
    return which, steps


def _mutate(data: bytes, steps: list[tuple[str, float, bytes]]) -> bytes:
    for kind, where, payload in steps:
        if not data:
            break
        at = min(int(where * len(data)), len(data) - 1)
        if kind == "flip":
            data = data[:at] + bytes([data[at] ^ (payload[0] or 1)]) + data[at + 1 :]
        elif kind == "cut":
            data = data[:at]
        elif kind == "insert":
            data = data[:at] + payload + data[at:]
        else:
            data = data[:at] + data[at + len(payload) :]
    return data


@FUZZ
@given(mutation=st.sampled_from(["plain", "sealed"]).flatmap(mutations))
def test_mutated_packages_are_refused(fuzzed, unchanged, mutation):
    which, steps = mutation
    _import_is_refused(fuzzed, _mutate(fuzzed["packages"][which], steps))


@FUZZ
@given(
    which=st.sampled_from(["plain", "sealed"]),
    position=st.floats(min_value=0, max_value=1, allow_nan=False, exclude_max=True),
    value=st.integers(min_value=1, max_value=255),
)
def test_every_single_byte_change_is_refused(fuzzed, unchanged, which, position, value):
    data = fuzzed["packages"][which]
    at = int(position * len(data))
    _import_is_refused(fuzzed, data[:at] + bytes([data[at] ^ value]) + data[at + 1 :])
