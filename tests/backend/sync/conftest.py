"""Helpers to speak the sync protocol as a device would."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.models import User

TUBAN = {"lat": -6.8976, "lng": 112.0649, "accuracy_m": 12.0}


def case_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "category": "PPKS11",
        "severity": "high",
        "summary": "Lansia tidur di emper toko",
        "location": TUBAN,
        "observed_at": "2026-11-30T01:00:00Z",
    }
    fields.update(overrides)
    return fields


def create_op(case_id: uuid.UUID | None = None, op_id: uuid.UUID | None = None, **fields: Any) -> dict[str, Any]:
    return {
        "op_id": str(op_id or uuid.uuid4()),
        "kind": "case.create",
        "case_id": str(case_id or uuid.uuid4()),
        "client_time": "2026-11-30T01:00:05Z",
        "fields": case_fields(**fields),
    }


def update_op(case_id: str | uuid.UUID, base_version: int, **fields: Any) -> dict:
    return {
        "op_id": str(uuid.uuid4()),
        "kind": "case.update",
        "case_id": str(case_id),
        "base_version": base_version,
        "client_time": "2026-11-30T02:00:00Z",
        "fields": fields,
    }


def action_op(case_id: str | uuid.UUID, action: str, base_version: int = 1, **params: Any) -> dict[str, Any]:
    return {
        "op_id": str(uuid.uuid4()),
        "kind": "case.action",
        "case_id": str(case_id),
        "base_version": base_version,
        "client_time": "2026-11-30T02:00:00Z",
        "action": action,
        "params": params,
    }


@pytest.fixture
def push(api: Callable[[User | None], APIClient]) -> Callable[..., Any]:
    """`push(ani, [ops...])` → the list of results (asserting a 200)."""

    def send(user: User, operations: list[dict[str, Any]], device_id: str = "hp-ani-1") -> list[dict[str, Any]]:
        response = api(user).post(
            "/api/v1/sync/push/", {"device_id": device_id, "operations": operations}, format="json"
        )
        assert response.status_code == 200, response.content
        return response.json()["results"]

    return send


@pytest.fixture
def pull(api: Callable[[User | None], APIClient]) -> Callable[..., Any]:
    """`pull(ani, cursor)` → (changes of all pages, final cursor)."""

    def follow(user: User, cursor: str | None = None, limit: int = 500) -> tuple[list[dict[str, Any]], str]:
        changes: list[dict[str, Any]] = []
        client = api(user)
        while True:
            params: dict[str, Any] = {"limit": limit}
            if cursor:
                params["cursor"] = cursor
            response = client.get("/api/v1/sync/pull/", params)
            assert response.status_code == 200, response.content
            body = response.json()
            changes.extend(body["changes"])
            cursor = body["cursor"]
            if not body["has_more"]:
                return changes, cursor

    return follow
