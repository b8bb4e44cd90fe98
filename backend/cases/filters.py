"""Filters and ordering of `GET /api/v1/cases/` (django-filter); bad values are a 400 naming the filter."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

import django_filters
from django.db.models import Case as Conditional
from django.db.models import F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from cases.models import OPEN_STATUSES, SEVERITY_RANK, Case, Outcome, Severity, Source, Status

ORDERINGS = ("created_at", "ack_due_at", "due_at", "severity")


def parse_bbox(raw: str) -> tuple[float, float, float, float]:
    """`minLng,minLat,maxLng,maxLat`, four finite numbers in range with min ≤ max."""
    parts = raw.split(",")
    try:
        min_lng, min_lat, max_lng, max_lat = (float(part) for part in parts)
    except ValueError:
        raise ValidationError({"bbox": ["Format: minLng,minLat,maxLng,maxLat."]}) from None
    if not all(math.isfinite(v) for v in (min_lng, min_lat, max_lng, max_lat)):
        raise ValidationError({"bbox": ["Koordinat harus berupa angka terhingga."]})
    if not (-180 <= min_lng <= max_lng <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ValidationError({"bbox": ["Koordinat di luar jangkauan atau min > max."]})
    return min_lng, min_lat, max_lng, max_lat


class CaseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Status.choices)
    category = django_filters.CharFilter(field_name="category_id")
    severity = django_filters.ChoiceFilter(choices=Severity.choices)
    source = django_filters.ChoiceFilter(choices=Source.choices)
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices)
    region = django_filters.CharFilter(field_name="region_id")
    upt = django_filters.CharFilter(field_name="upt__code")
    assignee = django_filters.CharFilter(field_name="assignee__username")
    overdue = django_filters.ChoiceFilter(
        choices=[("1", "1"), ("0", "0")],
        method="filter_overdue",
        help_text="1: open cases with a running deadline passed; 0: the others.",
    )
    bbox = django_filters.CharFilter(method="filter_bbox", help_text="minLng,minLat,maxLng,maxLat")
    updated_after = django_filters.IsoDateTimeFilter(method="filter_updated_after")
    q = django_filters.CharFilter(method="filter_text", help_text="Text in reference, summary, description or address.")
    ordering = django_filters.OrderingFilter(
        fields=ORDERINGS, help_text="created_at, ack_due_at, due_at or severity; prefix '-' to reverse."
    )

    class Meta:
        model = Case
        fields: list[str] = []

    def filter_updated_after(self, queryset: QuerySet[Case], name: str, value: datetime) -> QuerySet[Case]:
        # Python accepts offsets up to ±24 h and any year; PostgreSQL refuses offsets past ±16 h. Real
        # clients send times of this century: anything else is a clear 400, never a database error.
        if not 2000 <= value.year <= 2100 or abs(value.utcoffset() or timedelta()) > timedelta(hours=14):
            raise ValidationError({"updated_after": ["Diharapkan waktu ISO 8601 antara tahun 2000 dan 2100."]})
        return queryset.filter(updated_at__gt=value.astimezone(UTC))

    def filter_overdue(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        now = timezone.now()
        overdue = Q(status__in=OPEN_STATUSES) & (Q(ack_due_at__lt=now) | Q(due_at__lt=now))
        return queryset.filter(overdue) if value == "1" else queryset.exclude(overdue)

    def filter_bbox(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        min_lng, min_lat, max_lng, max_lat = parse_bbox(value)
        return queryset.filter(lat__gte=min_lat, lat__lte=max_lat, lng__gte=min_lng, lng__lte=max_lng)

    def filter_text(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(summary__icontains=value)
            | Q(description__icontains=value)
            | Q(address__icontains=value)
        )

    def filter_queryset(self, queryset: QuerySet[Case]) -> QuerySet[Case]:
        ordering = self.form.cleaned_data.pop("ordering", None) or []
        queryset = super().filter_queryset(queryset)
        return order_cases(queryset, ordering)


SEVERITY_RANK_EXPR = Conditional(
    *(When(severity=severity, then=Value(rank)) for severity, rank in SEVERITY_RANK.items()),
    default=Value(-1),
    output_field=IntegerField(),
)


def order_cases(queryset: QuerySet[Case], ordering: list[str]) -> QuerySet[Case]:
    """Severity orders by rank (critical above high), not alphabetically; empty deadlines come last;
    `id` breaks ties so that pages never overlap."""
    terms: list[Any] = []
    for term in ordering:
        descending, name = term.startswith("-"), term.lstrip("-")
        if name == "severity":
            queryset = queryset.annotate(severity_rank=SEVERITY_RANK_EXPR)
            name = "severity_rank"
        expr = F(name)
        terms.append(expr.desc(nulls_last=True) if descending else expr.asc(nulls_last=True))
    if not terms:
        terms.append(F("created_at").desc())
    return queryset.order_by(*terms, "id")
