"""Reads behind the managers' map: filtered cases, grid clusters, counts per region, the overdue list.

Every read of cases starts from `cases_visible_to(user)`, so a commander's map is their UPT's map by
construction; the pre-aggregated grid (province-wide clusters) is scoped the same way by
`_grid_cells_visible_to`, and the tests compare the two.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import models
from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Floor

from accounts.models import Role, User
from cases.models import OPEN_STATUSES, Case, Status
from cases.selectors import cases_visible_to
from core.exceptions import DomainError
from dashboard.models import MapCell, MapGridState
from dashboard.params import BBox, CaseFilters
from dashboard.services import GRID_ZOOM, cluster_cell_degrees
from geo.models import Region, Upt

MAX_MAP_FEATURES = 5000
# The pre-aggregated grid answers cluster requests up to this zoom while younger than GRID_MAX_AGE.
GRID_SERVES_UP_TO_ZOOM = 9
GRID_MAX_AGE = timedelta(minutes=5)


class TooManyCases(DomainError):
    default_code = "too_many"
    default_detail = (
        f"Lebih dari {MAX_MAP_FEATURES} kasus cocok; gunakan /api/v1/map/clusters/ atau perkecil area. "
        f"More than {MAX_MAP_FEATURES} cases match: use /api/v1/map/clusters/ or a smaller area."
    )


def can_read_dashboard(user: Any) -> bool:
    """Managers see the province; commanders their UPT. Field workers and admins have no map."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.role == Role.MANAGER or (user.role == Role.UPT_COMMANDER and user.upt_id is not None)


def can_export(user: Any) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.MANAGER


def overdue_q(now: datetime) -> Q:
    """Open and past a deadline: not acknowledged in time (still new), or not resolved in time."""
    return Q(status=Status.NEW, ack_due_at__lt=now) | Q(status__in=OPEN_STATUSES, due_at__lt=now)


def bbox_q(bbox: BBox) -> Q:
    return Q(
        lat__gte=bbox.min_lat,
        lat__lte=bbox.max_lat,
        lng__gte=bbox.min_lng,
        lng__lte=bbox.max_lng,
    )


def filter_cases(cases: QuerySet[Case], filters: CaseFilters, *, now: datetime) -> QuerySet[Case]:
    if filters.bbox is not None:
        cases = cases.filter(bbox_q(filters.bbox))
    if filters.statuses:
        cases = cases.filter(status__in=filters.statuses)
    if filters.categories:
        cases = cases.filter(category_id__in=filters.categories)
    if filters.severities:
        cases = cases.filter(severity__in=filters.severities)
    if filters.upts:
        cases = cases.filter(upt__code__in=filters.upts)
    if filters.overdue is True:
        cases = cases.filter(overdue_q(now))
    elif filters.overdue is False:
        cases = cases.exclude(overdue_q(now))
    if filters.created_from is not None:
        cases = cases.filter(created_at__gte=filters.created_from)
    if filters.created_before is not None:
        cases = cases.filter(created_at__lt=filters.created_before)
    return cases


def map_cases(*, user: User, filters: CaseFilters, now: datetime) -> QuerySet[Case]:
    return filter_cases(cases_visible_to(user), filters, now=now).order_by()


def map_features(*, user: User, filters: CaseFilters, now: datetime) -> list[dict[str, Any]]:
    """Point features of the matching located cases; more than MAX_MAP_FEATURES raises TooManyCases."""
    rows = list(
        map_cases(user=user, filters=filters, now=now)
        .filter(lat__isnull=False, lng__isnull=False)
        .values_list("id", "reference", "category_id", "severity", "status", "upt__code", "lat", "lng")[
            : MAX_MAP_FEATURES + 1
        ]
    )
    if len(rows) > MAX_MAP_FEATURES:
        raise TooManyCases()
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lng, lat]},
            "properties": {
                "id": str(case_id),
                "reference": reference,
                "category": category,
                "severity": severity,
                "status": status,
                "upt": upt,
            },
        }
        for case_id, reference, category, severity, status, upt, lat, lng in rows
    ]


def map_clusters(*, user: User, filters: CaseFilters, zoom: int, now: datetime) -> list[dict[str, Any]]:
    """Grid aggregation in the database: one group per (cell, status), merged per cell here.

    A cluster sits at the average position of its members, so a lone case is drawn where it is.
    Province-wide views read the pre-aggregated grid when it is fresh and can answer the filters.
    """
    if _grid_can_answer(filters, zoom=zoom, now=now):
        groups = _clusters_from_grid(user=user, filters=filters, zoom=zoom)
    else:
        groups = _clusters_from_cases(user=user, filters=filters, zoom=zoom, now=now)
    cells: dict[tuple[float, float], dict[str, Any]] = defaultdict(
        lambda: {"count": 0, "lat_sum": 0.0, "lng_sum": 0.0, "by_status": {}}
    )
    for group in groups:
        merged = cells[(group["y"], group["x"])]
        merged["count"] += group["total"]
        merged["lat_sum"] += group["lat_total"]
        merged["lng_sum"] += group["lng_total"]
        merged["by_status"][group["status"]] = group["total"]
    return [
        {
            "lat": round(merged["lat_sum"] / merged["count"], 6),
            "lng": round(merged["lng_sum"] / merged["count"], 6),
            "count": merged["count"],
            "by_status": merged["by_status"],
        }
        for _, merged in sorted(cells.items())
    ]


