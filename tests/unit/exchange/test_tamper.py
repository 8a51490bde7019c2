"""Every way a package can be damaged or forged is refused, and the office keeps its data.

Each case changes a valid package one way, imports it at an office that
already holds data, and checks the refusal's message and that every table
of the office's database holds exactly what it held before.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import struct
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from xhht_desktop.core.certificates import certificate_pem
from xhht_desktop.errors import PackageRefused, SenderNotTrusted
from xhht_desktop.exchange import manifest, signatures
from xhht_desktop.exchange.manifest import MemberDigest
from xhht_desktop.exchange.package import CERTIFICATE, MANIFEST, SIGNATURE

DATA_MEMBERS = [
    "data/villages.jsonl",
    "data/clans.jsonl",
    "data/units.jsonl",
    "data/households.jsonl",
    "data/persons.jsonl",
    "data/decisions.jsonl",
    "data/model_entries.jsonl",
    "data/aggregate_values.jsonl",
    "data/settings.jsonl",
]
ALL_MEMBERS = [MANIFEST, SIGNATURE, CERTIFICATE, *DATA_MEMBERS]


@pytest.fixture(scope="module")
def packages(units, office_keys, password, tmp_path_factory):
    """Packages of three communes and a forger's key, made once.

    ``plain``: commune 24717 without the office's certificate (packages not
    encrypted), numbers 1 and 2. ``sealed``: commune 24823, encrypted for the
    office (number 1) and for another office (number 2). ``forger``: commune
    23842, whose key signs forged packages.
    """
    folder = tmp_path_factory.mktemp("usb")
    plain = units("24717", persons=60, seed=1)
    sealed = units("24823", persons=40, seed=3)
    forger = units("23842", persons=0)
    sealed.exchange.trust_certificate(office_keys / "office.pem")
    elsewhere = units("24820")  # stands in for another office: any unit's certificate file
    elsewhere.exchange.export_certificate(folder / "other-office.pem", password)
    made = {
        "plain_1": plain.exchange.export_package(folder / "plain-1.xhht", password).path,
        "plain_2": plain.exchange.export_package(folder / "plain-2.xhht", password).path,
        "sealed_1": sealed.exchange.export_package(folder / "sealed-1.xhht", password).path,
        "sealed_other": sealed.exchange.export_package(
            folder / "sealed-other.xhht", password, encrypt_to=folder / "other-office.pem"
        ).path,
    }
    return {
        "paths": made,
        "plain": plain,
        "sealed": sealed,
        "forger": forger,
        "folder": folder,
    }


@pytest.fixture
def office_with_data(office, packages, password):
    """An office that already accepted the sealed commune's first package."""
    sealed = packages["sealed"]
    office.exchange.import_package(
        packages["paths"]["sealed_1"],
        password,
        accept_fingerprint=sealed.signing.info().fingerprint,
    )
    assert office.setup.counts()["persons"] == 40
    return office


