"""Applying one pushed operation through the case services (the same rules as the REST API).

Each handler returns `(status, case, conflicts)` or raises a domain error, which the push turns into
a `rejected` result. Nothing here writes except through `cases.services`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.utils.dateparse import parse_datetime

from accounts.models import User
from cases import services
from cases.models import Case
from cases.selectors import cases_visible_to
from cases.validation import CommentInput, validate_case_fields
from core.errors import flatten_errors
from core.exceptions import FieldsInvalid, NotFound
from sync.models import OperationStatus


@dataclass
class Outcome:
    status: OperationStatus
    case: Case | None
    conflicts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Operation:
    """One pushed operation: its id, and the rest of it as sent (checked by `parse_envelope`)."""

    op_id: uuid.UUID
    raw: dict[str, Any]

    @property
    def kind(self) -> str:
        kind = self.raw.get("kind")
        # Stored in the operation log: no NUL (PostgreSQL refuses it), at most the column's 30 characters.
        return kind[:30].replace("\x00", "\ufffd") if isinstance(kind, str) else ""

    @property
    def case_id(self) -> uuid.UUID | None:
        try:
            return uuid.UUID(str(self.raw.get("case_id")))
        except ValueError:
            return None

    @property
    def client_time(self) -> datetime | None:
        value = self.raw.get("client_time")
        try:
            parsed = parse_datetime(value) if isinstance(value, str) else None
        except ValueError:  # well-formed but impossible, e.g. month 13
            return None
        if parsed is None or parsed.tzinfo is None or abs(parsed.utcoffset() or timedelta()) > timedelta(hours=14):
            return None  # naive, or an offset no clock has (PostgreSQL refuses those past ±16 h)
        try:
            return parsed.astimezone(UTC)
        except OverflowError:  # year 1 or 9999 shifted out of range
            return None

    @property
    def body(self) -> dict[str, Any]:
        return self.raw


ALLOWED_KEYS = {
    "case.create": {"op_id", "kind", "case_id", "client_time", "fields"},
    "case.update": {"op_id", "kind", "case_id", "base_version", "client_time", "fields"},
    "case.action": {"op_id", "kind", "case_id", "base_version", "client_time", "action", "params"},
    "case.comment": {"op_id", "kind", "case_id", "client_time", "fields"},
}


def check_envelope(op: Operation) -> None:
    """The parts every operation shares: a known kind, a case id, an optional ISO time, no stray keys."""
    allowed = ALLOWED_KEYS.get(op.kind)
    if allowed is None:
        raise FieldsInvalid({"kind": [f"Jenis operasi tidak dikenal; salah satu dari: {', '.join(ALLOWED_KEYS)}."]})
    errors: dict[str, list[str]] = {key: ["Kolom tidak dikenal."] for key in op.raw if key not in allowed}
    if op.case_id is None:
        errors["case_id"] = ["Diharapkan UUID."]
    if op.raw.get("client_time") is not None and op.client_time is None:
        errors["client_time"] = ["Diharapkan waktu ISO 8601 dengan zona waktu."]
    if errors:
        raise FieldsInvalid(errors)


def _visible_case(user: User, case_id: uuid.UUID | None) -> Case:
    case = cases_visible_to(user).filter(pk=case_id).first() if case_id else None
    if case is None:
        raise NotFound("Kasus tidak ditemukan (mungkin belum tersinkron).")
    return case


def operation_fields(op: Operation) -> dict[str, Any]:
    fields = op.body.get("fields")
    if not isinstance(fields, dict):
        raise FieldsInvalid({"fields": ["Diharapkan objek berisi kolom kasus."]})
    return fields


def apply_create(user: User, op: Operation) -> Outcome:
    fields = validate_case_fields(operation_fields(op), partial=False, for_create=True)
    case, _created = services.case_create(actor=user, case_id=op.case_id, fields=fields, client_time=op.client_time)
    return Outcome(OperationStatus.APPLIED, case)


def apply_update(user: User, op: Operation) -> Outcome:
    """The merge rule (`case_update_offline`): disjoint from what the server changed since
    `base_version` is merged, an overlap is a conflict naming the fields."""
    base_version = op.body.get("base_version")
    if isinstance(base_version, bool) or not isinstance(base_version, int) or base_version < 1:
        raise FieldsInvalid({"base_version": ["Diharapkan bilangan bulat ≥ 1."]})
    fields = validate_case_fields(operation_fields(op), partial=True, for_create=False)
    case, conflicts, merged = services.case_update_offline(
        actor=user, case=_visible_case(user, op.case_id), base_version=base_version, fields=fields
    )
    if conflicts:
        return Outcome(OperationStatus.CONFLICT, case, conflicts)
    return Outcome(OperationStatus.MERGED if merged else OperationStatus.APPLIED, case)


def apply_action(user: User, op: Operation) -> Outcome:
    """Checked against the case's current state, whatever the client's base version: the same state
    machine and permission checks as the REST actions (`case_act`)."""
    action, params = op.body.get("action"), op.body.get("params")
    if not isinstance(action, str):
        raise FieldsInvalid({"action": ["Diharapkan nama tindakan."]})
    case = services.case_act(actor=user, case=_visible_case(user, op.case_id), action=action, params=params)
    return Outcome(OperationStatus.APPLIED, case)


def apply_comment(user: User, op: Operation) -> Outcome:
    serializer = CommentInput(data=operation_fields(op))
    if not serializer.is_valid():
        raise FieldsInvalid(flatten_errors(serializer.errors))
    case = _visible_case(user, op.case_id)
    services.case_comment(
        actor=user, case=case, comment_id=serializer.validated_data["id"], text=serializer.validated_data["text"]
    )
    case.refresh_from_db()
    return Outcome(OperationStatus.APPLIED, case)


HANDLERS: dict[str, Callable[[User, Operation], Outcome]] = {
    "case.create": apply_create,
    "case.update": apply_update,
    "case.action": apply_action,
    "case.comment": apply_comment,
}


def apply_operation(user: User, op: Operation) -> Outcome:
    check_envelope(op)
    return HANDLERS[op.kind](user, op)
