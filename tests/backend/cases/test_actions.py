"""What each workflow action does beyond its status (the who/from matrix is test_permission_matrix)."""

from __future__ import annotations

import pytest

from accounts.models import Role
from cases.models import CaseEvent, EventKind, Status
from cases.services import case_dispatch
from core.exceptions import FieldsInvalid, Forbidden, InvalidTransition
from notifications import tasks as notification_tasks
from tests.factories import CaseFactory


def act(client, case, action, body=None):
    return client.post(f"/api/v1/cases/{case.id}/{action}/", body or {}, format="json")


@pytest.fixture
def case(ani):
    return CaseFactory(reported_by=ani)


def test_acknowledge_records_the_milestone(api, budi, case) -> None:
    body = act(api(budi), case, "acknowledge").json()

    case.refresh_from_db()
    assert body["status"] == "acknowledged"
    assert case.acknowledged_at is not None
    event = CaseEvent.objects.get(case=case, kind=EventKind.ACKNOWLEDGED)
    assert (event.actor, event.data["from"], event.data["to"]) == (budi, "new", "acknowledged")


def test_an_action_with_no_body_or_an_empty_object_is_done(api, budi, case) -> None:
    no_body = api(budi).post(f"/api/v1/cases/{case.id}/acknowledge/")

    assert no_body.status_code == 200, no_body.content


def test_a_null_body_is_a_400_and_changes_nothing(api, budi, case) -> None:
    response = api(budi).post(f"/api/v1/cases/{case.id}/acknowledge/", b"null", content_type="application/json")

    case.refresh_from_db()
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"non_field": ["Diharapkan objek JSON."]}
    assert case.status == Status.NEW


def test_dispatch_assigns_a_field_worker_of_the_upt(api, budi, gita, case) -> None:
    body = act(api(budi), case, "dispatch", {"assignee": "gita"}).json()

    assert (body["status"], body["assignee"]) == ("dispatched", "gita")
    case.refresh_from_db()
    assert case.dispatched_at is not None


def test_dispatch_again_changes_the_assignee(api, budi, gita, hadi, case) -> None:
    act(api(budi), case, "dispatch", {"assignee": "gita"})

    body = act(api(budi), case, "dispatch", {"assignee": "hadi"}).json()

    assert body["assignee"] == "hadi"
    event = CaseEvent.objects.filter(case=case, kind=EventKind.DISPATCHED).last()
    assert event is not None and event.data["assignee"] == {"before": "gita", "after": "hadi"}


@pytest.mark.parametrize(
    "assignee",
    ["citra", "budi", "eko", "nobody", "inactive"],
    ids=["other UPT", "commander", "manager", "unknown", "inactive"],
)
def test_dispatch_to_anyone_else_is_invalid(api, budi, citra, eko, make_user, upt_a, case, assignee) -> None:
    make_user("inactive", Role.FIELD_WORKER, upt_a, is_active=False)

    response = act(api(budi), case, "dispatch", {"assignee": assignee})

    assert response.status_code == 400
    assert "assignee" in response.json()["error"]["fields"]
    case.refresh_from_db()
    assert (case.status, case.version) == ("new", 1)


