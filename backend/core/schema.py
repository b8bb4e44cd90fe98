"""How the OpenAPI schema describes our conventions: unknown keys in a body are refused (API.md), and
an empty list filter is no filter; so that the schema says what the server does."""

from __future__ import annotations

from typing import Any

from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiSerializerExtension


class StrictInputSerializerScheme(OpenApiSerializerExtension):
    target_class = "core.serializers.StrictInputSerializer"
    match_subclasses = True

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        schema = auto_schema._map_basic_serializer(self.target, direction)
        schema["additionalProperties"] = False
        return schema


class EmptyMeansNoFilterScheme(DjangoFilterExtension):
    """In every list filter an empty value means no filter (`?status=&q=` lists everything), as
    django-filter does; the schema says so, so that a client sending an empty value is in the right."""

    priority = 1

    def get_schema_operation_parameters(self, auto_schema: Any, *args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(auto_schema, *args, **kwargs)
        for parameter in parameters:
            schema = parameter["schema"]
            values = schema["items"] if schema.get("type") == "array" else schema
            if "enum" in values and "" not in values["enum"]:
                values["enum"] = ["", *values["enum"]]
            elif "format" in values:
                parameter["schema"] = {"anyOf": [schema, {"type": "string", "enum": [""]}]}
        return parameters
