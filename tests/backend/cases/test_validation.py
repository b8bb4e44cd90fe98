"""Every rule of API.md's validation: bad input gets a 400 naming the field (dotted), and writes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from cases.models import Case, CaseEvent
from cases.validation import validate_case_fields
from core.exceptions import FieldsInvalid

LONG = "x"

# (description, overrides of a valid body, the field named in error.fields)
BAD_FIELDS = [
    ("lat above 90", {"location": {"lat": 90.0001, "lng": 112.0}}, "location.lat"),
    ("lat below -90", {"location": {"lat": -91, "lng": 112.0}}, "location.lat"),
    ("lng above 180", {"location": {"lat": -7, "lng": 180.5}}, "location.lng"),
    ("lng below -180", {"location": {"lat": -7, "lng": -181}}, "location.lng"),
    ("lat as text", {"location": {"lat": "-7", "lng": 112.0}}, "location.lat"),
    ("lat not finite", {"location": {"lat": "nan", "lng": 112.0}}, "location.lat"),
    ("lng infinite", {"location": {"lat": -7.0, "lng": "Infinity"}}, "location.lng"),
    ("lat a boolean", {"location": {"lat": True, "lng": 112.0}}, "location.lat"),
    ("lat missing", {"location": {"lng": 112.0}}, "location.lat"),
    ("location unknown key", {"location": {"lat": -7, "lng": 112, "alt": 3}}, "location.alt"),
    ("negative accuracy", {"location": {"lat": -7, "lng": 112, "accuracy_m": -1}}, "location.accuracy_m"),
    ("location a list", {"location": [-7, 112]}, "location"),
    ("no location and no address", {"location": None, "address": ""}, "location"),
    ("no location and a blank address", {"location": None, "address": "   "}, "location"),
    ("nik too short", {"person": {"name": "A", "nik": "351234567890123"}}, "person.nik"),
    ("nik too long", {"person": {"name": "A", "nik": "35123456789012345"}}, "person.nik"),
    ("nik with letters", {"person": {"name": "A", "nik": "35123456789012AB"}}, "person.nik"),
    ("nik a number", {"person": {"name": "A", "nik": 3512345678901234}}, "person.nik"),
    ("person without name", {"person": {"age_estimate": 3}}, "person.name"),
    ("person empty name", {"person": {"name": ""}}, "person.name"),
    ("age below 0", {"person": {"name": "A", "age_estimate": -1}}, "person.age_estimate"),
    ("age above 130", {"person": {"name": "A", "age_estimate": 131}}, "person.age_estimate"),
    ("age a fraction", {"person": {"name": "A", "age_estimate": 7.5}}, "person.age_estimate"),
    ("age as text", {"person": {"name": "A", "age_estimate": "7"}}, "person.age_estimate"),
    ("sex unknown value", {"person": {"name": "A", "sex": "x"}}, "person.sex"),
    ("person unknown key", {"person": {"name": "A", "address": "B"}}, "person.address"),
    ("person a string", {"person": "Mbah Sarmi"}, "person"),
    ("complainant without phone", {"complainant": {"name": "Pak RT"}}, "complainant.phone"),
    ("complainant phone a number", {"complainant": {"name": "Pak RT", "phone": 812345}}, "complainant.phone"),
    ("complainant unknown key", {"complainant": {"name": "B", "phone": "1", "email": "e"}}, "complainant.email"),
    ("category unknown", {"category": "PPKS27"}, "category"),
    ("category lower case", {"category": "ppks11"}, "category"),
    ("category a number", {"category": 11}, "category"),
    ("category missing", {"category": ...}, "category"),
    ("severity unknown", {"severity": "urgent"}, "severity"),
    ("severity missing", {"severity": ...}, "severity"),
    ("severity a number", {"severity": 3}, "severity"),
    ("summary empty", {"summary": ""}, "summary"),
    ("summary blank", {"summary": "   "}, "summary"),
    ("summary missing", {"summary": ...}, "summary"),
    ("summary 201 characters", {"summary": LONG * 201}, "summary"),
    ("summary a number", {"summary": 42}, "summary"),
    ("summary null", {"summary": None}, "summary"),
    ("description 5001 characters", {"description": LONG * 5001}, "description"),
    ("description a list", {"description": ["a"]}, "description"),
    ("address 501 characters", {"address": LONG * 501}, "address"),
    ("source unknown", {"source": "rumor"}, "source"),
    ("people_count 0", {"people_count": 0}, "people_count"),
    ("people_count 501", {"people_count": 501}, "people_count"),
    ("people_count a boolean", {"people_count": True}, "people_count"),
    ("people_count a fraction", {"people_count": 2.5}, "people_count"),
    ("people_count as text", {"people_count": "3"}, "people_count"),
    ("outcome without status", {"outcome": "returned_home"}, "outcome"),
    ("resolution_note without status", {"resolution_note": "x"}, "resolution_note"),
    ("resolved without note", {"status": "resolved", "outcome": "returned_home"}, "resolution_note"),
    ("resolved without outcome", {"status": "resolved", "resolution_note": "x"}, "outcome"),
    ("resolved with unknown outcome", {"status": "resolved", "resolution_note": "x", "outcome": "ok"}, "outcome"),
    ("unknown field", {"priority": 1}, "priority"),
    ("read-only reference", {"reference": "JSC-2026-000001"}, "reference"),
    ("read-only version", {"version": 4}, "version"),
    ("read-only upt", {"upt": "RSBG-TUBAN"}, "upt"),
    ("read-only assignee", {"assignee": "ani"}, "assignee"),
    ("read-only region", {"region": "35.23"}, "region"),
    ("id not a uuid", {"id": "case-1"}, "id"),
    ("id a number", {"id": 12}, "id"),
    ("observed_at not a time", {"observed_at": "kemarin"}, "observed_at"),
    ("observed_at without offset", {"observed_at": "2026-11-30T08:00:00"}, "observed_at"),
]


@pytest.mark.parametrize(("overrides", "field"), [(o, f) for _, o, f in BAD_FIELDS], ids=[d for d, _, _ in BAD_FIELDS])
def test_bad_input_is_named_and_writes_nothing(api, ani, case_body, overrides, field) -> None:
    response = api(ani).post("/api/v1/cases/", case_body(**overrides), format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    if field is not None:
        assert field in error["fields"], error["fields"]
    assert not Case.objects.exists()
    assert not CaseEvent.objects.exists()


@pytest.mark.parametrize("body", [[], "case", 7, None], ids=["a list", "a string", "a number", "null"])
def test_a_body_that_is_not_an_object_is_refused(api, ani, body) -> None:
    response = api(ani).post("/api/v1/cases/", body, format="json")

    assert response.status_code == 400
    assert not Case.objects.exists()


def test_a_body_that_is_not_json_is_refused(api, ani) -> None:
    response = api(ani).post("/api/v1/cases/", b"{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_nan_in_json_is_refused(api, ani) -> None:
    body = b'{"category": "PPKS11", "severity": "low", "summary": "x", "location": {"lat": NaN, "lng": 112}}'

    response = api(ani).post("/api/v1/cases/", body, content_type="application/json")

    assert response.status_code == 400
    assert not Case.objects.exists()


@time_machine.travel("2026-11-30 08:00:00Z", tick=False)
@pytest.mark.parametrize(
    ("observed_at", "accepted"),
    [
        ("2026-11-30T08:10:00Z", True),
        ("2026-11-30T15:09:59+07:00", True),
        ("2026-11-30T08:10:01Z", False),
        ("2026-12-01T08:00:00Z", False),
        ("2026-11-01T08:00:00Z", True),
    ],
)
def test_observed_at_may_be_at_most_ten_minutes_ahead_of_the_server(api, ani, case_body, observed_at, accepted) -> None:
    response = api(ani).post("/api/v1/cases/", case_body(observed_at=observed_at), format="json")

    assert response.status_code == (201 if accepted else 400)
    if not accepted:
        assert "observed_at" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"location": None, "address": "Pasar Tuban"}, None),
        ({"location": {"lat": -90, "lng": 180}}, {"lat": -90.0, "lng": 180.0, "accuracy_m": None}),
        ({"location": {"lat": 0, "lng": -180, "accuracy_m": None}}, {"lat": 0.0, "lng": -180.0, "accuracy_m": None}),
    ],
)
def test_valid_locations_are_stored(api, ani, case_body, overrides, expected) -> None:
    response = api(ani).post("/api/v1/cases/", case_body(**overrides), format="json")

    assert response.status_code == 201
    assert response.json()["location"] == expected


def test_defaults_fill_the_optional_fields(api, ani) -> None:
    body = {"category": "PPKS04", "severity": "low", "summary": "Anak jalanan", "address": "Alun-alun Tuban"}

    case = api(ani).post("/api/v1/cases/", body, format="json").json()

    assert case["source"] == "field_outreach"
    assert case["people_count"] == 1
    assert case["description"] == ""
    assert case["person"] is None and case["complainant"] is None and case["location"] is None


def test_person_gets_its_full_shape(db) -> None:
    fields = validate_case_fields({"person": {"name": "Budi kecil"}}, partial=True, for_create=False)

    assert fields == {"person": {"name": "Budi kecil", "age_estimate": None, "sex": "unknown", "nik": None}}


def test_a_partial_update_returns_only_the_given_fields(db) -> None:
    assert validate_case_fields({"severity": "critical"}, partial=True, for_create=False) == {"severity": "critical"}


@pytest.mark.parametrize("field", ["observed_at", "status", "resolution_note", "outcome", "id"])
def test_create_only_fields_are_read_only_on_update(db, field) -> None:
    value = {"observed_at": timezone.now().isoformat(), "status": "resolved"}.get(field, "x")

    with pytest.raises(FieldsInvalid) as error:
        validate_case_fields({field: value}, partial=True, for_create=False)

    assert field in error.value.fields


def test_several_errors_are_reported_together(api, ani, case_body) -> None:
    body = case_body(summary="", people_count=0, person={"name": "A", "nik": "1"}, id="nope")

    fields = api(ani).post("/api/v1/cases/", body, format="json").json()["error"]["fields"]

    assert {"summary", "people_count", "person.nik", "id"} <= fields.keys()


def test_future_observation_uses_the_server_clock(db) -> None:
    future = (timezone.now() + timedelta(minutes=11)).isoformat()
    with pytest.raises(FieldsInvalid):
        validate_case_fields(
            {"category": "PPKS11", "severity": "low", "summary": "x", "address": "a", "observed_at": future},
            partial=False,
            for_create=True,
        )


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"person": {"age_estimate": 3}}, "person.name"),
        ({"location": {"lat": -7.0}}, "location.lng"),
        ({"complainant": {"name": "Pak RT"}}, "complainant.phone"),
    ],
)
def test_objects_are_replaced_whole_even_in_a_partial_update(db, fields, error) -> None:
    with pytest.raises(FieldsInvalid) as raised:
        validate_case_fields(fields, partial=True, for_create=False)

    assert error in raised.value.fields
