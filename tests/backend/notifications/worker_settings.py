"""Settings of the Celery workers that the worker tests start: the project's, plus the gated channel."""

from config.settings import *  # noqa: F403
from notifications.channels import DEFAULT_CHANNELS

NOTIFICATION_CHANNELS = [*DEFAULT_CHANNELS, "tests.backend.notifications.gated_channel.GatedChannel"]

# Look for messages of dead workers every second (default: every ~100 s), so that a test does not wait.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
