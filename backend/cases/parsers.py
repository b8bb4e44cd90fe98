"""The raw body of a photo upload (`PUT .../attachments/{id}/`), read with the 10 MB limit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from rest_framework.parsers import BaseParser

from core.exceptions import PayloadTooLarge


class RawImageParser(BaseParser):
    """Accepts any content type and hands the bytes to the service, which answers 415 for non-images:
    so every refusal speaks the same envelope."""

    media_type = "*/*"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        limit = int(settings.ATTACHMENT_MAX_BYTES)
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and declared.isdigit() and int(declared) > limit:
            raise PayloadTooLarge("Foto paling besar 10 MB.")
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise PayloadTooLarge("Foto paling besar 10 MB.")
        return raw
