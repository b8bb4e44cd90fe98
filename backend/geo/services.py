"""Writes of the geography: region boundaries and UPTs with their service areas. Each import validates
the whole input first and then writes all of it in one transaction, or nothing."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import shapely
from django.db import transaction
from django.utils import timezone
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from geo import lookup
from geo.importing import CsvRow, ImportRefused, Progress, no_progress
from geo.models import Region, RegionType, ServiceArea, Upt
from geo.reference import REGIONS

REGION_TYPES = {fact.code: fact.type for fact in REGIONS}
# A boundary reaching farther than this outside the province's box is a wrong file or swapped lat/lon.
BOUNDARY_SANITY_MARGIN_M = 50_000.0


# --- regions ---------------------------------------------------------------------------------------


@dataclass
class RegionsImportResult:
    loaded: int
    by_type: dict[str, int]
    repaired: list[str] = field(default_factory=list)


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """The polygonal part of a repaired geometry (make_valid may add stray lines or points)."""
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [part for part in getattr(geometry, "geoms", []) if part.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.MultiPolygon()


def _validate_feature(position: int, feature: Any) -> tuple[str, dict[str, Any], bool] | str:
    """(code, GeoJSON geometry to store, repaired?) or an error message."""
    where = f"feature {position}"
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return f"{where}: not a GeoJSON Feature"
    properties = feature.get("properties")
    if not isinstance(properties, dict):
        return f"{where}: has no properties"
    code = properties.get("code")
    if not isinstance(code, str) or code not in REGION_TYPES:
        return f"{where}: properties.code {code!r} is not one of the 38 East Java kabupaten/kota codes (35.01..35.79)"
    where = f"feature {position} ({code})"
    name = properties.get("name")
    if not isinstance(name, str) or not name.strip():
        return f"{where}: properties.name is missing"
    if properties.get("type") not in RegionType.values:
        return f"{where}: properties.type must be 'kabupaten' or 'kota'"
    if properties["type"] != REGION_TYPES[code]:
        return f"{where}: properties.type is {properties['type']!r}, but {code} is a {REGION_TYPES[code]}"
    geojson = feature.get("geometry")
    if not isinstance(geojson, dict) or geojson.get("type") not in ("Polygon", "MultiPolygon"):
        return f"{where}: geometry must be a Polygon or MultiPolygon"
    try:
        geometry = shape(geojson)
        coordinates = shapely.get_coordinates(geometry)
    except Exception as exc:  # shapely raises many kinds for malformed coordinates
        return f"{where}: geometry cannot be read ({exc.__class__.__name__}: {exc})"
    if geometry.is_empty or not all(math.isfinite(value) for value in coordinates.flat):
        return f"{where}: geometry is empty or has non-finite coordinates"
    lng_min, lat_min, lng_max, lat_max = geometry.bounds
    if not (
        lookup.in_province_bbox(lat_min, lng_min, BOUNDARY_SANITY_MARGIN_M)
        and lookup.in_province_bbox(lat_max, lng_max, BOUNDARY_SANITY_MARGIN_M)
    ):
        return f"{where}: geometry lies outside East Java (coordinates must be [longitude, latitude], WGS84)"
    if geometry.is_valid:
        return code, geojson, False
    repaired = _polygonal(shapely.make_valid(geometry))
    if repaired.is_empty or not repaired.is_valid:
        return f"{where}: geometry is invalid ({shapely.is_valid_reason(geometry)}) and cannot be repaired"
    return code, mapping(repaired), True


def regions_import(*, collection: Any, progress: Progress = no_progress) -> RegionsImportResult:
    """Load the boundaries of all 38 regions from a GeoJSON FeatureCollection, all or nothing.

    Every feature is checked (code among the 38, a name, the type the code has, a readable Polygon or
    MultiPolygon in East Java); an invalid geometry is repaired with make_valid when that leaves a valid
    polygonal shape, and the result says which were. Region names and types stay the reference ones."""
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise ImportRefused(["the file is not a GeoJSON FeatureCollection"])
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        raise ImportRefused(["the FeatureCollection has no features"])
    errors: list[str] = []
    boundaries: dict[str, dict[str, Any]] = {}
    repaired: list[str] = []
    mentioned: set[str] = set()
    for position, feature in enumerate(progress(features), start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if isinstance(properties, dict) and isinstance(properties.get("code"), str):
            mentioned.add(properties["code"])
        checked = _validate_feature(position, feature)
        if isinstance(checked, str):
            errors.append(checked)
            continue
        code, geojson, was_repaired = checked
        if code in boundaries:
            errors.append(f"feature {position} ({code}): duplicate code")
            continue
        boundaries[code] = geojson
        if was_repaired:
            repaired.append(code)
    if missing := sorted(set(REGION_TYPES) - mentioned):
        errors.append(f"missing region(s): {', '.join(missing)} (the file must hold all 38 kabupaten/kota)")
    if errors:
        raise ImportRefused(errors)
    now = timezone.now()
    with transaction.atomic():
        regions = list(Region.objects.select_for_update().filter(code__in=boundaries))
        for region in regions:
            region.boundary = boundaries[region.code]
            region.boundary_updated_at = now
        Region.objects.bulk_update(regions, ["boundary", "boundary_updated_at"])
    lookup.invalidate()
    by_type = Counter(REGION_TYPES[code] for code in boundaries)
    return RegionsImportResult(loaded=len(boundaries), by_type=dict(sorted(by_type.items())), repaired=repaired)


def regions_boundaries_clear() -> int:
    """Forget every imported boundary (lookups fall back to label points)."""
    count = Region.objects.filter(boundary__isnull=False).update(boundary=None, boundary_updated_at=timezone.now())
    lookup.invalidate()
    return count


# --- UPTs ------------------------------------------------------------------------------------------


@dataclass
class UptRow:
    code: str
    name: str
    lat: float
    lng: float
    regions: list[str]


@dataclass
class UptImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    regions_assigned: int = 0
    regions_moved: list[str] = field(default_factory=list)  # "35.23: OLD → NEW"


def _parse_coordinate(text: str, low: float, high: float) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and low <= value <= high else None


def _validate_upt_rows(rows: Iterable[CsvRow], *, served_column: str | None) -> tuple[list[UptRow], list[str]]:
    """Parsed rows and every error. `served_column` names the column of `;`-separated regions served
    (each by one UPT at most); None when the file has no such column."""
    errors: list[str] = []
    parsed: list[UptRow] = []
    seen_codes: dict[str, int] = {}
    served_by: dict[str, tuple[str, int]] = {}
    for line, values in rows:
        where = f"line {line}"
        code, name = values.get("code", ""), values.get("name", "")
        row_errors = []
        if not code or len(code) > 40 or any(ch.isspace() for ch in code):
            row_errors.append("code must be 1..40 characters without spaces")
        elif code in seen_codes:
            row_errors.append(f"code {code} already on line {seen_codes[code]}")
        if not name or len(name) > 200:
            row_errors.append("name must be 1..200 characters")
        lat = _parse_coordinate(values.get("lat", ""), -90, 90)
        lng = _parse_coordinate(values.get("lng", ""), -180, 180)
        if lat is None or lng is None:
            row_errors.append("lat and lng must be finite numbers (lat -90..90, lng -180..180)")
        elif not lookup.in_province_bbox(lat, lng):
            row_errors.append(f"location {lat}, {lng} is outside East Java (swapped lat/lng?)")
        raw_regions = values.get(served_column, "") if served_column else ""
        regions = [part.strip() for part in raw_regions.split(";") if part.strip()]
        for region_code in regions:
            if region_code not in REGION_TYPES:
                row_errors.append(f"unknown region code {region_code!r}")
            elif region_code in served_by:
                other_code, other_line = served_by[region_code]
                row_errors.append(f"region {region_code} is already served by {other_code} (line {other_line})")
            else:
                served_by[region_code] = (code, line)
        if code and code not in seen_codes:
            seen_codes[code] = line
        if row_errors:
            errors.extend(f"{where}: {message}" for message in row_errors)
        elif lat is not None and lng is not None:
            parsed.append(UptRow(code=code, name=name, lat=lat, lng=lng, regions=regions))
    return parsed, errors


def upt_import(*, rows: Iterable[CsvRow], progress: Progress = no_progress, is_demo: bool = False) -> UptImportResult:
    """Create or update UPTs (by code) and give each the regions listed in its row; a region listed
    here moves to this UPT. Columns: code, name, lat, lng, regions (`;`-separated region codes)."""
    parsed, errors = _validate_upt_rows(progress(list(rows)), served_column="regions")
    if errors:
        raise ImportRefused(errors)
    if not parsed:
        raise ImportRefused(["the file has no rows"])
    return _upts_write(parsed, is_demo=is_demo)


def upts_seed_demo(*, upt_rows: Iterable[CsvRow], area_rows: Iterable[CsvRow]) -> UptImportResult:
    """The demo UPTs (columns code, name, region_code, lat, lng) and their demo service areas (columns
    region_code, region_name, upt_code): every one of the 38 regions served by exactly one UPT."""
    upt_rows = list(upt_rows)
    parsed, errors = _validate_upt_rows(upt_rows, served_column=None)
    errors += [
        f"line {line}: unknown region code {values.get('region_code')!r}"
        for line, values in upt_rows
        if values.get("region_code") not in REGION_TYPES
    ]
    by_code = {row.code: row for row in parsed}
    assigned: dict[str, str] = {}
    for line, values in area_rows:
        region_code, upt_code = values.get("region_code", ""), values.get("upt_code", "")
        if region_code not in REGION_TYPES:
            errors.append(f"service areas line {line}: unknown region code {region_code!r}")
        elif region_code in assigned:
            errors.append(f"service areas line {line}: region {region_code} listed twice")
        elif upt_code not in by_code:
            errors.append(f"service areas line {line}: unknown UPT {upt_code!r}")
        else:
            assigned[region_code] = upt_code
            by_code[upt_code].regions.append(region_code)
    if missing := sorted(set(REGION_TYPES) - set(assigned)):
        errors.append(f"service areas: region(s) served by no UPT: {', '.join(missing)}")
    if errors:
        raise ImportRefused(errors)
    return _upts_write(parsed, is_demo=True)


def _upts_write(rows: list[UptRow], *, is_demo: bool) -> UptImportResult:
    result = UptImportResult()
    with transaction.atomic():
        existing = {upt.code: upt for upt in Upt.objects.select_for_update().filter(code__in=[r.code for r in rows])}
        current_areas = {
            area.region_id: area for area in ServiceArea.objects.select_related("upt").select_for_update(of=("self",))
        }
        for row in rows:
            upt = existing.get(row.code)
            if upt is None:
                upt = Upt.objects.create(code=row.code, name=row.name, lat=row.lat, lng=row.lng)
                result.created.append(row.code)
            elif (upt.name, upt.lat, upt.lng) != (row.name, row.lat, row.lng):
                upt.name, upt.lat, upt.lng = row.name, row.lat, row.lng
                upt.save(update_fields=["name", "lat", "lng"])
                result.updated.append(row.code)
            for region_code in row.regions:
                area = current_areas.get(region_code)
                if area is None:
                    ServiceArea.objects.create(region_id=region_code, upt=upt, is_demo=is_demo)
                    result.regions_assigned += 1
                elif area.upt_id != upt.pk or area.is_demo != is_demo:
                    if area.upt_id != upt.pk:
                        result.regions_moved.append(f"{region_code}: {area.upt.code} → {upt.code}")
                    ServiceArea.objects.filter(pk=area.pk).update(upt=upt, is_demo=is_demo)
                    result.regions_assigned += 1
    return result


def region_boundaries_summary() -> Mapping[str, int]:
    """How many regions have a boundary, by type (for the admin and the geojson endpoint)."""
    counts = Counter(Region.objects.filter(boundary__isnull=False).values_list("type", flat=True))
    return dict(counts)
