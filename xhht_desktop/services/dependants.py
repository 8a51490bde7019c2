"""What depends on a clan or a unit that is about to be deleted.

A clan or a unit that took part in a learning model has yearly entries
(registration, evaluation, recognition or refusal) pointing at it; deleting
it would leave them pointing at nothing and drop it silently from the
counts and the recognition annexes. A registration that was withdrawn
leaves a tombstone, or a live entry holding nothing, and does not count.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from xhht_desktop.core.models_cycle import learning_model
from xhht_desktop.store.models import ModelEntry


@dataclass(frozen=True)
class HeldEntry:
    """One year in which a subject holds an entry of a learning model.

    Attributes:
        year: The programme year.
        decided: It was evaluated or has an outcome (recognised, refused,
            revoked): kept as a record, it cannot be withdrawn.
    """

    year: int
    decided: bool


def held_entries(session: Session, model: str, subject_id: str) -> list[HeldEntry]:
    """The live entries of ``subject_id`` in ``model`` that hold something, by year."""
    rows = session.execute(
        select(
            ModelEntry.year,
            ModelEntry.criteria_id,
            ModelEntry.decision_id,
            ModelEntry.refused_on,
            ModelEntry.revoked_on,
        )
        .where(
            ModelEntry.model == model,
            ModelEntry.subject_id == subject_id,
            ModelEntry.deleted_at.is_(None),
            or_(
                ModelEntry.registered_on.is_not(None),
                ModelEntry.criteria_id.is_not(None),
                ModelEntry.decision_id.is_not(None),
                ModelEntry.refused_on.is_not(None),
                ModelEntry.revoked_on.is_not(None),
            ),
        )
        .order_by(ModelEntry.year)
    ).all()
    return [
        HeldEntry(year, any(value is not None for value in (criteria, decision, refused, revoked)))
        for year, criteria, decision, refused, revoked in rows
    ]


def _years(entries: list[HeldEntry]) -> str:
    return ", ".join(str(entry.year) for entry in entries)


def deletion_refusal(
    session: Session, model: str, subject_id: str, subject_label: str, name: str
) -> str | None:
    """Why a subject cannot be deleted because of its learning-model entries.

    Args:
        session: The deleting transaction.
        model: The model the subject takes part in (``dhht``, ``dvht``).
        subject_id: The clan's or unit's id.
        subject_label: What it is, in lower case ("dòng họ", "đơn vị").
        name: Its name.

    Returns:
        A Vietnamese message naming the entries and what to do, or ``None``
        when nothing depends on it.
    """
    entries = held_entries(session, model, subject_id)
    if not entries:
        return None
    title = learning_model(model).label
    decided = [entry for entry in entries if entry.decided]
    head = (
        f"Không xóa được {subject_label} «{name}»: {subject_label} có {len(entries)} lượt "
        f"đăng ký/công nhận «{title}» (năm {_years(entries)})"
    )
    if not decided:
        return f"{head}; hãy hủy các lượt đăng ký đó trước rồi xóa lại."
    pending = [entry for entry in entries if not entry.decided]
    tail = (
        f"; lượt năm {_years(decided)} đã đánh giá hoặc đã có quyết định nên được giữ làm "
        f"hồ sơ, vì vậy {subject_label} này phải giữ trong sổ"
    )
    if pending:
        tail += f" (lượt năm {_years(pending)} chỉ mới đăng ký, có thể hủy nếu ghi nhầm)"
    return f"{head}{tail}."
