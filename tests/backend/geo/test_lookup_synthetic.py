"""Point → region → UPT with small synthetic shapes (DESIGN.md "Geography")."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from geo.lookup import METRES_PER_DEGREE, haversine_m, region_for_point, upt_for_region
from geo.models import Region, ServiceArea, Upt

T0 = datetime(2026, 3, 1, tzinfo=UTC)
LAT = -7.05
# Metres per degree of longitude at LAT.
M_PER_DEG_LNG = METRES_PER_DEGREE * math.cos(math.radians(LAT))


def polygon(*rings: list[tuple[float, float]]) -> dict:
    return {"type": "Polygon", "coordinates": [[list(point) for point in ring] for ring in rings]}


def rect(lng0: float, lat0: float, lng1: float, lat1: float) -> list[tuple[float, float]]:
    return [(lng0, lat0), (lng1, lat0), (lng1, lat1), (lng0, lat1), (lng0, lat0)]


def set_boundaries(shapes: dict[str, dict], at: datetime = T0) -> None:
    for code, geometry in shapes.items():
        Region.objects.filter(code=code).update(boundary=geometry, boundary_updated_at=at)


@pytest.fixture
def two_neighbours(db) -> None:
    """Tuban [112.0, 112.1] and Lamongan [112.1, 112.2] side by side, between latitudes -7.1 and -7.0;
    Kabupaten Kediri far south with Kota Kediri as an enclave in its hole."""
    set_boundaries(
        {
            "35.23": polygon(rect(112.0, -7.1, 112.1, -7.0)),
            "35.24": polygon(rect(112.1, -7.1, 112.2, -7.0)),
            "35.06": polygon(rect(112.0, -7.9, 112.2, -7.7), rect(112.05, -7.85, 112.1, -7.8)),
            "35.71": polygon(rect(112.05, -7.85, 112.1, -7.8)),
        }
    )


def code_at(lat: float, lng: float) -> str | None:
    region = region_for_point(lat, lng)
    return region.code if region else None


def test_the_polygon_holding_the_point(two_neighbours):
    assert code_at(-7.05, 112.05) == "35.23"
    assert code_at(-7.05, 112.15) == "35.24"


def test_an_enclave_wins_over_the_region_around_it(two_neighbours):
    assert code_at(-7.82, 112.07) == "35.71"
    assert code_at(-7.75, 112.15) == "35.06"


def test_within_5_km_of_a_boundary_the_nearest_region(two_neighbours):
    east_edge = 112.2
    assert code_at(LAT, east_edge + 1_000 / M_PER_DEG_LNG) == "35.24"
    assert code_at(LAT, east_edge + 4_900 / M_PER_DEG_LNG) == "35.24"
    north_edge = -7.0
    assert code_at(north_edge + 4_900 / METRES_PER_DEGREE, 112.02) == "35.23"


def test_farther_than_5_km_no_region(two_neighbours):
    assert code_at(LAT, 112.2 + 5_100 / M_PER_DEG_LNG) is None
    assert code_at(-7.0 + 5_100 / METRES_PER_DEGREE, 112.02) is None


def test_the_distance_is_measured_in_metres_not_degrees(two_neighbours):
    # 0.046° of longitude is ~5.08 km here: out of range; 0.046° of latitude would be ~5.11 km.
    # A naive degree-based threshold of 0.045° would say the opposite for both.
    assert code_at(LAT, 112.2 + 0.0455) is None
    assert code_at(LAT, 112.2 + 0.0445) == "35.24"


def test_between_two_regions_at_sea_the_nearer_one(two_neighbours):
    # North of the shared border at 112.1: 2 km north of Tuban's corner, slightly on Lamongan's side.
    assert code_at(-7.0 + 2_000 / METRES_PER_DEGREE, 112.1 + 100 / M_PER_DEG_LNG) == "35.24"
    assert code_at(-7.0 + 2_000 / METRES_PER_DEGREE, 112.1 - 100 / M_PER_DEG_LNG) == "35.23"


@pytest.mark.parametrize(
    ("lat", "lng"), [(math.nan, 112.0), (-7.0, math.inf), (91.0, 112.0), (-7.0, 181.0), (None, 112.0), (True, 112.0)]
)
def test_an_impossible_point_has_no_region(two_neighbours, lat, lng):
    assert region_for_point(lat, lng) is None


def test_new_boundaries_are_used_on_the_next_lookup(two_neighbours):
    assert code_at(-7.05, 112.08) == "35.23"

    set_boundaries({"35.23": polygon(rect(112.5, -7.1, 112.6, -7.0))}, at=T0 + timedelta(days=1))

    assert code_at(-7.05, 112.08) == "35.24"  # Tuban moved away; Lamongan is 2.2 km east


def test_the_region_returned_is_a_usable_model_instance(two_neighbours):
    region = region_for_point(-7.05, 112.05)

    assert region is not None
    assert (region.code, region.name, region.type) == ("35.23", "Kabupaten Tuban", "kabupaten")
    assert region == Region.objects.get(code="35.23")


# --- without boundaries: label points ---------------------------------------------------------------


def test_without_boundaries_the_nearest_label_point(db):
    tuban = Region.objects.get(code="35.23")
    assert code_at(tuban.label_lat + 0.01, tuban.label_lng) == "35.23"
    assert code_at(-7.2575, 112.7521) == "35.78"  # Surabaya


def test_without_boundaries_only_inside_the_province_box_plus_5_km(db):
    assert code_at(-7.0, 110.4) is None  # Central Java, far west
    assert code_at(-7.5, 110.8953 - 4_000 / M_PER_DEG_LNG) is not None
    assert code_at(-7.5, 110.8953 - 6_000 / M_PER_DEG_LNG) is None
    assert code_at(-9.0, 112.5) is None  # Indian Ocean


# --- upt_for_region --------------------------------------------------------------------------------


def test_the_upt_of_the_service_area(upt_a, upt_b):
    tuban = Region.objects.get(code="35.23")

    assert upt_for_region(tuban, -6.9, 112.05) == upt_a


def test_a_region_without_service_area_goes_to_the_nearest_active_upt(upt_a, upt_b):
    surabaya = Region.objects.get(code="35.78")
    assert not ServiceArea.objects.filter(region=surabaya).exists()

    # From a point near Tuban the nearer UPT is Tuban's, from near Jember it is Jember's.
    assert upt_for_region(surabaya, -6.95, 111.95) == upt_a
    assert upt_for_region(surabaya, -8.2, 113.6) == upt_b
    # Without a point: from the region's label point (Surabaya is nearer Tuban than Jember).
    assert upt_for_region(surabaya, None, None) == upt_a


def test_an_inactive_upt_is_skipped(upt_a, upt_b):
    Upt.objects.filter(pk=upt_a.pk).update(is_active=False)
    tuban = Region.objects.get(code="35.23")

    assert upt_for_region(tuban, -6.9, 112.05) == upt_b


def test_no_region_no_upt(upt_a):
    assert upt_for_region(None, -6.9, 112.05) is None


def test_no_upt_at_all(db):
    assert upt_for_region(Region.objects.get(code="35.23"), -6.9, 112.05) is None


def test_haversine_against_a_known_distance():
    # One degree of latitude on the mean sphere.
    assert haversine_m(-7.0, 112.0, -8.0, 112.0) == pytest.approx(111_195, rel=1e-4)
