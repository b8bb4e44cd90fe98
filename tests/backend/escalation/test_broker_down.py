"""A dead broker delays notifications; it never loses them, and never fails the write."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.db import transaction

from cases.models import Case
from escalation.services import escalation_sweep
from notifications.models import Notification
from notifications.tasks import notify_case_routed
from tests.backend.escalation.helpers import celery_broker, make_case

CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_case_written_while_the_broker_is_down_is_told_by_the_next_sweep(ani, budi, eko, upt_a, t0, caplog) -> None:
    with celery_broker(CLOSED_PORT, socket_connect_timeout=1, socket_timeout=1):
        started = time.monotonic()
        with transaction.atomic():  # as the case services write: the task is enqueued on commit, robustly
            case = make_case(reporter=ani, upt=upt_a, received_at=t0, routed_notified_at=None)
            transaction.on_commit(lambda: notify_case_routed.delay(str(case.id)), robust=True)
        elapsed = time.monotonic() - started

    assert Case.objects.filter(id=case.id).exists()  # the write succeeded
    assert elapsed < 10  # and did not hang on the broker
    assert any("on_commit" in record.getMessage() for record in caplog.records)  # the failed enqueue is logged
    assert not Notification.objects.exists()  # nothing was sent
    assert Case.objects.get(id=case.id).routed_notified_at is None

    # The broker is back (tasks run in-process here); beat runs the sweep.
    assert escalation_sweep(now=t0 + timedelta(seconds=30)).routed_repaired == 0  # too early: may be in flight
    first = escalation_sweep(now=t0 + timedelta(minutes=2))
    again = escalation_sweep(now=t0 + timedelta(minutes=3))
    assert (first.routed_repaired, again.routed_repaired) == (1, 0)
    assert list(Notification.objects.values_list("recipient__username", "kind")) == [("budi", "case_routed")]
    assert Case.objects.get(id=case.id).routed_notified_at is not None

    # The task, delivered late after all, changes nothing.
    notify_case_routed.delay(str(case.id))
    assert Notification.objects.count() == 1
