"""Clusters are a grid aggregation in the database: counts add up, and positions are members' averages."""

from __future__ import annotations

import pytest

from tests.backend.dashboard.conftest import JEMBER, TUBAN

CLUSTERS = "/api/v1/map/clusters/"


@pytest.fixture
def spread_cases(make_case, ani, citra, upt_a, upt_b, frozen_now):
    made = []
    for index in range(12):
        made.append(
            make_case(
                reported_by=ani,
                upt=upt_a,
                at=(TUBAN[0] + index * 0.01, TUBAN[1] + index * 0.01),
                status=["new", "acknowledged", "resolved"][index % 3],
            )
        )
    for index in range(7):
        made.append(make_case(reported_by=citra, upt=upt_b, at=(JEMBER[0], JEMBER[1] + index * 0.2)))
    return made


@pytest.mark.parametrize("zoom", [0, 5, 8, 11, 14, 18])
def test_counts_sum_to_the_matching_cases_at_every_zoom(api, eko, spread_cases, zoom) -> None:
    clusters = api(eko).get(CLUSTERS, {"zoom": zoom}).json()["clusters"]

    assert sum(c["count"] for c in clusters) == 19
    assert all(sum(c["by_status"].values()) == c["count"] for c in clusters)


def test_filters_apply_to_clusters(api, eko, spread_cases) -> None:
    clusters = api(eko).get(CLUSTERS, {"zoom": 6, "status": "resolved", "upt": "RSBG-TUBAN"}).json()["clusters"]

    assert sum(c["count"] for c in clusters) == 4
    assert all(set(c["by_status"]) == {"resolved"} for c in clusters)


def test_low_zoom_merges_and_high_zoom_separates(api, eko, spread_cases) -> None:
    client = api(eko)

    province = client.get(CLUSTERS, {"zoom": 5}).json()["clusters"]
    street = client.get(CLUSTERS, {"zoom": 18}).json()["clusters"]

    assert len(province) < 5
    assert len(street) == 19


def test_a_cluster_sits_at_the_average_of_its_members(api, eko, make_case, ani, upt_a, frozen_now) -> None:
    make_case(reported_by=ani, upt=upt_a, at=(-7.10, 112.10))
    make_case(reported_by=ani, upt=upt_a, at=(-7.12, 112.14), status="dispatched")

    [cluster] = api(eko).get(CLUSTERS, {"zoom": 6}).json()["clusters"]

    assert cluster == {"lat": -7.11, "lng": 112.12, "count": 2, "by_status": {"new": 1, "dispatched": 1}}


def test_bbox_limits_clusters(api, eko, spread_cases) -> None:
    clusters = api(eko).get(CLUSTERS, {"zoom": 10, "bbox": "113.5,-8.5,115.0,-8.0"}).json()["clusters"]

    assert sum(c["count"] for c in clusters) == 7


@pytest.mark.parametrize("zoom", ["-1", "19", "8.5", "", "eight"])
def test_zoom_out_of_range_or_missing_is_a_400(api, eko, zoom) -> None:
    response = api(eko).get(CLUSTERS, {"zoom": zoom})

    assert response.status_code == 400
    assert "zoom" in response.json()["error"]["fields"]


def test_zoom_is_required(api, eko) -> None:
    response = api(eko).get(CLUSTERS)

    assert response.status_code == 400
    assert "zoom" in response.json()["error"]["fields"]
