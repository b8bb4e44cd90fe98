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

from django.db import connection
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


def _counts_by(cases: QuerySet[Case], field: str, codes: list[str]) -> dict[str, int]:
    found = {row[field]: row["n"] for row in cases.values(field).annotate(n=Count("id")).order_by()}
    counts = {code: found.pop(code, 0) for code in codes}
    if None in found:
        counts["none"] = found.pop(None)
    counts.update({str(code): n for code, n in found.items()})  # codes no longer in the reference list
    return counts


def _by_day(cases: QuerySet[Case], field: str) -> dict[date, dict[str, int]]:
    days: dict[date, dict[str, int]] = defaultdict(dict)
    rows = (
        cases.annotate(day=TruncDate("created_at", tzinfo=JAKARTA))
        .values("day", field)
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        days[row["day"]][row[field]] = row["n"]
    return days


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


def report_summary(
    *, user: User, since: date | None, until: date | None, now: datetime, upts: tuple[str, ...] = ()
) -> dict[str, Any]:
    cases = report_cases(user=user, since=since, until=until, upts=upts)
    ack_breach, resolve_breach = sla_breach_filters(now)
    aliased = with_milestone_aliases(cases)
    totals = aliased.aggregate(
        total=Count("id"),
        ack_breaches=Count("id", filter=ack_breach),
        resolve_breaches=Count("id", filter=resolve_breach),
    )
    by_upt_rows = (
        aliased.values("upt__code")
        .annotate(
            n=Count("id"),
            ack_breaches=Count("id", filter=ack_breach),
            resolve_breaches=Count("id", filter=resolve_breach),
        )
        .order_by()
    )
    upt_names = dict(Upt.objects.values_list("code", "name"))
    region_names = dict(Region.objects.values_list("code", "name"))
    by_region = _counts_by(cases, "region_id", [])
    statuses_by_day = _by_day(cases, "status")
    categories_by_day = _by_day(cases, "category_id")
    return {
        "since": since,
        "until": until,
        "upts": list(upts),
        "total": totals["total"],
        "by_status": _counts_by(cases, "status", Status.values),
        "by_category": _counts_by(cases, "category_id", list(Category.objects.values_list("code", flat=True))),
        "by_severity": _counts_by(cases, "severity", Severity.values),
        "by_source": _counts_by(cases, "source", Source.values),
        "by_outcome": _counts_by(cases, "outcome", Outcome.values),
        "by_region": [
            {"code": code if code != "none" else None, "name": region_names.get(code), "count": n}
            for code, n in sorted(by_region.items(), key=lambda item: -item[1])
        ],
        "by_upt": [
            {
                "code": row["upt__code"],
                "name": upt_names.get(row["upt__code"]),
                "count": row["n"],
                "ack_breaches": row["ack_breaches"],
                "resolve_breaches": row["resolve_breaches"],
            }
            for row in sorted(by_upt_rows, key=lambda row: (row["upt__code"] is None, row["upt__code"] or ""))
        ],
        "response_times": response_times(cases),
        "response_time_histograms": response_time_histograms(cases),
        "sla_breaches": {"acknowledge": totals["ack_breaches"], "resolve": totals["resolve_breaches"]},
        "by_day": [
            {"date": day, "by_status": statuses_by_day[day], "by_category": categories_by_day.get(day, {})}
            for day in sorted(statuses_by_day)
        ],
    }
