"""The one counting query of the learning models, against counts made by hand."""

from __future__ import annotations

from datetime import date

from sqlalchemy import event

from xhht_desktop.core.models_cycle import ClanDraft, UnitDraft
from xhht_desktop.core.registers import HouseholdDraft, PersonDraft, VillageDraft
from xhht_desktop.store import model_queries
from xhht_desktop.store.models import ModelEntry, utcnow

YEAR = 2026


def _household(context, village_id, code, people=1):
    row = context.households.save(HouseholdDraft(code, village_id, f"Chủ hộ {code}"))
    for n in range(people):
        context.persons.save(PersonDraft(row.id, f"Người {code} {n}", 1980 + n, "F", "01"))
    return row.id


def _entry(session, model, subject, year=YEAR, **fields):
    session.add(
        ModelEntry(commune_code="24717", model=model, year=year, subject_id=subject, **fields)
    )


def test_counts_by_model_year_and_village_match_a_hand_count(context):
    one = context.villages.save(VillageDraft("thon", "Thôn 1")).id
    two = context.villages.save(VillageDraft("bon", "Bon Bu Bir")).id
    h = [_household(context, one, f"A{n}") for n in range(4)]
    h += [_household(context, two, f"B{n}") for n in range(3)]
    empty = _household(context, two, "B9", 0)  # no member: not in scope
    gone = _household(context, one, "A9")
    context.households.delete(gone)  # tombstone: not in scope
    clans = [context.clans.save(ClanDraft(f"Họ {n}")).id for n in ("Lê", "Hà")]
    unit = context.units.save(UnitDraft("Trạm Y tế", "co_quan", village_id=two)).id
    loose = context.units.save(UnitDraft("Công ty TNHH X", "doanh_nghiep")).id
    reg, ev = date(2026, 1, 5), date(2026, 11, 20)
    with context.transaction() as session:
        # Thôn 1: A0 registered; A1 evaluated and passed; A2 recognised; A3 recognised then revoked.
        _entry(session, "gdht", h[0], registered_on=reg)
        _entry(session, "gdht", h[1], registered_on=reg, criteria_id="s", passed=True)
        _entry(
            session, "gdht", h[2], registered_on=reg, criteria_id="s", passed=True, decision_id=None
        )
        _entry(
            session, "gdht", h[3], registered_on=reg, criteria_id="s", passed=True, revoked_on=ev
        )
        # Bon Bu Bir: B0 evaluated, failed; B1 only in another year; B2 a deleted entry.
        _entry(session, "gdht", h[4], registered_on=reg, criteria_id="s", passed=False)
        _entry(session, "gdht", h[5], year=YEAR - 1, registered_on=reg)
        _entry(session, "gdht", h[6], registered_on=reg, deleted_at=utcnow())
        # Entries of subjects out of scope are not counted.
        _entry(session, "gdht", empty, registered_on=reg)
        _entry(session, "gdht", gone, registered_on=reg)
        _entry(session, "dhht", clans[0], registered_on=reg, criteria_id="s", passed=True)
        _entry(session, "cdht", one, registered_on=reg)
        _entry(session, "dvht", unit, registered_on=reg, criteria_id="s", passed=True)
        session.flush()
        # Recognition by a decision: A2 and A3 (revoked), the clan.
        from xhht_desktop.store.models import Decision

        decision = Decision(
            commune_code="24717", year=YEAR, number="1/QĐ-UBND", decided_on=ev, signer_name="A"
        )
        session.add(decision)
        session.flush()
        for entry in session.query(ModelEntry).filter(
            ModelEntry.subject_id.in_([h[2], h[3], clans[0]])
        ):
            entry.decision_id = decision.id

    statements = []
    with context.reading() as session:
        listen = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(session.connection(), "before_cursor_execute", listen)
        rows = model_queries.count_models(session, YEAR)
        event.remove(session.connection(), "before_cursor_execute", listen)
    assert len(statements) == 1, "the counts come from one SQL statement"
    got = {
        (r.model, r.village_name): (r.in_scope, r.registered, r.evaluated, r.passed, r.recognised)
        for r in rows
    }
    assert got == {
        ("gdht", "Thôn 1"): (4, 4, 3, 3, 1),
        ("gdht", "Bon Bu Bir"): (3, 1, 1, 0, 0),
        ("dhht", None): (2, 1, 1, 1, 1),
        ("cdht", "Thôn 1"): (1, 1, 0, 0, 0),
        ("cdht", "Bon Bu Bir"): (1, 0, 0, 0, 0),
        ("dvht", "Bon Bu Bir"): (1, 1, 1, 1, 0),
        ("dvht", None): (1, 0, 0, 0, 0),
    }
    report = context.learning_models.counts(YEAR)
    assert report.model("gdht").as_dict()["in_scope"] == 7
    assert report.model("dvht").in_scope == 2 and loose
    assert context.learning_models.counts(YEAR - 1).model("gdht").registered == 1


def test_entries_filter_by_status_village_and_search(context):
    one = context.villages.save(VillageDraft("thon", "Thôn 1")).id
    a = _household(context, one, "A1")
    _household(context, one, "A2")
    context.learning_models.register("gdht", YEAR, [a], date(2026, 1, 5), today=date(2026, 6, 1))
    service = context.learning_models
    flt = model_queries.EntryFilter
    assert [r.subject.code for r in service.entries("gdht", YEAR, flt(status="registered"))] == [
        "A1"
    ]
    assert [
        r.subject.code for r in service.entries("gdht", YEAR, flt(status="not_registered"))
    ] == ["A2"]
    assert service.count_entries("gdht", YEAR, flt(search="a2")) == 1
    assert service.count_entries("gdht", YEAR, flt(village_id=one)) == 2
    assert service.count_entries("gdht", YEAR, flt(status="not_recognised")) == 2


def test_entries_filter_failed_refused_and_revoked(context):
    one = context.villages.save(VillageDraft("thon", "Thôn 1")).id
    ids = {code: _household(context, one, code) for code in ("B1", "B2", "B3", "B4", "B5")}
    with context.transaction() as session:
        _entry(session, "gdht", ids["B1"], criteria_id="gdht-448", passed=False)
        _entry(session, "gdht", ids["B2"], criteria_id="gdht-448", passed=True)
        _entry(session, "gdht", ids["B3"], refused_on=date(2026, 12, 1), refusal_reason="x")
        _entry(session, "gdht", ids["B4"], revoked_on=date(2026, 12, 2), revocation_reason="y")
        _entry(session, "gdht", ids["B5"], passed=False)  # no evaluation: not "failed"
    service = context.learning_models
    flt = model_queries.EntryFilter

    def codes(status: str) -> list[str]:
        return [r.subject.code for r in service.entries("gdht", YEAR, flt(status=status))]

    assert codes("failed") == ["B1"]
    assert codes("refused") == ["B3"]
    assert codes("revoked") == ["B4"]
    assert service.count_entries("gdht", YEAR, flt(status="failed")) == 1
