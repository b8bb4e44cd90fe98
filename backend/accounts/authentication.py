"""Bearer tokens for devices and integrations; the session cookie (with CSRF) for the same-origin PWA."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from accounts.models import AuthToken, User, hash_token

# Tokens live AUTH_TOKEN_TTL_DAYS from their last use. Writing on every request would turn each read
# into a write (and a lock on the token row); renewing at most once an hour keeps the expiry within an
# hour of "30 days after the last use".
LAST_USED_RESOLUTION = timedelta(hours=1)
# Issued tokens are 43 characters; anything much longer is not one of ours and is not worth hashing.
MAX_TOKEN_LENGTH = 128

INVALID_TOKEN = "Token tidak valid atau sudah kedaluwarsa; silakan masuk lagi. / Invalid or expired token."


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <token>`. Only the SHA-256 of a token is stored, so a leaked database does
    not leak usable tokens; the lookup by hash is an indexed equality, with no timing signal to exploit."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, AuthToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2 or len(header[1]) > MAX_TOKEN_LENGTH:
            raise exceptions.AuthenticationFailed(INVALID_TOKEN)
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(INVALID_TOKEN) from exc
        token = AuthToken.objects.select_related("user", "user__upt").filter(key_hash=hash_token(raw)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(INVALID_TOKEN)
        now = timezone.now()
        if token.expires_at <= now:
            token.delete()
            raise exceptions.AuthenticationFailed(INVALID_TOKEN)
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(INVALID_TOKEN)
        if now - token.last_used_at >= LAST_USED_RESOLUTION:
            token.last_used_at = now
            token.expires_at = now + timedelta(days=settings.AUTH_TOKEN_TTL_DAYS)
            AuthToken.objects.filter(pk=token.pk).update(last_used_at=now, expires_at=token.expires_at)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'


class CsrfSessionAuthentication(authentication.SessionAuthentication):
    """Session auth that still enforces CSRF on unsafe methods (DRF's default behaviour)."""
