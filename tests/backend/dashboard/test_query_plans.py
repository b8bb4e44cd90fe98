"""With 100,000 cases, a map query over one kabupaten reads an index, not the whole table."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from cases.models import Case
from dashboard.params import BBox, CaseFilters
from dashboard.selectors import map_cases, overdue_queryset
from dashboard.synthetic import insert_synthetic_cases

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

TUBAN_BBOX = BBox(min_lng=111.55, min_lat=-7.25, max_lng=112.25, max_lat=-6.75)


def plan_nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from plan_nodes(child)


def explain(queryset) -> list[dict[str, Any]]:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        raw = cursor.fetchone()[0]
    plan = raw if isinstance(raw, list) else json.loads(raw)
    return list(plan_nodes(plan[0]["Plan"]))


def sequential_scans_of_cases(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [n for n in nodes if n["Node Type"] == "Seq Scan" and n.get("Relation Name") == "cases_case"]


@pytest.fixture
def hundred_thousand_cases(postgres_only, ani, upt_a, upt_b) -> None:
    insert_synthetic_cases(count=100_000, reporter_id=ani.pk)
    assert Case.objects.count() == 100_000


def test_bbox_of_a_kabupaten_uses_an_index(hundred_thousand_cases, eko) -> None:
    cases = map_cases(user=eko, filters=CaseFilters(bbox=TUBAN_BBOX), now=timezone.now())
    points = cases.values_list("id", "reference", "category_id", "severity", "status", "upt__code", "lat", "lng")

    nodes = explain(points[:5001])

    assert not sequential_scans_of_cases(nodes), [n["Node Type"] for n in nodes]
    assert 0 < cases.count() < 20_000  # a kabupaten, not the province


def test_filtered_bbox_for_a_commander_uses_an_index(hundred_thousand_cases, budi) -> None:
    filters = CaseFilters(bbox=TUBAN_BBOX, statuses=("new", "acknowledged"), severities=("critical",))
    cases = map_cases(user=budi, filters=filters, now=timezone.now())

    assert not sequential_scans_of_cases(explain(cases.values_list("id", "lat", "lng")))


def test_overdue_list_uses_an_index(hundred_thousand_cases, eko) -> None:
    overdue = overdue_queryset(user=eko, filters=CaseFilters(), now=timezone.now())

    assert not sequential_scans_of_cases(explain(overdue.values_list("id")[:100]))
