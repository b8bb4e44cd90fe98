"""Reads of the sweep: the overdue cases, through the (status, ack_due_at) and (status, due_at) indexes."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db.models import IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from cases.models import OPEN_STATUSES, Case, Status
from escalation.ladder import Clock
from escalation.models import EscalationStep


def _last_recorded_step(clock: Clock, deadline_field: str) -> Coalesce:
    steps = EscalationStep.objects.filter(case=OuterRef("pk"), clock=clock, deadline=OuterRef(deadline_field))
    return Coalesce(Subquery(steps.order_by("-step").values("step")[:1]), 0, output_field=IntegerField())


# (case id, severity, category code, deadline, last step recorded for that deadline or 0)
OverdueRow = tuple[uuid.UUID, str, str, datetime, int]


def cases_past_ack_deadline(*, now: datetime) -> QuerySet[Case, OverdueRow]:
    """New cases past their acknowledge deadline, with the last step recorded for that deadline
    (through the steps' unique index)."""
    rows = (
        Case.objects.filter(status=Status.NEW, ack_due_at__lte=now)
        .annotate(recorded=_last_recorded_step(Clock.ACK, "ack_due_at"))
        .order_by()
        .values_list("id", "severity", "category_id", "ack_due_at", "recorded")
    )
    return rows  # type: ignore[return-value]  # the deadline is not null: the filter compares it


def cases_past_resolve_deadline(*, now: datetime) -> QuerySet[Case, OverdueRow]:
    """Open cases past their resolve deadline, with the last step recorded for that deadline."""
    rows = (
        Case.objects.filter(status__in=OPEN_STATUSES, due_at__lte=now)
        .annotate(recorded=_last_recorded_step(Clock.RESOLVE, "due_at"))
        .order_by()
        .values_list("id", "severity", "category_id", "due_at", "recorded")
    )
    return rows  # type: ignore[return-value]  # the deadline is not null: the filter compares it
