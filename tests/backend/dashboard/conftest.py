"""Cases made directly with the ORM (the case services live in another app), and a clock to freeze."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine

from accounts.models import User
from cases.models import Case, Status
from geo.models import Region, Upt

NOW = datetime.fromisoformat("2026-11-20T03:00:00+00:00")  # 10:00 in Jakarta
_references = itertools.count(1)

# Points inside the regions the personas' UPTs serve.
TUBAN = (-6.90, 112.05)  # 35.23 Kabupaten Tuban, UPT A
JEMBER = (-8.17, 113.70)  # 35.09 Kabupaten Jember, UPT B


@pytest.fixture
def frozen_now() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def make_case(db) -> Callable[..., Case]:
    def make(
        *,
        reported_by: User,
        upt: Upt | None = None,
        at: tuple[float, float] | None = TUBAN,
        region: str | None = None,
        created_at: datetime = NOW - timedelta(hours=1),
        **fields: Any,
    ) -> Case:
        number = next(_references)
        lat, lng = at if at is not None else (None, None)
        defaults: dict[str, Any] = {
            "reference": f"JSC-2026-{number:06d}",
            "category_id": "PPKS11",
            "severity": "medium",
            "status": Status.NEW,
            "summary": f"Kasus {number}",
            "address": "" if at is not None else "Jl. Pahlawan 1",
            "lat": lat,
            "lng": lng,
            "upt": upt,
            "region": Region.objects.get(code=region) if region else None,
            "reported_by": reported_by,
            "clock_started_at": created_at,
            "observed_at": created_at - timedelta(minutes=5),
            "created_at": created_at,
            "updated_at": created_at,
        }
        defaults.update(fields)
        return Case.objects.create(**defaults)

    return make
