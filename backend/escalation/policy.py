"""SLA deadlines: pure functions of a policy and the moment the clock started.

Deadlines count from the server's receipt of the case or its last refer/reopen (`clock_started_at`),
never from the device clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from escalation.models import SlaPolicy


@dataclass(frozen=True)
class Sla:
    ack: timedelta
    resolve: timedelta


FALLBACK_SLA = {
    "critical": Sla(timedelta(minutes=30), timedelta(hours=24)),
    "high": Sla(timedelta(hours=2), timedelta(days=3)),
    "medium": Sla(timedelta(hours=8), timedelta(days=7)),
    "low": Sla(timedelta(hours=24), timedelta(days=14)),
}


def sla_for(*, severity: str, category_code: str | None) -> Sla:
    """The category's own policy for this severity if an admin set one, else the severity default."""
    policies = {
        policy.category_id: policy
        for policy in SlaPolicy.objects.filter(severity=severity, category_id__in=[category_code, None])
    }
    policy = policies.get(category_code) or policies.get(None)
    if policy is None:
        return FALLBACK_SLA[severity]
    return Sla(timedelta(minutes=policy.ack_minutes), timedelta(minutes=policy.resolve_minutes))


def deadlines(*, sla: Sla, clock_started_at: datetime) -> tuple[datetime, datetime]:
    """(ack_due_at, due_at) for a clock started at `clock_started_at`."""
    return clock_started_at + sla.ack, clock_started_at + sla.resolve


class SlaTable:
    """Every policy, loaded once: the sweep looks up thousands of cases without a query each."""

    def __init__(self, policies: list[SlaPolicy]) -> None:
        self._by_key = {
            # At least a minute: a zero window would escalate a case without end.
            (policy.severity, policy.category_id): Sla(
                timedelta(minutes=max(policy.ack_minutes, 1)), timedelta(minutes=max(policy.resolve_minutes, 1))
            )
            for policy in policies
        }

    @classmethod
    def load(cls) -> SlaTable:
        return cls(list(SlaPolicy.objects.all()))

    def sla(self, *, severity: str, category_code: str | None) -> Sla:
        return (
            self._by_key.get((severity, category_code)) or self._by_key.get((severity, None)) or FALLBACK_SLA[severity]
        )
