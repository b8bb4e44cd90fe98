"""Cases made and moved with the ORM, as the case services would leave them (those are written elsewhere)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.utils import timezone

from accounts.models import User
from cases.models import Case, Status
from config.celery import app as celery_app
from escalation.policy import deadlines, sla_for
from geo.models import Region, Upt

_numbers = itertools.count(1)

# What a notification must never carry (DESIGN.md): the person's and the complainant's data, the texts.
PERSON = {"name": "Siti Aminah Rahayu", "age_estimate": 70, "sex": "female", "nik": "3523014507560001"}
COMPLAINANT = {"name": "Bambang Sutejo", "phone": "081234567890"}
SUMMARY = "Nenek tidur di emper toko Jalan Pemuda"
DESCRIPTION = "Ditemukan lemah, tanpa keluarga; warung Bu Sri di sebelahnya memberi makan."
ADDRESS = "Jalan Pemuda 12, Tuban"
SECRETS: tuple[str, ...] = (
    *(str(PERSON[key]) for key in ("name", "nik")),
    *COMPLAINANT.values(),
    SUMMARY,
    DESCRIPTION,
    ADDRESS,
)


def make_case(
    *,
    reporter: User,
    upt: Upt | None,
    severity: str = "critical",
    category: str = "PPKS08",
    region: str | None = "35.23",
    received_at: datetime | None = None,
    **fields: Any,
) -> Case:
    """A new case received at `received_at`, routed to `upt`, with its deadlines running."""
    received_at = received_at or timezone.now()
    ack_due_at, due_at = deadlines(sla=sla_for(severity=severity, category_code=category), clock_started_at=received_at)
    values: dict[str, Any] = {
        "reference": f"JSC-2026-{next(_numbers):06d}",
        "category_id": category,
        "severity": severity,
        "status": Status.NEW,
        "summary": SUMMARY,
        "description": DESCRIPTION,
        "address": ADDRESS,
        "lat": -6.9,
        "lng": 112.05,
        "person": PERSON,
        "complainant": COMPLAINANT,
        "region": Region.objects.get(code=region) if region else None,
        "upt": upt,
        "reported_by": reporter,
        "clock_started_at": received_at,
        "ack_due_at": ack_due_at,
        "due_at": due_at,
        "observed_at": received_at,
        "created_at": received_at,
        "updated_at": received_at,
        "routed_notified_at": received_at,
    }
    values.update(fields)
    return Case.objects.create(**values)


def acknowledge(case: Case, *, at: datetime) -> None:
    """As `case_acknowledge` leaves it: the acknowledge clock stops, the resolve clock runs on."""
    Case.objects.filter(id=case.id).update(status=Status.ACKNOWLEDGED, ack_due_at=None, acknowledged_at=at)


def resolve(case: Case, *, at: datetime) -> None:
    Case.objects.filter(id=case.id).update(status=Status.RESOLVED, ack_due_at=None, due_at=None, resolved_at=at)


def refer(case: Case, *, to: Upt, at: datetime) -> None:
    """As `case_refer` leaves it: new at the other UPT, clocks restarted, level back to 0."""
    case.refresh_from_db()
    ack_due_at, due_at = deadlines(
        sla=sla_for(severity=case.severity, category_code=case.category_id), clock_started_at=at
    )
    Case.objects.filter(id=case.id).update(
        status=Status.NEW,
        upt=to,
        assignee=None,
        was_referred=True,
        clock_started_at=at,
        ack_due_at=ack_due_at,
        due_at=due_at,
        escalation_level=0,
        ack_escalation_level=0,
        resolve_escalation_level=0,
        routed_notified_at=None,
    )


@contextmanager
def celery_broker(url: str, **transport_options: Any) -> Iterator[None]:
    """Publish tasks to a real broker at `url` (not in-process) for the duration of the block."""
    conf = celery_app.conf
    saved = (conf.broker_url, conf.broker_transport_options, conf.task_always_eager)

    def reset_pools() -> None:  # the next publish connects to the broker configured then
        celery_app._pool = None  # type: ignore[attr-defined]
        celery_app.amqp._producer_pool = None  # type: ignore[attr-defined]

    reset_pools()
    conf.update(broker_url=url, broker_transport_options=transport_options, task_always_eager=False)
    try:
        yield
    finally:
        reset_pools()
        conf.update(broker_url=saved[0], broker_transport_options=saved[1], task_always_eager=saved[2])
