"""Recording and delivering notifications.

`notify_many` records every notification first (the inbox), in the caller's transaction, and creates
one `Delivery` per external channel; after commit, one task per channel (and per batch) sends them.
A notification is told once: (recipient, case, event_key) is unique, and only the rows this call
inserted get deliveries.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from accounts.models import User
from cases.models import OPEN_STATUSES, Case
from notifications.channels import DeliveryFailed, external_channels
from notifications.logs import current_task_id
from notifications.models import Delivery, DeliveryStatus, Kind, Notification, PushSubscription
from notifications.selectors import CaseAudience
from notifications.texts import render

logger = logging.getLogger(__name__)

DELIVERY_BATCH = 50  # notifications per delivery task: well inside the task time limit at 10 s per push
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=30)
LAST_RETRY = timedelta(minutes=30)
REPAIR_AFTER = timedelta(minutes=1)  # work older than this whose task never ran is re-enqueued by the sweep
READ_BACK_CHUNK = 900  # ids per IN (...) query: under SQLite's parameter limit


@dataclass(frozen=True)
class NotificationRequest:
    case: Case  # with category and region loaded
    recipients: Sequence[User]
    kind: str
    event_key: str
    params: Mapping[str, Any] = field(default_factory=dict)


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... up to 30 min between attempts."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LAST_RETRY)


def _existing_ids(model: type[Model], ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    found: set[uuid.UUID] = set()
    for start in range(0, len(ids), READ_BACK_CHUNK):
        chunk = ids[start : start + READ_BACK_CHUNK]
        found.update(model._default_manager.filter(pk__in=chunk).values_list("pk", flat=True))
    return found


def notify(
    *, recipients: Sequence[User], case: Case, kind: str, event_key: str, params: Mapping[str, Any] | None = None
) -> list[Notification]:
    """Tell `recipients` about `case`; returns the notifications recorded now (not those told before)."""
    return notify_many(
        requests=[
            NotificationRequest(case=case, recipients=recipients, kind=kind, event_key=event_key, params=params or {})
        ]
    )


def notify_many(*, requests: Iterable[NotificationRequest], now: datetime | None = None) -> list[Notification]:
    """Record the notifications of many cases at once (bulk), then enqueue their deliveries on commit."""
    now = now or timezone.now()
    rows: list[Notification] = []
    seen: set[tuple[int, uuid.UUID, str]] = set()
    for request in requests:
        for recipient in request.recipients:
            key = (recipient.pk, request.case.pk, request.event_key)
            if key in seen:
                continue  # a commander who is also listed as manager, say: one message
            seen.add(key)
            text = render(kind=request.kind, case=request.case, language=recipient.language, params=request.params)
            rows.append(
                Notification(
                    id=uuid.uuid4(),
                    recipient=recipient,
                    kind=request.kind,
                    case=request.case,
                    event_key=request.event_key,
                    title=text.title,
                    body=text.body,
                    created_at=now,
                )
            )
    if not rows:
        return []
    with transaction.atomic():
        Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        recorded_ids = _existing_ids(Notification, [row.id for row in rows])
        recorded = [row for row in rows if row.id in recorded_ids]
        _create_deliveries(recorded, now=now)
    for notification in recorded:
        logger.info(
            "notification recorded notification_id=%s kind=%s case_id=%s recipient_id=%s task_id=%s",
            notification.id,
            notification.kind,
            notification.case_id,
            notification.recipient_id,
            current_task_id(),
        )
    return recorded


def _create_deliveries(notifications: Sequence[Notification], *, now: datetime) -> None:
    recipient_ids = {n.recipient_id for n in notifications}
    by_channel: dict[str, list[str]] = {}
    deliveries: list[Delivery] = []
    for name, channel in external_channels().items():
        reachable = channel.reachable(recipient_ids)
        ids = [n for n in notifications if n.recipient_id in reachable]
        deliveries.extend(Delivery(notification=n, channel=name, next_attempt_at=now) for n in ids)
        if ids:
            by_channel[name] = [str(n.id) for n in ids]
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True, batch_size=1000)
    if by_channel:
        transaction.on_commit(lambda: enqueue_deliveries(by_channel), robust=True)


def enqueue_deliveries(by_channel: Mapping[str, Sequence[str]]) -> None:
    """One task per channel and batch. With the broker down the first failure stops the loop (each would
    wait for the connect timeout); the deliveries stay pending and the sweep enqueues them again."""
    from notifications.tasks import deliver

    for channel, notification_ids in by_channel.items():
        for start in range(0, len(notification_ids), DELIVERY_BATCH):
            deliver.delay(channel, list(notification_ids[start : start + DELIVERY_BATCH]))


@dataclass(frozen=True)
class RetryPlan:
    notification_ids: list[str]
    countdown: int


def deliveries_send(
    *, channel_name: str, notification_ids: Sequence[str], now: Callable[[], datetime] = timezone.now
) -> RetryPlan | None:
    """Send the pending deliveries of these notifications on one channel; mark each sent or failed.

    Each delivery is sent inside its own transaction holding its row lock (FOR UPDATE SKIP LOCKED): a
    duplicate task (a redelivered message, the sweep's repair) skips a delivery that is in flight, and
    a worker that dies mid-send releases the lock with its connection, leaving the delivery pending
    for the redelivered task. At-least-once edge: if the worker dies after the mail server or push
    service accepted the message but before the commit, it is sent again. The inbox record itself is
    never duplicated.
    """
    channel = external_channels().get(channel_name)
    if channel is None:
        logger.error("unknown notification channel channel=%s task_id=%s", channel_name, current_task_id())
        return None
    pending_ids = list(
        Delivery.objects.filter(
            channel=channel_name, notification_id__in=list(notification_ids), status=DeliveryStatus.PENDING
        ).values_list("id", flat=True)
    )
    retry_ids: list[str] = []
    countdown: int | None = None
    for delivery_id in pending_ids:
        with transaction.atomic():
            delivery = (
                Delivery.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("notification__recipient")
                .filter(id=delivery_id, status=DeliveryStatus.PENDING)
                .first()
            )
            if delivery is None:
                continue
            notification = delivery.notification
            delivery.attempts += 1
            try:
                channel.send(notification)
            except SoftTimeLimitExceeded:
                raise
            except DeliveryFailed as failure:
                transient, reason = failure.transient, failure.reason
            except Exception as exc:  # a bug or an unforeseen library error: retried, then given up
                logger.exception("delivery error delivery_id=%s", delivery.pk)
                transient, reason = True, f"unexpected: {type(exc).__name__}"
            else:
                delivery.status = DeliveryStatus.SENT
                delivery.sent_at = now()
                delivery.last_error = ""
                delivery.save(update_fields=["status", "sent_at", "attempts", "last_error"])
                logger.info(
                    "notification sent channel=%s notification_id=%s case_id=%s task_id=%s",
                    channel_name,
                    notification.id,
                    notification.case_id,
                    current_task_id(),
                )
                continue
            delivery.last_error = reason[:200]
            if transient and delivery.attempts < MAX_ATTEMPTS:
                delay = retry_delay(delivery.attempts)
                delivery.next_attempt_at = now() + delay
                retry_ids.append(str(notification.id))
                countdown = min(countdown or int(delay.total_seconds()), int(delay.total_seconds()))
            else:
                delivery.status = DeliveryStatus.FAILED
            delivery.save(update_fields=["status", "attempts", "next_attempt_at", "last_error"])
            logger.warning(
                "notification not sent channel=%s notification_id=%s case_id=%s attempts=%s status=%s reason=%s "
                "task_id=%s",
                channel_name,
                notification.id,
                notification.case_id,
                delivery.attempts,
                delivery.status,
                delivery.last_error,
                current_task_id(),
            )
    if retry_ids and countdown is not None:
        return RetryPlan(notification_ids=retry_ids, countdown=countdown)
    return None


def deliveries_repair(*, now: datetime, limit: int = 5000) -> int:
    """Re-enqueue deliveries still pending well after they were due (their task was lost: broker down,
    worker gone past its retries). Pushing `next_attempt_at` forward keeps the next sweeps from
    enqueuing them again while the task waits in the queue."""
    overdue = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now - REPAIR_AFTER)
        .order_by("next_attempt_at")
        .values_list("id", "channel", "notification_id")[:limit]
    )
    if not overdue:
        return 0
    Delivery.objects.filter(id__in=[row[0] for row in overdue]).update(next_attempt_at=now + 2 * REPAIR_AFTER)
    by_channel: dict[str, list[str]] = {}
    for _, channel, notification_id in overdue:
        by_channel.setdefault(channel, []).append(str(notification_id))
    transaction.on_commit(lambda: enqueue_deliveries(by_channel), robust=True)
    return len(overdue)


# --- What the case workflow tells ---------------------------------------------------------------


def routed_event_key(case: Case) -> str:
    """One "new case" message per routing: a refer restarts the clock and names another UPT."""
    return f"routed:{case.upt_id or 'triage'}:{int(case.clock_started_at.timestamp())}"


def cases_routed_notify(*, case_ids: Sequence[uuid.UUID | str], now: datetime | None = None) -> int:
    """Tell the commanders of each case's UPT (or the managers, for a case with no UPT) that it arrived,
    and mark it told. Called by the task enqueued on commit and by the sweep's repair alike: the
    event key makes the second caller a no-op. Closed or resolved cases are only marked."""
    now = now or timezone.now()
    with transaction.atomic():
        cases = list(
            Case.objects.filter(id__in=list(case_ids)).select_related("category", "region").order_by("created_at")
        )
        open_cases = [case for case in cases if case.status in OPEN_STATUSES]
        audience = CaseAudience({case.upt_id for case in open_cases})
        recorded = notify_many(
            requests=[
                NotificationRequest(
                    case=case,
                    recipients=audience.of_routed(case.upt_id),
                    kind=Kind.CASE_ROUTED,
                    event_key=routed_event_key(case),
                )
                for case in open_cases
            ],
            now=now,
        )
        Case.objects.filter(id__in=[case.id for case in cases], routed_notified_at__isnull=True).update(
            routed_notified_at=now
        )
    return len(recorded)


def routed_notifications_repair(*, now: datetime, limit: int = 1000) -> int:
    """Cases whose "new case" task never ran (the broker was down at commit): tell them now. The partial
    index `case_routed_pending` holds only these rows, so this costs nothing when all is well."""
    waiting = list(
        Case.objects.filter(routed_notified_at__isnull=True, created_at__lte=now - REPAIR_AFTER)
        .order_by("created_at")
        .values_list("id", flat=True)[:limit]
    )
    if not waiting:
        return 0
    cases_routed_notify(case_ids=waiting, now=now)
    logger.info("routed notifications repaired cases=%s task_id=%s", len(waiting), current_task_id())
    return len(waiting)


def case_assigned_notify(*, case_id: uuid.UUID | str, event_id: uuid.UUID | str) -> int:
    case = Case.objects.select_related("category", "region", "assignee").filter(id=case_id).first()
    if case is None or case.assignee is None or not case.assignee.is_active:
        return 0
    recorded = notify(recipients=[case.assignee], case=case, kind=Kind.CASE_ASSIGNED, event_key=f"assigned:{event_id}")
    return len(recorded)


# --- The recipient's own inbox and subscriptions ------------------------------------------------


def notification_mark_read(*, user: User, notification_id: uuid.UUID) -> Notification:
    """Mark one of the caller's notifications read (idempotent: the first read time stays).
    Someone else's is `DoesNotExist`, as if it were not there."""
    notification = Notification.objects.get(id=notification_id, recipient=user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        updated = Notification.objects.filter(id=notification.id, read_at__isnull=True).update(
            read_at=notification.read_at
        )
        if not updated:  # read at the same moment on another device: keep the first time
            notification.refresh_from_db(fields=["read_at"])
    return notification


def push_subscription_save(*, user: User, endpoint: str, p256dh: str, auth: str) -> tuple[PushSubscription, bool]:
    """Idempotent by endpoint. The endpoint is the browser: if another user subscribed on it before,
    it now belongs to the caller (the phone changed hands), with the keys it sends now."""
    subscription, created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={"user": user, "p256dh": p256dh, "auth": auth},
        create_defaults={"user": user, "p256dh": p256dh, "auth": auth, "created_at": timezone.now()},
    )
    return subscription, created
