"""Reads of the geography for the API and the admin."""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from geo.lookup import BoundaryStamp, boundary_stamp
from geo.models import Region, ServiceArea, Upt


def regions_list() -> QuerySet[Region]:
    return Region.objects.order_by("code").only("code", "name", "type")


def upts_active() -> QuerySet[Upt]:
    areas = Prefetch("service_areas", queryset=ServiceArea.objects.order_by("region_id").only("region_id", "upt_id"))
    return Upt.objects.filter(is_active=True).order_by("code").prefetch_related(areas)


@dataclass(frozen=True)
class RegionsGeoJSON:
    stamp: BoundaryStamp
    body: bytes
    etag: str


_geojson: RegionsGeoJSON | None = None
_geojson_lock = threading.Lock()


def _feature(region: Region, geometry: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": region.code,
        "properties": {"code": region.code, "name": region.name, "type": region.type},
        "geometry": geometry,
    }


def _regions_geojson_build(stamp: BoundaryStamp) -> RegionsGeoJSON:
    regions = list(Region.objects.order_by("code"))
    imported = any(region.boundary is not None for region in regions)
    if imported:
        features = [_feature(region, region.boundary) for region in regions if region.boundary is not None]
    else:
        features = [
            _feature(region, {"type": "Point", "coordinates": [region.label_lng, region.label_lat]})
            for region in regions
        ]
    collection = {"type": "FeatureCollection", "boundaries_imported": imported, "features": features}
    body = json.dumps(collection, separators=(",", ":"), ensure_ascii=False).encode()
    return RegionsGeoJSON(stamp=stamp, body=body, etag=f'"{hashlib.sha256(body).hexdigest()[:32]}"')


def regions_geojson() -> RegionsGeoJSON:
    """The ~600 KB FeatureCollection, serialised once per boundary version and kept in the process."""
    global _geojson
    stamp = boundary_stamp()
    cached = _geojson
    if cached is not None and cached.stamp == stamp:
        return cached
    with _geojson_lock:
        if _geojson is None or _geojson.stamp != stamp:
            _geojson = _regions_geojson_build(stamp)
        return _geojson
