from __future__ import annotations

import base64
import binascii
from urllib.parse import urlsplit

from rest_framework import serializers

from core.serializers import StrictInputSerializer
from notifications.models import Kind, Notification


class NotificationOutput(serializers.ModelSerializer):
    case_id = serializers.UUIDField(read_only=True)
    kind = serializers.ChoiceField(choices=Kind.choices, read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "case_id", "title", "body", "created_at", "read_at"]
        read_only_fields = fields


def _b64url_bytes(value: str) -> bytes:
    if not value or any(c not in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=" for c in value):
        raise serializers.ValidationError("Harus base64url.")
    try:
        return base64.urlsafe_b64decode(value.rstrip("=") + "=" * (-len(value.rstrip("=")) % 4))
    except (binascii.Error, ValueError) as exc:
        raise serializers.ValidationError("Harus base64url.") from exc


class PushKeysInput(StrictInputSerializer):
    p256dh = serializers.CharField(max_length=120, trim_whitespace=False)
    auth = serializers.CharField(max_length=50, trim_whitespace=False)

    def validate_p256dh(self, value: str) -> str:
        raw = _b64url_bytes(value)
        if len(raw) != 65 or raw[0] != 0x04:
            raise serializers.ValidationError("Harus kunci publik P-256 (65 byte, tidak terkompresi).")
        return value

    def validate_auth(self, value: str) -> str:
        if len(_b64url_bytes(value)) != 16:
            raise serializers.ValidationError("Harus rahasia autentikasi 16 byte.")
        return value


class PushSubscriptionInput(StrictInputSerializer):
    endpoint = serializers.URLField(max_length=1000, trim_whitespace=False)
    keys = PushKeysInput()

    def validate_endpoint(self, value: str) -> str:
        if urlsplit(value).scheme != "https":
            raise serializers.ValidationError("Endpoint push harus https.")
        return value


class PushSubscriptionOutput(serializers.Serializer):
    endpoint = serializers.URLField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class VapidPublicKeyOutput(serializers.Serializer):
    public_key = serializers.CharField(allow_blank=True, help_text="Empty when Web Push is not configured.")


class ClientConfigOutput(serializers.Serializer):
    map_tile_url = serializers.CharField()
    vapid_public_key = serializers.CharField(allow_blank=True)
