"""A dead broker delays notifications; it never loses them, and never fails the write."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.db import transaction

from accounts.models import User
from cases.models import Case
from escalation.services import escalation_sweep
from notifications.models import Delivery, Notification
from notifications.tasks import notify_case_routed
from tests.backend.escalation.helpers import celery_broker, make_case

CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_case_written_while_the_broker_is_down_is_told_by_the_next_sweep(
    ani, budi, eko, upt_a, t0, caplog, mailoutbox
) -> None:
    User.objects.filter(id=budi.id).update(email="budi@dinsos.jatimprov.go.id")
    with celery_broker(CLOSED_PORT, socket_connect_timeout=1, socket_timeout=1):
        started = time.monotonic()
        with transaction.atomic():  # as the case services write: the task is enqueued on commit, robustly
            case = make_case(reporter=ani, upt=upt_a, received_at=t0, routed_notified_at=None)
            transaction.on_commit(lambda: notify_case_routed.delay(str(case.id)), robust=True)
        elapsed = time.monotonic() - started

        assert Case.objects.filter(id=case.id).exists()  # the write succeeded
        assert elapsed < 10  # and did not hang on the broker
        assert any("on_commit" in record.getMessage() for record in caplog.records)  # the failure is logged
        assert not Notification.objects.exists()  # nothing was sent
        assert Case.objects.get(id=case.id).routed_notified_at is None

        # Beat runs the sweep while the broker is still down: the inbox gets it, the email waits.
        assert escalation_sweep(now=t0 + timedelta(seconds=30)).routed_repaired == 0  # its task may be in flight
        assert escalation_sweep(now=t0 + timedelta(minutes=2)).routed_repaired == 1
        assert list(Notification.objects.values_list("recipient__username", "kind")) == [("budi", "case_routed")]
        assert Delivery.objects.get().status == "pending" and mailoutbox == []

    # The broker is back (tasks run in-process here): the next sweeps send what waited, once.
    again = escalation_sweep(now=t0 + timedelta(minutes=4))
    assert (again.routed_repaired, again.deliveries_requeued) == (0, 1)
    assert escalation_sweep(now=t0 + timedelta(minutes=8)).deliveries_requeued == 0
    assert Notification.objects.count() == 1
    assert Delivery.objects.get().status == "sent"
    assert [message.to for message in mailoutbox] == [["budi@dinsos.jatimprov.go.id"]]

    # The task, delivered late after all, changes nothing.
    notify_case_routed.delay(str(case.id))
    assert Notification.objects.count() == 1 and len(mailoutbox) == 1
