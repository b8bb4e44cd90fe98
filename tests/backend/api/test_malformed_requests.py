"""Malformed requests against every URL of the API: never a 5xx, always a 4xx in the envelope.

The URLs come from Django's resolver (everything under /api/v1/), so a new endpoint is covered the day
it is added; path parameters are filled with ids that exist (the fixtures' cases, photo and a
notification) and with random ones. Which methods take a JSON body comes from the OpenAPI schema.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.test import APIClient

from core.schema_views import ApiDocsView, ApiSchemaView
from notifications.models import Notification
from tests.backend.api.conftest import NEW_CASE, PHOTO, World
from tests.conftest import PASSWORD

API_PREFIX = "api/v1/"
PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
BODY_METHODS = ("post", "put", "patch")
ONE_MB = 1024 * 1024


@dataclass(frozen=True)
class Endpoint:
    route: str  # Django's route, e.g. "api/v1/cases/<uuid:case_id>/"
    methods: tuple[str, ...]
    view_class: type

    @property
    def openapi_path(self) -> str:
        return "/" + PARAMETER.sub(lambda m: "{" + m["name"] + "}", self.route)

    def url(self, **values: object) -> str:
        return "/" + PARAMETER.sub(lambda m: str(values[m["name"]]), self.route)


def _walk(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.callback


def api_endpoints() -> list[Endpoint]:
    endpoints = []
    for route, callback in _walk(get_resolver().url_patterns):
        view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        if not route.startswith(API_PREFIX) or view_class is None:
            continue
        methods = tuple(m for m in ("get", "post", "put", "patch", "delete") if hasattr(view_class, m))
        endpoints.append(Endpoint(route, methods, view_class))
    return endpoints


ENDPOINTS = api_endpoints()


def test_the_resolver_finds_every_endpoint() -> None:
    routes = {endpoint.route for endpoint in ENDPOINTS}
    assert {"api/v1/cases/", "api/v1/cases/<uuid:case_id>/dispatch/", "api/v1/sync/push/", "api/v1/me/"} <= routes
    assert len(ENDPOINTS) >= 25


@pytest.fixture
def schema(client, db) -> dict[str, Any]:
    return client.get("/api/v1/schema/?format=json").json()


def json_body_operations(schema: dict[str, Any]) -> list[tuple[Endpoint, str]]:
    """(endpoint, method) pairs whose documented request body is JSON."""
    found = []
    for endpoint in ENDPOINTS:
        for method in endpoint.methods:
            body = schema["paths"].get(endpoint.openapi_path, {}).get(method, {}).get("requestBody")
            if method in BODY_METHODS and body and "application/json" in body["content"]:
                found.append((endpoint, method))
    return found


def assert_envelope(response: Any, *allowed: int) -> None:
    """A 4xx (one of `allowed` when given) whose body is API.md's error envelope; never a 5xx."""
    where = f"{response.request['REQUEST_METHOD']} {response.request['PATH_INFO']}"
    assert 400 <= response.status_code < 500, f"{where}: {response.status_code} {response.content[:300]!r}"
    if allowed:
        assert response.status_code in allowed, f"{where}: {response.status_code} {response.content[:300]!r}"
    body = response.json()
    assert set(body) == {"error"}, where
    assert isinstance(body["error"]["code"], str) and isinstance(body["error"]["message"], str), where


@pytest.fixture
def manager(world: World) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {world.manager_token}")
    return client


@pytest.fixture
def existing_ids(world: World) -> dict[str, uuid.UUID]:
    notification = Notification.objects.filter(recipient__username="eko").first()
    return {
        "case_id": NEW_CASE,
        "attachment_id": PHOTO,
        "notification_id": notification.id if notification else uuid.uuid4(),
    }


def send(client: APIClient, method: str, url: str, body: bytes | str, content_type: str) -> Any:
    # If-Match: the version the fixtures' case is at, so that a PATCH gets as far as reading its body.
    return client.generic(method.upper(), url, data=body, content_type=content_type, HTTP_IF_MATCH='"1"')  # type: ignore[arg-type]  # bytes are sent as they are


def deeply_nested(depth: int) -> str:
    return '{"summary": ' + '{"a": ' * depth + "1" + "}" * depth + "}"


MALFORMED_JSON: dict[str, str | bytes] = {
    "not JSON at all": "{this is not json",
    "truncated": '{"summary": "Lansia',
    "an array instead of an object": '["summary", "Lansia"]',
    "a bare string": '"Lansia"',
    "null": "null",
    "NaN": '{"summary": NaN}',
    "Infinity": '{"people_count": Infinity, "location": {"lat": -Infinity, "lng": 1}}',
    "nested 100000 deep": "[" * 100_000 + "]" * 100_000,
    "objects nested 5000 deep": deeply_nested(5000),
    "objects nested 500 deep": deeply_nested(500),
    "invalid UTF-8": b'{"summary": "\xff\xfe"}',
    "a lone surrogate": '{"summary": "\\ud800"}',
}


