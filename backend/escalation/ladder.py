"""The escalation ladder: pure functions of deadlines, windows and the current time.

A case runs up to two clocks. The acknowledge clock runs while the case is `new`; the resolve clock
while it is open. When a clock's deadline passes, the case climbs one step on that clock; each further
window of the same length adds a step (critical, acknowledge window 30 min: step 1 at +30 min,
step 2 at +60 min, ...). The case's `escalation_level` is the number of steps on both clocks since it
was last routed, so its levels are numbered in the order the steps fell due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Clock(StrEnum):
    ACK = "ack"
    RESOLVE = "resolve"


@dataclass(frozen=True)
class RunningClock:
    """A clock that is running for a case: its deadline, its window, and the last step recorded for
    this deadline (0 when none)."""

    clock: Clock
    deadline: datetime
    window: timedelta
    recorded_step: int = 0


@dataclass(frozen=True)
class DueStep:
    clock: Clock
    deadline: datetime
    step: int
    due_at: datetime


def steps_reached(*, deadline: datetime, window: timedelta, now: datetime) -> int:
    """How many steps a clock has climbed at `now`: 0 before the deadline, 1 at it, +1 per window after."""
    if window <= timedelta(0):
        raise ValueError("an escalation window must be positive")
    if now < deadline:
        return 0
    return (now - deadline) // window + 1


def step_due_at(*, deadline: datetime, window: timedelta, step: int) -> datetime:
    """The moment `step` (1-based) falls due."""
    return deadline + (step - 1) * window


def due_steps(*, clocks: list[RunningClock], now: datetime) -> list[DueStep]:
    """Every step reached on the running clocks and not recorded yet, oldest first.

    After downtime several steps may be due at once: each is returned (each is recorded), and the
    caller notifies once, for the last.
    """
    steps = [
        DueStep(
            clock=running.clock,
            deadline=running.deadline,
            step=step,
            due_at=step_due_at(deadline=running.deadline, window=running.window, step=step),
        )
        for running in clocks
        for step in range(
            running.recorded_step + 1,
            steps_reached(deadline=running.deadline, window=running.window, now=now) + 1,
        )
    ]
    # The acknowledge clock first on a tie: a case is late to be acknowledged before it is late to be resolved.
    return sorted(steps, key=lambda s: (s.due_at, s.clock != Clock.ACK, s.step))


def number_levels(*, current_level: int, steps: list[DueStep]) -> list[tuple[int, DueStep]]:
    """Levels for newly recorded steps: they continue the case's level in the order the steps fell due."""
    ordered = sorted(steps, key=lambda s: (s.due_at, s.clock != Clock.ACK, s.step))
    return [(current_level + index, step) for index, step in enumerate(ordered, start=1)]
