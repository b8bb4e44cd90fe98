"""API errors with the machine codes of API.md, raised by services and views alike."""

from __future__ import annotations

from typing import Any

from rest_framework import status
from rest_framework.exceptions import APIException


class DomainError(APIException):
    """An error with an API.md code; `extra` is merged into the error envelope (e.g. `current`)."""

    status_code: int = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"
    default_detail = "Permintaan tidak valid."

    def __init__(self, detail: str | None = None, *, extra: dict[str, Any] | None = None) -> None:
        super().__init__(detail=detail or self.default_detail, code=self.default_code)
        self.extra = extra or {}


class Invalid(DomainError):
    pass


class Forbidden(DomainError):
    status_code: int = status.HTTP_403_FORBIDDEN
    default_code = "forbidden"
    default_detail = "Anda tidak berwenang melakukan tindakan ini."


class NotFound(DomainError):
    status_code: int = status.HTTP_404_NOT_FOUND
    default_code = "not_found"
    default_detail = "Tidak ditemukan."


class Conflict(DomainError):
    status_code: int = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "Konflik dengan data di server."


class InvalidTransition(DomainError):
    status_code: int = status.HTTP_409_CONFLICT
    default_code = "invalid_transition"
    default_detail = "Tindakan ini tidak diizinkan dari status kasus saat ini."


class CursorExpired(DomainError):
    status_code: int = status.HTTP_410_GONE
    default_code = "cursor_expired"
    default_detail = "Kursor sinkronisasi tidak berlaku lagi; lakukan tarik penuh."


class PayloadTooLarge(DomainError):
    status_code: int = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"
    default_detail = "Isi permintaan terlalu besar."


class UnsupportedMediaType(DomainError):
    status_code: int = status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
    default_code = "unsupported_media_type"
    default_detail = "Jenis konten tidak didukung."


class PreconditionRequired(DomainError):
    status_code: int = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"
    default_detail = "Header If-Match dengan versi kasus wajib disertakan."


class FieldsInvalid(DomainError):
    """Validation errors keyed by flat, dotted field names (`location.lat`, `person.nik`)."""

    def __init__(self, fields: dict[str, list[str]], detail: str | None = None) -> None:
        super().__init__(detail or "Data tidak valid.")
        self.fields = fields
