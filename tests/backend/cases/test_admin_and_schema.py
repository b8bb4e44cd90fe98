"""The admin (technical support, no person data) and the OpenAPI schema of the case endpoints."""

from __future__ import annotations

import pytest
import yaml

import cases.admin  # noqa: F401  (admin modules are imported explicitly, never autodiscovered)
from cases.models import PersonalDataAccess
from tests.factories import CaseFactory

PERSON = {"name": "Mbah Sarmi", "age_estimate": 78, "sex": "female", "nik": "3523014505460001"}


@pytest.fixture
def case(ani):
    return CaseFactory(reported_by=ani, person=PERSON, complainant={"name": "Pak Darmo", "phone": "0812"})


@pytest.mark.parametrize(
    "path",
    [
        "/admin/cases/case/",
        "/admin/cases/case/{id}/change/",
        "/admin/cases/case/?q={reference}",
        "/admin/cases/caseevent/",
        "/admin/cases/comment/",
        "/admin/cases/category/",
        "/admin/cases/personaldataaccess/",
    ],
)
def test_admin_pages_open_and_never_show_person_data(client, fajar, case, path) -> None:
    PersonalDataAccess.objects.create(user=fajar, case=case, what="person", at=case.created_at)
    client.force_login(fajar)

    response = client.get(path.format(id=case.id, reference=case.reference))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Mbah Sarmi" not in page and PERSON["nik"] not in page and "Pak Darmo" not in page


def test_the_reference_search_finds_the_case(client, fajar, case) -> None:
    client.force_login(fajar)

    assert case.reference in client.get(f"/admin/cases/case/?q={case.reference}").content.decode()


def test_cases_are_read_only_in_the_admin(client, fajar, case) -> None:
    """Changes go through the services (version, timeline, sync feed), never around them."""
    client.force_login(fajar)

    page = client.get(f"/admin/cases/case/{case.id}/change/").content.decode()
    posted = client.post(f"/admin/cases/case/{case.id}/change/", {"summary": "Diubah di admin"})

    assert case.summary in page
    assert 'name="summary"' not in page and 'name="status"' not in page and 'name="version"' not in page
    assert posted.status_code == 403
    case.refresh_from_db()
    assert case.summary != "Diubah di admin"


def test_the_access_log_cannot_be_edited(client, fajar, case) -> None:
    entry = PersonalDataAccess.objects.create(user=fajar, case=case, what="person", at=case.created_at)
    client.force_login(fajar)

    assert client.post(f"/admin/cases/personaldataaccess/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert PersonalDataAccess.objects.filter(pk=entry.pk).exists()


@pytest.fixture
def schema(client, eko) -> dict:
    client.force_login(eko)
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_the_schema_documents_every_case_endpoint(schema) -> None:
    paths = schema["paths"]
    base = "/api/v1/cases/{case_id}/"
    expected = {
        "/api/v1/categories/": {"get"},
        "/api/v1/cases/": {"get", "post"},
        base: {"get", "patch"},
        base + "events/": {"get"},
        base + "comments/": {"post"},
        base + "attachments/{attachment_id}/": {"get", "put"},
        **{f"{base}{action}/": {"post"} for action in ("acknowledge", "dispatch", "start", "resolve", "close")},
        **{f"{base}{action}/": {"post"} for action in ("reopen", "refer")},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[path]), path


def test_the_schema_states_the_errors_and_headers(schema) -> None:
    patch = schema["paths"]["/api/v1/cases/{case_id}/"]["patch"]
    assert {"400", "403", "404", "409", "428"} <= set(patch["responses"])
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in patch["parameters"])
    put = schema["paths"]["/api/v1/cases/{case_id}/attachments/{attachment_id}/"]["put"]
    assert {"image/jpeg", "image/png", "image/webp"} <= set(put["requestBody"]["content"])
    assert {"413", "415"} <= set(put["responses"])
    listing = schema["paths"]["/api/v1/cases/"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert {"status", "category", "severity", "source", "outcome", "region", "upt", "assignee"} <= names
    assert {"overdue", "bbox", "updated_after", "q", "ordering", "page"} <= names


def test_the_schema_of_the_case_matches_the_resource(schema) -> None:
    case = schema["components"]["schemas"]["CaseOutput"]
    assert set(case["properties"]) == {
        "id", "reference", "category", "severity", "status", "summary", "description", "address", "location",
        "source", "people_count", "person", "complainant", "region", "upt", "reported_by", "assignee",
        "escalation_level", "ack_due_at", "due_at", "resolution_note", "outcome", "attachments", "observed_at",
        "created_at", "updated_at", "version",
    }  # fmt: skip


def test_the_create_schema_is_as_strict_as_the_server(schema) -> None:
    """Generated clients (and the conformance test) build bodies the server accepts: unknown keys are
    refused, the category is one of the 26 codes, a NIK is 16 digits."""
    components = schema["components"]["schemas"]
    create = components["CaseCreateRequest"]
    category = components[create["properties"]["category"]["allOf"][0]["$ref"].rsplit("/", 1)[1]]

    assert create["additionalProperties"] is False
    assert components["PersonInputRequest"]["additionalProperties"] is False
    assert category["enum"] == [f"PPKS{n:02}" for n in range(1, 27)]
    assert components["PersonInputRequest"]["properties"]["nik"]["pattern"] == "^[0-9]{16}$"


def test_the_schema_says_an_empty_filter_is_no_filter(schema) -> None:
    parameters = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"]}

    for name in ("status", "severity", "source", "outcome", "overdue"):
        assert "" in parameters[name]["enum"], name
    assert {"type": "string", "enum": [""]} in parameters["updated_after"]["anyOf"]
