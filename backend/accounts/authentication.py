"""Bearer tokens for devices and integrations; the session cookie (with CSRF) for the same-origin PWA."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from accounts.models import AuthToken, User, hash_token

# Writing last_used_at on every request would make each read a write; a day's resolution is
# plenty for a 30-day sliding expiry.
LAST_USED_RESOLUTION = timedelta(hours=1)


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, AuthToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Header Authorization tidak valid.")
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed("Token tidak valid.") from exc
        token = AuthToken.objects.select_related("user", "user__upt").filter(key_hash=hash_token(raw)).first()
        now = timezone.now()
        if token is None or token.expires_at <= now or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Token tidak valid atau sudah kedaluwarsa.")
        if now - token.last_used_at >= LAST_USED_RESOLUTION:
            expires_at = now + timedelta(days=settings.AUTH_TOKEN_TTL_DAYS)
            AuthToken.objects.filter(pk=token.pk).update(last_used_at=now, expires_at=expires_at)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class CsrfSessionAuthentication(authentication.SessionAuthentication):
    """Session auth that still enforces CSRF on unsafe methods (DRF's default behaviour)."""
