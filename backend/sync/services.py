"""`POST /api/v1/sync/push/`: apply a device's operations exactly once each, in order.

One transaction per request; each operation in its own savepoint, so a rejected one undoes nothing
else. The operation log's unique (user, op_id) is claimed *before* applying (`sync.oplog`): a
concurrent request carrying the same operation blocks on that insert until the first commits, then
finds the row and returns the recorded result instead of applying it twice.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Any

from django.db import transaction

from accounts.models import User
from cases.presenters import present_stored_case
from core.exceptions import DomainError, FieldsInvalid, PayloadTooLarge
from sync.creates import apply_create_run
from sync.cursors import CHANGE_RETENTION
from sync.models import CaseChange, OperationStatus
from sync.operations import Operation, apply_operation
from sync.oplog import claim_operations, record_results
from sync.results import error_of, result_of

logger = logging.getLogger(__name__)


MAX_OPERATIONS = 500


@dataclass(frozen=True)
class PushRequest:
    device_id: str
    operations: list[Operation]


def parse_push(body: Any) -> PushRequest:
    """The batch's shape: anything else is a 400 for the whole batch (or 413 past 500 operations).
    Per-operation problems are not: they become that operation's `rejected` result."""
    if not isinstance(body, dict):
        raise FieldsInvalid({"non_field": ["Diharapkan objek {device_id, operations}."]})
    errors: dict[str, list[str]] = {
        key: ["Kolom tidak dikenal."] for key in body if key not in ("device_id", "operations")
    }
    device_id = body.get("device_id")
    if not isinstance(device_id, str) or not 1 <= len(device_id) <= 100 or "\x00" in device_id:
        errors["device_id"] = ["Diharapkan teks 1..100 karakter, tanpa karakter NUL."]
    operations = body.get("operations")
    if not isinstance(operations, list):
        errors["operations"] = ["Diharapkan daftar operasi."]
        raise FieldsInvalid(errors)
    if len(operations) > MAX_OPERATIONS:
        raise PayloadTooLarge(f"Paling banyak {MAX_OPERATIONS} operasi per permintaan.")
    parsed: list[Operation] = []
    for index, raw in enumerate(operations):
        op_id = raw.get("op_id") if isinstance(raw, dict) else None
        try:
            parsed.append(Operation(op_id=uuid.UUID(op_id), raw=raw))
        except (TypeError, ValueError, AttributeError):
            errors[f"operations.{index}.op_id"] = ["Setiap operasi harus objek dengan op_id berupa UUID."]
    if errors:
        raise FieldsInvalid(errors)
    return PushRequest(device_id=str(device_id), operations=parsed)


def _apply_one(user: User, op: Operation) -> dict[str, Any]:
    try:
        with transaction.atomic():
            outcome = apply_operation(user, op)
            case = present_stored_case(outcome.case.pk, viewer=user, via="sync.push") if outcome.case else None
            result = result_of(op, outcome.status, case=case, conflicts=outcome.conflicts)
    except DomainError as exc:
        result = result_of(op, OperationStatus.REJECTED, error=error_of(exc))
    logger.info("sync op %s %s for case %s: %s", op.op_id, op.kind, op.case_id, result["status"])
    return result


def sync_push(*, user: User, request: PushRequest) -> list[dict[str, Any]]:
    """One result per operation, in the order given. Consecutive creates (a day of offline work) are
    applied together, set-based; everything else one operation at a time, in order."""
    first_of = {op.op_id: op for op in reversed(request.operations)}  # an op_id twice: the first counts
    with transaction.atomic():
        # Claimed in op_id order: two pushes sharing operations lock them in the same order (no deadlock).
        claim = claim_operations(user=user, device_id=request.device_id, ops=sorted(first_of.values(), key=str))
        results: dict[uuid.UUID, dict[str, Any]] = dict(claim.replayed)
        to_apply = [op for op in request.operations if op.op_id in claim.mine and first_of[op.op_id] is op]
        for is_create, run in groupby(to_apply, key=lambda op: op.kind == "case.create"):
            ops = list(run)
            if is_create and len(ops) > 1:
                results.update(apply_create_run(user, ops))
            else:
                results.update((op.op_id, _apply_one(user, op)) for op in ops)
        record_results({row_id: results[op_id] for op_id, row_id in claim.mine.items()})
    return [results[op.op_id] for op in request.operations]


def case_changes_prune(*, now: datetime) -> int:
    """Forget change-feed rows older than the cursor retention: no cursor that could still need them
    is served (older ones answer 410 and the client does a full pull)."""
    deleted, _ = CaseChange.objects.filter(at__lt=now - CHANGE_RETENTION).delete()
    return deleted
