"""Middleware of our own: CSP, gzip for text, UTC for the API, no slash redirects under /api/, the PWA
under /app/."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.common import CommonMiddleware
from django.middleware.gzip import GZipMiddleware
from django.utils import timezone
from whitenoise.middleware import WhiteNoiseMiddleware


def _tile_origin() -> str:
    parts = urlsplit(settings.MAP_TILE_URL.replace("{s}", "a"))
    host = parts.netloc.replace("a.", "*.", 1) if "{s}" in settings.MAP_TILE_URL else parts.netloc
    return f"{parts.scheme}://{host}" if parts.scheme else ""


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = "; ".join(
            [
                "default-src 'self'",
                f"img-src 'self' data: blob: {_tile_origin()}".strip(),
                "script-src 'self'",
                "style-src 'self' 'unsafe-inline'",
                "connect-src 'self'",
                "worker-src 'self'",
                "manifest-src 'self'",
                "object-src 'none'",
                "base-uri 'self'",
                "frame-ancestors 'none'",
                "form-action 'self'",
            ]
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.CSP_ENABLED and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response


# Compressed when the client accepts it: text only, photos are compressed already.
COMPRESSIBLE_TYPES = ("application/json", "application/geo+json", "text/")


class TextGZipMiddleware(GZipMiddleware):
    """gzip for JSON, HTML and CSV answers: a pull page of 1,000 cases is over a megabyte of JSON, a
    tenth of that compressed, which is what a field worker's 2G link has to carry. (Django's gzip
    middleware pads each answer with random bytes against BREACH-style length attacks.)"""

    def process_response(self, request: HttpRequest, response: Any) -> Any:
        if not response.get("Content-Type", "").startswith(COMPRESSIBLE_TYPES):
            return response
        return super().process_response(request, response)


class ApiUtcMiddleware:
    """The API emits times in UTC (`Z`, API.md); HTML pages keep the calendar zone (Asia/Jakarta)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        timezone.activate(UTC)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class ApiAwareCommonMiddleware(CommonMiddleware):
    """APPEND_SLASH for pages, never for the API: a redirect would drop a POST body (and in DEBUG
    Django raises instead), so `/api/v1/cases` without its slash is a plain 404 in the envelope."""

    def should_redirect_with_slash(self, request: HttpRequest) -> bool:
        if request.path_info.startswith("/api/"):
            return False
        return super().should_redirect_with_slash(request)


class PwaWhiteNoiseMiddleware(WhiteNoiseMiddleware):
    """Static files, plus the field app's build (`frontend_pwa/dist`) under /app/ with its index."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse] | None = None) -> None:
        super().__init__(get_response)
        # WhiteNoise's table has no `.webmanifest`: as application/octet-stream, browsers ignore the
        # manifest and the app cannot be installed. A project's WHITENOISE_MIMETYPES still wins.
        self.media_types.types_map.setdefault(".webmanifest", "application/manifest+json")
        pwa_dist = settings.REPO_DIR / "frontend_pwa" / "dist"
        if pwa_dist.is_dir():
            self.add_files(str(pwa_dist), prefix="app/")

    def immutable_file_test(self, path: str, url: str) -> bool:
        """Vite's hashed assets never change under one name: cached for a year. index.html, sw.js and
        the manifest are revalidated, so a new version of the app is found at once."""
        return url.startswith("/app/assets/") or super().immutable_file_test(path, url)

    def add_cache_headers(self, headers: Any, path: str, url: str) -> None:
        # `max-age=60` would keep a phone on the old service worker and shell for a minute after a
        # release; `no-cache` revalidates (ETag / Last-Modified) on every load instead.
        if url.startswith("/app/") and not url.startswith("/app/assets/"):
            headers["Cache-Control"] = "no-cache"
        else:
            super().add_cache_headers(headers, path, url)
