"""Sweeps running at the same time on PostgreSQL (a slow sweep overlapping the next minute's, two beat
processes by mistake, a manual `escalate_overdue`) record each level once and tell it once."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime, timedelta

import pytest
from django.db import connection

from cases.models import CaseEvent, EventKind
from escalation.models import EscalationStep
from escalation.services import SweepResult, escalation_sweep
from notifications.models import Notification
from tests.backend.escalation.helpers import make_case

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sweep_in_parallel(moments: list[datetime]) -> list[SweepResult]:
    barrier = threading.Barrier(len(moments))
    results: list[SweepResult] = []
    errors: list[BaseException] = []

    def run(now: datetime) -> None:
        try:
            barrier.wait()
            results.append(escalation_sweep(now=now))
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(now,)) for now in moments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def test_parallel_sweeps_record_each_level_once(ani, budi, eko, upt_a, t0) -> None:
    cases = [make_case(reporter=ani, upt=upt_a, received_at=t0 + timedelta(seconds=n)) for n in range(40)]
    now = t0 + timedelta(minutes=95)  # three levels due on each case

    for _ in range(3):  # a few rounds: the sweeps start together, so they really contend
        results = sweep_in_parallel([now, now, now, now])
        now += timedelta(seconds=1)

    assert sum(r.levels_recorded for r in results) == 0  # the last round found everything done
    steps = Counter(EscalationStep.objects.values_list("case_id", "clock", "step"))
    assert len(steps) == 3 * len(cases) and set(steps.values()) == {1}
    events = Counter((e.case_id, e.data["level"]) for e in CaseEvent.objects.filter(kind=EventKind.ESCALATED))
    assert len(events) == 3 * len(cases) and set(events.values()) == {1}
    told = Counter(Notification.objects.values_list("case_id", "recipient__username"))
    assert len(told) == 2 * len(cases) and set(told.values()) == {1}  # budi and eko, once each, for level 3


def test_sweeps_at_different_moments_in_parallel_number_levels_without_gaps(ani, budi, eko, upt_a, t0) -> None:
    cases = [make_case(reporter=ani, upt=upt_a, received_at=t0) for _ in range(20)]
    sweep_in_parallel([t0 + timedelta(minutes=31), t0 + timedelta(minutes=61), t0 + timedelta(minutes=91)])
    sweep_in_parallel([t0 + timedelta(minutes=91)] * 2)
    for case in cases:
        case.refresh_from_db()
        levels = sorted(
            CaseEvent.objects.filter(case=case, kind=EventKind.ESCALATED).values_list("data__level", flat=True)
        )
        assert levels == [1, 2, 3]
        assert case.escalation_level == 3
