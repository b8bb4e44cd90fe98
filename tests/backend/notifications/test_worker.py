"""With a real Celery worker process, PostgreSQL and Redis: notifications are produced by the worker,
and a worker killed in the middle of a delivery leaves it to the next worker, which sends it once."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.db import transaction
from django.utils import timezone

from escalation.tasks import escalation_sweep
from notifications.models import Delivery, Notification
from notifications.tasks import notify_case_routed
from tests.backend.escalation.helpers import celery_broker, make_case
from tests.backend.notifications.workers import BROKER_URL, Worker, wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def channel_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "gated"
    directory.mkdir()
    return directory


@pytest.fixture
def workers(tmp_path: Path, channel_dir: Path) -> Iterator[list[Worker]]:
    # No stale messages from an earlier run: the queues and Celery's unacked bookkeeping, nothing else.
    redis.Redis.from_url(BROKER_URL).delete("default", "notifications", "unacked", "unacked_index")
    started: list[Worker] = []
    yield started
    for worker in started:
        worker.stop()


def new_case_committed(ani, upt_a, t0) -> str:
    """A case written as the case services write it: the "new case" task enqueued on commit."""
    with celery_broker(BROKER_URL), transaction.atomic():
        case = make_case(reporter=ani, upt=upt_a, received_at=t0, routed_notified_at=None)
        transaction.on_commit(lambda: notify_case_routed.delay(str(case.id)), robust=True)
    return str(case.id)


def lines(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


def test_the_worker_tells_the_commanders_of_a_new_case(ani, budi, upt_a, t0, workers, tmp_path, channel_dir) -> None:
    (channel_dir / "gate-open").touch()
    worker = Worker(tmp_path / "worker.log", channel_dir)
    workers.append(worker.start())
    case_id = new_case_committed(ani, upt_a, t0)

    delivery = wait_for(
        lambda: Delivery.objects.filter(notification__case_id=case_id, channel="gated", status="sent").first(),
        what="the worker to record and deliver the notification",
        worker=worker,
    )
    notification = Notification.objects.get(case_id=case_id)
    assert notification.recipient == budi and notification.kind == "case_routed"
    assert delivery.notification_id == notification.id
    assert lines(channel_dir / "sent.log") == [str(notification.id)]
    assert f"case_id={case_id}" in worker.log() and "task_id=" in worker.log()


def test_a_worker_killed_mid_delivery_is_replaced_and_the_delivery_happens_once(
    ani, budi, upt_a, t0, workers, tmp_path, channel_dir
) -> None:
    first = Worker(tmp_path / "first.log", channel_dir, CELERY_VISIBILITY_TIMEOUT="3")
    workers.append(first.start())
    case_id = new_case_committed(ani, upt_a, t0)

    wait_for(lambda: lines(channel_dir / "started.log"), what="the delivery to start", worker=first)
    first.kill()
    notification = Notification.objects.get(case_id=case_id)
    delivery = Delivery.objects.get(notification=notification, channel="gated")
    assert delivery.status == "pending" and lines(channel_dir / "sent.log") == []

    (channel_dir / "gate-open").touch()
    second = Worker(tmp_path / "second.log", channel_dir, CELERY_VISIBILITY_TIMEOUT="3")
    workers.append(second.start())
    wait_for(
        lambda: Delivery.objects.filter(id=delivery.id, status="sent").exists(),
        what="the restarted worker to complete the delivery",
        worker=second,
    )
    time.sleep(5)  # past the visibility timeout again: a second redelivery would show now
    assert lines(channel_dir / "sent.log") == [str(notification.id)]
    assert Notification.objects.filter(case_id=case_id).count() == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 1


def test_the_worker_runs_the_beat_sweep_and_escalates(ani, budi, eko, upt_a, workers, tmp_path, channel_dir) -> None:
    (channel_dir / "gate-open").touch()
    worker = Worker(tmp_path / "worker.log", channel_dir)
    workers.append(worker.start())
    received = timezone.now() - timedelta(minutes=31)  # a critical case, left unacknowledged
    case = make_case(reporter=ani, upt=upt_a, received_at=received)
    with celery_broker(BROKER_URL):
        escalation_sweep.delay()  # what beat sends every minute

    wait_for(
        lambda: Delivery.objects.filter(notification__case=case, channel="gated", status="sent").count() == 2,
        what="the worker to escalate the case and deliver to budi and eko",
        worker=worker,
    )
    case.refresh_from_db()
    assert case.escalation_level == 1
    assert sorted(Notification.objects.filter(case=case).values_list("recipient__username", "kind")) == [
        ("budi", "case_escalated"),
        ("eko", "case_escalated"),
    ]
