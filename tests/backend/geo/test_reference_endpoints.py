"""GET /api/v1/regions/, /regions/geojson/ and /upts/ (any authenticated user)."""

from __future__ import annotations

import gzip
import json

import pytest

from geo.models import Upt
from geo.services import regions_import


def test_regions_lists_the_38_kabupaten_and_kota(ani, api):
    response = api(ani).get("/api/v1/regions/")

    assert response.status_code == 200
    regions = response.json()
    assert len(regions) == 38
    assert regions[22] == {"code": "35.23", "name": "Kabupaten Tuban", "type": "kabupaten"}
    assert sum(region["type"] == "kota" for region in regions) == 9


@pytest.mark.parametrize("path", ["/api/v1/regions/", "/api/v1/regions/geojson/", "/api/v1/upts/"])
def test_reference_data_needs_authentication(api, path):
    response = api(None).get(path)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_geojson_without_boundaries_says_so_and_gives_label_points(ani, api):
    body = api(ani).get("/api/v1/regions/geojson/").json()

    assert body["type"] == "FeatureCollection"
    assert body["boundaries_imported"] is False
    assert len(body["features"]) == 38
    tuban = next(f for f in body["features"] if f["properties"]["code"] == "35.23")
    assert tuban["properties"] == {"code": "35.23", "name": "Kabupaten Tuban", "type": "kabupaten"}
    assert tuban["geometry"] == {"type": "Point", "coordinates": [111.900335, -6.952887]}


def test_geojson_with_boundaries(ani, api, synthetic_boundaries):
    regions_import(collection=synthetic_boundaries())

    body = api(ani).get("/api/v1/regions/geojson/").json()

    assert body["boundaries_imported"] is True
    assert {f["geometry"]["type"] for f in body["features"]} == {"Polygon"}
    assert len(body["features"]) == 38


def test_geojson_has_an_etag_and_answers_304_while_unchanged(ani, api, synthetic_boundaries):
    client = api(ani)
    first = client.get("/api/v1/regions/geojson/")
    etag = first["ETag"]

    again = client.get("/api/v1/regions/geojson/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""

    regions_import(collection=synthetic_boundaries())
    changed = client.get("/api/v1/regions/geojson/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_geojson_is_gzipped_when_the_client_accepts_it(ani, api, real_boundaries):
    response = api(ani).get("/api/v1/regions/geojson/", HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    body = json.loads(gzip.decompress(response.content))
    assert len(body["features"]) == 38
    assert len(response.content) < 300_000


def test_upts_with_their_regions_and_location(ani, upt_b, api):
    response = api(ani).get("/api/v1/upts/")

    assert response.status_code == 200
    assert response.json() == [
        {
            "code": "PSTW-JEMBER",
            "name": "UPT Pelayanan Sosial Tresna Werdha Jember",
            "regions": ["35.08", "35.09", "35.13"],
            "location": {"lat": -8.21102, "lng": 113.59514},
        },
        {
            "code": "RSBG-TUBAN",
            "name": "UPT Rehabilitasi Sosial Bina Grahita Tuban",
            "regions": ["35.22", "35.23", "35.24"],
            "location": {"lat": -6.95289, "lng": 111.90033},
        },
    ]


def test_inactive_upts_are_not_listed(ani, upt_b, api):
    Upt.objects.filter(pk=upt_b.pk).update(is_active=False)

    assert [upt["code"] for upt in api(ani).get("/api/v1/upts/").json()] == ["RSBG-TUBAN"]


def test_the_schema_documents_the_endpoints(eko, api):
    response = api(eko).get("/api/v1/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    paths = json.loads(response.content)["paths"] if response["Content-Type"].startswith("application/json") else None
    text = response.content.decode()
    for path in ("/api/v1/regions/geojson/", "/api/v1/upts/", "/api/v1/users/", "/api/v1/auth/token/", "/api/v1/me/"):
        assert path in (paths or text)


def test_the_weak_etag_of_a_gzipped_answer_also_revalidates(ani, api):
    client = api(ani)
    first = client.get("/api/v1/regions/geojson/", HTTP_ACCEPT_ENCODING="gzip")
    assert first["ETag"].startswith('W/"')

    again = client.get("/api/v1/regions/geojson/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304


def test_the_schema_describes_a_upts_location_as_served(ani, api, upt_a):
    """A UPT's location is `{"lat", "lng"}`; it once shared a schema name with a case's location,
    which also has `accuracy_m`, and the schema documented the wrong one."""
    schema = api(ani).get("/api/v1/schema/?format=json").json()
    upt = schema["components"]["schemas"]["UptOutput"]["properties"]["location"]
    location = schema["components"]["schemas"][upt["allOf"][0]["$ref"].rsplit("/", 1)[1]]
    served = api(ani).get("/api/v1/upts/").json()

    assert set(location["properties"]) == set(location["required"]) == {"lat", "lng"}
    assert all(set(item["location"]) == {"lat", "lng"} for item in served)
