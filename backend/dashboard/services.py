"""Writes of the dashboard: rebuilding the pre-aggregated map grid."""

from __future__ import annotations

from datetime import datetime

from django.db import connection, transaction
from django.db.models import Count, F, Sum, Value
from django.db.models.functions import Floor

from cases.models import Case
from dashboard.models import MapCell, MapGridState

# Cells of the zoom-10 cluster grid (about 0.11 degrees, 12 km): coarser zooms roll up exactly.
GRID_ZOOM = 10
# A cluster cell is about this many screen pixels wide at the requested zoom (256-pixel Web Mercator tiles).
CLUSTER_CELL_PIXELS = 80


def cluster_cell_degrees(zoom: int) -> float:
    return 360.0 / (2**zoom) * CLUSTER_CELL_PIXELS / 256


def map_grid_refresh(*, now: datetime) -> int:
    """Rebuild the grid from the cases table in one INSERT ... SELECT; readers see the old grid or
    the new one, never a half-built one (one transaction)."""
    cell = cluster_cell_degrees(GRID_ZOOM)
    grouped = (
        Case.objects.filter(lat__isnull=False, lng__isnull=False)
        .annotate(cell_y=Floor(F("lat") / Value(cell)), cell_x=Floor(F("lng") / Value(cell)))
        .values("cell_y", "cell_x", "status", "severity", "upt_id")
        .annotate(count=Count("id"), lat_sum=Sum("lat"), lng_sum=Sum("lng"))
        .order_by()
    )
    select_sql, params = grouped.query.sql_with_params()
    table = MapCell._meta.db_table
    with transaction.atomic():
        MapCell.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (cell_y, cell_x, status, severity, upt_id, count, lat_sum, lng_sum) {select_sql}",
                params,
            )
            inserted = cursor.rowcount
        MapGridState.objects.update_or_create(pk=1, defaults={"refreshed_at": now})
    return inserted
