"""`GET /api/v1/cases/`: each filter, bbox, ordering by rank, pagination."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from cases.models import Case
from tests.factories import CaseFactory


def ids(response) -> set[str]:
    assert response.status_code == 200, response.json()
    return {case["id"] for case in response.json()["results"]}


@pytest.fixture
def two(ani, gita, citra, upt_b):
    """A critical hotline case dispatched to gita in Tuban, and a low public report in Jember by citra."""
    tuban = CaseFactory(
        reported_by=ani,
        assignee=gita,
        status="dispatched",
        severity="critical",
        source="hotline",
        category_id="PPKS08",
        summary="Lansia terlantar di pasar",
        address="Pasar Baru Tuban",
    )
    jember = CaseFactory(
        reported_by=citra,
        severity="low",
        source="public_report",
        category_id="PPKS04",
        region_id="35.09",
        lat=-8.17,
        lng=113.70,
        summary="Anak jalanan di perempatan",
        address="Jl. Gajah Mada, Jember",
        description="Dilaporkan warga",
    )
    return tuban, jember


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=dispatched", "tuban"),
        ("status=new", "jember"),
        ("category=PPKS08", "tuban"),
        ("category=PPKS04", "jember"),
        ("severity=critical", "tuban"),
        ("severity=low", "jember"),
        ("source=hotline", "tuban"),
        ("source=public_report", "jember"),
        ("region=35.09", "jember"),
        ("region=35.23", "tuban"),
        ("upt=RSBG-TUBAN", "tuban"),
        ("upt=PSTW-JEMBER", "jember"),
        ("assignee=gita", "tuban"),
        ("q=pasar", "tuban"),
        ("q=WARGA", "jember"),
        ("q=gajah mada", "jember"),
        ("bbox=111.5,-7.2,112.5,-6.5", "tuban"),
        ("bbox=113.5,-8.5,114,-8", "jember"),
    ],
)
def test_each_filter(api, eko, two, query, expected) -> None:
    tuban, jember = two

    found = ids(api(eko).get(f"/api/v1/cases/?{query}"))

    assert found == {str({"tuban": tuban, "jember": jember}[expected].id)}


def test_outcome_filter(api, eko, two, budi) -> None:
    tuban, _ = two
    api(budi).post(f"/api/v1/cases/{tuban.id}/resolve/", {"note": "ok", "outcome": "not_found"}, format="json")

    assert ids(api(eko).get("/api/v1/cases/?outcome=not_found")) == {str(tuban.id)}
    assert ids(api(eko).get("/api/v1/cases/?outcome=returned_home")) == set()


def test_q_never_searches_person_data(api, eko, ani) -> None:
    CaseFactory(reported_by=ani, person={"name": "Sarminah", "age_estimate": None, "sex": "female", "nik": None})

    assert ids(api(eko).get("/api/v1/cases/?q=Sarminah")) == set()


def test_reference_search(api, eko, two) -> None:
    tuban, _ = two

    assert ids(api(eko).get(f"/api/v1/cases/?q={tuban.reference}")) == {str(tuban.id)}


def test_overdue(api, eko, two) -> None:
    tuban, jember = two
    Case.objects.filter(pk=jember.pk).update(ack_due_at=timezone.now() - timedelta(minutes=1))

    assert ids(api(eko).get("/api/v1/cases/?overdue=1")) == {str(jember.id)}
    assert ids(api(eko).get("/api/v1/cases/?overdue=0")) == {str(tuban.id)}


def test_updated_after(api, eko, ani) -> None:
    with time_machine.travel("2026-11-01 00:00Z", tick=False):
        CaseFactory(reported_by=ani)
    with time_machine.travel("2026-11-20 00:00Z", tick=False):
        recent = CaseFactory(reported_by=ani)

    found = ids(api(eko).get("/api/v1/cases/?updated_after=2026-11-10T00:00:00Z"))

    assert found == {str(recent.id)}


def test_a_case_without_location_is_outside_every_bbox(api, eko, ani) -> None:
    CaseFactory(reported_by=ani, lat=None, lng=None, address="Tanpa koordinat")

    assert ids(api(eko).get("/api/v1/cases/?bbox=-180,-90,180,90")) == set()


@pytest.mark.parametrize(
    "query",
    [
        "bbox=1,2,3",
        "bbox=a,b,c,d",
        "bbox=112,-7,111,-6",
        "bbox=112,-91,113,-6",
        "bbox=nan,-7,113,-6",
        "bbox=1,2,3,4,5",
        "status=lost",
        "severity=urgent",
        "overdue=maybe",
        "updated_after=yesterday",
        "ordering=reference",
        "ordering=-person",
        "q=a%00b",
        "assignee=a%00",
        "region=%00",
    ],
)
def test_malformed_filters_are_a_400(api, eko, query) -> None:
    response = api(eko).get(f"/api/v1/cases/?{query}")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert query.split("=")[0] in response.json()["error"]["fields"]


@pytest.fixture
def four(ani):
    now = timezone.now()
    made = {}
    for offset, severity in enumerate(["medium", "critical", "low", "high"]):
        with time_machine.travel(now + timedelta(minutes=offset), tick=False):
            made[severity] = CaseFactory(reported_by=ani, severity=severity)
    return made


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("severity", ["low", "medium", "high", "critical"]),
        ("-severity", ["critical", "high", "medium", "low"]),
        ("created_at", ["medium", "critical", "low", "high"]),
        ("-created_at", ["high", "low", "critical", "medium"]),
        ("ack_due_at", ["critical", "high", "medium", "low"]),
        ("-due_at", ["low", "medium", "high", "critical"]),
        (None, ["high", "low", "critical", "medium"]),
    ],
)
def test_ordering(api, eko, four, ordering, expected) -> None:
    query = f"?ordering={ordering}" if ordering else ""

    results = api(eko).get(f"/api/v1/cases/{query}").json()["results"]

    assert [case["severity"] for case in results] == expected


def test_pagination_walks_every_case_once(api, eko, ani) -> None:
    made = {str(CaseFactory(reported_by=ani).id) for _ in range(5)}
    seen: list[str] = []
    url: str | None = "/api/v1/cases/?page_size=2"
    pages = 0
    while url:
        body = api(eko).get(url).json()
        assert set(body) == {"next", "previous", "results"}
        seen += [case["id"] for case in body["results"]]
        url = body["next"]
        pages += 1

    assert pages == 3
    assert sorted(seen) == sorted(made)


def test_a_page_past_the_end_is_a_404(api, eko, ani) -> None:
    CaseFactory(reported_by=ani)

    assert api(eko).get("/api/v1/cases/?page=9").status_code == 404


@pytest.mark.parametrize(
    "query", ["page=0", "page=-1", "page=abc", "page=1.5", "page=", "page_size=0", "page_size=501", "page_size="]
)
def test_a_malformed_page_or_page_size_is_a_400_naming_it(api, eko, ani, query) -> None:
    CaseFactory(reported_by=ani)

    response = api(eko).get(f"/api/v1/cases/?{query}")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [query.split("=")[0]]


def test_an_empty_filter_value_is_no_filter(api, eko, two) -> None:
    query = "updated_after=&status=&severity=&source=&outcome=&overdue=&ordering=&q=&bbox=&region=&upt=&assignee="

    assert ids(api(eko).get(f"/api/v1/cases/?{query}")) == {str(c.id) for c in two}


def test_updated_after_outside_any_real_clock_is_a_400(api, eko) -> None:
    for value in ("0627-05-17T13:29:15.608-22:00", "2026-11-10T00:00:00+23:00", "9999-12-31T23:59:59Z"):
        response = api(eko).get("/api/v1/cases/", {"updated_after": value})

        assert response.status_code == 400, value
        assert "updated_after" in response.json()["error"]["fields"]
