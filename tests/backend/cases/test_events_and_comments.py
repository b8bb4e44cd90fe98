"""The timeline (oldest first) and comments (idempotent by id)."""

from __future__ import annotations

import uuid

import pytest

from cases.models import Comment
from tests.factories import CaseFactory


@pytest.fixture
def case(ani):
    return CaseFactory(reported_by=ani)


def test_the_timeline_lists_every_step_oldest_first(api, ani, budi, gita, case) -> None:
    client = api(budi)
    client.post(f"/api/v1/cases/{case.id}/acknowledge/", {}, format="json")
    client.post(f"/api/v1/cases/{case.id}/dispatch/", {"assignee": "gita"}, format="json")
    api(gita).post(f"/api/v1/cases/{case.id}/start/", {}, format="json")
    api(gita).post(f"/api/v1/cases/{case.id}/comments/", {"id": str(uuid.uuid4()), "text": "Ok"}, format="json")
    api(gita).post(f"/api/v1/cases/{case.id}/resolve/", {"note": "x", "outcome": "returned_home"}, format="json")
    client.post(f"/api/v1/cases/{case.id}/close/", {"note": ""}, format="json")
    client.post(f"/api/v1/cases/{case.id}/reopen/", {"note": "lagi"}, format="json")

    events = api(ani).get(f"/api/v1/cases/{case.id}/events/").json()

    assert [e["kind"] for e in events] == [
        "created",
        "acknowledged",
        "dispatched",
        "started",
        "commented",
        "resolved",
        "closed",
        "reopened",
    ]
    assert [e["actor"] for e in events] == ["ani", "budi", "budi", "gita", "gita", "gita", "budi", "budi"]
    assert set(events[0]) == {"id", "kind", "actor", "at", "data"}
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)


def test_a_comment_is_added_once_whatever_the_retries(api, ani, case) -> None:
    comment_id = str(uuid.uuid4())
    body = {"id": comment_id, "text": "Keluarga sudah dihubungi"}

    first = api(ani).post(f"/api/v1/cases/{case.id}/comments/", body, format="json")
    again = api(ani).post(f"/api/v1/cases/{case.id}/comments/", body, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert first.json()["author"] == "ani"
    case.refresh_from_db()
    assert case.version == 2
    assert Comment.objects.count() == 1


def test_a_comment_id_taken_by_another_author_is_a_conflict(api, ani, budi, case) -> None:
    body = {"id": str(uuid.uuid4()), "text": "Keluarga sudah dihubungi"}
    api(ani).post(f"/api/v1/cases/{case.id}/comments/", body, format="json")

    response = api(budi).post(f"/api/v1/cases/{case.id}/comments/", body, format="json")

    assert response.status_code == 409


def test_a_comment_id_used_on_another_case_is_a_conflict(api, ani, case) -> None:
    other = CaseFactory(reported_by=ani)
    body = {"id": str(uuid.uuid4()), "text": "x"}
    api(ani).post(f"/api/v1/cases/{case.id}/comments/", body, format="json")

    response = api(ani).post(f"/api/v1/cases/{other.id}/comments/", body, format="json")

    assert response.status_code == 409


@pytest.mark.parametrize(
    "body",
    [{"text": "tanpa id"}, {"id": "x", "text": "a"}, {"id": str(uuid.uuid4()), "text": ""}, {"id": str(uuid.uuid4())}],
    ids=["no id", "bad id", "empty text", "no text"],
)
def test_bad_comments_are_refused(api, ani, case, body) -> None:
    assert api(ani).post(f"/api/v1/cases/{case.id}/comments/", body, format="json").status_code == 400
    assert not Comment.objects.exists()


def test_comment_words_are_hidden_from_those_who_may_not_see_person_data(api, ani, fajar, case) -> None:
    api(ani).post(f"/api/v1/cases/{case.id}/comments/", {"id": str(uuid.uuid4()), "text": "Pak Darmo"}, format="json")

    admin_view = api(fajar).get(f"/api/v1/cases/{case.id}/events/").json()
    reporter_view = api(ani).get(f"/api/v1/cases/{case.id}/events/").json()

    assert "Pak Darmo" not in str(admin_view)
    assert reporter_view[-1]["data"]["text"] == "Pak Darmo"


@pytest.mark.parametrize("path", ["events/", "comments/", "", "acknowledge/", "attachments/not-a-uuid/"])
def test_malformed_or_unknown_ids_are_a_404(api, eko, db, path) -> None:
    assert api(eko).get(f"/api/v1/cases/not-a-uuid/{path}").status_code == 404
    assert api(eko).get(f"/api/v1/cases/{uuid.uuid4()}/{path}").status_code in (404, 405)
