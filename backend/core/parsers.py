"""A JSON parser that refuses what Python's json module lets through: NaN, Infinity, huge bodies."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from core.exceptions import PayloadTooLarge


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


class StrictJSONParser(JSONParser):
    """Parses JSON bodies up to `max_bytes`; NaN/Infinity and non-JSON are a 400, larger bodies a 413."""

    max_bytes_setting = "JSON_BODY_MAX_BYTES"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        limit = int(getattr(settings, self.max_bytes_setting))
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and declared.isdigit() and int(declared) > limit:
            raise PayloadTooLarge()
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise PayloadTooLarge()
        try:
            return json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # RecursionError: absurdly deep nesting
            raise ParseError("Isi permintaan bukan JSON yang valid.") from exc


class SyncPushJSONParser(StrictJSONParser):
    max_bytes_setting = "SYNC_PUSH_MAX_BYTES"
