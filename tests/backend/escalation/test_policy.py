from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from escalation.models import SlaPolicy
from escalation.policy import Sla, SlaTable, deadlines, sla_for

RECEIVED = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("severity", "ack", "resolve"),
    [
        ("critical", timedelta(minutes=30), timedelta(hours=24)),
        ("high", timedelta(hours=2), timedelta(days=3)),
        ("medium", timedelta(hours=8), timedelta(days=7)),
        ("low", timedelta(hours=24), timedelta(days=14)),
    ],
)
def test_the_default_policies_are_those_of_the_design(severity: str, ack: timedelta, resolve: timedelta) -> None:
    assert sla_for(severity=severity, category_code="PPKS11") == Sla(ack, resolve)
    assert SlaTable.load().sla(severity=severity, category_code="PPKS11") == Sla(ack, resolve)


@pytest.mark.django_db
def test_a_category_policy_overrides_its_severity_default() -> None:
    SlaPolicy.objects.create(severity="high", category_id="PPKS18", ack_minutes=15, resolve_minutes=12 * 60)
    table = SlaTable.load()
    trafficking = Sla(timedelta(minutes=15), timedelta(hours=12))
    assert sla_for(severity="high", category_code="PPKS18") == trafficking
    assert table.sla(severity="high", category_code="PPKS18") == trafficking
    assert table.sla(severity="high", category_code="PPKS11") == Sla(timedelta(hours=2), timedelta(days=3))


@pytest.mark.django_db
def test_without_any_policy_row_the_design_defaults_hold() -> None:
    SlaPolicy.objects.all().delete()
    assert SlaTable.load().sla(severity="critical", category_code=None).ack == timedelta(minutes=30)


def test_deadlines_count_from_the_clock_start() -> None:
    ack_due_at, due_at = deadlines(sla=Sla(timedelta(minutes=30), timedelta(hours=24)), clock_started_at=RECEIVED)
    assert ack_due_at == RECEIVED + timedelta(minutes=30)
    assert due_at == RECEIVED + timedelta(hours=24)


def test_a_zero_minute_policy_cannot_make_an_endless_ladder() -> None:
    table = SlaTable([SlaPolicy(severity="low", ack_minutes=0, resolve_minutes=0)])
    assert table.sla(severity="low", category_code=None).ack == timedelta(minutes=1)
