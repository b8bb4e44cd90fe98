"""Point → region → UPT.

A minimal implementation by label points (DESIGN.md, "Geography", the fallback without imported
polygons): the nearest region label point, but only inside East Java's bounding box plus 5 km.
The geo app's polygon lookup replaces this module with the same two functions.
"""

from __future__ import annotations

import math

from geo.models import Region, ServiceArea, Upt

# East Java's extent (the union of the kabupaten/kota boundaries), in degrees.
PROVINCE_BBOX = (110.895286, -8.78022, 116.270151, -5.042965)  # min_lng, min_lat, max_lng, max_lat
MARGIN_KM = 5.0
EARTH_RADIUS_KM = 6371.0088


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lng2 - lng1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def in_province_bbox(lat: float, lng: float, margin_km: float = MARGIN_KM) -> bool:
    min_lng, min_lat, max_lng, max_lat = PROVINCE_BBOX
    dlat = margin_km / 111.32
    dlng = margin_km / (111.32 * math.cos(math.radians(max(abs(min_lat), abs(max_lat)))))
    return (min_lat - dlat) <= lat <= (max_lat + dlat) and (min_lng - dlng) <= lng <= (max_lng + dlng)


def region_for_point(lat: float, lng: float) -> Region | None:
    """The region whose label point is nearest, for a point inside the province's box (+5 km); else None."""
    if not (math.isfinite(lat) and math.isfinite(lng)) or not in_province_bbox(lat, lng):
        return None
    regions = list(Region.objects.only("code", "name", "label_lat", "label_lng"))
    if not regions:
        return None
    return min(regions, key=lambda region: distance_km(lat, lng, region.label_lat, region.label_lng))


def upt_for_region(region: Region | None, lat: float | None, lng: float | None) -> Upt | None:
    """The active UPT whose service area holds `region`; else the active UPT nearest the point (or the
    region's label point). None when there is no region: such cases go to the managers' triage."""
    if region is None:
        return None
    area = ServiceArea.objects.select_related("upt").filter(region=region, upt__is_active=True).first()
    if area is not None:
        return area.upt
    origin = (lat, lng) if lat is not None and lng is not None else (region.label_lat, region.label_lng)
    upts = list(Upt.objects.filter(is_active=True))
    if not upts:
        return None
    return min(upts, key=lambda upt: distance_km(origin[0], origin[1], upt.lat, upt.lng))