@pytest.mark.parametrize("kind", list(MALFORMED_JSON))
def test_a_malformed_json_body_is_a_4xx_everywhere(manager, schema, existing_ids, kind) -> None:
    for endpoint, method in json_body_operations(schema):
        for ids in (existing_ids, {name: uuid.uuid4() for name in existing_ids}):
            response = send(manager, method, endpoint.url(**ids), MALFORMED_JSON[kind], "application/json")
            assert_envelope(response)


def test_a_body_over_the_limit_is_a_413(manager, schema, existing_ids) -> None:
    for endpoint, method in json_body_operations(schema):
        limit = 8 * ONE_MB if endpoint.route == "api/v1/sync/push/" else ONE_MB
        huge = '{"summary": "' + "x" * limit + '"}'
        response = send(manager, method, endpoint.url(**existing_ids), huge, "application/json")
        # Only a view that refuses before reading the body (a case it may not act on) answers otherwise.
        assert_envelope(response, 413, 403, 409)


def test_a_body_that_is_not_json_is_a_415(manager, schema, existing_ids) -> None:
    for endpoint, method in json_body_operations(schema):
        for content_type in ("text/plain", "application/xml", "multipart/form-data; boundary=x", "nonsense"):
            response = send(manager, method, endpoint.url(**existing_ids), "summary=Lansia", content_type)
            assert_envelope(response, 415, 403, 409)


def test_a_photo_upload_of_the_wrong_kind_is_refused_in_the_envelope(manager, existing_ids) -> None:
    url = f"/api/v1/cases/{NEW_CASE}/attachments/{uuid.uuid4()}/"
    for body, content_type, expected in [
        (b'{"summary": "x"}', "application/json", 415),
        (b"not an image", "image/jpeg", 400),
        (b"\x00" * 16, "image/png", 400),
        (b"", "image/webp", 400),
        (b"x" * (10 * ONE_MB + 1), "image/jpeg", 413),
    ]:
        assert_envelope(manager.put(url, data=body, content_type=content_type), expected)


def _with_nul(value: Any) -> Iterator[Any]:
    """`value` once per string in it, that string with a NUL character inside."""
    if isinstance(value, str):
        yield value[:1] + "\x00" + value[1:]
    elif isinstance(value, dict):
        for key, item in value.items():
            for changed in _with_nul(item):
                yield {**value, key: changed}
    elif isinstance(value, list):
        for index, item in enumerate(value):
            for changed in _with_nul(item):
                yield [*value[:index], changed, *value[index + 1 :]]


def valid_bodies() -> dict[tuple[str, str], dict[str, Any]]:
    case_fields = {
        "category": "PPKS11",
        "severity": "high",
        "summary": "Lansia tidur di emper toko",
        "description": "Tampak lemah",
        "address": "Jl. Basuki Rahmat, Tuban",
        "location": {"lat": -6.8976, "lng": 112.0649, "accuracy_m": 12.0},
        "source": "field_outreach",
        "person": {"name": "Mbah Sarmi", "age_estimate": 78, "sex": "female", "nik": "3523014505460001"},
        "complainant": {"name": "Pak Darmo", "phone": "081234567890"},
    }
    case = "api/v1/cases/<uuid:case_id>/"
    return {
        ("api/v1/auth/token/", "post"): {"username": "eko", "password": PASSWORD},
        ("api/v1/auth/session/", "post"): {"username": "eko", "password": PASSWORD},
        ("api/v1/cases/", "post"): {"id": str(uuid.uuid4()), **case_fields},
        (case, "patch"): case_fields,
        (case + "comments/", "post"): {"id": str(uuid.uuid4()), "text": "Sudah dikunjungi"},
        (case + "dispatch/", "post"): {"assignee": "ani"},
        (case + "resolve/", "post"): {"note": "Diantar pulang", "outcome": "returned_home"},
        (case + "close/", "post"): {"note": "Selesai"},
        (case + "reopen/", "post"): {"note": "Kembali lagi"},
        (case + "refer/", "post"): {"upt": "PSTW-JEMBER", "note": "Wilayah Jember"},
        ("api/v1/sync/push/", "post"): {
            "device_id": "hp-ani-1",
            "operations": [
                {
                    "op_id": str(uuid.uuid4()),
                    "kind": "case.create",
                    "case_id": str(uuid.uuid4()),
                    "client_time": "2026-11-30T08:00:00Z",
                    "fields": case_fields,
                }
            ],
        },
        ("api/v1/push/subscriptions/", "post"): {
            "endpoint": "https://push.example.org/send/abc",
            "keys": {"p256dh": "B" + "A" * 86, "auth": "AAAAAAAAAAAAAAAAAAAAAA"},
        },
    }


