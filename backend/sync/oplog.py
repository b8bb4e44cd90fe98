"""The operation log, written set-based for a run of operations: one statement claims them all, one
records all their results. (The ORM's `bulk_create(ignore_conflicts=True)` cannot say which rows it
inserted, and `bulk_update` builds a CASE per field and row: together most of a push's time.)

The SQL is the subset PostgreSQL and SQLite (3.35+) share: INSERT .. ON CONFLICT DO NOTHING
RETURNING, and UPDATE .. FROM a VALUES list (whose columns both name column1, column2, ...).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Field
from django.utils import timezone

from accounts.models import User
from sync.models import OperationStatus, SyncOperation
from sync.operations import Operation

_COLUMNS = ("user", "op_id", "device_id", "kind", "case_id", "client_time", "received_at", "status", "result")


@dataclass(frozen=True)
class Claim:
    """Which operations this request applies (log row id by op_id), and the recorded answers of the
    others (a replay, or a concurrent request that got there first)."""

    mine: dict[uuid.UUID, int]
    replayed: dict[uuid.UUID, dict[str, Any]]


def _field(name: str) -> Field:
    field = SyncOperation._meta.get_field(name)
    assert isinstance(field, Field)
    return field


def _prepared(name: str, value: Any) -> Any:
    return _field(name).get_db_prep_save(value, connection)


def claim_operations(*, user: User, device_id: str, ops: Sequence[Operation]) -> Claim:
    """Insert a log row for each operation not yet logged for `user`. A concurrent request holding the
    same (user, op_id) makes this insert wait for its commit (the unique index), and the operation
    then counts as already logged: its recorded answer is replayed, it is never applied twice."""
    if not ops:
        return Claim({}, {})
    table = SyncOperation._meta.db_table
    columns = [_field(name).column for name in _COLUMNS]
    # The same for every row, prepared once; per operation only its own four values.
    user_id, device, now, status, result = (
        _prepared(name, value)
        for name, value in zip(
            ("user", "device_id", "received_at", "status", "result"),
            (user.pk, device_id, timezone.now(), OperationStatus.REJECTED, {}),
            strict=True,
        )
    )
    params: list[Any] = []
    for op in ops:
        params += [
            user_id,
            _prepared("op_id", op.op_id),
            device,
            op.kind,
            _prepared("case_id", op.case_id),
            _prepared("client_time", op.client_time),
            now,
            status,
            result,
        ]
    row = f"({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([row] * len(ops))} "
            "ON CONFLICT (user_id, op_id) DO NOTHING RETURNING op_id, id",
            params,
        )
        mine = {uuid.UUID(str(op_id)): row_id for op_id, row_id in cursor.fetchall()}
    others = [op.op_id for op in ops if op.op_id not in mine]
    replayed = dict(
        SyncOperation.objects.filter(user=user, op_id__in=others).values_list("op_id", "result") if others else []
    )
    return Claim(mine, replayed)


def record_results(results: dict[int, dict[str, Any]]) -> None:
    """Store each claimed operation's answer (by log row id): what a replay returns from now on."""
    if not results:
        return
    table = SyncOperation._meta.db_table
    params: list[Any] = []
    for row_id, result in results.items():
        params += [row_id, result["status"], _prepared("result", result)]
    values = ", ".join(["(%s, %s, %s)"] * len(results))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = v.column2, result = v.column3 FROM (VALUES {values}) AS v "
            f"WHERE {table}.id = v.column1",
            params,
        )
