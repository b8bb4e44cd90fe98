"""Point → region with the real boundaries of East Java (shared data; skipped with a reason when absent)."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import shape

from geo.lookup import METRES_PER_DEGREE, region_for_point


def code_at(lat: float, lng: float) -> str | None:
    region = region_for_point(lat, lng)
    return region.code if region else None


@pytest.mark.parametrize(
    ("place", "lat", "lng", "code"),
    [
        ("Tuban town", -6.8976, 112.0649, "35.23"),
        ("Kota Batu", -7.8671, 112.5239, "35.79"),
        ("Bawean island (Kabupaten Gresik)", -5.78, 112.65, "35.25"),
        ("Kota Kediri, an enclave in Kabupaten Kediri", -7.82, 112.01, "35.71"),
        ("Pare, Kabupaten Kediri", -7.7667, 112.1964, "35.06"),
        ("Surabaya", -7.2575, 112.7521, "35.78"),
        ("Kota Malang", -7.9666, 112.6326, "35.73"),
        ("Banyuwangi", -8.2192, 114.3691, "35.10"),
        ("Sumenep", -7.0167, 113.8667, "35.29"),
    ],
)
def test_known_places(real_boundaries, place, lat, lng, code):
    assert code_at(lat, lng) == code, place


def _tuban_coast_latitude(collection: dict, lng: float) -> float:
    tuban = next(f for f in collection["features"] if f["properties"]["code"] == "35.23")
    crossing = shape(tuban["geometry"]).intersection(shapely.LineString([(lng, -7.5), (lng, -6.0)]))
    return crossing.bounds[3]


def test_a_point_a_kilometre_off_the_north_coast_belongs_to_the_coastal_region(real_boundaries):
    lat = _tuban_coast_latitude(real_boundaries, 111.95) + 1_000 / METRES_PER_DEGREE
    land = shapely.union_all([shape(f["geometry"]) for f in real_boundaries["features"]])
    assert not land.covers(shapely.Point(111.95, lat))  # really at sea

    assert code_at(lat, 111.95) == "35.23"


def test_a_point_20_km_out_at_sea_has_no_region(real_boundaries):
    lat = _tuban_coast_latitude(real_boundaries, 111.95) + 20_000 / METRES_PER_DEGREE

    assert code_at(lat, 111.95) is None


def test_central_java_has_no_region(real_boundaries):
    assert code_at(-7.0, 110.4) is None  # Semarang area, far west
    assert code_at(-7.55, 110.82) is None  # Surakarta


def test_every_label_point_lies_in_its_own_region(real_boundaries):
    from geo.reference import REGIONS

    assert {fact.code: code_at(fact.label_lat, fact.label_lng) for fact in REGIONS} == {
        fact.code: fact.code for fact in REGIONS
    }


def test_a_batch_of_points_is_routed_as_each_point_alone(real_boundaries):
    """A push routes its new cases together: points inside polygons, near coasts, at sea, outside the
    province and invalid ones, mixed, must each get the answer they get alone."""
    from geo.lookup import route_points

    grid = [(-8.9 + 0.1 * row, 110.8 + 0.1 * column) for row in range(41) for column in range(57)]
    points = [*grid, (None, 112.0), (float("nan"), 112.0), (-6.8976, 112.0649), (-6.85, 112.06)]
    routed = [region.code if region else None for region, _upt in route_points(points)]
    alone = [code_at(lat, lng) if lat is not None else None for lat, lng in points]
    assert routed == alone
    assert 0 < routed.count(None) < len(points)