def test_a_nul_character_in_any_string_of_a_body_is_never_a_500(manager, schema, existing_ids) -> None:
    """PostgreSQL cannot store NUL in text: each must be refused (400) or handled, never crash."""
    bodies = valid_bodies()
    for endpoint, method in json_body_operations(schema):
        body = bodies.get((endpoint.route, method))
        if body is None:
            continue
        for changed in _with_nul(body):
            response = send(manager, method, endpoint.url(**existing_ids), json.dumps(changed), "application/json")
            assert response.status_code < 500, (endpoint.route, changed, response.content[:300])
            if response.status_code >= 400:
                assert_envelope(response)


def test_every_json_body_endpoint_has_a_realistic_body_here(schema) -> None:
    """So that the NUL test above reaches every body that is stored (or checks it is refused)."""
    expected = {(endpoint.route, method) for endpoint, method in json_body_operations(schema)}
    no_body_needed = {
        ("api/v1/cases/<uuid:case_id>/acknowledge/", "post"),
        ("api/v1/cases/<uuid:case_id>/start/", "post"),
    }
    assert expected - no_body_needed <= set(valid_bodies())


def test_a_nul_character_in_a_query_parameter_is_never_a_500(manager, schema, existing_ids) -> None:
    for endpoint in ENDPOINTS:
        operation = schema["paths"].get(endpoint.openapi_path, {}).get("get")
        if operation is None:
            continue
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query":
                response = manager.get(endpoint.url(**existing_ids), {parameter["name"]: "a\x00b"})
                assert response.status_code < 500, (endpoint.route, parameter["name"], response.content[:300])
                if response.status_code >= 400:
                    assert_envelope(response)


def test_every_endpoint_without_credentials_is_a_401_or_public(schema, existing_ids) -> None:
    anonymous = APIClient()
    for endpoint in ENDPOINTS:
        for method in endpoint.methods:
            operation = schema["paths"].get(endpoint.openapi_path, {}).get(method)
            response = send(anonymous, method, endpoint.url(**existing_ids), "{}", "application/json")
            if operation is not None and operation.get("security"):
                assert_envelope(response, 401)
            else:
                assert response.status_code < 500, (method, endpoint.route)


def test_a_bad_bearer_token_is_a_401_everywhere(schema, existing_ids) -> None:
    for header in ("Bearer", "Bearer a b", "Bearer " + "x" * 500, "Bearer \u00e9t\u00e9", "Bearer nope", "Basic Zm9v"):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=header)
        for endpoint in ENDPOINTS:
            operation = schema["paths"].get(endpoint.openapi_path, {}).get("get")
            if operation is not None and operation.get("security"):
                assert_envelope(client.get(endpoint.url(**existing_ids)), 401)


def renders_errors_as_schema(endpoint: Endpoint) -> bool:
    """drf-spectacular's own views render every answer, errors included, as YAML or HTML; ours
    (`core.schema_views`) answer errors in the envelope once config/urls.py mounts them."""
    return issubclass(endpoint.view_class, SpectacularAPIView | SpectacularSwaggerView) and not issubclass(
        endpoint.view_class, ApiSchemaView | ApiDocsView
    )


def test_an_undeclared_method_is_a_405_in_the_envelope(manager, existing_ids) -> None:
    for endpoint in ENDPOINTS:
        for method in sorted({"get", "post", "put", "patch", "delete"} - set(endpoint.methods)):
            response = send(manager, method, endpoint.url(**existing_ids), "{}", "application/json")
            if renders_errors_as_schema(endpoint):
                assert response.status_code == 405, (method, endpoint.route)
            else:
                assert_envelope(response, 405, 403, 404)


def test_a_malformed_id_in_the_path_is_a_404_in_the_envelope(manager) -> None:
    for endpoint in ENDPOINTS:
        if "<" not in endpoint.route:
            continue
        for bad in ("not-a-uuid", "00000000-0000-0000-0000-00000000000g", "%00", "1" * 300):
            url = "/" + PARAMETER.sub(bad, endpoint.route)
            for method in endpoint.methods:
                assert_envelope(send(manager, method, url, "{}", "application/json"), 404)
