from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    FIELD_WORKER = "field_worker", "Petugas lapangan"
    UPT_COMMANDER = "upt_commander", "Komandan UPT"
    MANAGER = "manager", "Manajer provinsi"
    ADMIN = "admin", "Admin"


ROLES_WITH_UPT = frozenset({Role.FIELD_WORKER, Role.UPT_COMMANDER})


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices)
    upt = models.ForeignKey("geo.Upt", null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    full_name = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    language = models.CharField(max_length=5, choices=settings.LANGUAGES, default="id")

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="user_upt_matches_role",
                condition=(
                    models.Q(role__in=["field_worker", "upt_commander"], upt__isnull=False)
                    | models.Q(role__in=["manager", "admin"], upt__isnull=True)
                ),
            ),
        ]
        indexes = [models.Index(fields=["upt", "role"])]

    def clean(self) -> None:
        super().clean()
        if self.role in ROLES_WITH_UPT and self.upt_id is None:
            raise ValidationError({"upt": "Petugas lapangan dan komandan wajib terdaftar di satu UPT."})
        if self.role not in ROLES_WITH_UPT and self.upt_id is not None:
            raise ValidationError({"upt": "Manajer dan admin tidak terdaftar di UPT."})

    def __str__(self) -> str:
        return self.username


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class AuthToken(models.Model):
    """One token per login (per device). Only the SHA-256 of the token is stored."""

    key_hash = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="auth_tokens")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    user_agent = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user"])]

    def __str__(self) -> str:
        return f"token of {self.user_id} from {self.created_at:%Y-%m-%d}"

    @classmethod
    def issue(cls, *, user: User, user_agent: str = "") -> tuple[AuthToken, str]:
        raw = secrets.token_urlsafe(32)
        now = timezone.now()
        token = cls.objects.create(
            key_hash=hash_token(raw),
            user=user,
            last_used_at=now,
            expires_at=now + timedelta(days=settings.AUTH_TOKEN_TTL_DAYS),
            user_agent=user_agent[:200],
        )
        return token, raw


class UserSession(models.Model):
    """The session keys of a user's logins (any login: API session, admin, dashboard), so that deactivating
    the user ends their sessions at once without scanning the whole session store."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recorded_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"session of {self.user_id} from {self.created_at:%Y-%m-%d}"
