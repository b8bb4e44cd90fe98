"""Content Security Policy, on in production: the pages load only this origin's scripts and styles."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse


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
