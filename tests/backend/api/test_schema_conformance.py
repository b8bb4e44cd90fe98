"""The API does what its OpenAPI schema says, for generated and malformed requests alike.

Schemathesis reads the schema that `/api/v1/schema/` serves and, for every operation, sends requests
generated from it (valid ones, and invalid ones: wrong types, missing fields, values out of range),
authenticated as a manager (who sees everything) and again as a field worker (whose scope is narrow).
Every answer must be: no 5xx; a status code the schema documents; the documented content type and
body; and, for every 4xx/5xx, API.md's error envelope.
"""

from __future__ import annotations

import itertools
import os
from typing import Any

import hypothesis
import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from tests.backend.api.conftest import CASE_IDS, PHOTO, World

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
schema.config.seed = 20261130
schema.config.generation.update(max_examples=8 if IN_CI else 15)
# A body too large (413) or a cursor gone stale (410) are rejections too, as API.md defines them.
schema.config.checks.negative_data_rejection.expected_statuses = [
    *schema.config.checks.negative_data_rejection.expected_statuses,
    "410",
    "413",
]


@schemathesis.check
def error_envelope(ctx: Any, response: schemathesis.Response, case: schemathesis.Case) -> bool | None:
    """Every 4xx/5xx body is `{"error": {"code", "message", "fields"?}}` (API.md, Errors)."""
    if response.status_code < 400:
        return None
    try:
        body = response.json()
    except ValueError as exc:
        raise AssertionError(f"{response.status_code} without a JSON body: {response.text[:200]!r}") from exc
    assert isinstance(body, dict) and set(body) == {"error"}, f"not an error envelope: {body!r}"
    error = body["error"]
    assert isinstance(error, dict), f"`error` is not an object: {body!r}"
    assert isinstance(error.get("code"), str) and error["code"], f"no `error.code`: {body!r}"
    assert isinstance(error.get("message"), str) and error["message"], f"no `error.message`: {body!r}"
    fields = error.get("fields")
    if fields is not None:
        assert isinstance(fields, dict) and fields, f"`error.fields` is not a non-empty object: {body!r}"
        for key, messages in fields.items():
            assert isinstance(messages, list) and all(isinstance(m, str) for m in messages), (key, messages)
    return True


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    error_envelope,
]

# Two requests in three have their path ids pointed at objects that exist (in turn), so that the
# handlers past the 404 are exercised too; the third keeps its generated (unknown or malformed) id.
KNOWN = {"case_id": [str(case_id) for case_id in CASE_IDS], "attachment_id": [str(PHOTO)]}
_requests_sent = itertools.count()


def point_at_known_objects(case: schemathesis.Case) -> None:
    turn = next(_requests_sent)
    if turn % 3 == 0 or not case.path_parameters or _is_negative_at(case, ParameterLocation.PATH):
        return  # a malformed id stays malformed: the request must still be refused
    for name, choices in KNOWN.items():
        if name in case.path_parameters:
            case.path_parameters[name] = choices[turn % len(choices)]


def _is_negative_at(case: schemathesis.Case, location: ParameterLocation) -> bool:
    return case.meta is not None and case.meta.is_negative_at(location)


def _bearer(case: schemathesis.Case, token: str) -> dict[str, str]:
    # `identity`: the test transport does not undo gzip (the boundaries are served compressed).
    headers = {"Accept-Encoding": "identity"}
    # A deliberately malformed Authorization header is kept: it must be refused, not replaced.
    if not (_is_negative_at(case, ParameterLocation.HEADER) and "Authorization" in (case.headers or {})):
        headers["Authorization"] = f"Bearer {token}"
    return headers


RELAXED = hypothesis.settings(
    deadline=None,
    derandomize=True,
    suppress_health_check=list(hypothesis.HealthCheck),
    database=None,
)


def checks_for(case: schemathesis.Case) -> list[Any]:
    # A push is rejected as a whole only when it is not a batch at all; an operation that is not valid on
    # its own is answered in the batch (200, status `rejected`), never a 400 for the others (API.md).
    if case.operation.label == "POST /api/v1/sync/push/":
        return [check for check in CHECKS if check is not negative_data_rejection]
    return CHECKS


@pytest.mark.slow
@schema.parametrize()
@RELAXED
def test_the_api_keeps_its_schema_for_a_manager(case: schemathesis.Case, world: World, in_process_wsgi) -> None:
    point_at_known_objects(case)
    case.call_and_validate(headers=_bearer(case, world.manager_token), checks=checks_for(case))


@pytest.mark.slow
@schema.parametrize()
@RELAXED
def test_the_api_keeps_its_schema_for_a_field_worker(case: schemathesis.Case, world: World, in_process_wsgi) -> None:
    point_at_known_objects(case)
    case.call_and_validate(headers=_bearer(case, world.field_worker_token), checks=checks_for(case))
