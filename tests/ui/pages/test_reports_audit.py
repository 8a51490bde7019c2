"""The reports page lists the audit log by period (kind ``nhat-ky``) and saves it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from xhht_desktop.context import Actor
from xhht_desktop.core.certificates import VIETNAM_TIME
from xhht_desktop.core.registers import HouseholdDraft, VillageDraft
from xhht_desktop.ui.pages.reports import ReportsPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
# The log is written in Vietnam's time: this year's periods hold today's changes.
YEAR = datetime.now(VIETNAM_TIME).year


def test_the_period_report_is_listed_with_its_periods_and_saved(context, show, qtbot, tmp_path):
    village = context.villages.save(VillageDraft("thon", "Thôn 1"))
    context.actor = Actor("hoa.tran", "data_entry")
    household = context.households.save(HouseholdDraft("H01", village.id, "Nguyễn Văn An"))
    context.households.save(
        HouseholdDraft("H01", village.id, "Nguyễn Văn Anh"), household.id, household.revision
    )
    saved_to: list[Path] = []

    def save_path(_parent, _title, suggested: Path, fmt: str) -> Path:
        saved_to.append(tmp_path / suggested.name)
        return saved_to[-1]

    page = show(ReportsPage(context, choose_save_path=save_path))
    page.kind.setCurrentIndex(page.kind.findData("nhat-ky"))
    assert page.kind.currentText() == "Nhật ký thay đổi dữ liệu"
    page.year.setValue(YEAR)
    period = page.option_boxes["period"]
    assert period.isVisible()
    labels = [period.itemText(i) for i in range(period.count())]
    assert labels[:3] == [f"Cả năm {YEAR}", f"Quý I/{YEAR}", f"Quý II/{YEAR}"]
    assert page.option_boxes["record"].currentText() == "Mọi hồ sơ"
    page.format.setCurrentIndex(page.format.findData("xlsx"))
    with qtbot.waitSignal(page.report_saved, timeout=60_000) as saved:
        page.save_report()
    made = saved.args[0]
    assert made.kind == "nhat-ky" and made.path == saved_to[0]
    rows = list(openpyxl.load_workbook(made.path).active.iter_rows(values_only=True))
    changed = [r for r in rows if r and "Sửa" in r]
    assert [(r[2], r[6], r[7], r[8]) for r in changed] == [
        ("hoa.tran", "Chủ hộ", "Nguyễn Văn An", "Nguyễn Văn Anh")
    ]
