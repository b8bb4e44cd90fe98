"""Query-string parameters of the map, report and export endpoints, validated strictly.

Every endpoint refuses unknown parameters and malformed values with a 400 envelope naming the field,
so that a typo in a shared link never silently shows the whole province.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.http import QueryDict
from rest_framework import serializers

from cases.models import Category, Severity, Status
from core.errors import flatten_errors
from core.exceptions import FieldsInvalid
from core.serializers import StrictInputSerializer
from geo.models import Upt

JAKARTA = ZoneInfo("Asia/Jakarta")
MAX_ZOOM = 18


@dataclass(frozen=True)
class BBox:
    min_lng: float
    min_lat: float
    max_lng: float
    max_lat: float


@dataclass(frozen=True)
class CaseFilters:
    """What the map, the overdue list and the exports filter on. Empty means "no filter"."""

    bbox: BBox | None = None
    statuses: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    upts: tuple[str, ...] = ()
    overdue: bool | None = None
    created_from: datetime | None = None  # inclusive, aware
    created_before: datetime | None = None  # exclusive, aware


def jakarta_day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=JAKARTA)


def date_range(since: date | None, until: date | None) -> tuple[datetime | None, datetime | None]:
    """Calendar dates of Asia/Jakarta, both inclusive -> [start, end) as aware datetimes."""
    start = jakarta_day_start(since) if since else None
    end = jakarta_day_start(until + timedelta(days=1)) if until else None
    return start, end


class BBoxField(serializers.CharField):
    """`minLng,minLat,maxLng,maxLat` in WGS84 degrees (the order of API.md's `bbox`)."""

    def to_internal_value(self, data: Any) -> Any:  # a BBox
        text = super().to_internal_value(data)
        parts = text.split(",")
        if len(parts) != 4:
            raise serializers.ValidationError("Format bbox: minLng,minLat,maxLng,maxLat.")
        try:
            min_lng, min_lat, max_lng, max_lat = (float(part) for part in parts)
        except ValueError:
            raise serializers.ValidationError("bbox harus berisi empat angka.") from None
        values = (min_lng, min_lat, max_lng, max_lat)
        if not all(math.isfinite(value) for value in values):
            raise serializers.ValidationError("bbox harus berisi angka terhingga.")
        if not (-180 <= min_lng <= max_lng <= 180):
            raise serializers.ValidationError("Bujur bbox harus -180..180 dan minLng ≤ maxLng.")
        if not (-90 <= min_lat <= max_lat <= 90):
            raise serializers.ValidationError("Lintang bbox harus -90..90 dan minLat ≤ maxLat.")
        return BBox(min_lng, min_lat, max_lng, max_lat)


class CodeListField(serializers.CharField):
    """A comma-separated list of codes, each one of `choices` (a callable, for codes kept in tables)."""

    def __init__(self, *, choices: Any, **kwargs: Any) -> None:
        self.choices_source = choices
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:  # tuple[str, ...]
        text = super().to_internal_value(data)
        codes = tuple(dict.fromkeys(code.strip() for code in text.split(",") if code.strip()))
        allowed = set(self.choices_source() if callable(self.choices_source) else self.choices_source)
        unknown = [code for code in codes if code not in allowed]
        if unknown:
            raise serializers.ValidationError(f"Kode tidak dikenal: {', '.join(sorted(unknown))}.")
        return codes


class FlagField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=["0", "1", "true", "false"], **kwargs)

    def to_internal_value(self, data: Any) -> Any:  # bool
        return super().to_internal_value(data) in ("1", "true")


def _category_codes() -> list[str]:
    return list(Category.objects.values_list("code", flat=True))


def _upt_codes() -> list[str]:
    return list(Upt.objects.values_list("code", flat=True))


# Dates outside this range are typing mistakes, and would overflow time-zone arithmetic.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)


class DateRangeInput(StrictInputSerializer):
    since = serializers.DateField(required=False, input_formats=["%Y-%m-%d"])
    until = serializers.DateField(required=False, input_formats=["%Y-%m-%d"])

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        since, until = attrs.get("since"), attrs.get("until")
        for name, day in (("since", since), ("until", until)):
            if day is not None and not (EARLIEST_DATE <= day <= LATEST_DATE):
                raise serializers.ValidationError({name: [f"Tanggal harus antara {EARLIEST_DATE} dan {LATEST_DATE}."]})
        if since and until and since > until:
            raise serializers.ValidationError({"until": ["`until` tidak boleh sebelum `since`."]})
        return attrs


class SummaryInput(DateRangeInput):
    upt = CodeListField(required=False, choices=_upt_codes)


class CaseFilterInput(DateRangeInput):
    bbox = BBoxField(required=False)
    status = CodeListField(required=False, choices=Status.values)
    category = CodeListField(required=False, choices=_category_codes)
    severity = CodeListField(required=False, choices=Severity.values)
    upt = CodeListField(required=False, choices=_upt_codes)
    overdue = FlagField(required=False)


class ClusterInput(CaseFilterInput):
    zoom = serializers.IntegerField(min_value=0, max_value=MAX_ZOOM)


class OverdueListInput(CaseFilterInput):
    limit = serializers.IntegerField(required=False, min_value=1, max_value=500, default=100)


class ExportInput(CaseFilterInput):
    include_person = FlagField(required=False)


def parse_query(serializer_class: type[serializers.Serializer], query: QueryDict) -> dict[str, Any]:
    """Validate a query string; a repeated parameter is an error rather than a silent pick of one."""
    repeated = {key: ["Parameter ini hanya boleh muncul sekali."] for key, values in query.lists() if len(values) > 1}
    if repeated:
        raise FieldsInvalid(repeated)
    serializer = serializer_class(data={key: query[key] for key in query})
    if not serializer.is_valid():
        raise FieldsInvalid(flatten_errors(serializer.errors))
    return dict(serializer.validated_data)


def filters_from(params: dict[str, Any]) -> CaseFilters:
    created_from, created_before = date_range(params.get("since"), params.get("until"))
    return CaseFilters(
        bbox=params.get("bbox"),
        statuses=params.get("status", ()),
        categories=params.get("category", ()),
        severities=params.get("severity", ()),
        upts=params.get("upt", ()),
        overdue=params.get("overdue"),
        created_from=created_from,
        created_before=created_before,
    )
