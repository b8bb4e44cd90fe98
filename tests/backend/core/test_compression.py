"""Text answers are gzipped for clients that accept it (a pull over 2G); photos, already compressed, are not."""

from __future__ import annotations

import gzip
import json
import uuid

import pytest

from tests.backend.cases.conftest import image_bytes
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate"}


@pytest.fixture
def ani_cases(ani) -> list:
    return [CaseFactory(reported_by=ani, summary=f"Anak jalanan di perempatan #{n}") for n in range(20)]


def test_a_pull_is_gzipped_for_a_client_that_accepts_it(api, ani, ani_cases) -> None:
    plain = api(ani).get("/api/v1/sync/pull/")
    packed = api(ani).get("/api/v1/sync/pull/", **GZIP)
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    unpacked = json.loads(gzip.decompress(packed.content))
    assert unpacked["changes"] == plain.json()["changes"]
    assert len(packed.content) < len(plain.content) / 4


def test_a_streamed_export_is_gzipped_too(api, eko, ani_cases) -> None:
    response = api(eko).get("/api/v1/exports/cases.csv", **GZIP)
    assert response["Content-Encoding"] == "gzip"
    text = gzip.decompress(b"".join(response.streaming_content)).decode("utf-8-sig")
    assert all(case.reference in text for case in ani_cases)


def test_a_photo_is_sent_as_stored(api, ani, ani_cases) -> None:
    case, photo_id = ani_cases[0], uuid.uuid4()
    url = f"/api/v1/cases/{case.id}/attachments/{photo_id}/"
    assert api(ani).put(url, image_bytes(size=(400, 300)), content_type="image/jpeg").status_code == 201
    response = api(ani).get(url, **GZIP)
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert response["Content-Type"] == "image/jpeg"
