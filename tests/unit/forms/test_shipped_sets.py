"""The criteria sets shipped in forms/criteria: each loads, cites, adds up."""

from decimal import Decimal

import pytest

from xhht_desktop.forms import load_definitions, score
from xhht_desktop.forms.loader import definition_files
from xhht_desktop.resources import forms_dir

SHIPPED = sorted(definition_files(forms_dir()))


def test_every_shipped_file_loads_without_a_problem():
    definitions, problems = load_definitions()
    assert [str(p) for p in problems] == []
    assert len(definitions) == len(SHIPPED) >= 6


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_each_file_opens_with_a_comment_citing_its_sources(path):
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# ")
    header = text.split("\nid = ")[0]
    assert "Nguồn:" in header
    assert "Nói thẳng" in header or "KHÔNG" in header  # what could not be checked is said


EXPECTED = {
    # id: (model, subject, scoring, total, criteria maxima or indicator counts)
    "gdht-448": ("gdht", "household", "points", 100, [30, 30, 20, 20]),
    "dhht-448": ("dhht", "clan", "points", 100, [30, 30, 20, 20]),
    "cdht-thon-448": ("cdht", "village", "points", 100, [20, 40, 20, 20]),
    "dvht-448": ("dvht", "unit", "points", 100, [20, 40, 20, 20]),
    "cdan-ht-244": ("cong_dan", "person", "points", 100, [40, 40, 20]),
    "cdht-xa-tt25": ("cdht_xa", "commune", "pass_fail", None, [3, 3, 3, 4, 4]),
}


@pytest.mark.parametrize("set_id", sorted(EXPECTED))
def test_the_shape_of_each_set(set_id):
    definitions, _ = load_definitions()
    definition = definitions.get(set_id)
    model, subject, scoring, total, shape = EXPECTED[set_id]
    assert (definition.model, definition.subject, definition.scoring) == (model, subject, scoring)
    assert definition.total == (Decimal(total) if total else None)
    if scoring == "points":
        assert [c.max for c in definition.criteria] == [Decimal(m) for m in shape]
    else:
        assert [len(c.indicators) for c in definition.criteria] == shape
    assert definition.source


def test_each_of_the_four_models_has_a_set():
    definitions, _ = load_definitions()
    assert {d.model for d in definitions.latest(kind="criteria")} >= {
        "gdht",
        "dhht",
        "cdht",
        "dvht",
    }


def test_cong_dan_hoc_tap_ten_indicators_of_ten_points_pass_at_80_or_70_none_below_5():
    definitions, _ = load_definitions()
    cdan = definitions.get("cdan-ht-244")
    lines = [line for c in cdan.criteria for line in c.indicators]
    assert len(lines) == 10 and {line.max for line in lines} == {Decimal(10)}
    scores = {line.id: 8 for line in lines}
    assert score(cdan, scores).passed
    assert not score(cdan, {**scores, "ct10": 4}).passed
    scores = {**{line.id: 7 for line in lines}}
    assert not score(cdan, scores).passed
    assert score(cdan, scores, variant="vung_kho_khan").passed
    assert cdan.field("doi_tuong").required


def test_the_commune_self_assessment_has_two_levels():
    definitions, _ = load_definitions()
    xa = definitions.get("cdht-xa-tt25")
    assert [level.title for level in xa.levels] == ["Mức độ 1 (Khá)", "Mức độ 2 (Tốt)"]
    every = {f.id: True for f in xa.scored_fields}
    assert score(xa, every).level == "muc_2"
    assert score(xa, {**every, "tc4_4": False}).level == "muc_1"
    assert not score(xa, {**every, "tc3_2": False}).passed
    base = [line for c in xa.criteria for line in c.indicators if not line.levels]
    assert len(base) == 15  # five criteria, fifteen indicators


def test_gia_dinh_hoc_tap_passes_at_the_documented_default_of_80():
    definitions, _ = load_definitions()
    gdht = definitions.get("gdht-448")
    full = {f.id: f.type.max for f in gdht.scored_fields}
    assert score(gdht, full).passed
    assert not score(gdht, {**full, "tc4_1": 0, "tc4_2": 0, "tc3_1": 9}).passed
    assert "ngưỡng" in gdht.note
