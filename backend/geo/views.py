from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.gzip import gzip_page
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.openapi import error_responses
from geo import selectors
from geo.serializers import RegionOutput, UptOutput


class RegionListView(APIView):
    @extend_schema(
        operation_id="regions_list",
        summary="The 38 kabupaten/kota of East Java",
        responses={200: RegionOutput(many=True), **error_responses()},
    )
    def get(self, request: Request) -> Response:
        return Response(RegionOutput(selectors.regions_list(), many=True).data)


GEOJSON_DESCRIPTION = """A GeoJSON FeatureCollection of the 38 kabupaten/kota, properties `code`, `name`, `type`.

An extra top-level member says whether boundaries were imported (`manage.py import_regions`):
- `"boundaries_imported": true`: one (Multi)Polygon feature per region holding an imported boundary.
- `"boundaries_imported": false`: no boundary is imported; each region is a Point feature at its label
  point (a point inside the region), and point → region lookups use the nearest label point.

About 600 KB: served with an `ETag` (send `If-None-Match` to get 304) and gzip when accepted."""


class RegionGeoJSONView(APIView):
    @extend_schema(
        operation_id="regions_geojson",
        summary="Region boundaries as GeoJSON",
        description=GEOJSON_DESCRIPTION,
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="FeatureCollection"),
            304: OpenApiResponse(description="Not modified (the `If-None-Match` ETag is current)."),
            **error_responses(),
        },
    )
    def get(self, request: Request) -> HttpResponse:
        geojson = selectors.regions_geojson()
        headers = {"ETag": geojson.etag, "Cache-Control": "private, no-cache", "Vary": "Authorization, Cookie"}
        if geojson.etag in _etags(request.headers.get("If-None-Match", "")):
            return HttpResponse(status=304, headers=headers)
        return HttpResponse(geojson.body, content_type="application/json; charset=utf-8", headers=headers)


def _etags(header: str) -> set[str]:
    return {part.strip().removeprefix("W/") for part in header.split(",") if part.strip()}


class UptListView(APIView):
    @extend_schema(
        operation_id="upts_list",
        summary="Active UPTs with the regions they serve",
        responses={200: UptOutput(many=True), **error_responses()},
    )
    def get(self, request: Request) -> Response:
        return Response(UptOutput(selectors.upts_active(), many=True).data)


regions_geojson_view = gzip_page(RegionGeoJSONView.as_view())
