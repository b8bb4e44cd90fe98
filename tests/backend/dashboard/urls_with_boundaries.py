"""The project's URLs, plus `GET /api/v1/regions/geojson/` where the geo app does not serve it yet.

The map page reads boundaries from that endpoint (API.md, "Reference data"); until the geo app's
view is present in this checkout, this minimal one of the same contract lets the browser test run.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns
from geo.models import Region


def regions_geojson(request: HttpRequest) -> JsonResponse:
    features = [
        {
            "type": "Feature",
            "geometry": region.boundary,
            "properties": {"code": region.code, "name": region.name, "type": region.type},
        }
        for region in Region.objects.exclude(boundary=None)
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


urlpatterns = [path("api/v1/regions/geojson/", regions_geojson), *project_urlpatterns]
