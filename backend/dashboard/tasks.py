"""Dashboard tasks: they call one service."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from dashboard.services import map_grid_refresh


@shared_task(name="dashboard.refresh_map_grid")
def refresh_map_grid() -> int:
    """Every minute (beat): the province-wide cluster view reads this grid instead of every case."""
    return map_grid_refresh(now=timezone.now())
