"""The shape of one operation's result in a push answer (API.md, "Push")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.errors import error_body
from core.exceptions import DomainError, FieldsInvalid

if TYPE_CHECKING:
    from sync.operations import Operation


def without_nul(value: Any) -> Any:
    """PostgreSQL stores no NUL character, in text or in jsonb. An operation's kind and its error (which
    may echo a field name or value as sent) are stored in the log, and replayed exactly as stored."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {without_nul(key): without_nul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_nul(item) for item in value]
    return value


def error_of(exc: DomainError) -> dict[str, Any]:
    """The `error` of a rejected operation: the same object as an HTTP error envelope's `error`."""
    fields = exc.fields if isinstance(exc, FieldsInvalid) else None
    return without_nul(error_body(exc.default_code, str(exc.detail), fields, **exc.extra)["error"])


def result_of(
    op: Operation,
    status: str,
    *,
    case: dict[str, Any] | None = None,
    conflicts: list[str] | None = None,
    error: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {"op_id": str(op.op_id), "status": status, "case": case, "conflicts": conflicts or [], "error": error}
