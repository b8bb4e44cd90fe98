"""Who sees which cases on the map and in the reports: managers everything, commanders their UPT."""

from __future__ import annotations

import pytest

ENDPOINTS = [
    "/api/v1/map/cases.geojson",
    "/api/v1/map/clusters/?zoom=8",
    "/api/v1/map/regions/",
    "/api/v1/map/overdue/",
    "/api/v1/reports/summary/",
]


@pytest.fixture
def cases_in_both_upts(make_case, ani, citra, upt_a, upt_b):
    from tests.backend.dashboard.conftest import JEMBER, TUBAN

    tuban = [make_case(reported_by=ani, upt=upt_a, at=TUBAN, region="35.23") for _ in range(3)]
    jember = [make_case(reported_by=citra, upt=upt_b, at=JEMBER, region="35.09") for _ in range(2)]
    return tuban, jember


@pytest.mark.parametrize("url", ENDPOINTS)
@pytest.mark.parametrize("persona", ["ani", "citra", "fajar"])
def test_field_workers_and_admins_have_no_map(api, personas, url, persona) -> None:
    response = api(personas[persona]).get(url)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("url", ENDPOINTS + ["/api/v1/exports/cases.csv"])
def test_anonymous_callers_must_log_in(api, db, url) -> None:
    response = api(None).get(url)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_manager_sees_the_whole_province(api, eko, cases_in_both_upts) -> None:
    tuban, jember = cases_in_both_upts

    features = api(eko).get("/api/v1/map/cases.geojson").json()["features"]

    assert {f["properties"]["id"] for f in features} == {str(c.id) for c in tuban + jember}


@pytest.mark.parametrize(("commander", "upt_code", "expected"), [("budi", "RSBG-TUBAN", 3), ("dewi", "PSTW-JEMBER", 2)])
def test_commander_sees_only_their_upt(api, personas, cases_in_both_upts, commander, upt_code, expected) -> None:
    client = api(personas[commander])

    features = client.get("/api/v1/map/cases.geojson").json()["features"]
    clusters = client.get("/api/v1/map/clusters/?zoom=3").json()["clusters"]
    regions = client.get("/api/v1/map/regions/").json()["regions"]
    summary = client.get("/api/v1/reports/summary/").json()

    assert len(features) == expected
    assert {f["properties"]["upt"] for f in features} == {upt_code}
    assert sum(c["count"] for c in clusters) == expected
    assert sum(r["all"] for r in regions) == expected
    assert summary["total"] == expected


def test_commander_asking_for_another_upt_gets_nothing(api, budi, cases_in_both_upts) -> None:
    response = api(budi).get("/api/v1/map/cases.geojson?upt=PSTW-JEMBER")

    assert response.status_code == 200
    assert response.json()["features"] == []


@pytest.mark.parametrize("persona", ["budi", "dewi", "ani", "fajar"])
def test_only_managers_export(api, personas, persona) -> None:
    for url in ("/api/v1/exports/cases.csv", "/api/v1/exports/cases.geojson"):
        response = api(personas[persona]).get(url)

        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"
