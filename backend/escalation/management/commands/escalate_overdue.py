from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from escalation.services import escalation_sweep


def aware_datetime(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--now: not an ISO 8601 time: {value!r}") from exc
    if timezone.is_naive(moment):
        raise CommandError("--now: give the offset too, e.g. 2026-11-30T08:00:00+07:00 or ...Z")
    return moment


class Command(BaseCommand):
    help = "Run one escalation sweep now (the same code Celery beat runs every minute) and print what it did."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", type=aware_datetime, help="ISO 8601 time with offset (default: the clock)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = options["now"] or timezone.now()
        result = escalation_sweep(now=now)
        for escalation in result.escalations:
            told = " (notified)" if escalation.notified else ""
            self.stdout.write(f"{escalation.reference}: level {escalation.level} ({escalation.clock}){told}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Sweep at {now.isoformat()}: {result.cases_escalated} case(s) escalated, "
                f"{result.levels_recorded} level(s) recorded, {result.notifications} notification(s); "
                f"{result.routed_repaired} new-case notification(s) repaired, "
                f"{result.deliveries_requeued} delivery(ies) re-queued."
            )
        )
