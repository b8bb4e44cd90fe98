"""OpenAPI documentation helpers: the error envelope and the parameters the case endpoints share."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from core.openapi import error_responses

DESCRIPTIONS = {
    400: "Invalid request (`invalid`), errors by field in `error.fields` with dotted keys.",
    401: "Not authenticated (`not_authenticated`).",
    403: "The caller may see the case but not do this (`forbidden`).",
    404: "No such case in the caller's scope (`not_found`).",
    409: "`conflict` (stale version, id taken) or `invalid_transition`.",
    413: "Body too large (`payload_too_large`).",
    415: "Unsupported content type (`unsupported_media_type`).",
    428: "`If-Match` missing (`precondition_required`).",
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return error_responses(*codes, descriptions=DESCRIPTIONS)


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    pattern=r'^\s*(W/)?"?[0-9]{1,10}"?\s*$',
    description='The version the client last saw, quoted: `"3"`.',
)
CASE_ID = OpenApiParameter("case_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
ATTACHMENT_ID = OpenApiParameter("attachment_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
