"""The command lines of the three long-running services (docker-compose.yml's web, worker and beat),
shared by `make run` and the smoke tests so that both start exactly what production runs."""

from __future__ import annotations

import sys

QUEUES = "default,notifications"


def web_command(bind: str, *, workers: int = 2, threads: int = 4) -> list[str]:
    return [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", bind,
            "--workers", str(workers), "--threads", str(threads), "--access-logfile", "-"]  # fmt: skip


def worker_command(*, concurrency: int = 2, extra: tuple[str, ...] = ()) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel", "INFO",
            "--queues", QUEUES, "--concurrency", str(concurrency), *extra]  # fmt: skip


def beat_command(schedule: str) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO", "--schedule", schedule]
