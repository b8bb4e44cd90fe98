"""Counts per kabupaten/kota for the choropleth: all, open and overdue, zeros included."""

from __future__ import annotations

from datetime import timedelta

from tests.backend.dashboard.conftest import JEMBER, NOW


def test_counts_per_region(api, eko, make_case, ani, citra, upt_a, upt_b, frozen_now) -> None:
    make_case(reported_by=ani, upt=upt_a, region="35.23", status="new", ack_due_at=NOW - timedelta(minutes=1))
    make_case(reported_by=ani, upt=upt_a, region="35.23", status="resolved")
    make_case(reported_by=ani, upt=upt_a, region="35.23", status="dispatched")
    make_case(reported_by=citra, upt=upt_b, region="35.09", at=JEMBER, status="closed")

    body = api(eko).get("/api/v1/map/regions/").json()
    by_code = {region["code"]: region for region in body["regions"]}

    assert len(body["regions"]) == 38
    assert by_code["35.23"] == {
        "code": "35.23",
        "name": by_code["35.23"]["name"],
        "type": "kabupaten",
        "all": 3,
        "open": 2,
        "overdue": 1,
    }
    assert "Tuban" in by_code["35.23"]["name"]
    assert (by_code["35.09"]["all"], by_code["35.09"]["open"], by_code["35.09"]["overdue"]) == (1, 0, 0)
    assert by_code["35.78"]["all"] == 0
    assert body["outside_regions"] == {"all": 0, "open": 0, "overdue": 0}


def test_filters_apply_to_region_counts(api, eko, make_case, ani, upt_a, frozen_now) -> None:
    make_case(reported_by=ani, upt=upt_a, region="35.23", severity="high")
    make_case(reported_by=ani, upt=upt_a, region="35.23", severity="low")

    regions = api(eko).get("/api/v1/map/regions/", {"severity": "high"}).json()["regions"]

    assert sum(region["all"] for region in regions) == 1
