"""The pre-aggregated grid answers province-wide cluster views exactly like the cases table does,
and steps aside when it is stale or cannot answer the filters."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from dashboard.models import MapCell
from dashboard.services import GRID_ZOOM, cluster_cell_degrees, map_grid_refresh
from dashboard.tasks import refresh_map_grid
from tests.backend.dashboard.conftest import JEMBER, NOW, TUBAN

CLUSTERS = "/api/v1/map/clusters/"


@pytest.fixture
def spread_cases(make_case, ani, citra, upt_a, upt_b, frozen_now):
    for index in range(15):
        make_case(
            reported_by=ani,
            upt=upt_a,
            at=(TUBAN[0] - index * 0.07, TUBAN[1] + index * 0.05),
            status=["new", "dispatched", "resolved"][index % 3],
            severity=["low", "high"][index % 2],
            category_id="PPKS03" if index == 0 else "PPKS11",
        )
    for index in range(8):
        make_case(reported_by=citra, upt=upt_b, at=(JEMBER[0] + index * 0.09, JEMBER[1] - index * 0.13))


def clusters(client, **params) -> list[dict]:
    response = client.get(CLUSTERS, params)
    assert response.status_code == 200, response.content
    return sorted(response.json()["clusters"], key=lambda c: (c["lat"], c["lng"]))


def same_clusters(left: list[dict], right: list[dict]) -> bool:
    return len(left) == len(right) and all(
        a["count"] == b["count"]
        and a["by_status"] == b["by_status"]
        and abs(a["lat"] - b["lat"]) < 1e-6
        and abs(a["lng"] - b["lng"]) < 1e-6
        for a, b in zip(left, right, strict=True)
    )


@pytest.mark.parametrize("zoom", [5, 7, 8, 9])
@pytest.mark.parametrize(
    "params",
    [{}, {"status": "new,resolved"}, {"severity": "high"}, {"upt": "PSTW-JEMBER"}, {"bbox": "110,-9,115,-6"}],
)
def test_grid_gives_the_same_clusters_as_the_cases_table(api, eko, spread_cases, zoom, params) -> None:
    client = api(eko)
    live = clusters(client, zoom=zoom, **params)

    assert map_grid_refresh(now=NOW) > 0
    from_grid = clusters(client, zoom=zoom, **params)

    assert same_clusters(live, from_grid), (live, from_grid)


def test_grid_applies_a_bbox_to_whole_grid_cells(api, eko, spread_cases) -> None:
    """At province zooms the view's edge is drawn to the grid's 12-km cells: never fewer cases than
    are inside, never more than are within one grid cell of it."""
    client = api(eko)
    cell = cluster_cell_degrees(GRID_ZOOM)
    inside = sum(c["count"] for c in clusters(client, zoom=8, bbox="111.5,-7.5,112.5,-6.5"))
    around = f"{111.5 - cell},{-7.5 - cell},{112.5 + cell},{-6.5 + cell}"
    within_a_cell = sum(c["count"] for c in clusters(client, zoom=8, bbox=around))

    map_grid_refresh(now=NOW)
    from_grid = sum(c["count"] for c in clusters(client, zoom=8, bbox="111.5,-7.5,112.5,-6.5"))

    assert inside <= from_grid <= within_a_cell
    assert inside < within_a_cell  # the seeded cases do straddle the edge


def test_grid_is_scoped_for_commanders(api, budi, spread_cases) -> None:
    map_grid_refresh(now=NOW)

    assert sum(c["count"] for c in clusters(api(budi), zoom=6)) == 15


def test_grid_answers_while_fresh_then_steps_aside(api, eko, spread_cases, make_case, ani, upt_a) -> None:
    client = api(eko)
    refresh_map_grid()  # the beat task
    make_case(reported_by=ani, upt=upt_a)  # after the rebuild

    assert sum(c["count"] for c in clusters(client, zoom=6)) == 23  # the grid, a minute behind at most
    assert sum(c["count"] for c in clusters(client, zoom=12)) == 24  # close views read the cases
    assert sum(c["count"] for c in clusters(client, zoom=6, category="PPKS11")) == 23  # filters it cannot answer
    with time_machine.travel(NOW + timedelta(minutes=6), tick=False):
        assert sum(c["count"] for c in clusters(client, zoom=6)) == 24  # stale grid: the cases table


def test_rebuild_replaces_the_grid(spread_cases) -> None:
    map_grid_refresh(now=NOW)
    first = MapCell.objects.count()
    map_grid_refresh(now=NOW)

    assert MapCell.objects.count() == first
    assert sum(MapCell.objects.values_list("count", flat=True)) == 23
