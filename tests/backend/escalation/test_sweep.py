"""The escalation sweep: levels, catch-up, clocks that stop, triage, idempotence, no personal data."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from cases.models import Case, CaseEvent, EventKind
from escalation.models import EscalationStep
from escalation.services import escalation_sweep
from escalation.tasks import escalation_sweep as escalation_sweep_task
from notifications.models import Kind, Notification
from tests.backend.escalation.helpers import SECRETS, acknowledge, refer, resolve

pytestmark = pytest.mark.django_db


def escalated_events(case: Case) -> list[dict]:
    return [e.data for e in CaseEvent.objects.filter(case=case, kind=EventKind.ESCALATED).order_by("data__level")]


def told(case: Case, kind: str = Kind.CASE_ESCALATED) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(case=case, kind=kind).values_list("recipient__username", "title"))


def test_nothing_happens_before_the_acknowledge_deadline(new_case, budi, eko, t0: datetime) -> None:
    case = new_case(severity="critical")
    result = escalation_sweep(now=t0 + timedelta(minutes=29, seconds=59))
    assert result.levels_recorded == 0
    assert escalated_events(case) == []
    assert not Notification.objects.exists()


def test_an_unacknowledged_critical_case_reaches_level_1_at_30_minutes(new_case, budi, dewi, eko, t0) -> None:
    case = new_case(severity="critical")
    result = escalation_sweep(now=t0 + timedelta(minutes=30))
    case.refresh_from_db()
    assert (case.escalation_level, case.ack_escalation_level, case.version) == (1, 1, 1)
    assert escalated_events(case) == [{"level": 1, "clock": "ack", "step": 1}]
    # UPT A's commander and the managers; not UPT B's commander.
    assert told(case) == [
        ("budi", f"Eskalasi level 1: {case.reference}"),
        ("eko", f"Eskalasi level 1: {case.reference}"),
    ]
    assert [(e.reference, e.level, e.clock, e.notified) for e in result.escalations] == [
        (case.reference, 1, "ack", True)
    ]


def test_each_further_acknowledge_window_adds_a_level_and_tells_again(new_case, budi, eko, t0) -> None:
    case = new_case(severity="critical")
    escalation_sweep(now=t0 + timedelta(minutes=30))
    escalation_sweep(now=t0 + timedelta(minutes=45))
    escalation_sweep(now=t0 + timedelta(minutes=60))
    case.refresh_from_db()
    assert case.escalation_level == 2
    assert [e["level"] for e in escalated_events(case)] == [1, 2]
    assert Notification.objects.filter(case=case, recipient__username="budi").count() == 2


def test_after_downtime_every_level_is_recorded_but_told_once_for_the_highest(new_case, budi, eko, t0) -> None:
    case = new_case(severity="critical")
    result = escalation_sweep(now=t0 + timedelta(minutes=95))  # beat was down: levels 1, 2 and 3 are due
    case.refresh_from_db()
    assert case.escalation_level == 3
    assert escalated_events(case) == [
        {"level": 1, "clock": "ack", "step": 1},
        {"level": 2, "clock": "ack", "step": 2},
        {"level": 3, "clock": "ack", "step": 3},
    ]
    assert told(case) == [
        ("budi", f"Eskalasi level 3: {case.reference}"),
        ("eko", f"Eskalasi level 3: {case.reference}"),
    ]
    assert [e.notified for e in result.escalations] == [False, False, True]


def test_repeated_sweeps_record_each_level_exactly_once(new_case, budi, eko, t0) -> None:
    case = new_case(severity="critical")
    for _ in range(3):
        escalation_sweep(now=t0 + timedelta(minutes=61))
    again = escalation_sweep(now=t0 + timedelta(minutes=61))
    assert again.levels_recorded == 0 and again.notifications == 0
    assert EscalationStep.objects.filter(case=case).count() == 2
    assert len(escalated_events(case)) == 2
    assert Notification.objects.filter(case=case).count() == 2  # budi and eko, once, for level 2


def test_acknowledging_stops_the_acknowledge_clock(new_case, budi, eko, t0) -> None:
    case = new_case(severity="critical")
    escalation_sweep(now=t0 + timedelta(minutes=31))
    acknowledge(case, at=t0 + timedelta(minutes=40))
    result = escalation_sweep(now=t0 + timedelta(hours=5))
    case.refresh_from_db()
    assert result.levels_recorded == 0
    assert case.escalation_level == 1


def test_the_resolve_clock_climbs_one_level_per_resolve_window(new_case, budi, eko, t0) -> None:
    case = new_case(severity="high")  # acknowledge within 2 h, resolve within 3 days
    acknowledge(case, at=t0 + timedelta(hours=1))
    assert escalation_sweep(now=t0 + timedelta(days=3) - timedelta(seconds=1)).levels_recorded == 0
    escalation_sweep(now=t0 + timedelta(days=3))
    escalation_sweep(now=t0 + timedelta(days=6, minutes=1))
    case.refresh_from_db()
    assert (case.escalation_level, case.resolve_escalation_level, case.ack_escalation_level) == (2, 2, 0)
    assert escalated_events(case) == [
        {"level": 1, "clock": "resolve", "step": 1},
        {"level": 2, "clock": "resolve", "step": 2},
    ]
    assert (
        "Belum selesai" in Notification.objects.filter(case=case, recipient__username="budi").latest("created_at").body
    )


def test_both_clocks_add_up_in_the_level(new_case, budi, eko, t0) -> None:
    case = new_case(severity="low")  # acknowledge within 24 h, resolve within 14 days
    escalation_sweep(now=t0 + timedelta(days=14))  # 14 acknowledge steps and the first resolve step
    case.refresh_from_db()
    assert (case.ack_escalation_level, case.resolve_escalation_level, case.escalation_level) == (14, 1, 15)
    assert escalated_events(case)[-1] == {"level": 15, "clock": "resolve", "step": 1}
    assert Notification.objects.filter(case=case, recipient__username="budi").count() == 1


def test_resolving_stops_every_clock(new_case, budi, eko, t0) -> None:
    case = new_case(severity="critical")
    resolve(case, at=t0 + timedelta(minutes=10))
    assert escalation_sweep(now=t0 + timedelta(days=2)).levels_recorded == 0


def test_a_case_with_no_upt_goes_to_the_managers_from_the_start(new_case, budi, eko, t0) -> None:
    case = new_case(severity="critical", upt=None, region=None)
    escalation_sweep(now=t0 + timedelta(minutes=30))
    assert told(case) == [("eko", f"Eskalasi level 1: {case.reference}")]
    assert "di luar Jawa Timur" in Notification.objects.get(case=case).body


def test_a_refer_restarts_the_ladder_for_the_new_upt(new_case, upt_b, budi, dewi, eko, t0) -> None:
    case = new_case(severity="critical")
    escalation_sweep(now=t0 + timedelta(minutes=65))  # levels 1 and 2 at UPT A
    refer(case, to=upt_b, at=t0 + timedelta(minutes=70))
    assert escalation_sweep(now=t0 + timedelta(minutes=99)).levels_recorded == 0
    escalation_sweep(now=t0 + timedelta(minutes=100))
    case.refresh_from_db()
    assert case.escalation_level == 1
    latest = Notification.objects.filter(case=case, kind=Kind.CASE_ESCALATED).order_by("-created_at")
    assert sorted(
        latest.filter(created_at=t0 + timedelta(minutes=100)).values_list("recipient__username", flat=True)
    ) == [
        "dewi",
        "eko",
    ]


def test_escalation_texts_never_carry_personal_data(new_case, make_user, budi, eko, t0) -> None:
    make_user("joko", "manager", language="en")
    case = new_case(severity="critical", category="PPKS19")
    escalation_sweep(now=t0 + timedelta(minutes=30))
    texts = list(Notification.objects.filter(case=case).values_list("recipient__username", "title", "body"))
    assert len(texts) == 3
    for _, title, body in texts:
        for secret in SECRETS:
            assert secret not in title and secret not in body
        assert case.reference in title
    by_user = {username: (title, body) for username, title, body in texts}
    assert by_user["budi"] == (
        f"Eskalasi level 1: {case.reference}",
        "Korban Tindak Kekerasan · Kritis · Kabupaten Tuban. Belum diterima melewati batas waktu.",
    )
    assert by_user["joko"] == (
        f"Escalation level 1: {case.reference}",
        "Victim of violence · Critical · Kabupaten Tuban. Not acknowledged in time.",
    )


def test_the_sweep_reports_each_change_to_the_sync_feed(new_case, budi, eko, t0, monkeypatch) -> None:
    changed: list[tuple] = []
    monkeypatch.setattr(
        "escalation.services.record_case_change",
        lambda *, case, previous_upt_id, previous_assignee_id: changed.append(
            (case.id, case.escalation_level, previous_upt_id)
        ),
    )
    case = new_case(severity="critical")
    new_case(severity="low")  # not due
    escalation_sweep(now=t0 + timedelta(minutes=61))
    assert changed == [(case.id, 2, case.upt_id)]


def test_inactive_commanders_are_not_told(new_case, budi: User, eko, t0) -> None:
    User.objects.filter(id=budi.id).update(is_active=False)
    case = new_case(severity="critical")
    escalation_sweep(now=t0 + timedelta(minutes=30))
    assert [u for u, _ in told(case)] == ["eko"]


def test_escalate_overdue_runs_one_sweep_and_says_what_it_did(new_case, budi, eko, t0, capsys) -> None:
    case = new_case(severity="critical")
    call_command("escalate_overdue", "--now", (t0 + timedelta(minutes=61)).isoformat())
    out = capsys.readouterr().out
    assert f"{case.reference}: level 1 (ack)\n" in out
    assert f"{case.reference}: level 2 (ack) (notified)\n" in out
    assert "1 case(s) escalated, 2 level(s) recorded, 2 notification(s)" in out


def test_escalate_overdue_refuses_a_time_without_offset(db) -> None:
    with pytest.raises(CommandError, match="offset"):
        call_command("escalate_overdue", "--now", "2026-11-30T08:00:00")


def test_the_beat_task_sweeps_at_the_current_time(new_case, budi, eko, t0) -> None:
    case = new_case(severity="critical")
    with time_machine.travel(t0 + timedelta(minutes=31), tick=False):
        summary = escalation_sweep_task.delay().get()
    assert summary["cases_escalated"] == 1 and summary["levels_recorded"] == 1
    assert Case.objects.get(id=case.id).escalation_level == 1
