"""The persons page: the literacy survey's register, searched and filtered.

A commune can hold 200,000 persons, so each keystroke in the search box runs
one count and one first page through the service and nothing more; further
rows are read as the list scrolls (:class:`PagedTableModel`).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QMessageBox,  # noqa: F401 -- the tests answer the confirmation through this module
    QVBoxLayout,
)

from xhht_desktop.core import ethnicity
from xhht_desktop.core.literacy import LEVEL_1, LEVEL_2, NOT_LITERATE
from xhht_desktop.core.registers import RESIDENCES, SEXES, format_birth
from xhht_desktop.store.repositories import PersonFilter, PersonRow
from xhht_desktop.ui.forms.field_row import ChoiceBox, vocabulary
from xhht_desktop.ui.forms.person_form import PersonDialog
from xhht_desktop.ui.pages.register_page import RegisterPage
from xhht_desktop.ui.table_models import CENTER, RIGHT, Column, format_thousands

#: Age bands of the literacy indicators: key → (youngest, oldest) age.
AGE_BANDS: dict[str, tuple[int, int]] = {
    "15-25": (15, 25),
    "15-35": (15, 35),
    "15-60": (15, 60),
}

#: Literacy-level filter: key → (exact level, lowest level) of ``PersonFilter``.
LEVEL_FILTERS: dict[str, tuple[int | None, int | None]] = {
    "not_literate": (NOT_LITERATE, None),
    "level_1_up": (None, LEVEL_1),
    "level_2": (LEVEL_2, None),
}


def _ethnicity_name(code: str) -> str:
    group = ethnicity.by_code(code)
    return group.name if group is not None else code


class PersonsPage(RegisterPage[PersonRow, PersonDialog]):
    """The persons of the commune: search, filters, a lazy list, add/edit/delete.

    Keys: Ctrl+F goes to the search box (Down or Enter from there goes to the
    list); Ctrl+N or Insert adds persons; Enter or a double click on a row
    edits it; Delete deletes it after a confirmation.

    ``results_shown(int)`` (from :class:`RegisterPage`) says when the list for
    the current query and filters is on screen (for benchmarks and the status
    bar).
    """

    def search_hint(self) -> str:
        return self.tr("Tìm theo họ tên, có dấu hoặc không (Ctrl+F)")

    def make_filters(self) -> list[tuple[str, QComboBox]]:
        self.village = ChoiceBox()
        self.sex = ChoiceBox(
            [("", self.tr("Nam và nữ"))]
            + [(code, vocabulary(label)) for code, label in SEXES.items()]
        )
        self.ethnicity = ChoiceBox([("", self.tr("Mọi dân tộc")), *ethnicity.choices()])
        self.age_band = ChoiceBox(
            [("", self.tr("Mọi độ tuổi"))]
            + [
                (key, self.tr("Từ {0} đến {1} tuổi").format(*ages))
                for key, ages in AGE_BANDS.items()
            ]
        )
        self.residence = ChoiceBox(
            [("", self.tr("Mọi tình trạng cư trú"))]
            + [(code, vocabulary(label)) for code, label in RESIDENCES.items()]
        )
        self.level = ChoiceBox(
            [
                ("", self.tr("Tất cả")),
                ("not_literate", self.tr("Chưa biết chữ")),
                ("level_1_up", self.tr("Mức 1 trở lên")),
                ("level_2", self.tr("Mức 2")),
            ]
        )
        self.level.setToolTip(
            self.tr("Mức biết chữ theo lớp và giai đoạn xóa mù chữ đã học xong (NĐ 20/2014)")
        )
        return [
            (self.tr("&Thôn:"), self.village),
            (self.tr("&Giới tính:"), self.sex),
            (self.tr("&Dân tộc:"), self.ethnicity),
            (self.tr("T&uổi:"), self.age_band),
            (self.tr("&Cư trú:"), self.residence),
            (self.tr("&Mức biết chữ:"), self.level),
        ]

    def columns(self) -> list[Column[PersonRow]]:
        return [
            Column(self.tr("Họ và tên"), lambda p: p.full_name, width=200),
            Column(
                self.tr("Ngày sinh"), lambda p: format_birth(p.birth_date, p.birth_year), width=90
            ),
            Column(self.tr("Giới tính"), lambda p: vocabulary(SEXES.get(p.sex, p.sex)), width=70),
            Column(self.tr("Dân tộc"), lambda p: _ethnicity_name(p.ethnicity_code), width=90),
            Column(self.tr("Lớp"), lambda p: str(p.grade), RIGHT, width=45),
            Column(
                self.tr("Giai đoạn XMC"),
                lambda p: str(p.literacy_stage) if p.literacy_stage else "",
                CENTER,
                width=100,
            ),
            Column(
                self.tr("Khuyết tật"),
                lambda p: self.tr("Có") if p.disabled else "",
                CENTER,
                width=80,
            ),
            Column(
                self.tr("Cư trú"),
                lambda p: vocabulary(RESIDENCES.get(p.residence, p.residence)),
                width=90,
            ),
            Column(self.tr("Mã hộ"), lambda p: p.household_code, width=80),
            Column(self.tr("Thôn"), lambda p: p.village_name, width=120),
        ]

    def build_layout(self) -> None:
        assert self.search is not None
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.count_label)

        # Two rows of three: six filters in one row squeeze the boxes unreadable.
        filters = QGridLayout()
        per_row = 3
        for number, (label, box) in enumerate(self.filter_widgets):
            row, column = divmod(number, per_row)
            filters.addWidget(self.caption(label, box), row, 2 * column)
            filters.addWidget(box, row, 2 * column + 1)
        filters.setColumnStretch(2 * per_row, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(search_row)
        layout.addLayout(filters)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.button_row(with_count=False))

    # -- the query ----------------------------------------------------------

    def current_filter(self) -> PersonFilter:
        """The filter that the search box and the filter boxes describe."""
        assert self.search is not None
        birth_from = birth_to = None
        band = AGE_BANDS.get(str(self.age_band.value() or ""))
        if band is not None:
            youngest, oldest = band
            # Age in the reporting year = reporting year − birth year.
            year = self.reporting_year()
            birth_from, birth_to = year - oldest, year - youngest
        level, level_from = LEVEL_FILTERS.get(str(self.level.value() or ""), (None, None))
        return PersonFilter(
            search=self.search.text(),
            village_id=str(self.village.value() or "") or None,
            sex=str(self.sex.value() or "") or None,
            ethnicity_code=str(self.ethnicity.value() or "") or None,
            birth_year_from=birth_from,
            birth_year_to=birth_to,
            residence=str(self.residence.value() or "") or None,
            literacy_level=level,
            literacy_level_from=level_from,
        )

    def reporting_year(self) -> int:
        """The year ages are counted in: the installation's reporting year."""
        info = self.context.setup.installation()
        return info.year if info is not None else date.today().year

    def count_rows(self) -> int:
        return self.context.persons.count(self.current_filter())

    def page_rows(self, offset: int, limit: int) -> list[PersonRow]:
        return self.context.persons.page(self.current_filter(), offset, limit)

    def reload_choices(self) -> None:
        self.village.set_choices(
            [("", self.tr("Mọi thôn, tổ dân phố"))]
            + [(v.id, v.name) for v in self.context.villages.list()]
        )
        if self.village.value() is None:
            self.village.set_value("")

    def count_text(self, total: int) -> str:
        return self.tr("{0} người").format(format_thousands(total))

    # -- actions ------------------------------------------------------------

    def new_dialog(self) -> PersonDialog:
        return PersonDialog(self.context, parent=self)

    def edit_dialog(self, row: PersonRow) -> PersonDialog:
        return PersonDialog(self.context, person_id=row.id, parent=self)

    def delete_question(self, row: PersonRow) -> tuple[str, str]:
        return (
            self.tr("Xóa người"),
            self.tr("Xóa {name} ({birth}, hộ {code}) khỏi sổ?").format(
                name=row.full_name,
                birth=format_birth(row.birth_date, row.birth_year),
                code=row.household_code,
            ),
        )

    def delete_record(self, row: PersonRow) -> None:
        self.context.persons.delete(row.id)
