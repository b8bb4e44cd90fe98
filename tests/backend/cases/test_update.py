"""Changing fields over PATCH: If-Match required, stale versions refused with the current case."""

from __future__ import annotations

import pytest

from cases.models import CaseEvent, EventKind
from tests.backend.cases.conftest import JEMBER, TUBAN
from tests.factories import CaseFactory


@pytest.fixture
def case(ani):
    return CaseFactory(reported_by=ani, person={"name": "Mbah Sarmi", "age_estimate": 78, "sex": "female", "nik": None})


def patch(client, case, body, version: str | None = '"1"'):
    headers = {} if version is None else {"HTTP_IF_MATCH": version}
    return client.patch(f"/api/v1/cases/{case.id}/", body, format="json", **headers)


def test_a_change_bumps_the_version_and_records_the_field(api, ani, case) -> None:
    response = patch(api(ani), case, {"summary": "Lansia sudah dibawa ke puskesmas", "people_count": 2})

    assert response.status_code == 200
    assert response.json()["version"] == 2
    case.refresh_from_db()
    assert case.field_versions == {"summary": 2, "people_count": 2}
    event = CaseEvent.objects.get(case=case, kind=EventKind.UPDATED)
    assert event.actor == ani
    assert event.data["fields"]["people_count"] == {"before": 1, "after": 2}


def test_person_changes_are_recorded_without_their_values(api, ani, case) -> None:
    new_person = {"name": "Sarminah", "age_estimate": 80, "sex": "female", "nik": "3523010101450001"}

    patch(api(ani), case, {"person": new_person})

    event = CaseEvent.objects.get(case=case, kind=EventKind.UPDATED)
    assert event.data == {"fields": {"person": {"changed": True}}}
    assert "Sarminah" not in str(event.data) and "3523010101450001" not in str(event.data)
    case.refresh_from_db()
    assert case.person == new_person


def test_unchanged_values_write_nothing(api, ani, case) -> None:
    response = patch(api(ani), case, {"summary": case.summary, "severity": case.severity})

    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert not CaseEvent.objects.filter(kind=EventKind.UPDATED).exists()


def test_only_really_changed_fields_are_versioned(api, ani, case) -> None:
    patch(api(ani), case, {"summary": case.summary, "description": "Baru"})

    case.refresh_from_db()
    assert case.field_versions == {"description": 2}


def test_if_match_is_required(api, ani, case) -> None:
    response = patch(api(ani), case, {"summary": "x"}, version=None)

    assert response.status_code == 428
    assert response.json()["error"]["code"] == "precondition_required"


@pytest.mark.parametrize("header", ['"abc"', "", '"-1"', "1,2"])
def test_a_malformed_if_match_is_invalid(api, ani, case, header) -> None:
    response = patch(api(ani), case, {"summary": "x"}, version=header)

    assert response.status_code == 400


@pytest.mark.parametrize("header", ['"1"', "1", 'W/"1"'])
def test_if_match_forms(api, ani, case, header) -> None:
    assert patch(api(ani), case, {"summary": "x"}, version=header).status_code == 200


def test_a_stale_version_is_a_conflict_with_the_current_case(api, ani, budi, case) -> None:
    patch(api(budi), case, {"severity": "critical"})

    response = patch(api(ani), case, {"summary": "Saya belum melihat perubahan"})

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "conflict"
    assert error["current"]["version"] == 2
    assert error["current"]["severity"] == "critical"
    case.refresh_from_db()
    assert case.summary != "Saya belum melihat perubahan"


def test_location_may_be_cleared_only_with_an_address(api, ani, case) -> None:
    case.address = ""
    case.save()

    refused = patch(api(ani), case, {"location": None})
    accepted = patch(api(ani), case, {"location": None, "address": "Terminal Tuban"})

    assert refused.status_code == 400
    assert "location" in refused.json()["error"]["fields"]
    assert accepted.status_code == 200
    assert accepted.json()["location"] is None


def test_a_new_case_follows_its_corrected_location_to_another_upt(api, ani, case, upt_b) -> None:
    response = patch(api(ani), case, {"location": JEMBER})

    body = response.json()
    assert body["region"]["code"] == "35.09"
    assert body["upt"]["code"] == upt_b.code
    assert CaseEvent.objects.filter(case=case, kind=EventKind.ROUTED).exists()


def test_a_case_already_taken_up_stays_at_its_upt(api, ani, budi, case, upt_a, upt_b) -> None:
    api(budi).post(f"/api/v1/cases/{case.id}/acknowledge/", {}, format="json")

    body = patch(api(ani), case, {"location": JEMBER}, version='"2"').json()

    assert body["upt"]["code"] == upt_a.code
    assert body["region"]["code"] == "35.09"


def test_a_referred_case_is_not_routed_back(api, budi, case, upt_a, upt_b, eko) -> None:
    api(budi).post(f"/api/v1/cases/{case.id}/refer/", {"upt": upt_b.code, "note": ""}, format="json")

    body = patch(api(eko), case, {"location": TUBAN | {"lat": -6.9}}, version='"2"').json()

    assert body["upt"]["code"] == upt_b.code


def test_unknown_and_read_only_fields_are_refused(api, ani, case) -> None:
    response = patch(api(ani), case, {"status": "closed", "assignee": "ani", "colour": "red"})

    assert response.status_code == 400
    assert {"status", "assignee", "colour"} <= response.json()["error"]["fields"].keys()
