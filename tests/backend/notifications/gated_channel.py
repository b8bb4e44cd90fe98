"""A channel for worker tests: it blocks until the test opens a gate, so a test can kill a worker in the
middle of a delivery. Used only by workers started with `worker_settings`."""

from __future__ import annotations

import os
import time
from collections.abc import Collection
from pathlib import Path

from notifications.channels.base import Channel
from notifications.models import Notification

GATE_TIMEOUT_SECONDS = 40


def channel_dir() -> Path:
    return Path(os.environ["JSC_TEST_CHANNEL_DIR"])


class GatedChannel(Channel):
    name = "gated"

    def reachable(self, recipient_ids: Collection[int]) -> set[int]:
        return set(recipient_ids)

    def send(self, notification: Notification) -> None:
        directory = channel_dir()
        with (directory / "started.log").open("a") as log:
            log.write(f"{notification.id}\n")
        deadline = time.monotonic() + GATE_TIMEOUT_SECONDS
        while not (directory / "gate-open").exists():
            if time.monotonic() > deadline:
                raise TimeoutError("the test never opened the gate")
            time.sleep(0.05)
        with (directory / "sent.log").open("a") as log:
            log.write(f"{notification.id}\n")
