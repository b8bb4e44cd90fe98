"""Recording and delivering notifications.

`notify_many` records every notification first (the inbox), in the caller's transaction, and creates
one `Delivery` per external channel; after commit, one task per channel (and per batch) sends them.
A notification is told once: (recipient, case, event_key) is unique, and only the rows this call
inserted get deliveries.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.models import OPEN_STATUSES, Case, CaseEvent, EventKind
from cases.selectors import can_see_case
from notifications.bulk import insert_ignoring_conflicts
from notifications.channels import DeliveryFailed, external_channels
from notifications.logs import current_task_id
from notifications.models import Delivery, DeliveryStatus, Kind, Notification, PushSubscription
from notifications.selectors import CaseAudience, cases_waiting_for_routed_notification, deliveries_waiting
from notifications.texts import render

logger = logging.getLogger(__name__)

DELIVERY_BATCH = 100  # notifications per delivery task; one cut short by the time limit requeues the rest
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=30)
LAST_RETRY = timedelta(minutes=30)
REPAIR_AFTER = timedelta(minutes=1)  # work older than this whose task never ran is re-enqueued by the sweep


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


def notify(
    *, recipients: Sequence[User], case: Case, kind: str, event_key: str, params: Mapping[str, Any] | None = None
) -> list[Notification]:
    """Tell `recipients` about `case`; returns the notifications recorded now (not those told before)."""
    request = NotificationRequest(case=case, recipients=recipients, kind=kind, event_key=event_key, params=params or {})
    recorded = notify_many(requests=[request])
    return list(Notification.objects.filter(id__in=recorded).select_related("recipient"))


NOTIFICATION_COLUMNS = ("id", "recipient_id", "kind", "case_id", "event_key", "title", "body", "created_at")
DELIVERY_COLUMNS = ("notification_id", "channel", "status", "attempts", "next_attempt_at", "last_error")


def notify_many(*, requests: Iterable[NotificationRequest], now: datetime | None = None) -> list[uuid.UUID]:
    """Record the notifications of many cases at once (set-based), create their deliveries, and enqueue
    the delivery tasks on commit. Returns the ids recorded now: those told before are skipped."""
    now = now or timezone.now()
    rows: list[tuple[Any, ...]] = []
    recipient_of: dict[uuid.UUID, int] = {}
    seen: set[tuple[int, uuid.UUID, str]] = set()
    for request in requests:
        for recipient in request.recipients:
            key = (recipient.pk, request.case.pk, request.event_key)
            if key in seen:
                continue  # a commander who is also listed as manager, say: one message
            seen.add(key)
            text = render(kind=request.kind, case=request.case, language=recipient.language, params=request.params)
            notification_id = uuid.uuid4()
            recipient_of[notification_id] = recipient.pk
            rows.append(
                (
                    notification_id,
                    recipient.pk,
                    request.kind,
                    request.case.pk,
                    request.event_key,
                    text.title,
                    text.body,
                    now,
                )
            )
    if not rows:
        return []
    with transaction.atomic():
        inserted = insert_ignoring_conflicts(Notification, NOTIFICATION_COLUMNS, rows)
        recorded = [row[0] for row in rows if row[0] in inserted]
        _create_deliveries({notification_id: recipient_of[notification_id] for notification_id in recorded}, now=now)
    per_case: dict[tuple[uuid.UUID, str], int] = defaultdict(int)
    for row in rows:
        if row[0] in inserted:
            per_case[(row[3], row[2])] += 1
    for (case_id, kind), count in per_case.items():
        logger.info(
            "notifications recorded case_id=%s kind=%s count=%s task_id=%s", case_id, kind, count, current_task_id()
        )
    return recorded


def _create_deliveries(recipient_of: Mapping[uuid.UUID, int], *, now: datetime) -> None:
    by_channel: dict[str, list[str]] = {}
    rows: list[tuple[Any, ...]] = []
    for name, channel in external_channels().items():
        reachable = channel.reachable(set(recipient_of.values()))
        ids = [notification_id for notification_id, recipient in recipient_of.items() if recipient in reachable]
        rows.extend((notification_id, name, DeliveryStatus.PENDING.value, 0, now, "") for notification_id in ids)
        if ids:
            by_channel[name] = [str(notification_id) for notification_id in ids]
    insert_ignoring_conflicts(Delivery, DELIVERY_COLUMNS, rows)
    if by_channel:
        transaction.on_commit(lambda: enqueue_deliveries(by_channel), robust=True)


def enqueue_deliveries(by_channel: Mapping[str, Sequence[str]]) -> None:
    """One task per channel and batch. With the broker down the first failure stops the loop (each would
    wait for the connect timeout); the deliveries stay pending and the sweep enqueues them again."""
    from notifications.tasks import deliver

    with deliver.app.producer_or_acquire() as producer:  # one connection for the whole batch
        for channel, notification_ids in by_channel.items():
            for start in range(0, len(notification_ids), DELIVERY_BATCH):
                batch = list(notification_ids[start : start + DELIVERY_BATCH])
                deliver.apply_async((channel, batch), producer=producer)


@dataclass(frozen=True)
class RetryPlan:
    notification_ids: list[str]
    countdown: int


def deliveries_send(
    *, channel_name: str, notification_ids: Sequence[str], clock: Callable[[], datetime] = timezone.now
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
                delivery.sent_at = clock()
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
                delivery.next_attempt_at = clock() + delay
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
        deliveries_waiting(before=now - REPAIR_AFTER).values_list("id", "channel", "notification_id")[:limit]
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
        cases_waiting_for_routed_notification(before=now - REPAIR_AFTER).values_list("id", flat=True)[:limit]
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


# Changes that the people working a case are told of when someone else makes them. Routing and
# escalation have their own notifications, to the UPT's commanders and the managers.
UPDATE_EVENTS = frozenset(
    {
        EventKind.UPDATED,
        EventKind.ACKNOWLEDGED,
        EventKind.DISPATCHED,
        EventKind.STARTED,
        EventKind.RESOLVED,
        EventKind.CLOSED,
        EventKind.REOPENED,
        EventKind.REFERRED,
        EventKind.COMMENTED,
        EventKind.ATTACHMENT_ADDED,
    }
)


def case_updated_notify(*, case_id: uuid.UUID | str, event_id: uuid.UUID | str) -> int:
    """Tell the reporter and the assignee that someone else changed their case (its fields, its status,
    a comment, a photo): never the one who made the change, nor the new assignee of a dispatch (told by
    `case_assigned`), nor anyone who may no longer see the case. Once per timeline event."""
    event = CaseEvent.objects.filter(id=event_id, case_id=case_id).first()
    if event is None or event.kind not in UPDATE_EVENTS:
        return 0
    case = Case.objects.select_related("category", "region", "reported_by", "assignee").get(id=case_id)
    told_otherwise = case.assignee_id if event.kind == EventKind.DISPATCHED else None
    recipients = {
        user.pk: user
        for user in (case.reported_by, case.assignee)
        if user is not None
        and user.is_active
        and user.pk not in (event.actor_id, told_otherwise)
        and can_see_case(user, case)
    }
    if not recipients:
        return 0
    recorded = notify(
        recipients=list(recipients.values()), case=case, kind=Kind.CASE_UPDATED, event_key=f"updated:{event.id}"
    )
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
