"""Creating many cases of one user at once: the set-based form of `case_create`, for a sync push
that brings a day of offline work. The same rules, with a handful of queries for the whole batch
(one id check, one routing read, one reference claim, bulk inserts) instead of a dozen per case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.models import Case, CaseEvent
from cases.references import next_references
from cases.services._write import after_commit
from cases.services.lifecycle import CASEWORK_ROLES, build_case, created_event, start_case_clocks
from core.exceptions import Conflict, DomainError, Forbidden
from escalation.policy import Sla, sla_for
from geo.lookup import route_points
from sync.feed import ScopeChange, record_case_changes


@dataclass(frozen=True)
class NewCase:
    case_id: UUID
    fields: dict[str, Any]  # validated (`cases.validation.validate_case_fields`)
    client_time: datetime | None = None


CreateOutcome = tuple[Case, bool] | DomainError


def cases_create_many(*, actor: User, items: list[NewCase]) -> list[CreateOutcome]:
    """One outcome per item, in order: (case, created) or the error `case_create` would raise.

    An id already stored is returned unchanged to its reporter (created False) and refused to anyone
    else; the same new id twice in one batch is created once. A concurrent writer storing one of these
    ids first makes the bulk insert fail with IntegrityError, and the caller falls back to `case_create`
    one by one (which settles such races).
    """
    if actor.role not in CASEWORK_ROLES or not actor.is_active:
        return [Forbidden() for _ in items]
    now = timezone.now()
    ids = [item.case_id for item in items]
    # Usually none exist (a retry after a lost response is the exception): ask cheaply first.
    stored: dict[UUID, Case] = {}
    if Case.objects.filter(pk__in=ids).exists():
        stored = {
            case.pk: case
            for case in Case.objects.select_related("region", "upt", "reported_by", "assignee").filter(pk__in=ids)
        }
    outcomes: list[CreateOutcome | None] = [None] * len(items)
    fresh: dict[UUID, Case] = {}
    for index, item in enumerate(items):
        if item.case_id in stored:
            case = stored[item.case_id]
            outcomes[index] = (
                (case, False) if case.reported_by_id == actor.pk else Conflict("Id kasus ini sudah dipakai.")
            )
        elif item.case_id not in fresh:
            fresh[item.case_id] = build_case(
                actor=actor, case_id=item.case_id, fields=item.fields, client_time=item.client_time, now=now
            )
            outcomes[index] = (fresh[item.case_id], True)
        else:
            outcomes[index] = (fresh[item.case_id], False)
    if fresh:
        _store(actor=actor, cases=list(fresh.values()), now=now)
    return [outcome for outcome in outcomes if outcome is not None]


def _store(*, actor: User, cases: list[Case], now: datetime) -> None:
    for case, (region, upt) in zip(cases, route_points([(case.lat, case.lng) for case in cases]), strict=True):
        case.region, case.upt = region, upt
    slas: dict[tuple[str, str], Sla] = {}
    for case in cases:
        key = (case.severity, case.category_id)
        if key not in slas:
            slas[key] = sla_for(severity=case.severity, category_code=case.category_id)
        start_case_clocks(case, now=now, sla=slas[key])
    with transaction.atomic():
        for case, reference in zip(cases, next_references(now, len(cases)), strict=True):
            case.reference = reference
        Case.objects.bulk_create(cases)
        CaseEvent.objects.bulk_create([created_event(case, actor=actor, now=now) for case in cases])
        record_case_changes(ScopeChange(case.pk, case.upt_id, None, None, None, case.reported_by_id) for case in cases)
        case_ids = [str(case.pk) for case in cases]

        def enqueue() -> None:
            from notifications.tasks import notify_cases_routed

            notify_cases_routed.delay(case_ids)

        after_commit(enqueue)
