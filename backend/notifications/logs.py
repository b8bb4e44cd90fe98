"""Context for structured log lines: ids only (case, notification, task), never a person's data."""

from __future__ import annotations

from celery import current_task


def current_task_id() -> str | None:
    if not current_task:  # a proxy: false outside a task (a web request, the command line)
        return None
    return current_task.request.id
