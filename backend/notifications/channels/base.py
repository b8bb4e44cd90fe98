"""The one small interface every external channel implements (email, Web Push; an SMS gateway later)."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:  # settings modules import the channel list: no models at import time
    from notifications.models import Notification


class DeliveryFailed(Exception):
    """A send that did not go through. `transient` failures (a mail server or push service that is down,
    rate-limited or slow) are retried with backoff; permanent ones are not. `reason` goes to the log and
    the admin: never put the notification's text or an address in it."""

    def __init__(self, reason: str, *, transient: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient


class Channel:
    name: ClassVar[str]

    def reachable(self, recipient_ids: Collection[int]) -> set[int]:
        """Of these users, those this channel can reach (one query for all of them)."""
        raise NotImplementedError

    def send(self, notification: Notification) -> None:
        """Send one notification (its recipient is loaded). Raises `DeliveryFailed`."""
        raise NotImplementedError
