from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from geo.models import Upt


class RegionOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    type = serializers.ChoiceField(choices=["kabupaten", "kota"])


class UptLocationOutput(serializers.Serializer):
    """Where a UPT is (its office): a point, no accuracy (unlike a case's location)."""

    lat = serializers.FloatField()
    lng = serializers.FloatField()


class UptOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    regions = serializers.SerializerMethodField()
    location = serializers.SerializerMethodField()

    def get_regions(self, upt: Upt) -> list[str]:
        return [area.region_id for area in upt.service_areas.all()]

    @extend_schema_field(UptLocationOutput)
    def get_location(self, upt: Upt) -> dict[str, float]:
        return {"lat": upt.lat, "lng": upt.lng}


class UptRefOutput(serializers.Serializer):
    """`{"code", "name"}` of a UPT, as in Me and the case resource."""

    code = serializers.CharField()
    name = serializers.CharField()
