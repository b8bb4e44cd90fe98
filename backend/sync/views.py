from __future__ import annotations

from typing import Any

from django.db import OperationalError
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.exceptions import FieldsInvalid
from core.parsers import SyncPushJSONParser
from sync import openapi
from sync.selectors import DEFAULT_LIMIT, MAX_LIMIT, sync_pull
from sync.services import parse_push, sync_push

# Two pushes that share operations in a different order can deadlock on the operation log; PostgreSQL
# aborts one of them, which is then simply run again (it replays what the other committed).
DEADLOCK_RETRIES = 3


class PushView(APIView):
    parser_classes = [SyncPushJSONParser]

    @extend_schema(
        operation_id="sync_push",
        request=openapi.PushRequestSchema,
        responses={200: openapi.PushResponseSchema, **openapi.errors(400, 413)},
        description=openapi.PUSH_DESCRIPTION,
    )
    def post(self, request: Request) -> Response:
        push = parse_push(request.data)
        for attempt in range(DEADLOCK_RETRIES):
            try:
                results = sync_push(user=request.user, request=push)  # type: ignore[arg-type]
                break
            except OperationalError as exc:
                if "deadlock" not in str(exc).lower() or attempt == DEADLOCK_RETRIES - 1:
                    raise
        return Response({"results": results, "server_time": timezone.now()})


class PullView(APIView):
    @extend_schema(
        operation_id="sync_pull",
        parameters=[
            OpenApiParameter("cursor", str, description="Opaque cursor from the previous pull; none: full pull."),
            OpenApiParameter("limit", int, description=f"1..{MAX_LIMIT}, default {DEFAULT_LIMIT}."),
        ],
        responses={200: openapi.PullResponseSchema, **openapi.errors(400, 410)},
        description=openapi.PULL_DESCRIPTION,
    )
    def get(self, request: Request) -> Response:
        limit = _limit(request.query_params.get("limit"))
        page = sync_pull(user=request.user, cursor_token=request.query_params.get("cursor") or None, limit=limit)  # type: ignore[arg-type]
        return Response({"changes": page.changes, "cursor": page.cursor, "has_more": page.has_more})


def _limit(raw: Any) -> int:
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    if not str(raw).isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise FieldsInvalid({"limit": [f"Diharapkan bilangan bulat 1..{MAX_LIMIT}."]})
    return int(raw)
