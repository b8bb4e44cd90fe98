"""Reads behind the reports: counts, response times and SLA breaches over a Jakarta calendar range.

Response times count from `created_at` (the server's receipt of the case) to the first
acknowledgement, dispatch and resolution. Percentiles are computed by PostgreSQL
(`percentile_cont`) where available, and in Python on SQLite, with the same interpolation.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Aggregate, Count, F, FloatField, Func, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate

from accounts.models import User
from cases.models import Case, Category, Outcome, Severity, Source, Status
from cases.selectors import cases_visible_to
from dashboard.params import JAKARTA, date_range
from geo.models import Region, Upt

# (name, milestone field): the response times reported.
MILESTONES = (("acknowledge", "acknowledged_at"), ("dispatch", "dispatched_at"), ("resolve", "resolved_at"))
# Upper bounds (minutes) of the response-time histogram buckets; the last bucket is open-ended.
HISTOGRAM_BOUNDS = {
    "acknowledge": (30, 120, 480, 1440),
    "dispatch": (30, 120, 480, 1440),
    "resolve": (1440, 3 * 1440, 7 * 1440, 14 * 1440),
}


class PercentileCont(Aggregate):
    """PostgreSQL's continuous percentile (linear interpolation between the two nearest values)."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, *, fraction: float, **extra: Any) -> None:
        super().__init__(expression, fraction=float(fraction), **extra)


class MinutesBetween(Func):
    """(end - start) in minutes, as a double precision number (PostgreSQL)."""

    template = "(EXTRACT(EPOCH FROM (%(expressions)s)) / 60.0)::double precision"
    arg_joiner = " - "
    output_field = FloatField()

    def __init__(self, start: str, end: str) -> None:
        super().__init__(F(end), F(start))


def percentile(sorted_values: list[float], fraction: float) -> float | None:
    """The same interpolation as percentile_cont: position fraction*(n-1) between neighbours."""
    if not sorted_values:
        return None
    position = fraction * (len(sorted_values) - 1)
    lower, upper = math.floor(position), math.ceil(position)
    weight = position - lower
    return sorted_values[lower] + (sorted_values[upper] - sorted_values[lower]) * weight


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def response_times(cases: QuerySet[Case]) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = {}
    for name, field in MILESTONES:
        reached = cases.filter(**{f"{field}__isnull": False}).order_by()
        if connection.vendor == "postgresql":
            minutes = MinutesBetween("created_at", field)
            stats = reached.aggregate(
                count=Count("id"),
                median=PercentileCont(minutes, fraction=0.5),
                p90=PercentileCont(minutes, fraction=0.9),
            )
        else:
            values = sorted(
                (end - start).total_seconds() / 60
                for start, end in reached.values_list("created_at", field).iterator(chunk_size=5000)
            )
            stats = {"count": len(values), "median": percentile(values, 0.5), "p90": percentile(values, 0.9)}
        result[name] = {
            "count": stats["count"],
            "median_minutes": _round(stats["median"]),
            "p90_minutes": _round(stats["p90"]),
        }
    return result


def response_time_histograms(cases: QuerySet[Case]) -> dict[str, list[dict[str, Any]]]:
    """Counts of cases per response-time bucket, counted in the database."""
    histograms: dict[str, list[dict[str, Any]]] = {}
    for name, field in MILESTONES:
        bounds = HISTOGRAM_BOUNDS[name]
        reached = Q(**{f"{field}__isnull": False})
        aggregates: dict[str, Any] = {}
        lower: int | None = None
        for upper in (*bounds, None):
            bucket = reached
            if lower is not None:
                bucket &= Q(**{f"{field}__gt": F("created_at") + timedelta(minutes=lower)})
            if upper is not None:
                bucket &= Q(**{f"{field}__lte": F("created_at") + timedelta(minutes=upper)})
            aggregates[f"b{len(aggregates)}"] = Count("id", filter=bucket)
            lower = upper
        counts = cases.order_by().aggregate(**aggregates)
        edges = (0, *bounds)
        histograms[name] = [
            {
                "min_minutes": edges[index],
                "max_minutes": bounds[index] if index < len(bounds) else None,
                "count": counts[f"b{index}"],
            }
            for index in range(len(bounds) + 1)
        ]
    return histograms