def test_the_assignee_is_notified_after_commit(
    api, budi, gita, case, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    calls: list[tuple[str, str]] = []
    monkeypatch.setattr(notification_tasks.notify_case_assigned, "delay", lambda c, e: calls.append((c, e)))

    with django_capture_on_commit_callbacks(execute=True):
        act(api(budi), case, "dispatch", {"assignee": "gita"})

    event = CaseEvent.objects.get(case=case, kind=EventKind.DISPATCHED)
    assert calls == [(str(case.id), str(event.id))]


def test_resolve_needs_a_note_and_an_outcome(api, budi, case) -> None:
    response = act(api(budi), case, "resolve", {"note": "", "outcome": "bagus"})

    assert response.status_code == 400
    assert {"note", "outcome"} <= response.json()["error"]["fields"].keys()


def test_resolve_records_note_outcome_and_milestone(api, budi, case) -> None:
    body = act(api(budi), case, "resolve", {"note": "Diantar ke panti", "outcome": "admitted_to_upt"}).json()

    assert (body["status"], body["outcome"], body["resolution_note"]) == (
        "resolved",
        "admitted_to_upt",
        "Diantar ke panti",
    )
    case.refresh_from_db()
    assert case.resolved_at is not None


def test_reopen_without_an_assignee_goes_back_to_acknowledged(api, budi, case) -> None:
    act(api(budi), case, "close", {"note": "Duplikat"})

    body = act(api(budi), case, "reopen", {"note": "Bukan duplikat"}).json()

    assert body["status"] == "acknowledged"
    case.refresh_from_db()
    assert case.closed_at is None


def test_refer_hands_the_case_to_the_other_upt(
    api, budi, dewi, gita, case, upt_b, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    routed: list[str] = []
    monkeypatch.setattr(notification_tasks.notify_case_routed, "delay", lambda case_id: routed.append(case_id))
    act(api(budi), case, "dispatch", {"assignee": "gita"})

    with django_capture_on_commit_callbacks(execute=True):
        response = act(api(budi), case, "refer", {"upt": upt_b.code, "note": "Warga Jember"})

    assert response.status_code == 200
    case.refresh_from_db()
    assert (case.status, case.upt, case.assignee, case.was_referred) == ("new", upt_b, None, True)
    assert case.escalation_level == 0
    assert routed == [str(case.id)]
    assert act(api(dewi), case, "acknowledge").status_code == 200
    assert api(budi).get(f"/api/v1/cases/{case.id}/").status_code == 404


@pytest.mark.parametrize("upt", ["NO-SUCH-UPT", "RSBG-TUBAN"], ids=["unknown", "the same UPT"])
def test_refer_to_an_unknown_or_the_same_upt_is_invalid(api, budi, case, upt) -> None:
    response = act(api(budi), case, "refer", {"upt": upt, "note": ""})

    assert response.status_code == 400
    assert "upt" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("action", "body"),
    [("acknowledge", {"note": "x"}), ("dispatch", {}), ("close", {}), ("refer", {"upt": 5, "note": ""})],
)
def test_action_bodies_are_strict(api, budi, gita, case, action, body) -> None:
    assert act(api(budi), case, action, body).status_code == 400


def test_services_check_permission_before_state(ani, gita, case) -> None:
    case.status = Status.CLOSED
    case.save()
    with pytest.raises(Forbidden):
        case_dispatch(actor=ani, case=case, assignee_username="gita")


def test_services_check_state_on_the_current_row(budi, gita, case) -> None:
    stale_copy = type(case).objects.get(pk=case.pk)
    case_dispatch(actor=budi, case=case, assignee_username="gita")
    type(case).objects.filter(pk=case.pk).update(status=Status.CLOSED)

    with pytest.raises(InvalidTransition):
        case_dispatch(actor=budi, case=stale_copy, assignee_username="gita")


def test_dispatch_on_a_triage_case_has_no_valid_assignee(eko, gita, ani) -> None:
    triage = CaseFactory.create(reported_by=ani, upt=None, region=None, lat=None, lng=None, address="Kapal di laut")

    with pytest.raises(FieldsInvalid):
        case_dispatch(actor=eko, case=triage, assignee_username="gita")


def test_an_unknown_action_by_name_is_invalid(budi, case) -> None:
    from cases.services import case_act

    with pytest.raises(FieldsInvalid) as raised:
        case_act(actor=budi, case=case, action="escalate", params={})

    assert "action" in raised.value.fields


def test_actions_by_name_take_their_raw_parameters(budi, gita, case) -> None:
    from cases.services import case_act

    case = case_act(actor=budi, case=case, action="dispatch", params={"assignee": "gita"})

    assert (case.status, case.assignee) == ("dispatched", gita)
    with pytest.raises(FieldsInvalid) as raised:
        case_act(actor=budi, case=case, action="resolve", params={"note": "x", "outcome": "x"})
    assert "outcome" in raised.value.fields
    with pytest.raises(FieldsInvalid) as raised:
        case_act(actor=budi, case=case, action="close", params={"note": "x", "reason": "y"})
    assert "reason" in raised.value.fields
