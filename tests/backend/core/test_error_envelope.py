"""Every error speaks API.md's envelope, even for requests that never reach a view."""

from __future__ import annotations

from core.errors import flatten_errors


def test_nested_errors_are_flattened_to_dotted_keys() -> None:
    detail = {"location": {"lat": ["too big"]}, "person": {"nik": ["16 digits"]}, "non_field_errors": ["bad"]}

    assert flatten_errors(detail) == {"location.lat": ["too big"], "person.nik": ["16 digits"], "non_field": ["bad"]}


def test_unknown_api_path_is_a_404_envelope(client) -> None:
    response = client.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Tidak ditemukan."}}


def test_health_check_reaches_the_database(client, db) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
