"""How the OpenAPI schema describes the strict input serializers: unknown keys are refused (API.md),
so the request schemas say `additionalProperties: false`, and clients generated from it agree."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension


class StrictInputSerializerScheme(OpenApiSerializerExtension):
    target_class = "core.serializers.StrictInputSerializer"
    match_subclasses = True

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        schema = auto_schema._map_basic_serializer(self.target, direction)
        schema["additionalProperties"] = False
        return schema
