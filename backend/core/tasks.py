"""Nightly housekeeping: expired tokens and change-feed rows past their retention."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="core.tasks.housekeeping")
def housekeeping() -> None:
    from django.utils import timezone

    from accounts.services import tokens_purge_expired
    from sync.services import case_changes_prune

    purged = tokens_purge_expired()
    pruned = case_changes_prune(now=timezone.now())
    logger.info("housekeeping: %s expired token(s), %s old change-feed row(s) removed", purged, pruned)
