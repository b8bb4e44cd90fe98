from __future__ import annotations

from rest_framework import serializers

from accounts.models import Role
from core.serializers import StrictInputSerializer
from geo.serializers import UptRefOutput


class LoginInput(StrictInputSerializer):
    username = serializers.CharField(max_length=150, trim_whitespace=True)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class MeOutput(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    role = serializers.ChoiceField(choices=Role.choices)
    upt = UptRefOutput(allow_null=True)


class TokenOutput(serializers.Serializer):
    token = serializers.CharField(help_text="Opaque; send as `Authorization: Bearer <token>`. Shown once.")
    expires_at = serializers.DateTimeField(help_text="30 days after the last use; renewed as the token is used.")
    user = MeOutput()


class SessionOutput(serializers.Serializer):
    user = MeOutput()


class UserListQuery(serializers.Serializer):
    """Query parameters; an empty value is the same as none (no filter), as for every list filter."""

    upt = serializers.CharField(required=False, allow_blank=True, max_length=40, help_text="UPT code")
    role = serializers.ChoiceField(choices=Role.choices, required=False, allow_blank=True)


class UserListItemOutput(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    role = serializers.ChoiceField(choices=Role.choices)
