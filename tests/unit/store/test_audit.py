import pytest
from sqlalchemy import delete, select, update

from xhht_desktop.core.registers import HouseholdDraft, PersonDraft, VillageDraft
from xhht_desktop.store.audit import AuditLogReadOnly
from xhht_desktop.store.models import AuditEntry, Person


def _audit(context, record_id):
    with context.reading() as session:
        return list(
            session.scalars(
                select(AuditEntry).where(AuditEntry.record_id == record_id).order_by(AuditEntry.id)
            )
        )


def _household(context):
    village = context.villages.save(VillageDraft("thon", "Thôn 1"))
    return context.households.save(HouseholdDraft("H01", village.id, "Nguyễn Văn An"))


def test_creation_is_logged_field_by_field_with_the_actor(context):
    household = _household(context)
    entries = _audit(context, household.id)
    assert {e.action for e in entries} == {"create"}
    logged = {e.field: e.new_value for e in entries}
    assert logged["code"] == "H01"
    assert logged["head_name"] == "Nguyễn Văn An"
    assert {e.actor for e in entries} == {"test:admin"}
    # Derived search keys are not the user's data: not in the log.
    assert "search_key" not in {e.field for e in entries}


def test_an_update_logs_old_and_new_value_and_bumps_the_revision(context):
    household = _household(context)
    person = context.persons.save(
        PersonDraft(household.id, "Nguyễn Văn An", 1980, "M", "01", grade=5)
    )
    changed = context.persons.save(
        PersonDraft(household.id, "Nguyễn Văn Ân", 1980, "M", "01", grade=9),
        person.id,
        expected_revision=person.revision,
    )
    assert changed.revision == person.revision + 1
    updates = [e for e in _audit(context, person.id) if e.action == "update"]
    assert {(e.field, e.old_value, e.new_value) for e in updates} == {
        ("full_name", "Nguyễn Văn An", "Nguyễn Văn Ân"),
        ("grade", "5", "9"),
    }


def test_saving_unchanged_data_writes_no_audit_and_keeps_the_revision(context):
    household = _household(context)
    draft = PersonDraft(household.id, "Lê Thị Hoa", 1990, "F", "01")
    person = context.persons.save(draft)
    again = context.persons.save(draft, person.id)
    assert again.revision == person.revision
    assert all(e.action == "create" for e in _audit(context, person.id))


def test_deletion_is_a_logged_tombstone(context):
    household = _household(context)
    person = context.persons.save(PersonDraft(household.id, "Lê Thị Hoa", 1990, "F", "01"))
    context.persons.delete(person.id)
    with context.reading() as session:
        stored = session.get(Person, person.id)
        assert stored is not None and stored.deleted_at is not None
        assert stored.revision == 2
    assert [e.action for e in _audit(context, person.id)][-1] == "delete"


def test_the_audit_log_is_append_only_from_the_app(context):
    household = _household(context)
    before = _audit(context, household.id)
    assert before

    def as_rows(entries):
        return [(e.id, e.field, e.old_value, e.new_value) for e in entries]

    def tamper(change):
        with context.transaction() as session:
            change(session)

    def edit(session):
        session.get(AuditEntry, before[0].id).new_value = "sửa lén"

    with pytest.raises(AuditLogReadOnly, match="never changed"):
        tamper(edit)
    with pytest.raises(AuditLogReadOnly, match="never removed"):
        tamper(lambda session: session.delete(session.get(AuditEntry, before[0].id)))
    with pytest.raises(AuditLogReadOnly, match="append-only"):
        tamper(
            lambda session: session.execute(
                delete(AuditEntry).where(AuditEntry.record_id == household.id)
            )
        )
    with pytest.raises(AuditLogReadOnly, match="append-only"):
        tamper(lambda session: session.execute(update(AuditEntry).values(actor="ai đó")))
    assert as_rows(_audit(context, household.id)) == as_rows(before)
    # Appending goes on as before.
    context.households.save(
        HouseholdDraft("H01", household.village_id, "Nguyễn Văn Anh"), household.id
    )
    assert len(_audit(context, household.id)) == len(before) + 1
