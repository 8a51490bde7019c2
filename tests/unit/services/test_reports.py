"""The reports use case: the catalogue, writing a file whole or not at all."""

from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader

from xhht_desktop.errors import NotSetUp, ReportFailed, ReportNotSupported
from xhht_desktop.reports import pdf, xlsx
from xhht_desktop.reports.document import Document
from xhht_desktop.services.reports import REPORT_KINDS, ReportKind

SUPPORTED = {
    "ket-qua",
    "xoa-mu-chu",
    "chua-biet-chu",
    "so-theo-doi",
    "mo-hinh",
    "quyet-dinh",
    "nhat-ky",
}
NEEDS_RECORDS = {"quyet-dinh"}
"""Reports with nothing to print without records (see tests/unit/reports/test_models.py)."""


@pytest.fixture
def out(tmp_path):
    """A folder of its own for the reports (the data folder is beside it)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def test_the_catalogue_names_every_report_of_the_issue(context):
    kinds = context.reports.kinds()
    assert [k.code for k in kinds] == [
        "ket-qua",
        "mo-hinh",
        "xoa-mu-chu",
        "quyet-dinh",
        "chua-biet-chu",
        "so-theo-doi",
        "nhat-ky",
    ]
    assert {k.code for k in kinds if k.supported} == SUPPORTED
    assert all(k.title for k in kinds)


def test_a_report_not_built_yet_is_refused_in_vietnamese(context, tmp_path, monkeypatch):
    # Every report of the catalogue is built now; one taken back out stands for a future one.
    monkeypatch.setitem(REPORT_KINDS, "ket-qua", ReportKind("ket-qua", "Báo cáo kết quả"))
    with pytest.raises(ReportNotSupported, match="chưa hỗ trợ"):
        context.reports.write("ket-qua", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_unknown_report_and_unknown_format_are_refused(context, tmp_path):
    with pytest.raises(ReportNotSupported, match="Không có loại báo cáo"):
        context.reports.document("bao-cao-la")
    with pytest.raises(ReportNotSupported, match="Định dạng"):
        context.reports.write("xoa-mu-chu", tmp_path / "x.docx")


def test_a_database_not_set_up_is_refused(empty_context, tmp_path):
    with pytest.raises(NotSetUp):
        empty_context.reports.write("xoa-mu-chu", tmp_path / "x.pdf")


@pytest.mark.parametrize("code", sorted(SUPPORTED - NEEDS_RECORDS))
def test_write_every_supported_report_in_both_formats(context, out, code):
    for fmt in ("pdf", "xlsx"):
        made = context.reports.write(code, out / f"{code}.{fmt}", issued=date(2026, 5, 4))
        assert made.path.is_file()
        assert (made.kind, made.format, made.year) == (code, fmt, 2026)
        if fmt == "pdf":
            assert made.pages == len(PdfReader(made.path).pages)
            assert made.signature_page == made.pages - 1
            assert made.signature_box is not None
        else:
            assert made.pages is None and made.signature_box is None
    assert sorted(p.name for p in out.iterdir()) == [f"{code}.pdf", f"{code}.xlsx"]


def test_year_and_date_are_the_documents(context):
    document = context.reports.document("xoa-mu-chu", 2025, date(2026, 2, 1))
    assert isinstance(document, Document)
    assert document.summary == "Kết quả điều tra xóa mù chữ năm 2025"
    assert document.letterhead.date_line == "Đức An, ngày 01 tháng 02 năm 2026"
    assert context.reports.document("so-theo-doi").summary.endswith("năm 2026")
    assert context.reports.file_name("so-theo-doi", "pdf") == "so-theo-doi-2026.pdf"


@pytest.mark.parametrize(("fmt", "renderer"), [("pdf", pdf), ("xlsx", xlsx)])
def test_a_failure_midway_leaves_the_old_file_and_no_partial_one(
    context, out, monkeypatch, fmt, renderer
):
    target = out / f"bieu.{fmt}"
    context.reports.write("xoa-mu-chu", target)
    before = target.read_bytes()
    real_render = renderer.render

    def broken(document, out, progress=None):
        real_render(document, out, progress)  # the whole file is written…
        out.write(b"garbage")
        raise RuntimeError("the disk went away")  # …then the renderer fails

    monkeypatch.setattr(renderer, "render", broken)
    with pytest.raises(RuntimeError, match="disk went away"):
        context.reports.write("xoa-mu-chu", target)
    assert target.read_bytes() == before
    assert [p.name for p in out.iterdir()] == [target.name]

    fresh = out / f"new.{fmt}"
    with pytest.raises(RuntimeError):
        context.reports.write("xoa-mu-chu", fresh)
    assert not fresh.exists()
    assert [p.name for p in out.iterdir()] == [target.name]


def test_cancelling_through_progress_leaves_no_file(context, out):
    class Cancelled(Exception):
        pass

    def cancel(done, total):
        raise Cancelled

    with pytest.raises(Cancelled):
        context.reports.write("so-theo-doi", out / "so.pdf", progress=cancel)
    assert list(out.iterdir()) == []


def test_a_folder_that_cannot_be_written_is_a_known_error(context, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ReportFailed, match="Không ghi được tệp"):
        context.reports.write("xoa-mu-chu", blocker / "bieu.pdf")
