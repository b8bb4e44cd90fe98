"""Point → region → UPT, the routing that case creation runs inside its transaction (DESIGN.md "Geography").

With imported boundaries: the region whose polygon holds the point; else, within 5 km of a boundary
(coastlines are simplified by up to ~600 m; piers, boats, small islands), the nearest region; else none.
Without boundaries: the nearest region label point, but only inside the province's bounding box plus 5 km.

The polygons are projected once per process into a local metric plane (longitude scaled by the cosine of
a reference latitude), prepared and put in an STRtree. Each call compares a cheap stamp of the boundary
table (count and latest `boundary_updated_at` of 38 rows) with the one the index was built from, so a
re-import reaches every process on its next lookup, and a test's rolled-back import never lingers.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import shapely
from django.db.models import Count, Max
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.models import Region, ServiceArea, Upt

logger = logging.getLogger(__name__)

NEAR_BOUNDARY_M = 5_000.0
EARTH_RADIUS_M = 6_371_008.8
METRES_PER_DEGREE = math.pi * EARTH_RADIUS_M / 180.0
# East Java spans latitudes -5.0 (Masalembu) to -8.8: scaling longitude by cos(-7°) is off by < 0.5%
# anywhere in it; that only picks candidates, and the final distance is a haversine.
REFERENCE_LAT = -7.0
LNG_SCALE = math.cos(math.radians(REFERENCE_LAT))
# Bounding box of the 38 kabupaten/kota (lng_min, lat_min, lng_max, lat_max), islands included.
PROVINCE_BBOX = (110.8953, -8.7802, 116.2702, -5.0430)
# Candidates are searched a little wider than 5 km in the projected plane, then measured exactly.
SEARCH_MARGIN = 1.02

_REGION_FIELDS = ["code", "name", "type", "label_lat", "label_lng", "boundary_updated_at"]

BoundaryStamp = tuple[int, datetime | None]


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def project(geometry: BaseGeometry) -> BaseGeometry:
    """lon/lat degrees → metres in the local plane."""
    factors = np.array([METRES_PER_DEGREE * LNG_SCALE, METRES_PER_DEGREE])
    return shapely.transform(geometry, lambda coords: coords * factors)


def _unproject_xy(x: float, y: float) -> tuple[float, float]:
    """Metres in the local plane → (lat, lng)."""
    return y / METRES_PER_DEGREE, x / (METRES_PER_DEGREE * LNG_SCALE)


def boundary_geometry(boundary: Any) -> BaseGeometry:
    """A stored GeoJSON geometry as a valid shapely geometry (lon/lat)."""
    geometry = shape(boundary)
    return geometry if geometry.is_valid else shapely.make_valid(geometry)


@dataclass(frozen=True)
class _RegionIndex:
    stamp: BoundaryStamp
    rows: dict[str, tuple[Any, ...]]  # code → values of _REGION_FIELDS (to build a Region without a query)
    polygon_codes: tuple[str, ...]  # aligned with the tree's geometries
    polygons: tuple[BaseGeometry, ...]  # projected and prepared
    tree: shapely.STRtree | None

    @property
    def has_boundaries(self) -> bool:
        return self.tree is not None

    def region(self, code: str) -> Region:
        return Region.from_db("default", _REGION_FIELDS, list(self.rows[code]))


_index: _RegionIndex | None = None
_build_lock = threading.Lock()


def boundary_stamp() -> BoundaryStamp:
    """Changes whenever boundaries are imported, replaced or removed."""
    stamp = Region.objects.filter(boundary__isnull=False).aggregate(n=Count("code"), latest=Max("boundary_updated_at"))
    return stamp["n"], stamp["latest"]


def _build(stamp: BoundaryStamp) -> _RegionIndex:
    rows: dict[str, tuple[Any, ...]] = {}
    codes: list[str] = []
    polygons: list[BaseGeometry] = []
    for region in Region.objects.order_by("code"):
        rows[region.code] = tuple(getattr(region, name) for name in _REGION_FIELDS)
        if region.boundary is None:
            continue
        try:
            geometry = project(boundary_geometry(region.boundary))
        except Exception:  # a broken stored boundary must not stop routing for the other 37 regions
            logger.exception("geo: boundary of region %s cannot be read; skipped", region.code)
            continue
        shapely.prepare(geometry)
        codes.append(region.code)
        polygons.append(geometry)
    tree = shapely.STRtree(polygons) if polygons else None
    return _RegionIndex(stamp=stamp, rows=rows, polygon_codes=tuple(codes), polygons=tuple(polygons), tree=tree)


def region_index() -> _RegionIndex:
    """The index for the boundaries currently stored; rebuilt only when their stamp changes."""
    global _index
    stamp = boundary_stamp()
    index = _index
    if index is not None and index.stamp == stamp:
        return index
    with _build_lock:
        if _index is None or _index.stamp != stamp:
            _index = _build(stamp)
        return _index


def invalidate() -> None:
    """Forget the index (the next lookup rebuilds it)."""
    global _index
    _index = None


def in_province_bbox(lat: float, lng: float, margin_m: float = NEAR_BOUNDARY_M) -> bool:
    lng_min, lat_min, lng_max, lat_max = PROVINCE_BBOX
    dlat = margin_m / METRES_PER_DEGREE
    dlng = margin_m / (METRES_PER_DEGREE * math.cos(math.radians(max(abs(lat_min), abs(lat_max)))))
    return lat_min - dlat <= lat <= lat_max + dlat and lng_min - dlng <= lng <= lng_max + dlng


def _valid_point(lat: Any, lng: Any) -> bool:
    """Finite numbers within WGS84 ranges (anything else, None included, has no region)."""
    if not all(isinstance(value, int | float) and not isinstance(value, bool) for value in (lat, lng)):
        return False
    return math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180


def _region_code_by_polygon(index: _RegionIndex, lat: float, lng: float) -> str | None:
    return _region_codes_by_polygon(index, [(lat, lng)])[0]


def _region_codes_by_polygon(index: _RegionIndex, points: list[tuple[float, float]]) -> list[str | None]:
    """Region codes of valid points, all at once: one tree query for the points inside a polygon (most
    of them), one near-boundary search for the rest."""
    assert index.tree is not None
    projected = project(shapely.points([(lng, lat) for lat, lng in points]))
    codes: list[str | None] = [None] * len(points)
    # Lowest code first, so a point exactly on a shared border always gets the same answer.
    for position, polygon in zip(*index.tree.query(projected, predicate="covered_by"), strict=True):
        code = index.polygon_codes[polygon]
        current = codes[position]
        if current is None or code < current:
            codes[position] = code
    outside = [position for position, code in enumerate(codes) if code is None]
    if outside:
        nearby = _nearby_region_codes(index, [points[i] for i in outside], projected[outside])
        for position, code in zip(outside, nearby, strict=True):
            codes[position] = code
    return codes


def _nearby_region_codes(index: _RegionIndex, points: list[tuple[float, float]], projected: Any) -> list[str | None]:
    """Points outside every polygon: the nearest region within 5 km (simplified coastlines, piers,
    boats), measured along the shortest line to each candidate polygon, all at once."""
    assert index.tree is not None
    found: list[str | None] = [None] * len(points)
    inputs, polygons = index.tree.query(projected, predicate="dwithin", distance=NEAR_BOUNDARY_M * SEARCH_MARGIN)
    if not len(inputs):
        return found
    lines = shapely.shortest_line(projected[inputs], np.asarray(index.polygons, dtype=object)[polygons])
    ends = shapely.get_coordinates(lines).reshape(-1, 2, 2)[:, 1]  # the nearest point of each polygon
    best: dict[int, tuple[float, str]] = {}
    for position, polygon, end in zip(inputs.tolist(), polygons.tolist(), ends, strict=True):
        lat, lng = points[position]
        near_lat, near_lng = _unproject_xy(end[0], end[1])
        candidate = (haversine_m(lat, lng, near_lat, near_lng), index.polygon_codes[polygon])
        if candidate[0] <= NEAR_BOUNDARY_M and (position not in best or candidate < best[position]):
            best[position] = candidate
    for position, (_distance, code) in best.items():
        found[position] = code
    return found


def _region_code_by_label(index: _RegionIndex, lat: float, lng: float) -> str | None:
    if not in_province_bbox(lat, lng):
        return None
    code_at = _REGION_FIELDS.index("code")
    lat_at, lng_at = _REGION_FIELDS.index("label_lat"), _REGION_FIELDS.index("label_lng")
    nearest = min(
        index.rows.values(),
        key=lambda row: (haversine_m(lat, lng, row[lat_at], row[lng_at]), row[code_at]),
        default=None,
    )
    return nearest[code_at] if nearest else None


def region_for_point(lat: float, lng: float) -> Region | None:
    """The kabupaten/kota of a point (rules in the module docstring); None outside East Java."""
    if not _valid_point(lat, lng):
        return None
    index = region_index()
    if index.has_boundaries:
        code = _region_code_by_polygon(index, lat, lng)
    else:
        code = _region_code_by_label(index, lat, lng)
    return index.region(code) if code else None


def nearest_active_upt(lat: float, lng: float) -> Upt | None:
    upts = Upt.objects.filter(is_active=True).order_by("code")
    return min(upts, key=lambda upt: haversine_m(lat, lng, upt.lat, upt.lng), default=None)


def upt_for_region(region: Region | None, lat: float | None, lng: float | None) -> Upt | None:
    """The UPT whose service area holds the region; when it has none (or its UPT is inactive), the active
    UPT nearest to the point (or to the region's label point); None when the region is None."""
    if region is None:
        return None
    area = ServiceArea.objects.select_related("upt").filter(region_id=region.pk, upt__is_active=True).first()
    if area is not None:
        return area.upt
    if lat is not None and lng is not None and _valid_point(lat, lng):
        return nearest_active_upt(lat, lng)
    return nearest_active_upt(region.label_lat, region.label_lng)


def route_points(points: Sequence[tuple[float | None, float | None]]) -> list[tuple[Region | None, Upt | None]]:
    """`region_for_point` then `upt_for_region` for many points at once (a sync push of many new cases):
    one index check and one read of the service areas and UPTs for the whole batch."""
    index = region_index()
    areas = {area.region_id: area.upt for area in ServiceArea.objects.select_related("upt").filter(upt__is_active=True)}
    active_upts = list(Upt.objects.filter(is_active=True).order_by("code"))

    def nearest_upt(lat: float, lng: float) -> Upt | None:
        return min(active_upts, key=lambda upt: haversine_m(lat, lng, upt.lat, upt.lng), default=None)

    valid = [(lat, lng) for lat, lng in points if lat is not None and lng is not None and _valid_point(lat, lng)]
    if index.has_boundaries:
        codes = iter(_region_codes_by_polygon(index, valid) if valid else [])
    else:
        codes = iter([_region_code_by_label(index, lat, lng) for lat, lng in valid])
    routed: list[tuple[Region | None, Upt | None]] = []
    for lat, lng in points:
        code = next(codes) if lat is not None and lng is not None and _valid_point(lat, lng) else None
        if code is None or lat is None or lng is None:
            routed.append((None, None))
            continue
        routed.append((index.region(code), areas.get(code) or nearest_upt(lat, lng)))
    return routed
