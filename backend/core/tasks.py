"""Nightly housekeeping: expired tokens and change-feed rows past their retention."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="core.tasks.housekeeping")
def housekeeping() -> None:
    from accounts.services import tokens_purge_expired

    purged = tokens_purge_expired()
    logger.info("housekeeping: %s expired token(s) removed", purged)
