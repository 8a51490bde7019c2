"""Tests of services/plans.py: presets, the user's plans, the active plan."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest
from sqlalchemy import select

from xhht_desktop.core.plans import TargetDraft
from xhht_desktop.errors import NotFound, ValidationFailed
from xhht_desktop.services.demo_setup import init_demo_commune
from xhht_desktop.services.plans import ACTIVE_SETTING
from xhht_desktop.store.models import AuditEntry


def test_the_presets_are_listed_first_and_read_only(context):
    plans = context.plans.list()
    assert [p.id for p in plans] == ["dak-song-138-2020", "dong-trieu-2011", "qd-387-2025"]
    assert all(p.preset for p in plans)
    assert context.plans.problems() == []
    draft = context.plans.draft("dak-song-138-2020")
    with pytest.raises(ValidationFailed, match="chỉ đọc"):
        context.plans.save(draft)
    with pytest.raises(ValidationFailed, match="chỉ đọc"):
        context.plans.delete("dak-song-138-2020")
    with pytest.raises(NotFound, match="khong-co"):
        context.plans.get("khong-co")


def test_a_real_commune_starts_on_the_national_plan_and_the_choice_is_audited(context):
    assert context.plans.active_id() == "qd-387-2025"
    context.plans.activate("dong-trieu-2011")
    assert context.plans.active().id == "dong-trieu-2011"
    with context.reading() as session:
        logged = session.scalars(
            select(AuditEntry).where(AuditEntry.record_id == ACTIVE_SETTING)
        ).all()
    assert [e.new_value for e in logged] == ['"dong-trieu-2011"']
    with pytest.raises(NotFound):
        context.plans.activate("khong-co")


def test_the_demo_commune_starts_on_the_dak_song_plan(empty_context):
    init_demo_commune(empty_context, 2026)
    assert empty_context.plans.active().id == "dak-song-138-2020"


def test_copy_edit_and_delete_a_plan_of_the_commune(context, data_dir):
    copy = context.plans.copy("dak-song-138-2020", "ke-hoach-xa-2026", "Kế hoạch của xã năm 2026")
    assert (copy.preset, copy.version, copy.copied_from) == (False, 1, "dak-song-138-2020@1")
    assert copy.path == data_dir / "forms" / "plans" / "ke-hoach-xa-2026.toml"
    text = copy.path.read_text(encoding="utf-8")
    # The copy keeps the original's header comment that cites the document.
    assert text.startswith("# Bản sao của kế hoạch dak-song-138-2020@1")
    assert "Kế hoạch số 138/KH-UBND ngày 15/6/2020" in text
    assert len(copy.targets) == 16
    with pytest.raises(ValidationFailed, match="Đã có kế hoạch"):
        context.plans.copy("dak-song-138-2020", "ke-hoach-xa-2026", "Lần nữa")

    draft = context.plans.draft(copy.id)
    first = replace(draft.targets[0], value="97,5")
    added = TargetDraft("gdht-cong-nhan", "range", "50", 2026, stretch="55")
    saved = context.plans.save(replace(draft, targets=(first, *draft.targets[1:], added)))
    assert saved.version == 2 and len(saved.targets) == 17
    assert saved.targets[0].target.value == Fraction("97.5")
    assert saved.targets[-1].wording == "Hộ gia đình được công nhận Gia đình học tập"
    assert "Kế hoạch số 138/KH-UBND" in saved.path.read_text(encoding="utf-8")

    bad = replace(draft, targets=(*draft.targets, TargetDraft("khong-co", ">=", "abc", 2026)))
    with pytest.raises(ValidationFailed) as refused:
        context.plans.save(bad)
    assert {(i.row, i.field) for i in refused.value.issues} == {
        (17, "indicator"),
        (17, "value"),
    }
    assert context.plans.get(copy.id).version == 2

    context.plans.activate(copy.id)
    evaluation = context.indicators.evaluate(2026)
    assert evaluation.plan.id == copy.id and len(evaluation.rows) == 17
    context.plans.delete(copy.id)
    assert not copy.path.exists()
    assert context.plans.active_id() == "qd-387-2025"


def test_a_broken_plan_file_is_reported_not_loaded(context, data_dir):
    folder = data_dir / "forms" / "plans"
    folder.mkdir(parents=True)
    (folder / "hong.toml").write_text(
        'id = "hong"\nversion = 1\ntitle = "Hỏng"\n\n[[targets]]\nindicator = "khong-co"\n'
        'comparison = ">="\nvalue = 50\ndeadline = 2026\nwording = "50%."\n',
        encoding="utf-8",
    )
    problems = context.plans.problems()
    assert [(p.code, p.path.name, p.line) for p in problems] == [("P001", "hong.toml", 6)]
    assert "hong" not in {p.id for p in context.plans.list()}
    # A plan that no longer loads leaves the active choice to the default.
    with context.transaction() as session:
        from xhht_desktop.store import app_settings

        app_settings.write(session, ACTIVE_SETTING, "hong")
    assert context.plans.active_id() == "qd-387-2025"
