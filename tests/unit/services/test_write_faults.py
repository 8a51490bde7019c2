"""Faults of the disk or the stick while a service writes a file the user asked for.

The services keep their own errors (a report that could not be written is
still ``ReportFailed``); what they say comes from the file layer's
explanation, and the file the user had before is untouched.
"""

from __future__ import annotations

import errno
import shutil

import pytest
from pypdf import PdfReader

from xhht_desktop.errors import FileLocked, ReportFailed
from xhht_desktop.store.files import Fault, injected


class SharingViolation(PermissionError):
    winerror = 32


def test_a_report_on_a_full_stick_leaves_the_previous_report(context, tmp_path):
    usb = tmp_path / "usb"
    report = context.reports.write("xoa-mu-chu", usb / "xoa-mu-chu.pdf").path
    before = report.read_bytes()
    with (
        injected(Fault("write", OSError(errno.ENOSPC, "No space left on device"))),
        pytest.raises(ReportFailed, match="đã đầy") as caught,
    ):
        context.reports.write("xoa-mu-chu", report)
    assert "làm lại" in caught.value.message
    assert report.read_bytes() == before
    assert len(PdfReader(report).pages) >= 1
    assert sorted(p.name for p in usb.iterdir()) == ["xoa-mu-chu.pdf"]


def test_a_report_when_the_stick_is_pulled_out(context, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()

    def pull(path):
        shutil.rmtree(path.parent)

    with (
        injected(Fault("sync", OSError(errno.EIO, "Input/output error"), action=pull)),
        pytest.raises(ReportFailed, match="bị rút ra"),
    ):
        context.reports.write("xoa-mu-chu", usb / "bao-cao.pdf")
    assert not usb.exists()


def test_a_template_open_in_excel_is_not_overwritten(context, tmp_path):
    target = tmp_path / "mau.xlsx"
    context.roster.write_template(target)
    before = target.read_bytes()
    with (
        injected(Fault("rename", SharingViolation(errno.EACCES, "in use"))),
        pytest.raises(FileLocked, match="Excel") as caught,
    ):
        context.roster.write_template(target)
    # The command line and the window show strerror: the same Vietnamese text.
    assert caught.value.strerror == caught.value.message
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["mau.xlsx"]
