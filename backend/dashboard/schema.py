"""Response shapes and query parameters of the map, report and export endpoints, for the OpenAPI schema."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

FILTER_PARAMETERS = [
    OpenApiParameter(
        "bbox", str, description="minLng,minLat,maxLng,maxLat (WGS84 degrees), e.g. 111.8,-7.2,112.3,-6.7"
    ),
    OpenApiParameter("status", str, description="Comma-separated statuses (new,acknowledged,...)"),
    OpenApiParameter("category", str, description="Comma-separated PPKS codes (PPKS11,...)"),
    OpenApiParameter("severity", str, description="Comma-separated severities (low,medium,high,critical)"),
    OpenApiParameter("upt", str, description="Comma-separated UPT codes"),
    OpenApiParameter(
        "overdue", str, enum=["0", "1", "true", "false"], description="1: only overdue open cases; 0: none of them"
    ),
    OpenApiParameter("since", OpenApiTypes.DATE, description="Created on or after this date (Asia/Jakarta)"),
    OpenApiParameter("until", OpenApiTypes.DATE, description="Created on or before this date (Asia/Jakarta)"),
]
ZOOM_PARAMETER = OpenApiParameter("zoom", int, required=True, description="Map zoom level 0..18 (grid cell size)")
LIMIT_PARAMETER = OpenApiParameter("limit", int, description="1..500, default 100")
INCLUDE_PERSON_PARAMETER = OpenApiParameter(
    "include_person",
    str,
    enum=["0", "1", "true", "false"],
    description="1: add person and complainant columns (managers; logged)",
)
DATE_PARAMETERS = FILTER_PARAMETERS[-2:] + [
    OpenApiParameter("upt", str, description="Only these UPTs (comma-separated codes)")
]


class PointGeometryOut(serializers.Serializer):
    type = serializers.CharField(default="Point")
    coordinates = serializers.ListField(child=serializers.FloatField(), help_text="[lng, lat]")


class MapFeaturePropertiesOut(serializers.Serializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    category = serializers.CharField()
    severity = serializers.CharField()
    status = serializers.CharField()
    upt = serializers.CharField(allow_null=True)


class MapFeatureOut(serializers.Serializer):
    type = serializers.CharField(default="Feature")
    geometry = PointGeometryOut()
    properties = MapFeaturePropertiesOut()


class MapFeatureCollectionOut(serializers.Serializer):
    type = serializers.CharField(default="FeatureCollection")
    features = MapFeatureOut(many=True)


class ClusterOut(serializers.Serializer):
    lat = serializers.FloatField(help_text="Average latitude of the members")
    lng = serializers.FloatField(help_text="Average longitude of the members")
    count = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField())


class ClustersOut(serializers.Serializer):
    clusters = ClusterOut(many=True)


class RegionCountsOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    type = serializers.CharField()
    all = serializers.IntegerField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()


class CountsOut(serializers.Serializer):
    all = serializers.IntegerField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()


class RegionsOut(serializers.Serializer):
    regions = RegionCountsOut(many=True)
    outside_regions = CountsOut(help_text="Cases with no region (outside East Java or no location)")


class LocationOut(serializers.Serializer):
    lat = serializers.FloatField()
    lng = serializers.FloatField()


class OverdueCaseOut(serializers.Serializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    category = serializers.CharField()
    severity = serializers.CharField()
    status = serializers.CharField()
    summary = serializers.CharField()
    upt = serializers.CharField(allow_null=True)
    region = serializers.CharField(allow_null=True)
    location = LocationOut(allow_null=True)
    missed_deadline = serializers.DateTimeField()
    minutes_late = serializers.IntegerField()
    deadline = serializers.ChoiceField(choices=["acknowledge", "resolve"])


class OverdueListOut(serializers.Serializer):
    results = OverdueCaseOut(many=True)


class ResponseTimeOut(serializers.Serializer):
    count = serializers.IntegerField(help_text="Cases that reached the milestone")
    median_minutes = serializers.FloatField(allow_null=True)
    p90_minutes = serializers.FloatField(allow_null=True)


class ResponseTimesOut(serializers.Serializer):
    acknowledge = ResponseTimeOut()
    dispatch = ResponseTimeOut()
    resolve = ResponseTimeOut()


class HistogramBucketOut(serializers.Serializer):
    min_minutes = serializers.IntegerField()
    max_minutes = serializers.IntegerField(allow_null=True)
    count = serializers.IntegerField()


class HistogramsOut(serializers.Serializer):
    acknowledge = HistogramBucketOut(many=True)
    dispatch = HistogramBucketOut(many=True)
    resolve = HistogramBucketOut(many=True)


class NamedCountOut(serializers.Serializer):
    code = serializers.CharField(allow_null=True)
    name = serializers.CharField(allow_null=True)
    count = serializers.IntegerField()


class UptCountOut(NamedCountOut):
    ack_breaches = serializers.IntegerField()
    resolve_breaches = serializers.IntegerField()


class SlaBreachesOut(serializers.Serializer):
    acknowledge = serializers.IntegerField(help_text="Not acknowledged (nor dispatched) by ack_due_at")
    resolve = serializers.IntegerField(help_text="Not resolved (nor closed) by due_at")


class DayOut(serializers.Serializer):
    date = serializers.DateField()
    by_status = serializers.DictField(child=serializers.IntegerField())
    by_category = serializers.DictField(child=serializers.IntegerField())


class SummaryOut(serializers.Serializer):
    since = serializers.DateField(allow_null=True)
    until = serializers.DateField(allow_null=True)
    upts = serializers.ListField(child=serializers.CharField(), help_text="The UPT filter, if any")
    total = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField())
    by_category = serializers.DictField(child=serializers.IntegerField())
    by_severity = serializers.DictField(child=serializers.IntegerField())
    by_source = serializers.DictField(child=serializers.IntegerField())
    by_outcome = serializers.DictField(child=serializers.IntegerField(), help_text="`none`: no outcome yet")
    by_region = NamedCountOut(many=True)
    by_upt = UptCountOut(many=True)
    response_times = ResponseTimesOut()
    response_time_histograms = HistogramsOut()
    sla_breaches = SlaBreachesOut()
    by_day = DayOut(many=True)
