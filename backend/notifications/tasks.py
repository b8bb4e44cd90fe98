"""Notification tasks (queue `notifications`). They take ids and call one service.

Each is safe to run twice (a redelivered message after a worker died, the sweep's repair running beside
it): recording is deduplicated by (recipient, case, event_key), and a delivery is sent under its row lock.
"""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from notifications.services import case_assigned_notify, case_updated_notify, cases_routed_notify, deliveries_send

logger = logging.getLogger(__name__)


@shared_task(name="notifications.notify_case_routed")
def notify_case_routed(case_id: str) -> None:
    """Tell the commanders of the case's UPT (or the managers' triage) that a new case arrived."""
    cases_routed_notify(case_ids=[case_id])


@shared_task(name="notifications.notify_case_assigned")
def notify_case_assigned(case_id: str, event_id: str) -> None:
    """Tell the assignee that a case was dispatched to them."""
    case_assigned_notify(case_id=case_id, event_id=event_id)


@shared_task(name="notifications.notify_case_updated")
def notify_case_updated(case_id: str, event_id: str) -> None:
    """Tell the reporter and the assignee that someone else changed their case."""
    case_updated_notify(case_id=case_id, event_id=event_id)


@shared_task(bind=True, name="notifications.deliver", max_retries=None)
def deliver(self, channel: str, notification_ids: list[str]) -> None:
    """Send these notifications on one channel. Transient failures come back with backoff; the number of
    attempts is kept on each delivery, which gives up after the last one."""
    try:
        plan = deliveries_send(channel_name=channel, notification_ids=notification_ids)
    except SoftTimeLimitExceeded:
        # A slow mail server or push service: what was sent is marked; the rest go round again now.
        logger.warning("delivery batch cut short channel=%s task_id=%s", channel, self.request.id)
        raise self.retry(countdown=0) from None
    if plan is None:
        return
    if self.request.is_eager:
        return  # in-process runs (tests, debugging) do not sleep: the sweep's repair retries them
    raise self.retry(args=(channel, plan.notification_ids), countdown=plan.countdown)


@shared_task(name="notifications.notify_cases_routed")
def notify_cases_routed(case_ids: list[str]) -> None:
    """The same for a batch of new cases (a sync push of many): one message instead of one per case."""
    cases_routed_notify(case_ids=case_ids)
