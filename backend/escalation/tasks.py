"""Escalation tasks (queue `default`), run by Celery beat every minute."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from escalation import services


@shared_task(name="escalation.tasks.escalation_sweep")
def escalation_sweep() -> dict[str, int]:
    """One sweep at the current time. Safe to overlap with another (a slow sweep, a manual run)."""
    result = services.escalation_sweep(now=timezone.now())
    return {
        "cases_escalated": result.cases_escalated,
        "levels_recorded": result.levels_recorded,
        "notifications": result.notifications,
        "routed_repaired": result.routed_repaired,
        "deliveries_requeued": result.deliveries_requeued,
    }
