"""The ladder on its own: pure functions, under a frozen clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from escalation.ladder import Clock, RunningClock, due_steps, number_levels, step_due_at, steps_reached

RECEIVED = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
ACK_WINDOW = timedelta(minutes=30)  # critical
ACK_DEADLINE = RECEIVED + ACK_WINDOW


@pytest.mark.parametrize(
    ("minutes_after_receipt", "steps"),
    [(0, 0), (29, 0), (30, 1), (59, 1), (60, 2), (89, 2), (90, 3), (24 * 60, 48)],
)
def test_a_critical_case_climbs_one_step_per_half_hour_unacknowledged(minutes_after_receipt: int, steps: int) -> None:
    with time_machine.travel(RECEIVED + timedelta(minutes=minutes_after_receipt), tick=False):
        assert steps_reached(deadline=ACK_DEADLINE, window=ACK_WINDOW, now=timezone.now()) == steps


def test_step_n_falls_due_n_minus_one_windows_after_the_deadline() -> None:
    assert step_due_at(deadline=ACK_DEADLINE, window=ACK_WINDOW, step=1) == RECEIVED + timedelta(minutes=30)
    assert step_due_at(deadline=ACK_DEADLINE, window=ACK_WINDOW, step=2) == RECEIVED + timedelta(minutes=60)


def test_a_window_must_be_positive() -> None:
    with pytest.raises(ValueError):
        steps_reached(deadline=ACK_DEADLINE, window=timedelta(0), now=ACK_DEADLINE)


def test_due_steps_are_those_reached_and_not_recorded_oldest_first() -> None:
    with time_machine.travel(RECEIVED + timedelta(minutes=100), tick=False):
        clocks = [RunningClock(Clock.ACK, ACK_DEADLINE, ACK_WINDOW, recorded_step=1)]
        steps = due_steps(clocks=clocks, now=timezone.now())
    assert [(s.clock, s.step) for s in steps] == [(Clock.ACK, 2), (Clock.ACK, 3)]
    assert [s.due_at for s in steps] == [RECEIVED + timedelta(minutes=60), RECEIVED + timedelta(minutes=90)]


def test_nothing_is_due_when_every_step_reached_is_recorded() -> None:
    clocks = [RunningClock(Clock.ACK, ACK_DEADLINE, ACK_WINDOW, recorded_step=3)]
    assert due_steps(clocks=clocks, now=RECEIVED + timedelta(minutes=100)) == []


def test_levels_number_the_steps_of_both_clocks_in_the_order_they_fell_due() -> None:
    resolve_window = timedelta(hours=1)  # a custom policy, to make the clocks interleave
    resolve_deadline = RECEIVED + timedelta(minutes=45)
    now = RECEIVED + timedelta(minutes=110)
    clocks = [
        RunningClock(Clock.RESOLVE, resolve_deadline, resolve_window),
        RunningClock(Clock.ACK, ACK_DEADLINE, ACK_WINDOW),
    ]
    levels = number_levels(current_level=2, steps=due_steps(clocks=clocks, now=now))
    assert [(level, s.clock, s.step) for level, s in levels] == [
        (3, Clock.ACK, 1),  # +30
        (4, Clock.RESOLVE, 1),  # +45
        (5, Clock.ACK, 2),  # +60
        (6, Clock.ACK, 3),  # +90
        (7, Clock.RESOLVE, 2),  # +105
    ]
