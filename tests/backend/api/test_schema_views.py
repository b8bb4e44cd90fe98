"""The schema and docs views answer errors in the envelope (wired in config/urls.py by the integrator)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIRequestFactory

from core.schema_views import ApiDocsView, ApiSchemaView


@pytest.mark.parametrize("view", [ApiSchemaView.as_view(), ApiDocsView.as_view(url_name="schema")])
def test_a_post_to_the_schema_or_docs_is_a_405_in_the_envelope(db, view) -> None:
    response = view(APIRequestFactory().post("/api/v1/schema/", {}, format="json"))
    response.render()

    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert response.data["error"]["code"] == "method_not_allowed"


def test_the_schema_itself_is_still_yaml_or_json(db) -> None:
    factory = APIRequestFactory()

    yaml_answer = ApiSchemaView.as_view()(factory.get("/api/v1/schema/"))
    json_answer = ApiSchemaView.as_view()(factory.get("/api/v1/schema/", {"format": "json"}))
    yaml_answer.render()
    json_answer.render()

    assert yaml_answer.status_code == json_answer.status_code == 200
    assert yaml_answer["Content-Type"].startswith("application/vnd.oai.openapi")
    assert json_answer["Content-Type"].startswith("application/vnd.oai.openapi+json")
