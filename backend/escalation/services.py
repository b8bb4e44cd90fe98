"""The escalation sweep: run every minute by Celery beat, and by `manage.py escalate_overdue`.

It is set-based: overdue cases are found through the (status, ack_due_at) and (status, due_at) indexes,
so a sweep costs in proportion to the overdue cases, not to the table; steps, events, case updates and
notifications are written in bulk, a chunk of cases per transaction.

Each step is claimed once by its unique (case, clock, deadline, step) row, under the case's row lock
(FOR UPDATE SKIP LOCKED: a concurrent sweep, or a user acknowledging, holds the case and this sweep
leaves it to the next minute). Concurrent sweeps, retries and restarts therefore record each level once:
one `escalated` event each, and one set of notifications per sweep for the highest level reached.

The sweep also repairs what a dead broker left undone: "new case" notifications never sent, and
deliveries whose task was lost. A dead Redis delays work; it never loses it.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction

from cases.models import OPEN_STATUSES, Case, CaseEvent, Category, EventKind, Status
from escalation.ladder import Clock, DueStep, RunningClock, due_steps, number_levels, steps_reached
from escalation.models import EscalationStep
from escalation.policy import SlaTable
from escalation.selectors import cases_past_ack_deadline, cases_past_resolve_deadline
from geo.models import Region
from notifications.bulk import insert_ignoring_conflicts
from notifications.logs import current_task_id
from notifications.models import Kind
from notifications.selectors import CaseAudience
from notifications.services import NotificationRequest, deliveries_repair, notify_many, routed_notifications_repair
from sync.feed import record_case_change

logger = logging.getLogger(__name__)

CHUNK_SIZE = 1000  # cases per transaction: bounded lock time, and progress kept if a sweep is cut short
STEP_COLUMNS = ("id", "case_id", "clock", "deadline", "step", "level", "due_at", "recorded_at", "sweep_id")
EVENT_COLUMNS = ("id", "case_id", "kind", "actor_id", "at", "data")


@dataclass(frozen=True)
class Escalation:
    case_id: uuid.UUID
    reference: str
    level: int
    clock: str
    notified: bool


@dataclass
class SweepResult:
    now: datetime
    escalations: list[Escalation] = field(default_factory=list)
    notifications: int = 0
    routed_repaired: int = 0
    deliveries_requeued: int = 0

    @property
    def cases_escalated(self) -> int:
        return len({e.case_id for e in self.escalations})

    @property
    def levels_recorded(self) -> int:
        return len(self.escalations)


def escalation_sweep(*, now: datetime) -> SweepResult:
    """Record every escalation level due at `now`, notify once per case for its highest new level,
    and repair notifications a dead broker left undone."""
    result = SweepResult(now=now)
    sla = SlaTable.load()
    case_ids = _cases_with_due_steps(now=now, sla=sla)
    reference = ReferenceRows.load() if case_ids else ReferenceRows({}, {})
    for start in range(0, len(case_ids), CHUNK_SIZE):
        _escalate_chunk(case_ids[start : start + CHUNK_SIZE], now=now, sla=sla, reference=reference, result=result)
    result.routed_repaired = routed_notifications_repair(now=now)
    with transaction.atomic():
        result.deliveries_requeued = deliveries_repair(now=now)
    logger.info(
        "escalation sweep now=%s cases=%s levels=%s notifications=%s routed_repaired=%s deliveries_requeued=%s "
        "task_id=%s",
        now.isoformat(),
        result.cases_escalated,
        result.levels_recorded,
        result.notifications,
        result.routed_repaired,
        result.deliveries_requeued,
        current_task_id(),
    )
    return result


def _cases_with_due_steps(*, now: datetime, sla: SlaTable) -> list[uuid.UUID]:
    """Ids of the cases with at least one step due and not recorded. Two index range scans (new cases
    past their acknowledge deadline; open cases past their resolve deadline), each row checked against
    its last recorded step through the steps' unique index."""
    overdue_ack = cases_past_ack_deadline(now=now)
    overdue_resolve = cases_past_resolve_deadline(now=now)
    due: set[uuid.UUID] = set()
    for rows, clock in ((overdue_ack, Clock.ACK), (overdue_resolve, Clock.RESOLVE)):
        for case_id, severity, category_id, deadline, recorded in rows:
            policy = sla.sla(severity=severity, category_code=category_id)
            window = policy.ack if clock == Clock.ACK else policy.resolve
            if steps_reached(deadline=deadline, window=window, now=now) > recorded:
                due.add(case_id)
    return sorted(due)


def _running_clocks(case: Case, *, now: datetime, sla: SlaTable, recorded: dict) -> list[RunningClock]:
    """The clocks of a case that are past their deadline. Acknowledging or dispatching stops the
    acknowledge clock (the case is no longer `new`); resolving or closing stops the resolve clock."""
    policy = sla.sla(severity=case.severity, category_code=case.category_id)
    clocks = []
    if case.status == Status.NEW and case.ack_due_at is not None and case.ack_due_at <= now:
        last = recorded.get((case.id, Clock.ACK.value, case.ack_due_at), 0)
        clocks.append(RunningClock(Clock.ACK, case.ack_due_at, policy.ack, last))
    if case.status in OPEN_STATUSES and case.due_at is not None and case.due_at <= now:
        last = recorded.get((case.id, Clock.RESOLVE.value, case.due_at), 0)
        clocks.append(RunningClock(Clock.RESOLVE, case.due_at, policy.resolve, last))
    return clocks


