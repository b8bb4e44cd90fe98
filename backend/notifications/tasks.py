"""Notification tasks (queue `notifications`). They take ids and call one service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="notifications.notify_case_routed")
def notify_case_routed(case_id: str) -> None:
    """Tell the commanders of the case's UPT (or the managers' triage) that a new case arrived."""
    return None


@shared_task(name="notifications.notify_case_assigned")
def notify_case_assigned(case_id: str, event_id: str) -> None:
    """Tell the assignee that a case was dispatched to them."""
    return None
