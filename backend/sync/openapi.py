"""OpenAPI documentation of the sync endpoints (API.md, "Offline sync")."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

from cases.serializers import CaseOutput
from core.openapi import error_responses

DESCRIPTIONS = {
    400: "Not a push body at all (`invalid`): per-operation problems are `rejected` results instead.",
    401: "Not authenticated (`not_authenticated`).",
    410: "The cursor can no longer be served (`cursor_expired`): do a full pull without a cursor.",
    413: "More than 500 operations or 8 MB (`payload_too_large`).",
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return error_responses(*codes, descriptions=DESCRIPTIONS)


OperationSchema = inline_serializer(
    name="SyncOperation",
    fields={
        "op_id": serializers.UUIDField(help_text="Made on the device before the first send; the idempotency key."),
        "kind": serializers.ChoiceField(choices=["case.create", "case.update", "case.action", "case.comment"]),
        "case_id": serializers.UUIDField(),
        "client_time": serializers.DateTimeField(required=False, help_text="Stored and shown, never trusted."),
        "base_version": serializers.IntegerField(required=False, min_value=1),
        "fields": serializers.DictField(required=False, help_text="Writable case fields (never `id`)."),
        "action": serializers.ChoiceField(
            required=False, choices=["acknowledge", "dispatch", "start", "resolve", "close", "reopen", "refer"]
        ),
        "params": serializers.DictField(required=False),
    },
)

PushRequestSchema = inline_serializer(
    name="SyncPush",
    fields={
        "device_id": serializers.CharField(max_length=100),
        "operations": serializers.ListField(child=OperationSchema, max_length=500),
    },
)

OperationResultSchema = inline_serializer(
    name="SyncOperationResult",
    fields={
        "op_id": serializers.UUIDField(),
        "status": serializers.ChoiceField(choices=["applied", "merged", "conflict", "rejected"]),
        "case": CaseOutput(allow_null=True),
        "conflicts": serializers.ListField(child=serializers.CharField()),
        "error": serializers.DictField(allow_null=True),
    },
)

PushResponseSchema = inline_serializer(
    name="SyncPushResponse",
    fields={"results": serializers.ListField(child=OperationResultSchema), "server_time": serializers.DateTimeField()},
)

PullResponseSchema = inline_serializer(
    name="SyncPullResponse",
    fields={
        "changes": serializers.ListField(
            child=serializers.DictField(),
            help_text='Cases in their latest state, or `{"id", "removed": true}` for a case that left your scope.',
        ),
        "cursor": serializers.CharField(),
        "has_more": serializers.BooleanField(),
    },
)

PUSH_DESCRIPTION = (
    "Applies the operations in order, each atomically on its own, exactly once per `op_id` (a replay "
    "returns the result recorded the first time). Statuses: `applied`, `merged` (stale base version, "
    "no overlapping field), `conflict` (fields changed on the server since `base_version`; nothing "
    "written; `case` is the current state), `rejected` (`error` says why)."
)
PULL_DESCRIPTION = (
    "Without a cursor: every case you may see. With one: every case that changed, entered or left your "
    "scope since it was issued, each at most once per page in its latest state. Follow `cursor` until "
    "`has_more` is false. Cursors never skip a change that committed late."
)
