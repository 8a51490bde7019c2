"""Key escrow: a commune's database key, encrypted for its receiving office."""

from __future__ import annotations

from pathlib import Path

import pytest

from xhht_desktop.context import Actor, AppContext, open_context
from xhht_desktop.errors import EncryptionFailed, KeyPasswordWrong, PackageRefused
from xhht_desktop.services import encryption
from xhht_desktop.services.key_escrow import open_escrow, write_escrow
from xhht_desktop.services.setup import OfficeSetup
from xhht_desktop.services.users import NewUser
from xhht_desktop.settings import Settings
from xhht_desktop.store.engine import database_url

KEY_PASSWORD = "mat-khau-khoa-ky-so"
ADMIN_PASSWORD = "mat-khau-quan-tri"


@pytest.fixture
def office(tmp_path: Path) -> AppContext:
    folder = tmp_path / "so"
    folder.mkdir()
    context = open_context(
        Settings(folder, database_url(folder / "so.sqlite")), Actor("test:admin")
    )
    context.setup.init_office(
        OfficeSetup(province_code="68", office_name="Sở GD&ĐT Lâm Đồng", year=2026)
    )
    context.signing.create_certificate(KEY_PASSWORD, key_type="ec")
    context.exchange.export_certificate(folder / "so.pem", KEY_PASSWORD)
    yield context
    context.close()


def test_the_office_reads_back_a_key_that_opens_the_data(
    context: AppContext, office: AppContext, settings: Settings, tmp_path: Path
) -> None:
    context.users.create(NewUser("quantri", "Quản Trị", "admin", ADMIN_PASSWORD))
    target = tmp_path / "khoa-gui-giu.xhht-key"
    with pytest.raises(EncryptionFailed, match="chưa được mã hóa"):
        write_escrow(context, target)
    context.encryption.encrypt("quantri", ADMIN_PASSWORD)
    with pytest.raises(EncryptionFailed, match="trust-cert"):
        write_escrow(context, target)
    context.exchange.trust_certificate(office.settings.data_dir / "so.pem")
    write_escrow(context, target)
    assert context.settings.database_key.hex().encode() not in target.read_bytes()

    with pytest.raises(KeyPasswordWrong):
        open_escrow(office, target, "sai")
    escrowed = open_escrow(office, target, KEY_PASSWORD)
    assert escrowed.unit_code == "24717" and "Đức An" in escrowed.unit_name
    assert escrowed.key == context.settings.database_key
    # Read out as groups of hex digits, typed where the recovery key goes.
    context.close()
    opened, user = encryption.recover(
        settings, escrowed.key_text.lower(), "quantri", "mat-khau-moi-2027", Actor("t")
    )
    opened.close()
    assert user.username == "quantri"

    # The commune itself cannot open it; a changed byte is refused.
    tampered = tmp_path / "sua.xhht-key"
    raw = bytearray(target.read_bytes())
    raw[-5] ^= 1
    tampered.write_bytes(bytes(raw))
    with pytest.raises(PackageRefused):
        open_escrow(office, tampered, KEY_PASSWORD)