def _members(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def _rezip(members: list[tuple[str, bytes]], target: Path) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    target.write_bytes(buffer.getvalue())
    return target


def _flip(data: bytes, position: int) -> bytes:
    return data[:position] + bytes([data[position] ^ 0x5A]) + data[position + 1 :]


class Refusal:
    """Import a file at the office and check it is refused with nothing changed."""

    def __init__(self, office, dump_db, password):
        self.office = office
        self.dump_db = dump_db
        self.password = password

    def __call__(self, path: Path, match: str, *, error=PackageRefused, **options) -> str:
        before = self.dump_db(self.office)
        with pytest.raises(error, match=match) as refused:
            self.office.exchange.import_package(path, self.password, **options)
        assert self.dump_db(self.office) == before
        return refused.value.message


@pytest.fixture
def refused(office_with_data, dump_db, password):
    return Refusal(office_with_data, dump_db, password)


@pytest.fixture
def plain_fingerprint(packages):
    return packages["plain"].signing.info().fingerprint


def test_the_untouched_package_is_accepted(office_with_data, packages, password, plain_fingerprint):
    # The control case: every refusal below is caused by the change alone.
    result = office_with_data.exchange.import_package(
        packages["paths"]["plain_1"], password, accept_fingerprint=plain_fingerprint
    )
    assert result.applied
    assert office_with_data.exchange.commune_counts("24717")["persons"] == 60


@pytest.mark.parametrize("member", ALL_MEMBERS)
def test_a_byte_flipped_in_a_stored_member_is_refused(
    member, refused, packages, plain_fingerprint, tmp_path
):
    raw = packages["paths"]["plain_1"].read_bytes()
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        info = archive.getinfo(member)
    name_length, extra_length = struct.unpack_from("<HH", raw, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    target = tmp_path / "flipped.xhht"
    target.write_bytes(_flip(raw, start + info.compress_size // 2))
    refused(
        target,
        "bị hỏng|không khớp|sửa đổi|không đọc được",
        accept_fingerprint=plain_fingerprint,
    )


@pytest.mark.parametrize(
    ("member", "match"),
    [
        (MANIFEST, "sửa đổi sau khi ký"),
        (SIGNATURE, "Chữ ký số của danh mục của gói bị hỏng|sửa đổi sau khi ký"),
        (CERTIFICATE, "Chứng thư số"),
        *[(member, "không khớp mã băm SHA-256") for member in DATA_MEMBERS],
    ],
)
def test_a_member_changed_inside_a_valid_zip_is_refused(
    member, match, refused, packages, plain_fingerprint, tmp_path
):
    members = _members(packages["paths"]["plain_1"])
    changed = [
        (name, _flip(data, len(data) // 2) if name == member and data else data)
        for name, data in members
    ]
    target = _rezip(changed, tmp_path / "changed.xhht")
    refused(target, match, accept_fingerprint=plain_fingerprint)


@pytest.mark.parametrize("member", ALL_MEMBERS)
def test_a_member_removed_is_refused(member, refused, packages, plain_fingerprint, tmp_path):
    members = [(n, d) for n, d in _members(packages["paths"]["plain_1"]) if n != member]
    target = _rezip(members, tmp_path / "removed.xhht")
    refused(target, "thiếu tệp", accept_fingerprint=plain_fingerprint)


@pytest.mark.parametrize(
    ("name", "match"),
    [
        ("data/extra.jsonl", "không ghi trong danh mục đã ký"),
        ("reports/bao-cao.pdf", "không ghi trong danh mục đã ký"),
        ("../../autorun.inf", "tệp lạ"),
        ("data/persons.jsonl", "hai tệp cùng tên"),
    ],
)
def test_a_member_added_is_refused(name, match, refused, packages, plain_fingerprint, tmp_path):
    members = _members(packages["paths"]["plain_1"])
    buffer = io.BytesIO()
    with (
        pytest.warns(UserWarning, match="Duplicate name")
        if name in dict(members)
        else contextlib.nullcontext(),
        zipfile.ZipFile(buffer, "w") as archive,
    ):
        for member, data in [*members, (name, b'{"id": "x"}\n')]:
            archive.writestr(member, data)
    target = tmp_path / "added.xhht"
    target.write_bytes(buffer.getvalue())
    refused(target, match, accept_fingerprint=plain_fingerprint)


def test_an_edited_manifest_is_refused(refused, packages, plain_fingerprint, tmp_path):
    members = _members(packages["paths"]["plain_1"])
    edited = [
        (
            name,
            data.replace(b'"persons": 60', b'"persons": 61') if name == MANIFEST else data,
        )
        for name, data in members
    ]
    assert edited != members
    target = _rezip(edited, tmp_path / "edited.xhht")
    refused(target, "sửa đổi sau khi ký", accept_fingerprint=plain_fingerprint)


def test_a_package_re_signed_by_another_communes_key_is_refused(
    office_with_data, refused, packages, password, plain_fingerprint, tmp_path
):
    office_with_data.exchange.import_package(
        packages["paths"]["plain_1"], password, accept_fingerprint=plain_fingerprint
    )
    forger = packages["forger"].signing.load_identity(password)
    members = dict(_members(packages["paths"]["plain_2"]))
    # The manifest's certificate hash is the commune's: the forger must re-sign
    # a manifest that lists its own certificate, or the hashes give it away.
    forged_pem = certificate_pem(forger.certificate)
    original = manifest.parse(members[MANIFEST])
    digests = dict(original.members)
    digests[CERTIFICATE] = MemberDigest(hashlib.sha256(forged_pem).hexdigest(), len(forged_pem))
    forged_manifest = replace(original, members=digests).to_json()
    members[MANIFEST] = forged_manifest
    members[SIGNATURE] = signatures.sign(forged_manifest, forger)
    members[CERTIFICATE] = forged_pem
    target = _rezip(list(members.items()), tmp_path / "forged.xhht")

    message = refused(target, "chứng thư KHÁC", error=SenderNotTrusted)
    assert "đã tin cậy" in message
    # Confirming the commune's real fingerprint does not let the forger in either.
    refused(target, "KHÔNG khớp", accept_fingerprint=plain_fingerprint)

    # Only the signature swapped, the commune's certificate left in place.
    members = dict(_members(packages["paths"]["plain_2"]))
    members[SIGNATURE] = signatures.sign(members[MANIFEST], forger)
    target = _rezip(list(members.items()), tmp_path / "swapped.xhht")
    refused(target, "không phải chứng thư đã ký gói")


def test_a_package_for_another_office_is_refused(refused, packages):
    message = refused(packages["paths"]["sealed_other"], "mã hóa cho đơn vị khác")
    assert "vân tay" in message


@pytest.mark.parametrize("which", ["plain_1", "sealed_1"])
@pytest.mark.parametrize("keep", [0.5, 0.999, 40])
def test_a_truncated_file_is_refused(which, keep, refused, packages, plain_fingerprint, tmp_path):
    raw = packages["paths"][which].read_bytes()
    length = keep if isinstance(keep, int) else int(len(raw) * keep)
    target = tmp_path / "truncated.xhht"
    target.write_bytes(raw[:length])
    refused(target, "bị cắt cụt|bị hỏng|không đọc được", accept_fingerprint=plain_fingerprint)


@pytest.mark.parametrize("where", ["header", "ciphertext", "tag"])
def test_a_byte_flipped_in_an_encrypted_package_is_refused(where, refused, packages, tmp_path):
    raw = packages["paths"]["sealed_1"].read_bytes()
    position = {"header": 40, "ciphertext": len(raw) // 2, "tag": len(raw) - 3}[where]
    target = tmp_path / "flipped.xhht"
    target.write_bytes(_flip(raw, position))
    refused(target, "bị sửa đổi hoặc bị hỏng|bị hỏng hoặc bị cắt cụt|đơn vị khác")


def test_a_replayed_or_older_package_is_refused(
    office_with_data, refused, packages, password, plain_fingerprint
):
    paths = packages["paths"]
    office_with_data.exchange.import_package(
        paths["plain_2"], password, accept_fingerprint=plain_fingerprint
    )
    refused(paths["plain_1"], "cũ hơn gói số 2 đã nhập")
    refused(paths["plain_2"], "đã được nhập lúc")
    refused(paths["sealed_1"], "đã được nhập lúc")


def test_an_unknown_commune_is_refused_until_its_fingerprint_is_confirmed(
    refused, office_with_data, packages, password, plain_fingerprint
):
    path = packages["paths"]["plain_1"]
    message = refused(path, "Lần đầu nhận gói", error=SenderNotTrusted)
    assert plain_fingerprint in message
    wrong = plain_fingerprint.replace(
        plain_fingerprint[0], "0" if plain_fingerprint[0] != "0" else "1", 1
    )
    refused(path, "KHÔNG khớp", accept_fingerprint=wrong)
    # Typed with colons and in lower case, the right one is accepted.
    typed = plain_fingerprint.lower().replace(" ", ":")
    assert office_with_data.exchange.import_package(
        path, password, accept_fingerprint=typed
    ).applied
