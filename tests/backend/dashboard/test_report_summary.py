"""The summary report: counts by every dimension, response-time percentiles and SLA breaches."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from dashboard.reports import percentile
from tests.backend.dashboard.conftest import NOW

SUMMARY = "/api/v1/reports/summary/"


@pytest.fixture
def handled_cases(make_case, ani, upt_a, frozen_now):
    """Four cases created a day ago, acknowledged after 10, 20, 30 and 100 minutes."""
    start = NOW - timedelta(days=1)
    made = []
    for index, minutes in enumerate((10, 20, 30, 100)):
        made.append(
            make_case(
                reported_by=ani,
                upt=upt_a,
                region="35.23",
                created_at=start,
                status="resolved" if index == 0 else "acknowledged",
                severity="high",
                source="hotline" if index == 0 else "field_outreach",
                outcome="returned_home" if index == 0 else None,
                acknowledged_at=start + timedelta(minutes=minutes),
                ack_due_at=start + timedelta(minutes=60),
                due_at=start + timedelta(hours=6),
                dispatched_at=start + timedelta(minutes=40) if index == 0 else None,
                resolved_at=start + timedelta(hours=5) if index == 0 else None,
            )
        )
    return made


def test_counts_by_every_dimension(api, eko, handled_cases) -> None:
    body = api(eko).get(SUMMARY).json()

    assert body["total"] == 4
    assert body["by_status"]["acknowledged"] == 3
    assert body["by_status"]["resolved"] == 1
    assert body["by_status"]["new"] == 0
    assert body["by_category"]["PPKS11"] == 4
    assert body["by_severity"] == {"low": 0, "medium": 0, "high": 4, "critical": 0}
    assert body["by_source"]["hotline"] == 1
    assert body["by_outcome"]["returned_home"] == 1
    assert body["by_outcome"]["none"] == 3
    assert body["by_region"] == [{"code": "35.23", "name": "Kabupaten Tuban", "count": 4}]
    assert [(u["code"], u["count"]) for u in body["by_upt"]] == [("RSBG-TUBAN", 4)]


def test_response_times_are_median_and_p90_minutes(api, eko, handled_cases) -> None:
    times = api(eko).get(SUMMARY).json()["response_times"]

    # 10, 20, 30, 100: median 25; p90 at position 2.7 -> 30 + 0.7 * 70 = 79.
    assert times["acknowledge"] == {"count": 4, "median_minutes": 25.0, "p90_minutes": 79.0}
    assert times["dispatch"] == {"count": 1, "median_minutes": 40.0, "p90_minutes": 40.0}
    assert times["resolve"] == {"count": 1, "median_minutes": 300.0, "p90_minutes": 300.0}


def test_sla_breaches_count_late_acknowledgements_and_late_resolutions(api, eko, handled_cases) -> None:
    body = api(eko).get(SUMMARY).json()

    # Acknowledged after 100 min with 60 allowed; three still open 24 h later with 6 h to resolve.
    assert body["sla_breaches"] == {"acknowledge": 1, "resolve": 3}
    assert body["by_upt"][0]["ack_breaches"] == 1
    assert body["by_upt"][0]["resolve_breaches"] == 3


def test_histograms_bucket_the_response_times(api, eko, handled_cases) -> None:
    buckets = api(eko).get(SUMMARY).json()["response_time_histograms"]["acknowledge"]

    assert [(b["min_minutes"], b["max_minutes"], b["count"]) for b in buckets] == [
        (0, 30, 3),
        (30, 120, 1),
        (120, 480, 0),
        (480, 1440, 0),
        (1440, None, 0),
    ]


def test_date_range_is_jakarta_calendar_days(api, eko, make_case, ani, upt_a, frozen_now) -> None:
    # 17:30 UTC on 2026-11-01 is 00:30 on 2026-11-02 in Jakarta.
    make_case(reported_by=ani, upt=upt_a, created_at=datetime.fromisoformat("2026-11-01T17:30:00+00:00"))
    make_case(reported_by=ani, upt=upt_a, created_at=datetime.fromisoformat("2026-11-01T16:30:00+00:00"))
    client = api(eko)

    body = client.get(SUMMARY, {"since": "2026-11-02", "until": "2026-11-02"}).json()

    assert body["total"] == 1
    assert body["by_day"] == [{"date": "2026-11-02", "by_status": {"new": 1}, "by_category": {"PPKS11": 1}}]
    assert client.get(SUMMARY, {"until": "2026-11-01"}).json()["total"] == 1


def test_summary_by_upt(api, eko, make_case, ani, citra, upt_a, upt_b, frozen_now) -> None:
    make_case(reported_by=ani, upt=upt_a)
    make_case(reported_by=citra, upt=upt_b)

    assert api(eko).get(SUMMARY, {"upt": "PSTW-JEMBER"}).json()["total"] == 1


@pytest.mark.parametrize(
    "params", [{"since": "2026-02-30"}, {"since": "2026-11-05", "until": "2026-11-01"}, {"bbox": "1,2,3,4"}]
)
def test_bad_dates_are_a_400(api, eko, params) -> None:
    response = api(eko).get(SUMMARY, params)

    assert response.status_code == 400
    assert response.json()["error"]["fields"]


def test_no_cases_gives_empty_figures(api, eko) -> None:
    body = api(eko).get(SUMMARY).json()

    assert body["total"] == 0
    assert body["response_times"]["resolve"] == {"count": 0, "median_minutes": None, "p90_minutes": None}


def test_python_percentile_matches_percentile_cont() -> None:
    assert percentile([], 0.5) is None
    assert percentile([5.0], 0.9) == 5.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile([10.0, 20.0, 30.0, 100.0], 0.9) == pytest.approx(79.0)
