"""The OpenAPI schema at /api/v1/schema/ is valid and generated without a single warning, and the
browsable docs open."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS


def test_the_schema_validates_without_warnings(tmp_path: Path) -> None:
    GENERATOR_STATS.reset()  # warnings are counted per process: only this generation's count
    out = tmp_path / "schema.json"

    call_command("spectacular", validate=True, fail_on_warn=True, format="openapi-json", file=str(out))

    schema = json.loads(out.read_text())
    assert schema["info"]["title"] == "Jatim Sosial Care API"
    assert {"bearerAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_every_error_response_is_documented_as_the_envelope(client, eko) -> None:
    client.force_login(eko)
    schema = client.get("/api/v1/schema/?format=json").json()

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    content = response.get("content", {}).get("application/json", {})
                    assert content.get("schema") == {"$ref": "#/components/schemas/ErrorEnvelope"}, (
                        method,
                        path,
                        status,
                    )
            if operation.get("security"):  # public operations (the logins, the PWA's config) have none
                assert "401" in operation["responses"], (method, path)


def test_the_docs_page_opens(client, eko) -> None:
    client.force_login(eko)

    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    assert b"swagger" in response.content.lower()
