"""SLA clocks with frozen time: started on create, stopped by acknowledge/dispatch/resolve/close,
restarted by reopen and refer, recomputed when severity or category change."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine

from cases.models import Case
from escalation.models import SlaPolicy

T0 = datetime.fromisoformat("2026-11-30T01:00:00+00:00")


def at(minutes: float) -> time_machine.travel:
    return time_machine.travel(T0 + timedelta(minutes=minutes), tick=False)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def act(client, case_id, action, body=None, **extra):
    response = client.post(f"/api/v1/cases/{case_id}/{action}/", body or {}, format="json", **extra)
    assert response.status_code == 200, response.json()
    return response.json()


@pytest.fixture
def created(api, ani, case_body):
    with at(0):
        return api(ani).post("/api/v1/cases/", case_body(severity="critical"), format="json").json()


def test_clocks_start_at_the_servers_receipt(created) -> None:
    assert created["ack_due_at"] == iso(T0 + timedelta(minutes=30))
    assert created["due_at"] == iso(T0 + timedelta(hours=24))
    assert Case.objects.get().clock_started_at == T0


def test_a_device_clock_in_the_past_does_not_move_the_deadlines(api, ani, case_body) -> None:
    with at(0):
        case = (
            api(ani)
            .post("/api/v1/cases/", case_body(severity="low", observed_at="2026-11-20T00:00:00Z"), format="json")
            .json()
        )

    assert case["ack_due_at"] == iso(T0 + timedelta(hours=24))


@pytest.mark.parametrize("action", ["acknowledge", "dispatch"])
def test_acknowledge_or_dispatch_stops_the_ack_clock(api, budi, gita, created, action) -> None:
    with at(10):
        case = act(api(budi), created["id"], action, {"assignee": "gita"} if action == "dispatch" else {})

    assert case["ack_due_at"] is None
    assert case["due_at"] == created["due_at"]


@pytest.mark.parametrize(("action", "body"), [("resolve", {"note": "x", "outcome": "other"}), ("close", {"note": ""})])
def test_resolve_and_close_stop_both_clocks(api, budi, created, action, body) -> None:
    with at(10):
        case = act(api(budi), created["id"], action, body)

    assert (case["ack_due_at"], case["due_at"]) == (None, None)


def test_reopen_restarts_the_resolve_clock_from_now(api, budi, created) -> None:
    with at(10):
        act(api(budi), created["id"], "resolve", {"note": "x", "outcome": "other"})
    with at(600):
        case = act(api(budi), created["id"], "reopen", {"note": "lagi"})

    assert case["ack_due_at"] is None
    assert case["due_at"] == iso(T0 + timedelta(minutes=600) + timedelta(hours=24))


def test_refer_restarts_both_clocks_and_the_escalation(api, budi, created, upt_b) -> None:
    Case.objects.filter(pk=created["id"]).update(escalation_level=3, ack_escalation_level=3)
    with at(120):
        case = act(api(budi), created["id"], "refer", {"upt": upt_b.code, "note": ""})

    assert case["ack_due_at"] == iso(T0 + timedelta(minutes=150))
    assert case["due_at"] == iso(T0 + timedelta(minutes=120) + timedelta(hours=24))
    assert case["escalation_level"] == 0


def test_a_severity_change_recomputes_running_deadlines_from_the_start(api, ani, created) -> None:
    with at(20):
        response = api(ani).patch(
            f"/api/v1/cases/{created['id']}/", {"severity": "low"}, format="json", HTTP_IF_MATCH='"1"'
        )

    assert response.json()["ack_due_at"] == iso(T0 + timedelta(hours=24))
    assert response.json()["due_at"] == iso(T0 + timedelta(days=14))


def test_a_stopped_clock_stays_stopped_after_a_severity_change(api, ani, budi, created) -> None:
    with at(5):
        act(api(budi), created["id"], "acknowledge")
    with at(20):
        case = (
            api(ani)
            .patch(f"/api/v1/cases/{created['id']}/", {"severity": "high"}, format="json", HTTP_IF_MATCH='"2"')
            .json()
        )

    assert case["ack_due_at"] is None
    assert case["due_at"] == iso(T0 + timedelta(days=3))


def test_a_category_policy_applies_on_category_change(api, ani, created) -> None:
    SlaPolicy.objects.create(severity="critical", category_id="PPKS18", ack_minutes=10, resolve_minutes=60)

    with at(1):
        case = (
            api(ani)
            .patch(f"/api/v1/cases/{created['id']}/", {"category": "PPKS18"}, format="json", HTTP_IF_MATCH='"1"')
            .json()
        )

    assert case["ack_due_at"] == iso(T0 + timedelta(minutes=10))
    assert case["due_at"] == iso(T0 + timedelta(minutes=60))


def test_the_overdue_filter_follows_the_clock(api, eko, created) -> None:
    with at(29):
        assert api(eko).get("/api/v1/cases/?overdue=1").json()["results"] == []
    with at(31):
        assert [c["id"] for c in api(eko).get("/api/v1/cases/?overdue=1").json()["results"]] == [created["id"]]