def _clusters_from_cases(*, user: User, filters: CaseFilters, zoom: int, now: datetime) -> Iterable[dict[str, Any]]:
    cell = cluster_cell_degrees(zoom)
    return (
        map_cases(user=user, filters=filters, now=now)
        .filter(lat__isnull=False, lng__isnull=False)
        .annotate(y=Floor(F("lat") / Value(cell)), x=Floor(F("lng") / Value(cell)))
        .values("y", "x", "status")
        .annotate(total=Count("id"), lat_total=Sum("lat"), lng_total=Sum("lng"))
        .order_by()
    )


def _grid_can_answer(filters: CaseFilters, *, zoom: int, now: datetime) -> bool:
    """The grid knows cells, statuses, severities and UPTs, as of its last rebuild: not categories,
    dates or deadlines. It applies a bbox to whole 12-km cells, invisible at province zooms but not
    at close ones, which read the cases table (fast there: the view holds few cases)."""
    if zoom > GRID_SERVES_UP_TO_ZOOM or filters.categories or filters.overdue is not None:
        return False
    if filters.created_from is not None or filters.created_before is not None:
        return False
    state = MapGridState.objects.filter(pk=1).first()
    return state is not None and state.refreshed_at >= now - GRID_MAX_AGE


def _grid_cells_visible_to(user: User) -> QuerySet[MapCell]:
    """The grid's counterpart of `cases_visible_to` for the roles that have a map."""
    if user.role == Role.MANAGER:
        return MapCell.objects.all()
    if user.role == Role.UPT_COMMANDER and user.upt_id is not None:
        return MapCell.objects.filter(upt_id=user.upt_id)
    return MapCell.objects.none()


def _clusters_from_grid(*, user: User, filters: CaseFilters, zoom: int) -> Iterable[dict[str, Any]]:
    cells = _grid_cells_visible_to(user)
    if filters.bbox is not None:
        grid = cluster_cell_degrees(GRID_ZOOM)
        cells = cells.filter(
            cell_y__gte=math.floor(filters.bbox.min_lat / grid),
            cell_y__lte=math.floor(filters.bbox.max_lat / grid),
            cell_x__gte=math.floor(filters.bbox.min_lng / grid),
            cell_x__lte=math.floor(filters.bbox.max_lng / grid),
        )
    if filters.statuses:
        cells = cells.filter(status__in=filters.statuses)
    if filters.severities:
        cells = cells.filter(severity__in=filters.severities)
    if filters.upts:
        cells = cells.filter(upt_id__in=Upt.objects.filter(code__in=filters.upts).values("id"))
    # Cells of zoom z are exact unions of 2^(GRID_ZOOM - z) x 2^(GRID_ZOOM - z) grid cells.
    factor = float(2 ** (GRID_ZOOM - zoom))
    return (
        cells.annotate(y=Floor(F("cell_y") / Value(factor)), x=Floor(F("cell_x") / Value(factor)))
        .values("y", "x", "status")
        .annotate(total=Sum("count"), lat_total=Sum("lat_sum"), lng_total=Sum("lng_sum"))
        .order_by()
    )


def region_counts(*, user: User, filters: CaseFilters, now: datetime) -> dict[str, Any]:
    """Counts per kabupaten/kota (every region listed, zeros included) and for cases with no region."""
    rows = (
        map_cases(user=user, filters=filters, now=now)
        .values("region_id")
        .annotate(
            all=Count("id"),
            open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("id", filter=overdue_q(now)),
        )
        .order_by()
    )
    by_region = {row["region_id"]: row for row in rows}
    empty = {"all": 0, "open": 0, "overdue": 0}

    def counts(region_id: str | None) -> dict[str, int]:
        row = by_region.get(region_id)
        return {key: row[key] for key in empty} if row else dict(empty)

    return {
        "regions": [
            {"code": region.code, "name": region.name, "type": region.type, **counts(region.code)}
            for region in Region.objects.only("code", "name", "type").order_by("code")
        ],
        "outside_regions": counts(None),
    }


OVERDUE_FIELDS = (
    "id",
    "reference",
    "category_id",
    "severity",
    "status",
    "summary",
    "upt__code",
    "region__name",
    "lat",
    "lng",
    "ack_due_at",
    "missed_deadline",
)


def _missed_deadline_kind(row: dict[str, Any], now: datetime) -> str:
    acknowledge_missed = row["status"] == Status.NEW and row["ack_due_at"] is not None and row["ack_due_at"] < now
    return "acknowledge" if acknowledge_missed else "resolve"


def overdue_queryset(*, user: User, filters: CaseFilters, now: datetime) -> QuerySet[Case]:
    """Overdue cases, the most overdue first: by the deadline missed (acknowledge while new, else resolve)."""
    missed_deadline = models.Case(
        models.When(status=Status.NEW, ack_due_at__lt=now, then=F("ack_due_at")),
        default=F("due_at"),
    )
    return (
        map_cases(user=user, filters=filters, now=now)
        .filter(overdue_q(now))
        .annotate(missed_deadline=missed_deadline)
        .order_by("missed_deadline", "reference")
    )


def overdue_cases(*, user: User, filters: CaseFilters, now: datetime, limit: int) -> list[dict[str, Any]]:
    rows = overdue_queryset(user=user, filters=filters, now=now).values(*OVERDUE_FIELDS)[:limit]
    return [
        {
            "id": str(row["id"]),
            "reference": row["reference"],
            "category": row["category_id"],
            "severity": row["severity"],
            "status": row["status"],
            "summary": row["summary"],
            "upt": row["upt__code"],
            "region": row["region__name"],
            "location": {"lat": row["lat"], "lng": row["lng"]} if row["lat"] is not None else None,
            "missed_deadline": row["missed_deadline"],
            "minutes_late": int((now - row["missed_deadline"]).total_seconds() // 60),
            "deadline": _missed_deadline_kind(row, now),
        }
        for row in rows
    ]
