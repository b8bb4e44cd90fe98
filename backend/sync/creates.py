"""A run of `case.create` operations in one push, applied set-based (`cases_create_many`).

The same guarantees as one operation at a time (the push has claimed each op_id in the log before
this runs): invalid operations are rejected without writing; and if storing the batch fails (a race
on a case id), the run falls back to one savepoint per operation.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects

from accounts.models import User
from cases.presenters import present_rows, present_stored_case, row_of
from cases.services import NewCase, cases_create_many
from cases.validation import validate_case_fields
from core.exceptions import DomainError
from sync.models import OperationStatus
from sync.operations import Operation, apply_create, check_envelope, operation_fields
from sync.results import error_of, result_of


def _store(user: User, ops: list[Operation], items: list[NewCase]) -> dict[uuid.UUID, dict[str, Any]]:
    try:
        with transaction.atomic():
            outcomes = cases_create_many(actor=user, items=items)
    except IntegrityError:
        return {op.op_id: _one_by_one(user, op) for op in ops}
    stored = {case.pk: (case, new) for case, new in (item for item in outcomes if isinstance(item, tuple))}
    existing = [case for case, new in stored.values() if not new]
    prefetch_related_objects(existing, "attachments")  # a create retried: the stored case may have photos
    rows = [row_of(case, new=new) for case, new in stored.values()]
    shown = {item["id"]: item for item in present_rows(rows, viewer=user, via="sync.push")}
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
            case = present_stored_case(outcome.case.pk, viewer=user, via="sync.push")
            return result_of(op, outcome.status, case=case)
    except DomainError as exc:
        return result_of(op, OperationStatus.REJECTED, error=error_of(exc))


def apply_create_run(user: User, ops: list[Operation]) -> dict[uuid.UUID, dict[str, Any]]:
    """Results of consecutive `case.create` operations (claimed in the log, each op_id once)."""
    results: dict[uuid.UUID, dict[str, Any]] = {}
    to_store: list[Operation] = []
    items: list[NewCase] = []
    for op in ops:
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
    return results
