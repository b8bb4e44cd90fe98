"""One error envelope for every 4xx/5xx: {"error": {"code", "message", "fields"?}} (API.md)."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import DomainError, FieldsInvalid

logger = logging.getLogger(__name__)

DRF_CODES = {
    exceptions.ParseError: "invalid",
    exceptions.ValidationError: "invalid",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "not_authenticated",
    exceptions.PermissionDenied: "forbidden",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
}

MESSAGES = {
    "invalid": "Data tidak valid.",
    "not_authenticated": "Silakan masuk terlebih dahulu.",
    "forbidden": "Anda tidak berwenang melakukan tindakan ini.",
    "not_found": "Tidak ditemukan.",
    "method_not_allowed": "Metode tidak diizinkan.",
    "not_acceptable": "Format jawaban yang diminta tidak tersedia.",
    "unsupported_media_type": "Jenis konten tidak didukung.",
    "throttled": "Terlalu banyak percobaan; coba lagi nanti.",
    "payload_too_large": "Isi permintaan terlalu besar.",
    "server_error": "Terjadi kesalahan di server.",
}


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None, **extra: Any) -> dict:
    error: dict[str, Any] = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    error.update(extra)
    return {"error": error}


def flatten_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail -> flat dotted keys; errors tied to no field go under `non_field`."""
    flat: dict[str, list[str]] = {}

    def merge(more: dict[str, list[str]]) -> None:
        for key, messages in more.items():
            flat.setdefault(key, []).extend(messages)

    if isinstance(detail, dict):
        for key, value in detail.items():
            name = str(key)
            if name in ("non_field_errors", "non_field"):
                merge(flatten_errors(value, prefix))
            else:
                merge(flatten_errors(value, f"{prefix}.{name}" if prefix else name))
    elif isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        for index, item in enumerate(detail):
            merge(flatten_errors(item, f"{prefix}.{index}" if prefix else str(index)))
    elif isinstance(detail, list):
        merge({prefix or "non_field": [str(item) for item in detail]})
    else:
        merge({prefix or "non_field": [str(detail)]})
    return flat


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        return Response(error_body("payload_too_large", MESSAGES["payload_too_large"]), status=413)

    if isinstance(exc, FieldsInvalid):
        return Response(error_body("invalid", str(exc.detail), exc.fields, **exc.extra), status=exc.status_code)
    if isinstance(exc, DomainError):
        return Response(error_body(exc.default_code, str(exc.detail), **exc.extra), status=exc.status_code)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = next((c for cls, c in DRF_CODES.items() if isinstance(exc, cls)), "invalid")
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body("invalid", MESSAGES["invalid"], flatten_errors(exc.detail))
    else:
        detail = getattr(exc, "detail", None)
        message = str(detail) if isinstance(detail, str) else MESSAGES.get(code, MESSAGES["invalid"])
        response.data = error_body(code, message)
    if code == "not_authenticated":
        response.status_code = status.HTTP_401_UNAUTHORIZED
    return response


def _error_page(request: HttpRequest, code: str, status_code: int) -> HttpResponse:
    """JSON envelope under /api/; Django's plain pages elsewhere (dashboard, admin)."""
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(code, MESSAGES[code]), status=status_code)
    return HttpResponse(MESSAGES[code], status=status_code, content_type="text/plain; charset=utf-8")


def handler400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "invalid", 400)


def handler403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "forbidden", 403)


def handler404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "not_found", 404)


def handler500(request: HttpRequest) -> HttpResponse:
    return _error_page(request, "server_error", 500)
