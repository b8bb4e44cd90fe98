"""Logging a case: routed, referenced, idempotent by id."""

from __future__ import annotations

import re
import uuid

import pytest

from cases.models import Case, CaseEvent, PersonalDataAccess
from notifications import tasks as notification_tasks


def test_field_worker_logs_a_case_routed_to_the_upt_of_its_area(api, ani, upt_a, case_body) -> None:
    body = case_body()

    response = api(ani).post("/api/v1/cases/", body, format="json")

    assert response.status_code == 201
    case = response.json()
    assert case["id"] == body["id"]
    assert re.fullmatch(r"JSC-\d{4}-\d{6}", case["reference"])
    assert case["status"] == "new"
    assert case["version"] == 1
    assert case["region"] == {"code": "35.23", "name": "Kabupaten Tuban"}
    assert case["upt"] == {"code": upt_a.code, "name": upt_a.name}
    assert case["reported_by"] == "ani" and case["assignee"] is None
    assert case["location"] == body["location"]
    assert case["person"] == body["person"]
    assert case["ack_due_at"] is not None and case["due_at"] is not None
    assert case["attachments"] == []
    assert list(CaseEvent.objects.filter(case_id=body["id"]).values_list("kind", flat=True)) == ["created"]


def test_the_same_id_again_by_the_same_user_returns_the_stored_case(api, ani, case_body) -> None:
    body = case_body()
    first = api(ani).post("/api/v1/cases/", body, format="json")

    again = api(ani).post("/api/v1/cases/", {**body, "summary": "Ringkasan lain"}, format="json")

    assert again.status_code == 200
    assert again.json()["reference"] == first.json()["reference"]
    assert again.json()["summary"] == body["summary"]
    assert Case.objects.count() == 1
    assert CaseEvent.objects.count() == 1


def test_the_same_id_by_another_user_is_a_conflict(api, ani, budi, case_body) -> None:
    body = case_body()
    api(ani).post("/api/v1/cases/", body, format="json")

    response = api(budi).post("/api/v1/cases/", body, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert Case.objects.get().reported_by == ani


def test_without_an_id_the_server_makes_one(api, ani, case_body) -> None:
    response = api(ani).post("/api/v1/cases/", case_body(id=...), format="json")

    assert response.status_code == 201
    assert uuid.UUID(response.json()["id"])


def test_a_case_handled_on_the_spot_is_created_resolved(api, ani, case_body) -> None:
    body = case_body(status="resolved", resolution_note="Diantar pulang ke keluarga", outcome="returned_home")

    response = api(ani).post("/api/v1/cases/", body, format="json")

    assert response.status_code == 201
    case = response.json()
    assert (case["status"], case["outcome"]) == ("resolved", "returned_home")
    assert case["resolution_note"] == "Diantar pulang ke keluarga"
    assert case["ack_due_at"] is None and case["due_at"] is None
    assert Case.objects.get().resolved_at is not None


@pytest.mark.parametrize("status", ["new", "acknowledged", "dispatched", "in_progress", "closed"])
def test_no_other_status_is_accepted_on_create(api, ani, case_body, status) -> None:
    response = api(ani).post("/api/v1/cases/", case_body(status=status), format="json")

    assert response.status_code == 400
    assert "status" in response.json()["error"]["fields"]
    assert not Case.objects.exists()


def test_references_are_distinct_and_increasing(api, ani, case_body) -> None:
    references = [api(ani).post("/api/v1/cases/", case_body(), format="json").json()["reference"] for _ in range(3)]

    assert len(set(references)) == 3
    assert references == sorted(references)


def test_admins_log_no_cases(api, fajar, case_body) -> None:
    response = api(fajar).post("/api/v1/cases/", case_body(), format="json")

    assert response.status_code == 403
    assert not Case.objects.exists()


def test_anonymous_requests_are_refused(api, db, case_body) -> None:
    response = api(None).post("/api/v1/cases/", case_body(), format="json")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_the_upts_commanders_are_notified_after_commit(
    api, ani, case_body, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    routed: list[str] = []
    monkeypatch.setattr(notification_tasks.notify_case_routed, "delay", lambda case_id: routed.append(case_id))
    body = case_body()

    with django_capture_on_commit_callbacks(execute=True):
        api(ani).post("/api/v1/cases/", body, format="json")

    assert routed == [body["id"]]


def test_a_repeat_notifies_nobody_again(api, ani, case_body, monkeypatch, django_capture_on_commit_callbacks) -> None:
    routed: list[str] = []
    monkeypatch.setattr(notification_tasks.notify_case_routed, "delay", lambda case_id: routed.append(case_id))
    body = case_body()
    with django_capture_on_commit_callbacks(execute=True):
        api(ani).post("/api/v1/cases/", body, format="json")
        api(ani).post("/api/v1/cases/", body, format="json")

    assert len(routed) == 1


def test_the_reporter_reading_their_case_is_logged(api, ani, case_body) -> None:
    api(ani).post("/api/v1/cases/", case_body(), format="json")

    assert PersonalDataAccess.objects.filter(user=ani, what="person").count() == 1
