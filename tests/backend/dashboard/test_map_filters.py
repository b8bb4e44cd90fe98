"""Every filter of the map endpoints, and the 400s for parameters that do not make sense."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.backend.dashboard.conftest import JEMBER, NOW, TUBAN

GEOJSON = "/api/v1/map/cases.geojson"


def references(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {feature["properties"]["reference"] for feature in response.json()["features"]}


@pytest.fixture
def case_mix(make_case, ani, citra, upt_a, upt_b, frozen_now):
    return {
        "tuban_new_critical": make_case(
            reported_by=ani, upt=upt_a, at=TUBAN, severity="critical", category_id="PPKS11", status="new"
        ),
        "tuban_dispatched": make_case(
            reported_by=ani, upt=upt_a, at=(-6.95, 112.10), status="dispatched", category_id="PPKS03"
        ),
        "jember_resolved_low": make_case(
            reported_by=citra,
            upt=upt_b,
            at=JEMBER,
            severity="low",
            status="resolved",
            created_at=NOW - timedelta(days=10),
        ),
    }


def refs(case_mix, *names: str) -> set[str]:
    return {case_mix[name].reference for name in names}


def test_bbox_keeps_the_cases_inside(api, eko, case_mix) -> None:
    assert references(api(eko).get(GEOJSON, {"bbox": "111.9,-7.0,112.2,-6.8"})) == refs(
        case_mix, "tuban_new_critical", "tuban_dispatched"
    )


def test_status_category_severity_and_upt_filters(api, eko, case_mix) -> None:
    client = api(eko)

    assert references(client.get(GEOJSON, {"status": "new,dispatched"})) == refs(
        case_mix, "tuban_new_critical", "tuban_dispatched"
    )
    assert references(client.get(GEOJSON, {"category": "PPKS03"})) == refs(case_mix, "tuban_dispatched")
    assert references(client.get(GEOJSON, {"severity": "critical,low"})) == refs(
        case_mix, "tuban_new_critical", "jember_resolved_low"
    )
    assert references(client.get(GEOJSON, {"upt": "PSTW-JEMBER"})) == refs(case_mix, "jember_resolved_low")


def test_since_and_until_are_inclusive_jakarta_dates(api, eko, make_case, ani, upt_a, frozen_now) -> None:
    # 2026-11-10 23:30 in Jakarta is still 16:30 UTC on the 10th; 00:10 on the 11th is 17:10 UTC on the 10th.
    late_on_the_10th = make_case(
        reported_by=ani, upt=upt_a, created_at=datetime.fromisoformat("2026-11-10T16:30:00+00:00")
    )
    early_on_the_11th = make_case(
        reported_by=ani, upt=upt_a, created_at=datetime.fromisoformat("2026-11-10T17:10:00+00:00")
    )
    client = api(eko)

    assert references(client.get(GEOJSON, {"until": "2026-11-10"})) == {late_on_the_10th.reference}
    assert references(client.get(GEOJSON, {"since": "2026-11-11", "until": "2026-11-11"})) == {
        early_on_the_11th.reference
    }


def test_overdue_means_open_and_past_a_deadline(api, eko, make_case, ani, upt_a, frozen_now) -> None:
    late_ack = make_case(reported_by=ani, upt=upt_a, status="new", ack_due_at=NOW - timedelta(minutes=1))
    late_resolve = make_case(reported_by=ani, upt=upt_a, status="in_progress", due_at=NOW - timedelta(hours=1))
    make_case(reported_by=ani, upt=upt_a, status="acknowledged", ack_due_at=NOW - timedelta(hours=1))  # acknowledged
    make_case(reported_by=ani, upt=upt_a, status="resolved", due_at=NOW - timedelta(days=1))  # done
    make_case(reported_by=ani, upt=upt_a, status="new", ack_due_at=NOW + timedelta(minutes=5))  # still in time
    client = api(eko)

    assert references(client.get(GEOJSON, {"overdue": "1"})) == {late_ack.reference, late_resolve.reference}
    assert len(references(client.get(GEOJSON, {"overdue": "0"}))) == 3


def test_overdue_list_is_sorted_by_lateness(api, eko, make_case, ani, upt_a, frozen_now) -> None:
    a_little_late = make_case(reported_by=ani, upt=upt_a, status="new", ack_due_at=NOW - timedelta(minutes=10))
    very_late = make_case(reported_by=ani, upt=upt_a, status="dispatched", due_at=NOW - timedelta(days=2))
    late = make_case(reported_by=ani, upt=upt_a, status="new", ack_due_at=NOW - timedelta(hours=3))

    results = api(eko).get("/api/v1/map/overdue/").json()["results"]

    assert [r["reference"] for r in results] == [very_late.reference, late.reference, a_little_late.reference]
    assert [r["minutes_late"] for r in results] == [2 * 24 * 60, 180, 10]
    assert [r["deadline"] for r in results] == ["resolve", "acknowledge", "acknowledge"]


def test_cases_without_location_are_not_drawn_but_counted(api, eko, make_case, ani, frozen_now) -> None:
    make_case(reported_by=ani, at=None)

    client = api(eko)
    assert references(client.get(GEOJSON)) == set()
    assert client.get("/api/v1/map/regions/").json()["outside_regions"]["all"] == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "a,b,c,d"}, "bbox"),
        ({"bbox": "113,-7,112,-6"}, "bbox"),  # min > max
        ({"bbox": "112,-95,113,-6"}, "bbox"),
        ({"bbox": "nan,-7,113,-6"}, "bbox"),
        ({"bbox": "inf,-7,113,-6"}, "bbox"),
        ({"status": "lost"}, "status"),
        ({"category": "PPKS99"}, "category"),
        ({"severity": "extreme"}, "severity"),
        ({"upt": "NO-SUCH-UPT"}, "upt"),
        ({"overdue": "yes"}, "overdue"),
        ({"since": "2026-13-01"}, "since"),
        ({"since": "yesterday"}, "since"),
        ({"since": "2026-11-10", "until": "2026-11-01"}, "until"),
        ({"until": "9999-12-31"}, "until"),
        ({"since": "0001-01-01"}, "since"),
        ({"bbox": "1e400,-7,113,-6"}, "bbox"),
        ({"overdue": ""}, "overdue"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_field(api, eko, params, field) -> None:
    for url in (GEOJSON, "/api/v1/map/regions/", "/api/v1/map/overdue/", "/api/v1/exports/cases.csv"):
        response = api(eko).get(url, params)

        assert response.status_code == 400, url
        assert response.json()["error"]["code"] == "invalid"
        assert field in response.json()["error"]["fields"]


def test_a_repeated_parameter_is_refused(api, eko) -> None:
    response = api(eko).get(GEOJSON + "?status=new&status=closed")

    assert response.status_code == 400
    assert "status" in response.json()["error"]["fields"]


def test_more_than_5000_points_is_too_many(api, eko, ani, upt_a, frozen_now) -> None:
    from cases.models import Case

    Case.objects.bulk_create(
        Case(
            reference=f"JSC-2026-9{n:05d}",
            category_id="PPKS11",
            severity="low",
            summary="s",
            lat=-7.0 - n / 100000,
            lng=112.0,
            upt=upt_a,
            reported_by=ani,
            clock_started_at=NOW,
            observed_at=NOW,
            created_at=NOW,
            updated_at=NOW,
        )
        for n in range(5001)
    )
    client = api(eko)

    response = client.get(GEOJSON)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "too_many"
    assert "/api/v1/map/clusters/" in response.json()["error"]["message"]
    assert len(client.get(GEOJSON, {"bbox": "111,-7.01,113,-6"}).json()["features"]) == 1001
