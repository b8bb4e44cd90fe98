from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from django.db.models import QuerySet

from accounts.models import Role, User
from cases.models import Case
from notifications.models import Delivery, DeliveryStatus, Notification


def notifications_of(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.filter(recipient=user)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created_at", "-id")


def cases_waiting_for_routed_notification(*, before: datetime) -> QuerySet[Case]:
    """Cases received before `before` whose "new case" notification was never recorded (through the
    partial index `case_routed_pending`, which holds only these rows)."""
    return Case.objects.filter(routed_notified_at__isnull=True, created_at__lte=before).order_by("created_at")


def deliveries_waiting(*, before: datetime) -> QuerySet[Delivery]:
    """Deliveries still pending that were due before `before` (partial index `delivery_pending_due`)."""
    return Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=before).order_by(
        "next_attempt_at"
    )


def managers() -> list[User]:
    return list(User.objects.filter(role=Role.MANAGER, is_active=True).order_by("id"))


def commanders_by_upt(upt_ids: Collection[int]) -> dict[int, list[User]]:
    """The active commanders of each of these UPTs (one query)."""
    commanders: dict[int, list[User]] = {upt_id: [] for upt_id in upt_ids}
    for user in User.objects.filter(role=Role.UPT_COMMANDER, upt_id__in=upt_ids, is_active=True).order_by("id"):
        assert user.upt_id is not None
        commanders[user.upt_id].append(user)
    return commanders


class CaseAudience:
    """Who is told of a case's arrival or escalation: the commanders of its UPT, or, for a case with no
    UPT (outside East Java, no location), the managers who triage it. Loaded once for many cases."""

    def __init__(self, upt_ids: Collection[int | None]) -> None:
        self._managers = managers()
        self._commanders = commanders_by_upt({upt_id for upt_id in upt_ids if upt_id is not None})

    def of_routed(self, upt_id: int | None) -> list[User]:
        # A UPT with no active commander would leave the case unseen: the managers take it then.
        commanders = self._commanders.get(upt_id, []) if upt_id is not None else []
        return list(commanders or self._managers)

    def of_escalated(self, upt_id: int | None) -> list[User]:
        """Every level tells the UPT's commanders and the managers."""
        if upt_id is None:
            return list(self._managers)
        return [*self._commanders.get(upt_id, []), *self._managers]
