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

from django.db import transaction
from django.db.models import IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from cases.models import OPEN_STATUSES, Case, CaseEvent, EventKind, Status
from escalation.ladder import Clock, DueStep, RunningClock, due_steps, number_levels, steps_reached
from escalation.models import EscalationStep
from escalation.policy import SlaTable
from notifications.logs import current_task_id
from notifications.models import Kind
from notifications.selectors import CaseAudience
from notifications.services import NotificationRequest, deliveries_repair, notify_many, routed_notifications_repair
from sync.feed import record_case_change

logger = logging.getLogger(__name__)

CHUNK_SIZE = 500  # cases per transaction: bounded lock time, and progress kept if a sweep is cut short


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
    for start in range(0, len(case_ids), CHUNK_SIZE):
        _escalate_chunk(case_ids[start : start + CHUNK_SIZE], now=now, sla=sla, result=result)
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


def _last_recorded_step(clock: Clock, deadline_field: str) -> Coalesce:
    steps = EscalationStep.objects.filter(case=OuterRef("pk"), clock=clock, deadline=OuterRef(deadline_field))
    return Coalesce(Subquery(steps.order_by("-step").values("step")[:1]), 0, output_field=IntegerField())


def _cases_with_due_steps(*, now: datetime, sla: SlaTable) -> list[uuid.UUID]:
    """Ids of the cases with at least one step due and not recorded. Two index range scans (new cases
    past their acknowledge deadline; open cases past their resolve deadline), each row checked against
    its last recorded step through the steps' unique index."""
    overdue_ack = (
        Case.objects.filter(status=Status.NEW, ack_due_at__lte=now)
        .annotate(recorded=_last_recorded_step(Clock.ACK, "ack_due_at"))
        .order_by()
        .values_list("id", "severity", "category_id", "ack_due_at", "recorded")
    )
    overdue_resolve = (
        Case.objects.filter(status__in=OPEN_STATUSES, due_at__lte=now)
        .annotate(recorded=_last_recorded_step(Clock.RESOLVE, "due_at"))
        .order_by()
        .values_list("id", "severity", "category_id", "due_at", "recorded")
    )
    due: set[uuid.UUID] = set()
    for rows, clock in ((overdue_ack, Clock.ACK), (overdue_resolve, Clock.RESOLVE)):
        for case_id, severity, category_id, deadline, recorded in rows:
            assert deadline is not None  # the filter is deadline <= now
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


def _escalate_chunk(case_ids: Sequence[uuid.UUID], *, now: datetime, sla: SlaTable, result: SweepResult) -> None:
    sweep_id = uuid.uuid4()
    with transaction.atomic():
        # Locked, and read again under the lock: the case may have been acknowledged, referred or
        # escalated by another sweep since it was selected.
        cases = list(
            Case.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(id__in=list(case_ids))
            .select_related("category", "region")
            .order_by("id")
        )
        if not cases:
            return
        recorded: dict[tuple[uuid.UUID, str, datetime], int] = defaultdict(int)
        for case_id, clock, deadline, step_number in EscalationStep.objects.filter(
            case_id__in=[case.id for case in cases]
        ).values_list("case_id", "clock", "deadline", "step"):
            key = (case_id, clock, deadline)
            recorded[key] = max(recorded[key], step_number)

        planned: dict[uuid.UUID, list[tuple[int, DueStep]]] = {}
        rows: list[EscalationStep] = []
        for case in cases:
            steps = due_steps(clocks=_running_clocks(case, now=now, sla=sla, recorded=recorded), now=now)
            if not steps:
                continue
            planned[case.id] = number_levels(current_level=case.escalation_level, steps=steps)
            rows.extend(
                EscalationStep(
                    id=uuid.uuid4(),
                    case=case,
                    clock=step.clock.value,
                    deadline=step.deadline,
                    step=step.step,
                    level=level,
                    due_at=step.due_at,
                    recorded_at=now,
                    sweep_id=sweep_id,
                )
                for level, step in planned[case.id]
            )
        if not rows:
            return
        EscalationStep.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        claimed = {
            (case_id, clock, step)
            for case_id, clock, step in EscalationStep.objects.filter(sweep_id=sweep_id).values_list(
                "case_id", "clock", "step"
            )
        }

        events: list[CaseEvent] = []
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
                events.append(
                    CaseEvent(
                        case=case,
                        kind=EventKind.ESCALATED,
                        actor=None,
                        at=now,
                        data={"level": level, "clock": step.clock.value, "step": step.step},
                    )
                )
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
        CaseEvent.objects.bulk_create(events, batch_size=1000)
        Case.objects.bulk_update(
            changed,
            ["escalation_level", "ack_escalation_level", "resolve_escalation_level", "updated_at"],
            batch_size=500,
        )
        for case in changed:
            # Server-made: `version` stays, and the change feed carries the new level to the next pull.
            record_case_change(case=case, previous_upt_id=case.upt_id, previous_assignee_id=case.assignee_id)
        result.notifications += len(notify_many(requests=requests, now=now))
