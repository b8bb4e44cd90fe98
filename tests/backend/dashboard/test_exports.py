"""Exports stream in constant memory; person data only when asked for by a manager, and logged."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from datetime import timedelta

import pytest
from django.http import StreamingHttpResponse

from cases.models import Case, PersonalDataAccess
from tests.backend.dashboard.conftest import NOW

CSV = "/api/v1/exports/cases.csv"
GEOJSON = "/api/v1/exports/cases.geojson"
PERSON = {"name": "Mbah Sarinah", "age_estimate": 78, "sex": "female", "nik": "3523010101400001"}


def streamed_body(response) -> bytes:
    return b"".join(response.streaming_content)


def read_csv(response) -> list[list[str]]:
    body = streamed_body(response).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


@pytest.fixture
def case_with_person(make_case, ani, upt_a, frozen_now) -> Case:
    return make_case(
        reported_by=ani,
        upt=upt_a,
        region="35.23",
        person=PERSON,
        complainant={"name": "Pak RT", "phone": "08123"},
        summary='=HYPERLINK("http://x")',
    )


def test_csv_is_streamed_with_bom_and_header(api, eko, case_with_person) -> None:
    response = api(eko).get(CSV)

    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="jsc-cases-')
    header, row = read_csv(response)
    assert header[:5] == ["id", "reference", "category", "severity", "status"]
    assert "person_name" not in header
    assert row[header.index("reference")] == case_with_person.reference
    assert row[header.index("upt")] == "RSBG-TUBAN"
    assert row[header.index("created_at")] == "2026-11-20T02:00:00Z"
    assert "Mbah Sarinah" not in ",".join(row)


def test_csv_is_sent_whatever_the_client_accepts_and_errors_stay_json(api, eko, case_with_person) -> None:
    client = api(eko)

    assert client.get(CSV, HTTP_ACCEPT="text/csv").status_code == 200
    error = client.get(CSV, {"status": "lost"}, HTTP_ACCEPT="text/csv")
    assert error.status_code == 400
    assert error.json()["error"]["fields"]["status"]


def test_formulas_typed_in_a_case_are_not_run_by_spreadsheets(api, eko, case_with_person) -> None:
    header, row = read_csv(api(eko).get(CSV))

    assert row[header.index("summary")] == '\'=HYPERLINK("http://x")'


def test_person_columns_only_when_asked_and_each_export_is_logged(api, eko, case_with_person) -> None:
    client = api(eko)

    read_csv(client.get(CSV))
    assert not PersonalDataAccess.objects.exists()

    header, row = read_csv(client.get(CSV, {"include_person": "1"}))

    assert row[header.index("person_name")] == "Mbah Sarinah"
    assert row[header.index("person_nik")] == "3523010101400001"
    assert row[header.index("complainant_phone")] == "08123"
    [access] = PersonalDataAccess.objects.all()
    assert (access.user, access.case, access.what) == (eko, case_with_person, "export")


@pytest.mark.parametrize("persona", ["budi", "fajar"])
def test_people_who_may_not_export_cannot_ask_for_person_data(api, personas, case_with_person, persona) -> None:
    response = api(personas[persona]).get(CSV, {"include_person": "1"})

    assert response.status_code == 403
    assert not PersonalDataAccess.objects.exists()


def test_filters_apply_to_exports(api, eko, make_case, ani, upt_a, frozen_now) -> None:
    make_case(reported_by=ani, upt=upt_a, severity="critical")
    make_case(reported_by=ani, upt=upt_a, severity="low")

    rows = read_csv(api(eko).get(CSV, {"severity": "critical"}))

    assert len(rows) == 2


def test_geojson_export_streams_a_feature_collection(api, eko, case_with_person, make_case, ani) -> None:
    make_case(reported_by=ani, at=None)
    response = api(eko).get(GEOJSON, {"include_person": "1"})

    assert isinstance(response, StreamingHttpResponse)
    body = json.loads(streamed_body(response))
    assert body["type"] == "FeatureCollection"
    located = next(f for f in body["features"] if f["geometry"])
    assert located["geometry"] == {"type": "Point", "coordinates": [112.05, -6.9]}
    assert located["properties"]["person_name"] == "Mbah Sarinah"
    assert any(f["geometry"] is None for f in body["features"])
    assert PersonalDataAccess.objects.filter(what="export").count() == 2


def _bulk_cases(count: int, reporter, upt, *, first: int = 0) -> None:
    Case.objects.bulk_create(
        (
            Case(
                reference=f"JSC-2025-{n:06d}",
                category_id="PPKS11",
                severity="low",
                summary=f"Kasus nomor {n} di pinggir jalan",
                address="Jl. Raya Tuban",
                lat=-6.9 - n / 1_000_000,
                lng=112.05,
                upt=upt,
                reported_by=reporter,
                person=PERSON,
                clock_started_at=NOW,
                observed_at=NOW,
                created_at=NOW - timedelta(seconds=n),
                updated_at=NOW,
            )
            for n in range(first, first + count)
        ),
        batch_size=2000,
    )


def _peak_memory_of_export(client, params: dict) -> tuple[int, int]:
    tracemalloc.start()
    try:
        response = client.get(CSV, params)
        size = sum(len(chunk) for chunk in response.streaming_content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, size


@pytest.mark.slow
def test_memory_does_not_grow_with_the_number_of_rows(api, eko, ani, upt_a) -> None:
    client = api(eko)
    _bulk_cases(2000, ani, upt_a)
    peak_small, size_small = _peak_memory_of_export(client, {"include_person": "1"})

    _bulk_cases(18_000, ani, upt_a, first=2000)
    peak_large, size_large = _peak_memory_of_export(client, {"include_person": "1"})

    assert size_large > 9 * size_small  # ten times the data went out...
    assert peak_large < 1.5 * peak_small + 512 * 1024  # ...through about the same memory
    assert PersonalDataAccess.objects.filter(what="export").count() == 22_000
