"""Case references `JSC-<year>-<6 digits>`: the year in Asia/Jakarta, a per-year counter."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction

from cases.models import ReferenceCounter

JAKARTA = ZoneInfo("Asia/Jakarta")


def next_reference(now: datetime) -> str:
    """Claim the next number of the year. The row lock makes concurrent creators take turns, so no two
    cases ever get the same number; a number claimed by a write that rolls back is skipped, never reused."""
    return next_references(now, 1)[0]


def next_references(now: datetime, count: int) -> list[str]:
    """Claim `count` consecutive numbers of the year with one lock and one update (a batch of creates)."""
    year = now.astimezone(JAKARTA).year
    with transaction.atomic():
        counter = ReferenceCounter.objects.select_for_update().filter(year=year).first()
        if counter is None:
            # Two first-of-the-year creators may both find no row: one insert wins, the other retries the lock.
            try:
                with transaction.atomic():
                    ReferenceCounter.objects.create(year=year, last=0)
            except IntegrityError:
                pass
            counter = ReferenceCounter.objects.select_for_update().get(year=year)
        first = counter.last + 1
        counter.last += count
        counter.save(update_fields=["last"])
    return [f"JSC-{year}-{number:06d}" for number in range(first, counter.last + 1)]
