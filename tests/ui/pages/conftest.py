"""Fixtures of the page tests: a small commune, confirmations and dialogs.

``literacy_commune`` is a small commune whose literacy figures are counted by
hand: twelve persons in two villages, surveyed in 2026 (the reporting year of the
``context`` fixture); age = 2026 − birth year. Level: 2 if grade ≥ 5 or
stage 2, 1 if grade ≥ 3 or stage 1, else 0 (Nghị định 20/2014, Art. 19).

=====  ==========  =====  ===  =====  =====  ======================
name   village     birth  age  sex    level  note
=====  ==========  =====  ===  =====  =====  ======================
An     Thôn 1      2006   20   M      2      grade 9 *and* stage 1:
                                             a data-quality warning
Bình   Thôn 1      2001   25   F      1
Cúc    Thôn 1      2000   26   F      0
Dũng   Thôn 1      1991   35   M      2      Mông, stage 2
Én     Thôn 1      1990   36   F      1      Mông, stage 1
Phúc   Thôn 1      1966   60   M      0      Mông
Giang  Bon Bu Bir  1965   61   F      0      Mông, past 60
Hùng   Bon Bu Bir  2011   15   M      2      Mnông
Inh    Bon Bu Bir  2012   14   F      2      Mnông, under 15
Khải   Bon Bu Bir  1996   30   M      0      Mnông, exempt (disability)
Lan    Bon Bu Bir  1986   40   F      0      Mnông, moved away
Mai    Bon Bu Bir  1981   45   F      0      tạm trú (counted)
=====  ==========  =====  ===  =====  =====  ======================
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget
from sqlalchemy import MetaData, select

from xhht_desktop.context import Actor, AppContext, open_context
from xhht_desktop.core.registers import HouseholdDraft, PersonDraft, VillageDraft
from xhht_desktop.services.demo import DemoService
from xhht_desktop.services.setup import CommuneSetup, OfficeSetup
from xhht_desktop.settings import Settings
from xhht_desktop.store.engine import database_url

YEAR = 2026
KINH, MONG, MNONG = "01", "08", "20"


@dataclass(frozen=True)
class Resident:
    name: str
    household: str
    birth_year: int
    sex: str
    ethnicity_code: str = KINH
    grade: int = 0
    stage: int = 0
    disabled: bool = False
    residence: str = "thuong_tru"


RESIDENTS = (
    Resident("Nguyễn Văn An", "H001", 2006, "M", grade=9, stage=1),
    Resident("Nguyễn Thị Bình", "H001", 2001, "F", grade=4),
    Resident("Nguyễn Thị Cúc", "H001", 2000, "F"),
    Resident("Giàng A Dũng", "H002", 1991, "M", MONG, stage=2),
    Resident("Giàng Thị Én", "H002", 1990, "F", MONG, stage=1),
    Resident("Giàng A Phúc", "H002", 1966, "M", MONG, grade=2),
    Resident("Vàng Thị Giang", "H003", 1965, "F", MONG),
    Resident("Điểu Hùng", "H003", 2011, "M", MNONG, grade=7),
    Resident("Thị Inh", "H003", 2012, "F", MNONG, grade=6),
    Resident("Điểu Khải", "H004", 1996, "M", MNONG, disabled=True),
    Resident("Thị Lan", "H004", 1986, "F", MNONG, residence="chuyen_di"),
    Resident("Trần Thị Mai", "H004", 1981, "F", residence="tam_tru"),
)
VILLAGE_OF = {"H001": "Thôn 1", "H002": "Thôn 1", "H003": "Bon Bu Bir", "H004": "Bon Bu Bir"}


@dataclass(frozen=True)
class Commune:
    """The records made: ids by person name and by village name."""

    context: AppContext
    persons: dict[str, str]
    villages: dict[str, str]


@pytest.fixture
def literacy_commune(context: AppContext) -> Commune:
    """The twelve residents of the module docstring, saved through the services."""
    villages = {
        "Thôn 1": context.villages.save(VillageDraft("thon", "Thôn 1")).id,
        "Bon Bu Bir": context.villages.save(VillageDraft("bon", "Bon Bu Bir")).id,
    }
    households = {
        code: context.households.save(HouseholdDraft(code, villages[village], f"Chủ hộ {code}")).id
        for code, village in VILLAGE_OF.items()
    }
    persons = {
        r.name: context.persons.save(
            PersonDraft(
                households[r.household],
                r.name,
                r.birth_year,
                r.sex,
                r.ethnicity_code,
                grade=r.grade,
                literacy_stage=r.stage,
                disabled=r.disabled,
                residence=r.residence,
            )
        ).id
        for r in RESIDENTS
    }
    return Commune(context, persons, villages)


# -- the register pages' confirmations and dialogs ------------------------------


@pytest.fixture
def answer(monkeypatch: pytest.MonkeyPatch) -> Callable[[QMessageBox.StandardButton], list[str]]:
    """``answer(button)``: confirmations get ``button``; returns the questions asked."""

    def _answer(button: QMessageBox.StandardButton) -> list[str]:
        asked: list[str] = []

        def question(_parent, _title, text, *_args, **_kwargs):
            asked.append(text)
            return button

        monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
        return asked

    return _answer


@dataclass
class Dialogs:
    """Opens a page's dialog by a key and comes back to the page's list."""

    qtbot: object
    keyboard: object

    def open(self, page: QWidget, dialog_class: type[QDialog], key: Qt.Key, *modifier) -> QDialog:
        """Press ``key`` (with ``modifier``) and wait for the dialog it opens."""
        self.keyboard.press(key, *modifier)  # type: ignore[attr-defined]
        dialog = page.findChild(dialog_class)
        assert dialog is not None, f"{key} opened no {dialog_class.__name__}"
        self.qtbot.waitExposed(dialog)  # type: ignore[attr-defined]
        self.qtbot.waitUntil(dialog.isActiveWindow)  # type: ignore[attr-defined]
        return dialog

    def back_to(self, page: QWidget, dialog_class: type[QDialog]) -> None:
        """Once the dialog is gone, the page is active again with the list focused."""
        self.qtbot.waitUntil(lambda: page.findChild(dialog_class) is None)  # type: ignore[attr-defined]
        # A desktop gives the window under a closed dialog its activation back;
        # the offscreen platform does not, so the test does.
        page.activateWindow()
        self.qtbot.waitUntil(page.isActiveWindow)  # type: ignore[attr-defined]
        assert page.focusWidget() is page.table  # type: ignore[attr-defined]


@pytest.fixture
def dialogs(qtbot, keyboard) -> Dialogs:
    return Dialogs(qtbot, keyboard)


# -- the USB handover: a commune and its receiving office, each with keys -------------------

EXCHANGE_PASSWORD = "mat-khau-goi-du-lieu"
EXCHANGE_OFFICE = "Sở Giáo dục và Đào tạo tỉnh Lâm Đồng"


@dataclass(frozen=True)
class ExchangeUnits:
    """A commune with data and a signing key, its office, and the office's certificate file."""

    commune: AppContext
    office: AppContext
    office_certificate: Path
    password: str = EXCHANGE_PASSWORD


