from __future__ import annotations

import smtplib
from collections.abc import Collection

from django.conf import settings
from django.core.mail import send_mail

from accounts.models import User
from notifications.channels.base import Channel, DeliveryFailed
from notifications.models import Notification

FOOTER = {
    "id": "Buka aplikasi Jatim Sosial Care untuk rinciannya.",
    "en": "Open the Jatim Sosial Care app for the details.",
}


class EmailChannel(Channel):
    """Django's `send_mail` (EMAIL_URL; the console backend by default)."""

    name = "email"

    def reachable(self, recipient_ids: Collection[int]) -> set[int]:
        users = User.objects.filter(id__in=recipient_ids, is_active=True).exclude(email="")
        return set(users.values_list("id", flat=True))

    def send(self, notification: Notification) -> None:
        recipient = notification.recipient
        footer = FOOTER["en" if recipient.language == "en" else "id"]
        try:
            send_mail(
                subject=notification.title,
                message=f"{notification.body}\n\n{footer}\n",
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[recipient.email],
                fail_silently=False,
            )
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryFailed("recipient refused by the mail server", transient=False) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryFailed(f"mail server: {type(exc).__name__}", transient=True) from exc
