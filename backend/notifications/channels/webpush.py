from __future__ import annotations

import json
import logging
from collections.abc import Collection

import requests
from django.conf import settings
from pywebpush import WebPushException, webpush

from notifications.channels.base import Channel, DeliveryFailed
from notifications.models import Notification, PushSubscription

logger = logging.getLogger(__name__)

PUSH_TTL_SECONDS = 24 * 60 * 60  # a phone offline for a day still gets it when it comes back
PUSH_TIMEOUT_SECONDS = 10
GONE = (404, 410)  # the browser unsubscribed: the subscription will never work again


def webpush_configured() -> bool:
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)


class WebPushChannel(Channel):
    """Web Push (RFC 8030/8291/8292) through pywebpush with the VAPID keys of the settings.

    One delivery covers every browser the recipient subscribed. A retry after a transient failure may
    push again to a browser that already got it (at-least-once); the service worker shows one
    notification per `tag` (the notification id), so the person sees it once."""

    name = "webpush"

    def reachable(self, recipient_ids: Collection[int]) -> set[int]:
        if not webpush_configured():
            return set()
        subscribed = PushSubscription.objects.filter(user_id__in=recipient_ids, user__is_active=True)
        return set(subscribed.values_list("user_id", flat=True))

    def send(self, notification: Notification) -> None:
        if not webpush_configured():
            raise DeliveryFailed("VAPID keys are not configured", transient=False)
        payload = json.dumps(
            {
                "id": str(notification.id),
                "kind": notification.kind,
                "case_id": str(notification.case_id),
                "title": notification.title,
                "body": notification.body,
            }
        )
        transient_failures = 0
        for subscription in PushSubscription.objects.filter(user_id=notification.recipient_id):
            try:
                webpush(
                    subscription_info={
                        "endpoint": subscription.endpoint,
                        "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
                    },
                    data=payload,
                    vapid_private_key=settings.VAPID_PRIVATE_KEY,
                    vapid_claims={"sub": settings.VAPID_SUBJECT},  # pywebpush adds aud and exp
                    ttl=PUSH_TTL_SECONDS,
                    timeout=PUSH_TIMEOUT_SECONDS,
                )
            except WebPushException as exc:
                status = exc.response.status_code if exc.response is not None else None
                if status in GONE:
                    logger.info("push subscription gone subscription_id=%s status=%s", subscription.pk, status)
                    subscription.delete()
                elif status is None or status == 429 or status >= 500:
                    transient_failures += 1
                else:
                    logger.warning("push refused subscription_id=%s status=%s", subscription.pk, status)
            except requests.RequestException as exc:
                logger.warning(
                    "push service unreachable subscription_id=%s error=%s", subscription.pk, type(exc).__name__
                )
                transient_failures += 1
        if transient_failures:
            raise DeliveryFailed(f"push service unavailable for {transient_failures} subscription(s)", transient=True)
