"""A body that is not a push at all is a 400 for the batch; too many operations a 413."""

from __future__ import annotations

import json
import uuid

import pytest

from cases.models import Case
from tests.backend.sync.conftest import create_op


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"operations": []},
        {"device_id": "", "operations": []},
        {"device_id": "hp", "operations": {}},
        {"device_id": "hp", "operations": [], "extra": 1},
        {"device_id": "hp", "operations": ["not an object"]},
        {"device_id": "hp", "operations": [{"kind": "case.create"}]},
        {"device_id": "hp", "operations": [{"op_id": "not-a-uuid", "kind": "case.create"}]},
    ],
)
def test_bodies_of_the_wrong_shape_are_a_400(api, ani, body):
    response = api(ani).post("/api/v1/sync/push/", body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_a_body_that_is_not_json_is_a_400(api, ani):
    response = api(ani).post("/api/v1/sync/push/", b"{not json", content_type="application/json")

    assert response.status_code == 400


def test_nan_in_a_push_is_a_400(api, ani, upt_a):
    body = json.dumps({"device_id": "hp", "operations": [create_op()]}).replace("112.0649", "NaN")

    response = api(ani).post("/api/v1/sync/push/", body, content_type="application/json")

    assert response.status_code == 400
    assert Case.objects.count() == 0


def test_more_than_500_operations_is_a_413_and_writes_nothing(api, ani, upt_a):
    operations = [create_op() for _ in range(501)]

    response = api(ani).post("/api/v1/sync/push/", {"device_id": "hp", "operations": operations}, format="json")

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert Case.objects.count() == 0


def test_a_body_over_8_mb_is_a_413(api, ani, upt_a):
    op = create_op(description="x" * 5000)
    body = json.dumps({"device_id": "hp", "operations": [op] * 1700})

    response = api(ani).post("/api/v1/sync/push/", body, content_type="application/json")

    assert len(body) > 8 * 1024 * 1024
    assert response.status_code == 413


def test_push_needs_authentication(api):
    response = api(None).post("/api/v1/sync/push/", {"device_id": "hp", "operations": []}, format="json")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_an_empty_batch_answers_no_results_and_the_server_time(api, ani):
    response = api(ani).post("/api/v1/sync/push/", {"device_id": "hp", "operations": []}, format="json")

    assert response.status_code == 200
    assert response.json()["results"] == []
    assert response.json()["server_time"].endswith("Z")


def test_operations_are_answered_in_the_order_given(push, ani, upt_a):
    ops = [create_op(uuid.uuid4()) for _ in range(5)]

    results = push(ani, ops)

    assert [r["op_id"] for r in results] == [op["op_id"] for op in ops]


def test_a_nul_character_in_the_device_id_is_a_400(api, ani):
    body = {"device_id": "hp\x00ani", "operations": []}

    response = api(ani).post("/api/v1/sync/push/", body, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["device_id"]


@pytest.mark.parametrize(
    "operation",
    [
        {"kind": "case.cre\x00ate", "case_id": str(uuid.uuid4()), "fields": {}},
        {"kind": "case.create", "case_id": str(uuid.uuid4()), "fields": {"summ\x00ary": "Lansia"}},
        {"kind": "case.create", "case_id": str(uuid.uuid4()), "fields": {"category": "PPKS\x0011"}},
        {"kind": "case.action", "case_id": str(uuid.uuid4()), "action": "ack\x00", "base_version": 1},
    ],
)
def test_a_nul_character_in_an_operation_is_rejected_and_replayed_the_same(push, ani, upt_a, operation):
    """PostgreSQL stores no NUL: the operation log keeps the kind and error without it, and a replay
    answers exactly what the first push answered."""
    operation = {"op_id": str(uuid.uuid4()), "client_time": "2026-11-30T08:00:00Z", **operation}

    first = push(ani, [operation])
    again = push(ani, [operation])

    assert first[0]["status"] == "rejected"
    assert "\x00" not in json.dumps(first, ensure_ascii=False)
    assert again == first


def test_a_client_time_with_an_impossible_offset_is_rejected_not_a_500(push, ani, upt_a):
    op = create_op()
    op["client_time"] = "0627-05-17T13:29:15.608-22:00"

    [result] = push(ani, [op])

    assert result["status"] == "rejected"
    assert "client_time" in result["error"]["fields"]
