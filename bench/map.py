"""Benchmark of the managers' map and reports on PostgreSQL with a million cases.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jsc_dashboard .venv/bin/python bench/map.py [--cases 1000000]
        [--iterations 20] [--skip-export] [--regenerate]

Generates the synthetic cases once (one INSERT ... SELECT generate_series statement; reused by later
runs), then times each endpoint through Django's test client (the whole request path: middleware,
auth, validation, query, JSON) and, for the two map queries, the floor: the same aggregation as one
hand-written SQL statement through psycopg. Prints p50/p95 in milliseconds and the ratio to the floor.
Targets (2 cores): province clusters p95 <= 300 ms, 5,000-point GeoJSON p95 <= 300 ms,
summary p95 <= 1 s, export of every case with peak memory <= 100 MB above idle.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "backend"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")  # the development settings; DEBUG=0 would demand production secrets

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from cases.models import Case  # noqa: E402
from dashboard.models import MapCell, MapGridState  # noqa: E402
from dashboard.services import cluster_cell_degrees, map_grid_refresh  # noqa: E402
from dashboard.synthetic import insert_synthetic_cases  # noqa: E402
from geo.models import Region, ServiceArea, Upt  # noqa: E402

PREFIX = "BENCH-"
PROVINCE_BBOX = "110.8,-8.9,116.3,-6.7"
KABUPATEN_BBOX = "111.55,-7.25,112.25,-6.75"  # about Kabupaten Tuban
SURABAYA = (-7.2805, 112.6979)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def timed(call: Callable[[], object], iterations: int) -> list[float]:
    call()  # warm caches and connections once
    durations = []
    for _ in range(iterations):
        start = time.perf_counter()
        call()
        durations.append((time.perf_counter() - start) * 1000)
    return durations


def report(name: str, durations: list[float], target_ms: float | None = None, floor: list[float] | None = None) -> None:
    p50, p95 = percentile(durations, 0.5), percentile(durations, 0.95)
    line = f"{name:<44} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms"
    if target_ms is not None:
        line += f"   target p95 <= {target_ms:.0f} ms: {'OK' if p95 <= target_ms else 'MISSED'}"
    print(line)
    if floor:
        floor_p50, floor_p95 = percentile(floor, 0.5), percentile(floor, 0.95)
        print(
            f"{'  floor (hand-written SQL, psycopg)':<44} p50 {floor_p50:8.1f} ms   p95 {floor_p95:8.1f} ms"
            f"   endpoint/floor p50 x{p50 / floor_p50:.2f}, p95 x{p95 / floor_p95:.2f}"
        )


def ensure_reference_data() -> tuple[User, User]:
    data = Path(settings.SHARED_DATA_DIR)
    with open(data / "demo_upts.csv", encoding="utf-8") as upts:
        for row in csv.DictReader(upts):
            Upt.objects.get_or_create(
                code=row["code"], defaults={"name": row["name"], "lat": float(row["lat"]), "lng": float(row["lng"])}
            )
    with open(data / "demo_upt_service_areas.csv", encoding="utf-8") as areas:
        for row in csv.DictReader(areas):
            ServiceArea.objects.get_or_create(
                region=Region.objects.get(code=row["region_code"]),
                defaults={"upt": Upt.objects.get(code=row["upt_code"]), "is_demo": True},
            )
    manager, _ = User.objects.get_or_create(username="bench-manager", defaults={"role": Role.MANAGER})
    reporter, _ = User.objects.get_or_create(
        username="bench-reporter", defaults={"role": Role.FIELD_WORKER, "upt": Upt.objects.order_by("code").first()}
    )
    return manager, reporter


def ensure_cases(count: int, reporter: User, regenerate: bool) -> None:
    existing = Case.objects.filter(reference__startswith=PREFIX).count()
    if existing == count and not regenerate:
        print(f"Reusing {existing:,} synthetic cases.")
        return
    with connection.cursor() as cursor:  # in SQL: the ORM's delete would load a million objects first
        for table in ("cases_personaldataaccess", "cases_caseevent", "cases_comment", "cases_attachment"):
            cursor.execute(
                f"DELETE FROM {table} WHERE case_id IN (SELECT id FROM cases_case WHERE reference LIKE %s)",
                [PREFIX + "%"],
            )
        cursor.execute("DELETE FROM cases_case WHERE reference LIKE %s", [PREFIX + "%"])
    start = time.perf_counter()
    insert_synthetic_cases(count=count, reporter_id=reporter.pk, prefix=PREFIX)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE cases_case")  # visibility map for index-only scans
    print(f"Inserted {count:,} synthetic cases in {time.perf_counter() - start:.1f} s.")


def city_bbox_with_about(points: int) -> str:
    """A square around Surabaya grown until it holds about `points` located cases."""
    low, high = 0.001, 1.0
    for _ in range(18):
        half = (low + high) / 2
        inside = Case.objects.filter(
            lat__gte=SURABAYA[0] - half,
            lat__lte=SURABAYA[0] + half,
            lng__gte=SURABAYA[1] - half,
            lng__lte=SURABAYA[1] + half,
        ).count()
        if inside > points:
            high = half
        else:
            low = half
    # Rounded inwards to the 5 decimals sent: never a case more than counted (past 5,000 is a 400).
    half = math.floor(low * 1e5) / 1e5 - 1e-5
    return f"{SURABAYA[1] - half:.5f},{SURABAYA[0] - half:.5f},{SURABAYA[1] + half:.5f},{SURABAYA[0] + half:.5f}"


def get(client: Client, url: str, params: dict[str, str]) -> Callable[[], object]:
    def call() -> object:
        response = client.get(url, params)
        assert response.status_code == 200, response.content[:300]
        return response

    return call


def floor_queries(dsn: str, iterations: int, city_bbox: str) -> tuple[list[float], list[float]]:
    cell = cluster_cell_degrees(8)
    min_lng, min_lat, max_lng, max_lat = (float(v) for v in PROVINCE_BBOX.split(","))
    c_min_lng, c_min_lat, c_max_lng, c_max_lat = (float(v) for v in city_bbox.split(","))
    with psycopg.connect(dsn) as conn:

        def clusters() -> object:
            return conn.execute(
                "SELECT floor(lat / %s), floor(lng / %s), status, count(*), avg(lat), avg(lng) FROM cases_case"
                " WHERE lat BETWEEN %s AND %s AND lng BETWEEN %s AND %s GROUP BY 1, 2, 3",
                (cell, cell, min_lat, max_lat, min_lng, max_lng),
            ).fetchall()

        def points() -> object:
            return conn.execute(
                "SELECT c.id, c.reference, c.category_id, c.severity, c.status, u.code, c.lat, c.lng"
                " FROM cases_case c LEFT JOIN geo_upt u ON u.id = c.upt_id"
                " WHERE c.lat BETWEEN %s AND %s AND c.lng BETWEEN %s AND %s LIMIT 5001",
                (c_min_lat, c_max_lat, c_min_lng, c_max_lng),
            ).fetchall()

        return timed(clusters, iterations), timed(points, iterations)


def rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def export_memory(client: Client) -> None:
    idle = rss_kib()
    peak = idle
    size = rows = 0
    start = time.perf_counter()
    response = client.get("/api/v1/exports/cases.csv")
    for index, chunk in enumerate(response.streaming_content):  # type: ignore[attr-defined]
        size += len(chunk)
        rows += chunk.count(b"\n")
        if index % 20 == 0:
            peak = max(peak, rss_kib())
    peak = max(peak, rss_kib())
    seconds = time.perf_counter() - start
    above = (peak - idle) / 1024
    print(
        f"{'export cases.csv, every case':<44} {rows - 1:,} rows, {size / 1e6:.0f} MB in {seconds:.1f} s;"
        f" peak RSS {above:.1f} MB above idle   target <= 100 MB: {'OK' if above <= 100 else 'MISSED'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL: set DATABASE_URL=postgres://...")

    call_command("migrate", verbosity=0)
    setup_test_environment(debug=False)  # no query log: measure what production runs
    manager, reporter = ensure_reference_data()
    ensure_cases(args.cases, reporter, args.regenerate)
    total = Case.objects.count()
    city_bbox = city_bbox_with_about(5000)
    print(f"{total:,} cases in the database; city bbox {city_bbox}; {args.iterations} iterations each.\n")

    client = Client()
    client.force_login(manager)
    n = args.iterations
    MapGridState.objects.all().delete()  # first the cases table itself
    province_live = timed(get(client, "/api/v1/map/clusters/", {"bbox": PROVINCE_BBOX, "zoom": "8"}), n)
    rebuilds = timed(lambda: map_grid_refresh(now=timezone.now()), 3)
    province = timed(get(client, "/api/v1/map/clusters/", {"bbox": PROVINCE_BBOX, "zoom": "8"}), n)
    grid_rows = MapCell.objects.count()
    kabupaten = timed(get(client, "/api/v1/map/clusters/", {"bbox": KABUPATEN_BBOX, "zoom": "11"}), n)
    points = timed(get(client, "/api/v1/map/cases.geojson", {"bbox": city_bbox}), n)
    regions = timed(get(client, "/api/v1/map/regions/", {}), n)
    overdue = timed(get(client, "/api/v1/map/overdue/", {}), n)
    summary_month = timed(get(client, "/api/v1/reports/summary/", {"since": "2026-10-01", "until": "2026-10-31"}), n)
    summary_all = timed(get(client, "/api/v1/reports/summary/", {}), max(3, n // 4))
    floor_clusters, floor_points = floor_queries(os.environ["DATABASE_URL"], n, city_bbox)

    features = len(client.get("/api/v1/map/cases.geojson", {"bbox": city_bbox}).json()["features"])
    report("clusters, province (zoom 8), cases table", province_live, 300, floor_clusters)
    report(f"clusters, province (zoom 8), grid ({grid_rows:,} rows)", province, 300)
    report("  grid rebuild (beat task, every minute)", rebuilds)
    report("clusters, one kabupaten (zoom 11)", kabupaten)
    report(f"cases.geojson, city bbox ({features:,} points)", points, 300, floor_points)
    report("regions (38 counts: all, open, overdue)", regions)
    report("overdue list (100 most late)", overdue)
    report("reports/summary, one month", summary_month, 1000)
    report(f"reports/summary, everything ({total:,})", summary_all, 1000)
    if not args.skip_export:
        export_memory(client)


if __name__ == "__main__":
    main()