@dataclass(frozen=True)
class ReferenceRows:
    categories: dict[str, Category]
    regions: dict[str, Region]

    @classmethod
    def load(cls) -> ReferenceRows:
        return cls(
            categories={c.code: c for c in Category.objects.all()},
            regions={r.code: r for r in Region.objects.defer("boundary")},
        )


def _escalate_chunk(
    case_ids: Sequence[uuid.UUID], *, now: datetime, sla: SlaTable, reference: ReferenceRows, result: SweepResult
) -> None:
    sweep_id = uuid.uuid4()
    with transaction.atomic():
        # Locked, and read again under the lock: the case may have been acknowledged, referred or
        # escalated by another sweep since it was selected.
        cases = list(
            Case.objects.select_for_update(skip_locked=True, of=("self",)).filter(id__in=list(case_ids)).order_by("id")
        )
        if not cases:
            return
        for case in cases:  # reference rows, loaded once per sweep: no join under the lock
            case.category = reference.categories[case.category_id]
            case.region = reference.regions.get(case.region_id) if case.region_id else None
        recorded: dict[tuple[uuid.UUID, str, datetime], int] = defaultdict(int)
        for case_id, clock, deadline, step_number in EscalationStep.objects.filter(
            case_id__in=[case.id for case in cases]
        ).values_list("case_id", "clock", "deadline", "step"):
            key = (case_id, clock, deadline)
            recorded[key] = max(recorded[key], step_number)

        planned: dict[uuid.UUID, list[tuple[int, DueStep]]] = {}
        rows: list[tuple[Any, ...]] = []
        for case in cases:
            steps = due_steps(clocks=_running_clocks(case, now=now, sla=sla, recorded=recorded), now=now)
            if not steps:
                continue
            planned[case.id] = number_levels(current_level=case.escalation_level, steps=steps)
            rows.extend(
                (uuid.uuid4(), case.id, step.clock.value, step.deadline, step.step, level, step.due_at, now, sweep_id)
                for level, step in planned[case.id]
            )
        if not rows:
            return
        inserted = insert_ignoring_conflicts(EscalationStep, STEP_COLUMNS, rows)
        claimed = {(row[1], row[2], row[4]) for row in rows if row[0] in inserted}

        events: list[tuple[Any, ...]] = []
        changed: list[Case] = []
        requests: list[NotificationRequest] = []
        audience = CaseAudience({case.upt_id for case in cases if case.id in planned})
        for case in cases:
            mine = [
                (level, step) for level, step in planned.get(case.id, []) if (case.id, step.clock, step.step) in claimed
            ]
            if not mine:
                continue
            for level, step in mine:
                data = {"level": level, "clock": step.clock.value, "step": step.step}
                events.append((uuid.uuid4(), case.id, EventKind.ESCALATED.value, None, now, data))
                if step.clock == Clock.ACK:
                    case.ack_escalation_level = step.step
                else:
                    case.resolve_escalation_level = step.step
            top_level, top_step = mine[-1]
            case.escalation_level = top_level
            case.updated_at = now
            changed.append(case)
            # After downtime several levels are recorded at once: the people are told once, of the highest.
            requests.append(
                NotificationRequest(
                    case=case,
                    recipients=audience.of_escalated(case.upt_id),
                    kind=Kind.CASE_ESCALATED,
                    event_key=f"escalated:{top_step.clock.value}:{top_step.deadline.timestamp():.0f}:{top_step.step}",
                    params={"level": top_level, "clock": top_step.clock.value},
                )
            )
            result.escalations.extend(
                Escalation(
                    case_id=case.id,
                    reference=case.reference,
                    level=level,
                    clock=step.clock.value,
                    notified=level == top_level,
                )
                for level, step in mine
            )
            logger.info(
                "case escalated case_id=%s level=%s clock=%s levels_recorded=%s task_id=%s",
                case.id,
                top_level,
                top_step.clock.value,
                len(mine),
                current_task_id(),
            )
        insert_ignoring_conflicts(CaseEvent, EVENT_COLUMNS, events)
        # One UPDATE per distinct set of levels (usually one for the whole chunk), not one per case.
        by_levels: dict[tuple[int, int, int], list[uuid.UUID]] = defaultdict(list)
        for case in changed:
            by_levels[(case.escalation_level, case.ack_escalation_level, case.resolve_escalation_level)].append(case.id)
        for (level, ack_level, resolve_level), ids in by_levels.items():
            Case.objects.filter(id__in=ids).update(
                escalation_level=level,
                ack_escalation_level=ack_level,
                resolve_escalation_level=resolve_level,
                updated_at=now,
            )
        for case in changed:
            # Server-made: `version` stays, and the change feed carries the new level to the next pull.
            record_case_change(case=case, previous_upt_id=case.upt_id, previous_assignee_id=case.assignee_id)
        result.notifications += len(notify_many(requests=requests, now=now))