def _open_unit(folder: Path) -> AppContext:
    # Each unit has its own data folder (its keys) and database, as on two machines.
    folder.mkdir(parents=True, exist_ok=True)
    settings = Settings(data_dir=folder, database_url=database_url(folder / "xhht.sqlite"))
    return open_context(settings, Actor("test:admin"))


@pytest.fixture
def exchange_units(tmp_path: Path) -> Iterator[ExchangeUnits]:
    """Commune 24717 (30 demo persons, as the exchange unit tests make it) and its office."""
    office = _open_unit(tmp_path / "office")
    office.setup.init_office(
        OfficeSetup(province_code="68", office_name=EXCHANGE_OFFICE, year=YEAR)
    )
    office.signing.create_certificate(EXCHANGE_PASSWORD, key_type="ec")
    certificate = tmp_path / "office.pem"
    office.exchange.export_certificate(certificate, EXCHANGE_PASSWORD)
    commune = _open_unit(tmp_path / "commune")
    commune.setup.init_commune(
        CommuneSetup(commune_code="24717", year=YEAR, receiving_office=EXCHANGE_OFFICE)
    )
    DemoService(commune).generate(persons=30, seed=9, year=YEAR)
    commune.signing.create_certificate(EXCHANGE_PASSWORD, key_type="ec")
    yield ExchangeUnits(commune, office, certificate)
    commune.close()
    office.close()


def dump_database(context: AppContext) -> dict[str, list[str]]:
    """Every row of every table, as text, sorted: equal dumps mean equal content."""
    metadata = MetaData()
    metadata.reflect(context.engine)
    with context.engine.connect() as connection:
        return {
            table.name: sorted(repr(tuple(row)) for row in connection.execute(select(table)))
            for table in metadata.sorted_tables
        }


@pytest.fixture(scope="session")
def dump_db() -> Callable[[AppContext], dict[str, list[str]]]:
    """:func:`dump_database`, for tests that check a refusal left a database as it was."""
    return dump_database
