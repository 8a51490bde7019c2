"""Tests of services/aggregates.py: aggregate-form values, validated by the forms engine."""

from __future__ import annotations

import textwrap

import pytest

from xhht_desktop.core.registers import VillageDraft
from xhht_desktop.errors import NotFound, ValidationFailed
from xhht_desktop.services.setup import OfficeSetup

FORM = textwrap.dedent(
    """
    id = "thu-nghiem"
    version = 3
    kind = "aggregate"
    scope = "village"
    title = "Biểu thử nghiệm"

    [[fields]]
    id = "dan_so"
    type = "integer"
    label = "Dân số"
    min = 0
    required = true

    [[fields]]
    id = "hoi_vien"
    type = "integer"
    label = "Hội viên"
    min = 0
    check = { field = "hoi_vien", le = { field = "dan_so" } }
    check_message = "Số hội viên không được lớn hơn dân số."

    [[fields]]
    id = "co_chi_hoi"
    type = "yes_no"
    label = "Có chi hội"
    """
)


@pytest.fixture
def form(context, data_dir):
    folder = data_dir / "forms" / "aggregates"
    folder.mkdir(parents=True)
    (folder / "thu_nghiem.toml").write_text(FORM, encoding="utf-8")
    return "thu-nghiem"


def test_the_shipped_aggregate_forms_are_offered(context):
    forms = context.aggregates.forms()
    assert forms and all(f.kind == "aggregate" for f in forms)


def test_values_are_stored_per_village_with_the_definition_version(context, form):
    one = context.villages.save(VillageDraft("thon", "Thôn 1")).id
    two = context.villages.save(VillageDraft("bon", "Bon Bu Bir")).id
    grid = context.aggregates.values(form, 2026)
    assert [(r.scope_label, r.entry_id) for r in grid] == [("Bon Bu Bir", None), ("Thôn 1", None)]
    row = context.aggregates.save(
        form, 2026, {"dan_so": "1.250", "hoi_vien": 300, "co_chi_hoi": "Có"}, one
    )
    assert row.values == {"dan_so": 1250, "hoi_vien": 300, "co_chi_hoi": True}
    assert (row.definition_id, row.definition_version) == ("thu-nghiem", 3)
    assert (
        context.aggregates.save(
            form, 2026, {"dan_so": 1250, "hoi_vien": 300, "co_chi_hoi": True}, one
        ).revision
        == 1
    )
    assert context.aggregates.get(form, 2026, two).entry_id is None
    assert context.aggregates.get(form, 2025, one).entry_id is None


def test_a_numerator_over_its_denominator_is_refused(context, form):
    one = context.villages.save(VillageDraft("thon", "Thôn 1")).id
    with pytest.raises(ValidationFailed) as refused:
        context.aggregates.save(form, 2026, {"dan_so": 100, "hoi_vien": 101}, one)
    assert refused.value.for_field("hoi_vien") == "Số hội viên không được lớn hơn dân số."
    assert context.aggregates.get(form, 2026, one).entry_id is None


def test_a_grid_is_saved_all_or_nothing_and_the_scope_must_fit(context, form):
    one = context.villages.save(VillageDraft("thon", "Thôn 1")).id
    two = context.villages.save(VillageDraft("bon", "Bon Bu Bir")).id
    with pytest.raises(ValidationFailed) as refused:
        context.aggregates.save_grid(
            form, 2026, [(one, {"dan_so": 500}), (two, {"hoi_vien": 3}), (None, {"dan_so": 1})]
        )
    assert [(i.row, i.field) for i in refused.value.issues] == [
        (2, "dan_so"),
        (3, "village_id"),
    ]
    assert all(r.entry_id is None for r in context.aggregates.values(form, 2026))
    assert (
        context.aggregates.save_grid(form, 2026, [(one, {"dan_so": 500}), (two, {"dan_so": 80})])
        == 2
    )
    context.aggregates.delete(form, 2026, two)
    assert context.aggregates.get(form, 2026, two).entry_id is None
    with pytest.raises(NotFound):
        context.aggregates.form("khong-co")


def test_the_totals_row_sums_counts_and_counts_the_yeses(context, form):
    rows = [
        {"dan_so": 1200, "hoi_vien": "300", "co_chi_hoi": True},
        {"dan_so": "800", "hoi_vien": None, "co_chi_hoi": False},
        {"dan_so": "tám", "hoi_vien": 20, "co_chi_hoi": "có"},
    ]
    assert context.aggregates.totals(form, rows) == {
        "dan_so": 2000,  # the unreadable "tám" is left out
        "hoi_vien": 320,
        "co_chi_hoi": 2,
    }
    assert context.aggregates.totals(form, [{}, {}]) == dict.fromkeys(
        ("dan_so", "hoi_vien", "co_chi_hoi")
    )


def test_a_commune_enters_village_and_commune_forms_an_office_its_own(context):
    scopes = {f.scope for f in context.aggregates.entry_forms()}
    assert scopes == {"village", "commune"}
    assert "office" in {f.scope for f in context.aggregates.forms()}


def test_an_office_enters_only_its_own_forms(empty_context):
    empty_context.setup.init_office(OfficeSetup("68", "Sở GD&ĐT Lâm Đồng", 2026))
    forms = empty_context.aggregates.entry_forms()
    assert forms and {f.scope for f in forms} == {"office"}
