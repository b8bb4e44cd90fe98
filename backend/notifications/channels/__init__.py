"""Channels a notification is delivered through, besides the inbox (the record itself).

`settings.NOTIFICATION_CHANNELS` (dotted paths) may replace the default list, e.g. to add an SMS gateway:
a class with a `name`, `reachable()` and `send()` (see `base.Channel`)."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from notifications.channels.base import Channel, DeliveryFailed

DEFAULT_CHANNELS = (
    "notifications.channels.email.EmailChannel",
    "notifications.channels.webpush.WebPushChannel",
)

__all__ = ["Channel", "DeliveryFailed", "external_channels"]


def external_channels() -> dict[str, Channel]:
    paths = getattr(settings, "NOTIFICATION_CHANNELS", DEFAULT_CHANNELS)
    channels = [import_string(path)() for path in paths]
    return {channel.name: channel for channel in channels}