def sla_breach_filters(now: datetime) -> tuple[Q, Q]:
    """A missed acknowledge deadline (no first response by then) and a missed resolve deadline.

    Requires the `first_response` and `finished` aliases of `with_milestone_aliases`."""
    ack = Q(ack_due_at__isnull=False) & (
        Q(first_response__isnull=True, ack_due_at__lt=now) | Q(first_response__gt=F("ack_due_at"))
    )
    resolve = Q(due_at__isnull=False) & (Q(finished__isnull=True, due_at__lt=now) | Q(finished__gt=F("due_at")))
    return ack, resolve


def with_milestone_aliases(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.alias(
        first_response=Coalesce("acknowledged_at", "dispatched_at", "resolved_at", "closed_at"),
        finished=Coalesce("resolved_at", "closed_at"),
    )


def report_cases(*, user: User, since: date | None, until: date | None, upts: tuple[str, ...] = ()) -> QuerySet[Case]:
    start, end = date_range(since, until)
    cases = cases_visible_to(user)
    if start is not None:
        cases = cases.filter(created_at__gte=start)
    if end is not None:
        cases = cases.filter(created_at__lt=end)
    if upts:
        cases = cases.filter(upt__code__in=upts)
    return cases.order_by()


def _ordered_counts(found: dict[Any, int], codes: list[str]) -> dict[str, int]:
    """Every known code (zeros included) in reference order; `none` for no value; unknown codes last."""
    found = dict(found)
    counts = {code: found.pop(code, 0) for code in codes}
    if None in found:
        counts["none"] = found.pop(None)
    counts.update({str(code): n for code, n in found.items()})
    return counts


def _figures_orm(cases: QuerySet[Case], now: datetime) -> dict[str, Any]:
    """The summary's raw figures through the ORM: one query per dimension (SQLite, small data)."""
    ack_breach, resolve_breach = sla_breach_filters(now)
    aliased = with_milestone_aliases(cases)
    totals = aliased.aggregate(
        total=Count("id"),
        ack_breaches=Count("id", filter=ack_breach),
        resolve_breaches=Count("id", filter=resolve_breach),
    )
    by_upt = aliased.values_list("upt__code").annotate(
        n=Count("id"), ack=Count("id", filter=ack_breach), resolve=Count("id", filter=resolve_breach)
    )
    by_day: dict[str, list[tuple[date, Any, int]]] = {}
    for field in ("status", "category_id"):
        rows = cases.annotate(day=TruncDate("created_at", tzinfo=JAKARTA)).values_list("day", field)
        by_day[field] = [(day, key, n) for day, key, n in rows.annotate(n=Count("id")).order_by()]
    return {
        **totals,
        "counts": {
            field: dict(cases.values_list(field).annotate(n=Count("id")).order_by().values_list(field, "n"))
            for field in COUNTED_FIELDS
        },
        "by_upt": [tuple(row) for row in by_upt.order_by()],
        "by_day": by_day,
        "response_times": response_times(cases),
        "histograms": {
            name: [bucket["count"] for bucket in buckets] for name, buckets in response_time_histograms(cases).items()
        },
    }


COUNTED_FIELDS = ("status", "category_id", "severity", "source", "outcome", "region_id")
PICKED_COLUMNS = (
    *COUNTED_FIELDS,
    "upt__code",
    "created_at",
    "ack_due_at",
    "due_at",
    "acknowledged_at",
    "dispatched_at",
    "resolved_at",
    "closed_at",
)


def _histogram_sql(column: str, bounds: tuple[int, ...]) -> str:
    edges = [None, *bounds, None]
    buckets = []
    for lower, upper in zip(edges[:-1], edges[1:], strict=True):
        conditions = [f"{column} IS NOT NULL"]
        if lower is not None:
            conditions.append(f"{column} > {lower}")
        if upper is not None:
            conditions.append(f"{column} <= {upper}")
        buckets.append(f"count(*) FILTER (WHERE {' AND '.join(conditions)})")
    return f"json_build_array({', '.join(buckets)})"


REPORT_WORK_MEM = "64MB"
# One GROUPING SETS pass gives every count of the summary (PostgreSQL); GROUPING() tells the sets apart.
GROUPING_COLUMNS = (*COUNTED_FIELDS, "upt_code", "day")
GROUPING_SETS = (*((field,) for field in COUNTED_FIELDS), ("upt_code",), ("day", "status"), ("day", "category_id"))


def _split_grouping_sets(rows: list[list[Any]]) -> dict[str, Any]:
    counts: dict[str, dict[Any, int]] = {field: {} for field in COUNTED_FIELDS}
    by_upt: list[tuple[Any, ...]] = []
    by_day: dict[str, list[tuple[date, Any, int]]] = {"status": [], "category_id": []}
    width = len(GROUPING_COLUMNS)
    for row in rows:
        mask, values, (n, ack, resolve) = row[0], dict(zip(GROUPING_COLUMNS, row[1 : width + 1], strict=True)), row[-3:]
        # GROUPING() sets bit (width - 1 - i) when column i is *not* part of the row's grouping set.
        grouped = tuple(column for i, column in enumerate(GROUPING_COLUMNS) if not (mask >> (width - 1 - i)) & 1)
        if grouped == ("upt_code",):
            by_upt.append((values["upt_code"], n, ack, resolve))
        elif len(grouped) == 2:
            field = grouped[0]
            by_day[field].append((date.fromisoformat(values["day"]), values[field], n))
        else:
            counts[grouped[0]][values[grouped[0]]] = n
    return {"counts": counts, "by_upt": by_upt, "by_day": by_day}


def _figures_postgresql(cases: QuerySet[Case], now: datetime) -> dict[str, Any]:
    """The same figures in one statement: the scoped rows are read once into a materialized CTE,
    then every count, percentile and histogram is computed over it (one pass over the table, not fifteen)."""
    inner_sql, inner_params = cases.values(*PICKED_COLUMNS).query.sql_with_params()
    alias_list = ", ".join(column.replace("__", "_") for column in PICKED_COLUMNS)
    first_response = "COALESCE(acknowledged_at, dispatched_at, resolved_at, closed_at)"
    finished = "COALESCE(resolved_at, closed_at)"
    minutes = {
        name: f"(EXTRACT(EPOCH FROM ({field} - created_at)) / 60)::double precision AS {name}_minutes"
        for name, field in MILESTONES
    }
    stats = ", ".join(
        f"'{name}', json_build_array(count({name}_minutes), "
        f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {name}_minutes), "
        f"percentile_cont(0.9) WITHIN GROUP (ORDER BY {name}_minutes)), "
        f"'histogram_{name}', {_histogram_sql(f'{name}_minutes', HISTOGRAM_BOUNDS[name])}"
        for name, _ in MILESTONES
    )
    grouping_list = ", ".join(GROUPING_COLUMNS)
    grouping_sets = ", ".join("(" + ", ".join(columns) + ")" for columns in GROUPING_SETS)
    sql = f"""
        WITH picked AS MATERIALIZED (
            SELECT q.*, (created_at AT TIME ZONE 'Asia/Jakarta')::date AS day,
                   (ack_due_at IS NOT NULL AND (({first_response} IS NULL AND ack_due_at < %s)
                                                OR {first_response} > ack_due_at)) AS ack_breach,
                   (due_at IS NOT NULL AND (({finished} IS NULL AND due_at < %s)
                                            OR {finished} > due_at)) AS resolve_breach,
                   {", ".join(minutes.values())}
            FROM ({inner_sql}) AS q({alias_list})
        )
        SELECT
            (SELECT coalesce(json_agg(json_build_array(g, {grouping_list}, n, a, r)), '[]') FROM (
                SELECT GROUPING({grouping_list}) AS g, {grouping_list}, count(*) AS n,
                       count(*) FILTER (WHERE ack_breach) AS a, count(*) FILTER (WHERE resolve_breach) AS r
                FROM picked
                GROUP BY GROUPING SETS ({grouping_sets})) AS sets) AS grouped,
            (SELECT json_build_object(
                'total', count(*),
                'ack_breaches', count(*) FILTER (WHERE ack_breach),
                'resolve_breaches', count(*) FILTER (WHERE resolve_breach),
                {stats}) FROM picked) AS stats
    """
    with transaction.atomic(), connection.cursor() as cursor:
        # Enough memory to hash the grouping sets and sort the response times of a whole history
        # in memory, for this statement only: a few managers run it, not every request.
        cursor.execute(f"SET LOCAL work_mem = '{REPORT_WORK_MEM}'")
        cursor.execute(sql, [now, now, *inner_params])
        names = [column.name for column in cursor.description]
        results = dict(zip(names, cursor.fetchone(), strict=True))
    stats = results["stats"]
    return {
        "total": stats["total"],
        "ack_breaches": stats["ack_breaches"],
        "resolve_breaches": stats["resolve_breaches"],
        **_split_grouping_sets(results["grouped"]),
        "response_times": {
            name: {
                "count": stats[name][0],
                "median_minutes": _round(stats[name][1]),
                "p90_minutes": _round(stats[name][2]),
            }
            for name, _ in MILESTONES
        },
        "histograms": {name: stats[f"histogram_{name}"] for name, _ in MILESTONES},
    }


