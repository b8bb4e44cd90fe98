"""Role × endpoint × status: every persona against every case endpoint, the expected answer computed
from API.md's rules (transcribed here, independently of `cases.workflow`).

The case at hand: reported by ani in UPT A; assigned to gita once dispatched. budi commands UPT A;
citra and dewi are of UPT B; eko is a manager; fajar an admin; hadi a worker of UPT A with no relation.
"""

from __future__ import annotations

import uuid

import pytest

from cases.models import Case, Status
from tests.backend.cases.conftest import image_bytes
from tests.factories import CaseFactory

PERSONAS = ["ani", "gita", "budi", "citra", "dewi", "eko", "fajar", "hadi"]
STATUSES = [s.value for s in Status]
ASSIGNED_STATUSES = {"dispatched", "in_progress", "resolved", "closed"}
OPEN = {"new", "acknowledged", "dispatched", "in_progress"}

# API.md: action → (from statuses, who, resulting status)
TABLE = {
    "acknowledge": (OPEN - {"acknowledged", "dispatched", "in_progress"}, {"commander", "manager"}),
    "dispatch": (OPEN, {"commander", "manager"}),
    "start": ({"dispatched"}, {"assignee"}),
    "resolve": (OPEN, {"assignee", "commander", "manager"}),
    "close": (set(STATUSES) - {"closed"}, {"commander", "manager"}),
    "reopen": ({"resolved", "closed"}, {"commander", "manager"}),
    "refer": (OPEN, {"commander", "manager"}),
}
BODIES = {
    "acknowledge": {},
    "dispatch": {"assignee": "gita"},
    "start": {},
    "resolve": {"note": "Dipulangkan ke keluarga", "outcome": "returned_home"},
    "close": {"note": ""},
    "reopen": {"note": "Kembali terlihat di jalan"},
    "refer": {"upt": "PSTW-JEMBER", "note": "Berasal dari Jember"},
}
RESULT = {
    "acknowledge": "acknowledged",
    "dispatch": "dispatched",
    "start": "in_progress",
    "resolve": "resolved",
    "close": "closed",
    "reopen": "in_progress",  # the case has an assignee whenever it can be reopened here
    "refer": "new",
}


def sees(persona: str, status: str) -> bool:
    """Field workers: what they reported or are assigned; the UPT's commanders; managers and admins."""
    return persona in ("ani", "budi", "eko", "fajar") or (persona == "gita" and status in ASSIGNED_STATUSES)


def capacities(persona: str, status: str) -> set[str]:
    held = {"budi": {"commander"}, "eko": {"manager"}}.get(persona, set())
    if persona == "gita" and status in ASSIGNED_STATUSES:
        held = held | {"assignee"}
    return held


def may_edit(persona: str, status: str) -> bool:
    """The reporter, the assignee, the UPT's commanders, managers."""
    return persona == "ani" or bool(capacities(persona, status))


def expected_for_action(persona: str, status: str, action: str) -> int:
    allowed_from, who = TABLE[action]
    if not sees(persona, status):
        return 404
    if not capacities(persona, status) & who:
        return 403  # permission before state
    if status not in allowed_from:
        return 409
    return 200


@pytest.fixture
def cast(personas, gita) -> dict:
    return {**personas, "gita": gita}


@pytest.fixture
def case_in(cast):
    def make(status: str) -> Case:
        assignee = cast["gita"] if status in ASSIGNED_STATUSES else None
        return CaseFactory.create(reported_by=cast["ani"], status=status, assignee=assignee)

    return make


@pytest.mark.parametrize("action", list(TABLE))
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_action(api, cast, case_in, persona, status, action) -> None:
    case = case_in(status)
    expected = expected_for_action(persona, status, action)

    response = api(cast[persona]).post(f"/api/v1/cases/{case.id}/{action}/", BODIES[action], format="json")

    assert response.status_code == expected, response.json()
    case.refresh_from_db()
    if expected == 200:
        assert response.json()["status"] == RESULT[action] == case.status
        assert case.version == 2
    else:
        code = {404: "not_found", 403: "forbidden", 409: "invalid_transition"}[expected]
        assert response.json()["error"]["code"] == code
        assert (case.status, case.version) == (status, 1)


def expected_for_endpoint(persona: str, status: str, endpoint: str) -> int:
    if not sees(persona, status):
        return 404
    if endpoint in ("detail", "events"):
        return 200
    if not may_edit(persona, status):
        return 403
    return {"patch": 200, "comment": 201, "attachment": 201}[endpoint]


def call(client, case: Case, endpoint: str):
    base = f"/api/v1/cases/{case.id}/"
    if endpoint == "detail":
        return client.get(base)
    if endpoint == "events":
        return client.get(base + "events/")
    if endpoint == "patch":
        return client.patch(base, {"summary": "Ringkasan baru"}, format="json", HTTP_IF_MATCH='"1"')
    if endpoint == "comment":
        return client.post(base + "comments/", {"id": str(uuid.uuid4()), "text": "Sudah dicek"}, format="json")
    return client.put(f"{base}attachments/{uuid.uuid4()}/", image_bytes(), content_type="image/jpeg")


@pytest.mark.parametrize("endpoint", ["detail", "events", "patch", "comment", "attachment"])
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_endpoint(api, cast, case_in, persona, status, endpoint) -> None:
    case = case_in(status)

    response = call(api(cast[persona]), case, endpoint)

    assert response.status_code == expected_for_endpoint(persona, status, endpoint)
    case.refresh_from_db()
    assert case.version == (2 if endpoint in ("patch", "comment", "attachment") and response.status_code < 300 else 1)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_list_holds_exactly_what_each_persona_sees(api, cast, case_in, persona) -> None:
    cases = {status: case_in(status) for status in STATUSES}

    results = api(cast[persona]).get("/api/v1/cases/").json()["results"]

    assert {c["id"] for c in results} == {str(cases[s].id) for s in STATUSES if sees(persona, s)}
