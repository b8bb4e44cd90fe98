from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    CASE_ROUTED = "case_routed", "Kasus baru untuk UPT"
    CASE_ESCALATED = "case_escalated", "Eskalasi kasus"
    CASE_ASSIGNED = "case_assigned", "Kasus ditugaskan"
    CASE_UPDATED = "case_updated", "Kasus diperbarui"


class Notification(models.Model):
    """One message to one person about one case: the in-app inbox is this record itself; other channels
    (email, Web Push) are tracked per channel in `Delivery`. (recipient, case, event_key) is unique so
    that every path that may tell the same thing twice (a retried task, the sweep's repair, a second
    sweep) records it once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Indexed by `notification_once` and `notification_inbox`, both led by the recipient.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", db_index=False
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="notifications")
    event_key = models.CharField(max_length=100)
    # Reference, category, severity and kabupaten/kota only: never a person's data (DESIGN.md).
    title = models.CharField(max_length=200)
    body = models.CharField(max_length=500)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "case", "event_key"], name="notification_once"),
        ]
        indexes = [models.Index(fields=["recipient", "-created_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient_id} ({self.event_key})"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Menunggu"
    SENT = "sent", "Terkirim"
    FAILED = "failed", "Gagal"


class Delivery(models.Model):
    """The delivery state of a notification on one external channel (email, Web Push, later SMS)."""

    # Indexed by `delivery_once_per_channel`, led by the notification.
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries", db_index=False)
    channel = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel"),
        ]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=models.Q(status="pending"), name="delivery_pending_due"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.status} for {self.notification_id}"


class PushSubscription(models.Model):
    """A browser's Web Push subscription. The endpoint identifies the browser; whoever subscribed last
    on it owns it (one person logs out, another logs in on the same phone)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=120)
    auth = models.CharField(max_length=50)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user"], name="push_subscription_user")]

    def __str__(self) -> str:
        return f"push subscription {self.pk} of {self.user_id}"
