"""Context for structured log lines: ids only (case, notification, task), never a person's data."""

from __future__ import annotations

from celery import current_task


def current_task_id() -> str | None:
    task = current_task
    if task is None or task.request is None:
        return None
    return task.request.id
