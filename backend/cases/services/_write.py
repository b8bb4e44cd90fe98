"""What every write to a case shares: the row lock, the version, the timeline and the change feed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import transaction

from accounts.models import User
from cases.models import Case, CaseEvent, EventKind
from core.exceptions import NotFound
from sync.feed import record_case_change


def lock_case(case: Case) -> Case:
    """The case's current row, locked until the transaction ends: concurrent writers (two commanders
    dispatching, a sync push and a PATCH) take turns, and each sees the other's result."""
    locked = Case.objects.select_for_update().filter(pk=case.pk).first()
    if locked is None:
        raise NotFound()
    return locked


def save_user_change(
    *,
    case: Case,
    actor: User,
    kind: EventKind,
    data: dict[str, Any],
    now: datetime,
    previous_upt_id: int | None,
    previous_assignee_id: int | None,
) -> CaseEvent:
    """Persist a change made by a user's request: version +1, `updated_at`, one timeline event, the
    change-feed record (with the scope the case had before, for pulls to send removals), and, after
    commit, the `case_updated` notification of the people working the case."""
    case.version += 1
    case.updated_at = now
    case.save()
    event = CaseEvent.objects.create(case=case, kind=kind, actor=actor, at=now, data=data)
    record_case_change(case=case, previous_upt_id=previous_upt_id, previous_assignee_id=previous_assignee_id)
    enqueue_case_updated(case, event)
    return event


def after_commit(callback: Callable[[], Any]) -> None:
    """Run `callback` once the write is durable; a broker that is down is logged, never fails the write
    (the escalation sweep repairs notifications whose task was lost)."""
    transaction.on_commit(callback, robust=True)


def enqueue_case_routed(case: Case) -> None:
    from notifications.tasks import notify_case_routed

    case_id = str(case.id)
    after_commit(lambda: notify_case_routed.delay(case_id))


def enqueue_case_assigned(case: Case, event: CaseEvent) -> None:
    from notifications.tasks import notify_case_assigned

    case_id, event_id = str(case.id), str(event.id)
    after_commit(lambda: notify_case_assigned.delay(case_id, event_id))


def enqueue_case_updated(case: Case, event: CaseEvent) -> None:
    from notifications.tasks import notify_case_updated

    case_id, event_id = str(case.id), str(event.id)
    after_commit(lambda: notify_case_updated.delay(case_id, event_id))
