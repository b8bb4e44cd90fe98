"""The case's SLA clocks (DESIGN.md, "Escalation"): when they start, stop and restart."""

from __future__ import annotations

from datetime import datetime

from cases.models import Case
from escalation.policy import Sla, deadlines, sla_for


def start_clocks(case: Case, *, now: datetime, sla: Sla | None = None) -> None:
    """Both clocks from `now`: on create and refer (escalation begins again at level 0). `sla` may be
    given by a caller that already looked it up (a batch of creates)."""
    case.clock_started_at = now
    case.ack_due_at, case.due_at = deadlines(
        sla=sla or sla_for(severity=case.severity, category_code=case.category_id), clock_started_at=now
    )
    case.escalation_level = 0
    case.ack_escalation_level = 0
    case.resolve_escalation_level = 0


def restart_resolve_clock(case: Case, *, now: datetime) -> None:
    """Reopen: the case must be resolved again within its window, counted from now."""
    case.clock_started_at = now
    _, case.due_at = deadlines(
        sla=sla_for(severity=case.severity, category_code=case.category_id), clock_started_at=now
    )
    case.ack_due_at = None
    case.resolve_escalation_level = 0
    case.escalation_level = 0


def stop_ack_clock(case: Case) -> None:
    case.ack_due_at = None


def stop_all_clocks(case: Case) -> None:
    case.ack_due_at = None
    case.due_at = None


def recompute_running_clocks(case: Case) -> None:
    """After a severity or category change: the deadlines still running move to the new policy,
    still counted from when the clock started (never from the change)."""
    ack_due_at, due_at = deadlines(
        sla=sla_for(severity=case.severity, category_code=case.category_id), clock_started_at=case.clock_started_at
    )
    if case.ack_due_at is not None:
        case.ack_due_at = ack_due_at
    if case.due_at is not None:
        case.due_at = due_at
