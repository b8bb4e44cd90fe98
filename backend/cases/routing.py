"""Routing of a case: point → region → responsible UPT (synchronous, inside the write)."""

from __future__ import annotations

from geo.lookup import region_for_point, upt_for_region
from geo.models import Region, Upt


def route(*, lat: float | None, lng: float | None) -> tuple[Region | None, Upt | None]:
    """(region, upt) for a location; (None, None) without one or outside East Java (managers' triage)."""
    if lat is None or lng is None:
        return None, None
    region = region_for_point(lat, lng)
    return region, upt_for_region(region, lat, lng)
