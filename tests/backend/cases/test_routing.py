"""Point → region → UPT, inside the create (the geo lookup: label points here, polygons in geo)."""

from __future__ import annotations

import pytest

from cases.routing import route
from geo.lookup import region_for_point, upt_for_region
from geo.models import Region, ServiceArea, Upt
from tests.backend.cases.conftest import JEMBER, TUBAN


@pytest.mark.parametrize(
    ("lat", "lng", "region"),
    [
        (-6.8976, 112.0649, "35.23"),  # Tuban town
        (-7.2575, 112.7521, "35.78"),  # Surabaya
        (-8.1724, 113.7007, "35.09"),  # Jember
        (-7.0, 113.85, "35.29"),  # Sumenep
    ],
)
def test_points_in_east_java_find_their_region(db, lat, lng, region) -> None:
    found = region_for_point(lat, lng)

    assert found is not None and found.code == region


@pytest.mark.parametrize(
    ("lat", "lng"),
    [(-6.2088, 106.8456), (-7.7956, 110.3695), (0.0, 0.0), (-3.0, 112.0)],
    ids=["Jakarta", "Yogyakarta", "null island", "Java Sea far north"],
)
def test_points_outside_the_province_have_no_region(db, lat, lng) -> None:
    assert region_for_point(lat, lng) is None
    assert route(lat=lat, lng=lng) == (None, None)


def test_the_service_area_decides_the_upt(upt_a, upt_b) -> None:
    assert route(lat=TUBAN["lat"], lng=TUBAN["lng"])[1] == upt_a
    assert route(lat=JEMBER["lat"], lng=JEMBER["lng"])[1] == upt_b


def test_without_a_service_area_the_nearest_active_upt(upt_a, upt_b) -> None:
    surabaya = Region.objects.get(code="35.78")
    ServiceArea.objects.filter(region=surabaya).delete()
    Upt.objects.create(code="CLOSED-NEAR", name="Tutup", lat=-7.26, lng=112.75, is_active=False)

    assert upt_for_region(surabaya, -7.2575, 112.7521) == upt_a  # Tuban is nearer Surabaya than Jember


def test_no_region_no_upt(upt_a) -> None:
    assert upt_for_region(None, -6.2, 106.8) is None
    assert route(lat=None, lng=None) == (None, None)


def test_a_case_outside_east_java_lands_in_triage(api, ani, eko, case_body) -> None:
    body = case_body(location={"lat": -6.2088, "lng": 106.8456})

    case = api(ani).post("/api/v1/cases/", body, format="json").json()

    assert (case["region"], case["upt"]) == (None, None)
    assert [c["id"] for c in api(eko).get("/api/v1/cases/").json()["results"]] == [case["id"]]


def test_a_case_without_location_lands_in_triage(api, ani, case_body) -> None:
    case = api(ani).post("/api/v1/cases/", case_body(location=None), format="json").json()

    assert (case["region"], case["upt"]) == (None, None)


def test_a_case_is_routed_to_the_upt_of_its_point_not_of_its_reporter(api, ani, dewi, upt_b, case_body) -> None:
    case = api(ani).post("/api/v1/cases/", case_body(location=JEMBER), format="json").json()

    assert case["upt"]["code"] == upt_b.code
    assert api(dewi).get(f"/api/v1/cases/{case['id']}/").status_code == 200
