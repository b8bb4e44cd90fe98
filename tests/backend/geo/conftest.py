from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from geo.reference import REGIONS
from geo.services import regions_import

# Half the side of the synthetic square drawn around each region's label point, in degrees (~1.1 km).
SQUARE = 0.01


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def square(lng: float, lat: float, half: float = SQUARE) -> list[list[float]]:
    return [
        [lng - half, lat - half],
        [lng + half, lat - half],
        [lng + half, lat + half],
        [lng - half, lat + half],
        [lng - half, lat - half],
    ]


def synthetic_collection() -> dict[str, Any]:
    """A valid FeatureCollection of all 38 regions: a small square around each label point."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": fact.code, "name": fact.name, "type": fact.type},
                "geometry": {"type": "Polygon", "coordinates": [square(fact.label_lng, fact.label_lat)]},
            }
            for fact in REGIONS
        ],
    }


@pytest.fixture
def synthetic_boundaries() -> Callable[[], dict[str, Any]]:
    return synthetic_collection


@pytest.fixture
def real_boundaries(db, boundary_file: Path) -> dict[str, Any]:
    """The 38 real (simplified) boundaries, imported through the service."""
    collection = json.loads(boundary_file.read_text(encoding="utf-8"))
    regions_import(collection=collection)
    return collection
