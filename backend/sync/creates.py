"""A run of `case.create` operations in one push, applied set-based (`cases_create_many`).

The same guarantees as one operation at a time: each op_id is claimed in the log before anything is
applied (a concurrent push carrying the same operation waits on that insert, then replays the
answer); invalid operations are rejected without writing; and if storing the batch fails (a race on
a case id), the run falls back to one savepoint per operation.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import IntegrityError, transaction

from accounts.models import User
from cases.serializers import present_case, present_cases
from cases.services import NewCase, cases_create_many
from cases.validation import validate_case_fields
from core.exceptions import DomainError
from sync.models import OperationStatus, SyncOperation
from sync.operations import Operation, apply_create, check_envelope, operation_fields
from sync.results import error_of, result_of


def _claim(user: User, device_id: str, ops: list[Operation]) -> tuple[dict[uuid.UUID, SyncOperation], set[uuid.UUID]]:
    """Insert the log rows that do not exist yet; tell ours (marked with this call's nonce) from replays."""
    nonce = uuid.uuid4().hex
    SyncOperation.objects.bulk_create(
        [
            SyncOperation(
                user=user,
                op_id=op.op_id,
                device_id=device_id,
                kind=op.kind,
                case_id=op.case_id,
                client_time=op.client_time,
                status=OperationStatus.REJECTED,
                result={"claim": nonce},
            )
            for op in ops
        ],
        ignore_conflicts=True,
    )
    logs = {row.op_id: row for row in SyncOperation.objects.filter(user=user, op_id__in=[op.op_id for op in ops])}
    return logs, {op_id for op_id, row in logs.items() if row.result == {"claim": nonce}}


def _store(user: User, ops: list[Operation], items: list[NewCase]) -> dict[uuid.UUID, dict[str, Any]]:
    try:
        with transaction.atomic():
            outcomes = cases_create_many(actor=user, items=items)
    except IntegrityError:
        return {op.op_id: _one_by_one(user, op) for op in ops}
    created = {outcome[0].pk: outcome[0] for outcome in outcomes if isinstance(outcome, tuple)}
    shown = {item["id"]: item for item in present_cases(list(created.values()), viewer=user, via="sync.push")}
    results: dict[uuid.UUID, dict[str, Any]] = {}
    for op, outcome in zip(ops, outcomes, strict=True):
        if isinstance(outcome, DomainError):
            results[op.op_id] = result_of(op, OperationStatus.REJECTED, error=error_of(outcome))
        else:
            results[op.op_id] = result_of(op, OperationStatus.APPLIED, case=shown[str(outcome[0].pk)])
    return results


def _one_by_one(user: User, op: Operation) -> dict[str, Any]:
    try:
        with transaction.atomic():
            outcome = apply_create(user, op)
            assert outcome.case is not None
            return result_of(op, outcome.status, case=present_case(outcome.case, viewer=user, via="sync.push"))
    except DomainError as exc:
        return result_of(op, OperationStatus.REJECTED, error=error_of(exc))


def apply_create_run(user: User, device_id: str, ops: list[Operation]) -> list[dict[str, Any]]:
    """Results for consecutive `case.create` operations, in order."""
    first_of = {op.op_id: op for op in reversed(ops)}  # an op_id twice in one push: the first counts
    logs, mine = _claim(user, device_id, list(first_of.values()))
    results: dict[uuid.UUID, dict[str, Any]] = {op_id: logs[op_id].result for op_id in first_of if op_id not in mine}
    to_store: list[Operation] = []
    items: list[NewCase] = []
    for op in ops:
        if op.op_id not in mine or op.op_id in results or first_of[op.op_id] is not op:
            continue
        try:
            check_envelope(op)
            fields = validate_case_fields(operation_fields(op), partial=False, for_create=True)
        except DomainError as exc:
            results[op.op_id] = result_of(op, OperationStatus.REJECTED, error=error_of(exc))
            continue
        assert op.case_id is not None
        to_store.append(op)
        items.append(NewCase(case_id=op.case_id, fields=fields, client_time=op.client_time))
    if items:
        results.update(_store(user, to_store, items))
    for op_id in mine:
        logs[op_id].status, logs[op_id].result = results[op_id]["status"], results[op_id]
    SyncOperation.objects.bulk_update([logs[op_id] for op_id in mine], ["status", "result"])
    return [results[op.op_id] for op in ops]