def report_summary(
    *, user: User, since: date | None, until: date | None, now: datetime, upts: tuple[str, ...] = ()
) -> dict[str, Any]:
    cases = report_cases(user=user, since=since, until=until, upts=upts)
    figures = _figures_postgresql(cases, now) if connection.vendor == "postgresql" else _figures_orm(cases, now)
    upt_names = dict(Upt.objects.values_list("code", "name"))
    region_names = dict(Region.objects.values_list("code", "name"))
    days: dict[date, dict[str, dict[str, int]]] = defaultdict(lambda: {"by_status": {}, "by_category": {}})
    for day, status, n in figures["by_day"]["status"]:
        days[day]["by_status"][status] = n
    for day, category, n in figures["by_day"]["category_id"]:
        days[day]["by_category"][category] = n
    counts = figures["counts"]
    return {
        "since": since,
        "until": until,
        "upts": list(upts),
        "total": figures["total"],
        "by_status": _ordered_counts(counts["status"], Status.values),
        "by_category": _ordered_counts(counts["category_id"], list(Category.objects.values_list("code", flat=True))),
        "by_severity": _ordered_counts(counts["severity"], Severity.values),
        "by_source": _ordered_counts(counts["source"], Source.values),
        "by_outcome": _ordered_counts(counts["outcome"], Outcome.values),
        "by_region": [
            {"code": code, "name": region_names.get(code), "count": n}
            for code, n in sorted(counts["region_id"].items(), key=lambda item: (-item[1], item[0] or ""))
        ],
        "by_upt": [
            {"code": code, "name": upt_names.get(code), "count": n, "ack_breaches": ack, "resolve_breaches": resolve}
            for code, n, ack, resolve in sorted(figures["by_upt"], key=lambda row: (row[0] is None, row[0] or ""))
        ],
        "response_times": figures["response_times"],
        "response_time_histograms": {
            name: [
                {
                    "min_minutes": edges[index],
                    "max_minutes": edges[index + 1] if index + 1 < len(edges) else None,
                    "count": count,
                }
                for index, count in enumerate(figures["histograms"][name])
            ]
            for name, edges in ((name, (0, *HISTOGRAM_BOUNDS[name])) for name, _ in MILESTONES)
        },
        "sla_breaches": {"acknowledge": figures["ack_breaches"], "resolve": figures["resolve_breaches"]},
        "by_day": [{"date": day, **days[day]} for day in sorted(days)],
    }
