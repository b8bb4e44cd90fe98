"""Input serializers that refuse unknown and read-only fields instead of silently dropping them."""

from __future__ import annotations

import math
from functools import cached_property
from typing import Any

from rest_framework import serializers


class StrictInputSerializer(serializers.Serializer):
    """Unknown keys → 400 naming them; `read_only_names` are known fields a client may not set."""

    read_only_names: frozenset[str] = frozenset()

    @cached_property
    def _writable_names(self) -> frozenset[str]:
        return frozenset(name for name, field in self.fields.items() if not field.read_only)

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field": ["Diharapkan objek JSON."]}, code="invalid")
        errors: dict[str, list[str]] = {}
        writable = self._writable_names
        for key in data:
            if key in self.read_only_names:
                errors[str(key)] = ["Kolom ini hanya-baca."]
            elif key not in writable:
                errors[str(key)] = ["Kolom tidak dikenal."]
        if errors:
            raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class FiniteFloatField(serializers.FloatField):
    """A float that must be finite (JSON parsing already refuses NaN; strings like "nan" too)."""

    def to_internal_value(self, data: Any) -> float:
        if isinstance(data, bool):
            self.fail("invalid")
        value = super().to_internal_value(data)
        if not math.isfinite(value):
            self.fail("invalid")
        return value


class StrictIntegerField(serializers.IntegerField):
    """An integer that refuses booleans, floats with fractions and numeric strings with spaces."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or (isinstance(data, float) and not data.is_integer()):
            self.fail("invalid")
        return super().to_internal_value(data)
