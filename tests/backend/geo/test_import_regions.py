"""manage.py import_regions PATH.geojson: every feature checked; a bad file writes nothing."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from geo.models import Region


def run_import(path: Path) -> str:
    out = io.StringIO()
    call_command("import_regions", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def write(tmp_path: Path, content: Any) -> Path:
    path = tmp_path / "regions.geojson"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def imported_codes() -> set[str]:
    return set(Region.objects.filter(boundary__isnull=False).values_list("code", flat=True))


def test_imports_the_real_file_and_reports_what_it_loaded(db, boundary_file):
    output = run_import(boundary_file)

    assert "38 regions (29 kabupaten, 9 kota)" in output
    assert len(imported_codes()) == 38
    assert Region.objects.filter(boundary_updated_at__isnull=True).count() == 0


def test_imports_a_synthetic_file(db, tmp_path, synthetic_boundaries):
    run_import(write(tmp_path, synthetic_boundaries()))

    tuban = Region.objects.get(code="35.23")
    assert tuban.boundary is not None and tuban.boundary["type"] == "Polygon"
    assert tuban.name == "Kabupaten Tuban"


def test_a_self_intersecting_polygon_is_repaired_and_said_so(db, tmp_path, synthetic_boundaries):
    collection = synthetic_boundaries()
    lng, lat = 111.9, -6.95
    bowtie = [[lng, lat], [lng + 0.02, lat + 0.02], [lng + 0.02, lat], [lng, lat + 0.02], [lng, lat]]
    collection["features"][22]["geometry"]["coordinates"] = [bowtie]

    output = run_import(write(tmp_path, collection))

    assert "Repaired invalid geometry (make_valid): 35.23" in output
    boundary = Region.objects.get(code="35.23").boundary
    assert boundary is not None and boundary["type"] == "MultiPolygon"


def _feature(collection: dict, code: str) -> dict:
    return next(f for f in collection["features"] if f["properties"]["code"] == code)


def _drop(collection: dict) -> None:
    collection["features"] = [f for f in collection["features"] if f["properties"]["code"] != "35.79"]


def _duplicate(collection: dict) -> None:
    collection["features"].append(copy.deepcopy(_feature(collection, "35.23")))


def _unknown_code(collection: dict) -> None:
    _feature(collection, "35.79")["properties"]["code"] = "33.01"


def _point(collection: dict) -> None:
    _feature(collection, "35.23")["geometry"] = {"type": "Point", "coordinates": [112.0, -6.9]}


def _wrong_type(collection: dict) -> None:
    _feature(collection, "35.78")["properties"]["type"] = "kabupaten"


def _no_name(collection: dict) -> None:
    del _feature(collection, "35.23")["properties"]["name"]


def _swapped(collection: dict) -> None:
    geometry = _feature(collection, "35.23")["geometry"]
    geometry["coordinates"] = [[[lat, lng] for lng, lat in ring] for ring in geometry["coordinates"]]


def _garbage_coordinates(collection: dict) -> None:
    _feature(collection, "35.23")["geometry"]["coordinates"] = [[["a", "b"]]]


def _not_a_feature(collection: dict) -> None:
    collection["features"][0] = {"type": "Polygon"}


BAD_FILES: list[tuple[str, Callable[[dict], None], str]] = [
    ("missing region", _drop, "missing region"),
    ("duplicate", _duplicate, "duplicate code"),
    ("unknown code", _unknown_code, "'33.01' is not one of the 38"),
    ("point geometry", _point, "must be a Polygon or MultiPolygon"),
    ("wrong type", _wrong_type, "35.78 is a kota"),
    ("no name", _no_name, "properties.name is missing"),
    ("swapped coordinates", _swapped, "outside East Java"),
    ("garbage coordinates", _garbage_coordinates, "cannot be read"),
    ("not a feature", _not_a_feature, "not a GeoJSON Feature"),
]


@pytest.mark.parametrize(
    ("spoil", "message"), [(spoil, message) for _, spoil, message in BAD_FILES], ids=[name for name, _, _ in BAD_FILES]
)
def test_a_bad_file_is_refused_and_nothing_is_written(db, tmp_path, synthetic_boundaries, spoil, message):
    collection = synthetic_boundaries()
    spoil(collection)

    with pytest.raises(CommandError, match=message):
        run_import(write(tmp_path, collection))

    assert imported_codes() == set()


def test_a_bad_file_leaves_earlier_boundaries_untouched(db, tmp_path, synthetic_boundaries):
    run_import(write(tmp_path, synthetic_boundaries()))
    before = Region.objects.get(code="35.23").boundary
    collection = synthetic_boundaries()
    _feature(collection, "35.23")["geometry"]["coordinates"][0][0][0] += 0.001
    _duplicate(collection)

    with pytest.raises(CommandError):
        run_import(write(tmp_path, collection))

    assert Region.objects.get(code="35.23").boundary == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json at all", "not a JSON file"),
        ({"type": "Feature"}, "not a GeoJSON FeatureCollection"),
        ({"type": "FeatureCollection", "features": []}, "has no features"),
        ([1, 2, 3], "not a GeoJSON FeatureCollection"),
    ],
)
def test_a_file_that_is_not_a_feature_collection_is_refused(db, tmp_path, content, message):
    with pytest.raises(CommandError, match=message):
        run_import(write(tmp_path, content))


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run_import(tmp_path / "nope.geojson")
