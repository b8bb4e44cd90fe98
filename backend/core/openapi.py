"""OpenAPI documentation shared by every app: API.md's error envelope and the error responses."""

from __future__ import annotations

from collections.abc import Mapping

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorEnvelope = inline_serializer(
    name="ErrorEnvelope",
    fields={
        "error": inline_serializer(
            name="Error",
            fields={
                "code": serializers.CharField(help_text="Machine code: `invalid`, `not_found`, `conflict`, ..."),
                "message": serializers.CharField(help_text="Human text (Bahasa Indonesia first)."),
                "fields": serializers.DictField(
                    child=serializers.ListField(child=serializers.CharField()),
                    required=False,
                    help_text="Validation errors by field, dotted keys (`location.lat`); `non_field` for the rest.",
                ),
                "current": serializers.DictField(
                    required=False, help_text="The current case (409 on a stale version)."
                ),
            },
        )
    },
)

DESCRIPTIONS = {
    400: "Invalid request (`invalid`): errors by field in `error.fields`, dotted keys.",
    401: "Not authenticated (`not_authenticated`): no, an invalid or an expired token.",
    403: "Not allowed (`forbidden`).",
    404: "Not found (`not_found`), or outside the caller's scope.",
    409: "Conflict (`conflict`).",
    410: "Gone (`cursor_expired`).",
    413: "Body too large (`payload_too_large`).",
    415: "Unsupported content type (`unsupported_media_type`).",
    428: "Precondition required (`precondition_required`).",
    429: "Too many requests (`throttled`); see the Retry-After header.",
}


def error_responses(
    *codes: int, descriptions: Mapping[int, str] | None = None, authenticated: bool = True
) -> dict[int, OpenApiResponse]:
    """The error responses of an operation, each with the envelope; 401 for every authenticated one."""
    texts = {**DESCRIPTIONS, **(descriptions or {})}
    all_codes = sorted({*codes, 401} if authenticated else set(codes))
    return {code: OpenApiResponse(ErrorEnvelope, description=texts[code]) for code in all_codes}
