"""Photos of a case: checked, cleaned of metadata (GPS included), stored under the client's id."""

from __future__ import annotations

import hashlib
import io
import warnings
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageOps

from accounts.models import User
from cases.models import Attachment, Case, EventKind
from cases.selectors import can_edit_fields, can_see_case
from cases.services._write import after_commit, lock_case, save_user_change
from core.exceptions import Conflict, Forbidden, Invalid, NotFound, PayloadTooLarge, UnsupportedMediaType

# Content type → the Pillow format the bytes must decode as (and are stored in).
IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
ENCODER_OPTIONS: dict[str, dict[str, Any]] = {
    "JPEG": {"quality": 90},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 90},
}
# A small compressed file may expand to gigabytes of pixels; phone photos are far below this.
MAX_PIXELS = 50_000_000


def clean_image(data: bytes, content_type: str) -> bytes:
    """Decode fully, apply the EXIF orientation to the pixels, and re-encode with no metadata at all."""
    expected = IMAGE_FORMATS[content_type]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data))
            if image.format != expected:
                raise Invalid("Isi berkas tidak sesuai dengan Content-Type.")
            if image.width * image.height > MAX_PIXELS:
                raise Invalid("Gambar terlalu besar (jumlah piksel).")
            image.load()
            image = ImageOps.exif_transpose(image) or image
    except Invalid:
        raise
    except Exception as exc:  # Pillow raises many types for damaged or truncated data
        raise Invalid("Berkas bukan gambar yang dapat dibaca.") from exc

    image.info = {}  # nothing of the original's metadata (EXIF, XMP, ICC, text chunks) travels on
    if expected == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, format=expected, **ENCODER_OPTIONS[expected])
    return out.getvalue()


def attachment_put(
    *, actor: User, case: Case, attachment_id: UUID, content_type: str, data: bytes
) -> tuple[Attachment, bool]:
    """Store a photo under `attachment_id`; the same id with the same bytes again is answered with the
    stored one (created False), with other bytes a `Conflict`."""
    content_type = content_type.split(";")[0].strip().lower()
    with transaction.atomic():
        case = lock_case(case)
        if not can_see_case(actor, case):
            raise NotFound()
        if not can_edit_fields(actor, case):
            raise Forbidden()
        if content_type not in IMAGE_FORMATS:
            raise UnsupportedMediaType("Hanya image/jpeg, image/png atau image/webp.")
        if len(data) > settings.ATTACHMENT_MAX_BYTES:
            raise PayloadTooLarge("Foto paling besar 10 MB.")
        sha256 = hashlib.sha256(data).hexdigest()
        existing = Attachment.objects.filter(pk=attachment_id).first()
        if existing is not None:
            if existing.case_id != case.pk or existing.sha256 != sha256:
                raise Conflict("Id lampiran ini sudah dipakai untuk berkas lain.")
            return existing, False
        if not data:
            raise Invalid("Berkas kosong.")
        stored = clean_image(data, content_type)

        now = timezone.now()
        attachment = Attachment(
            id=attachment_id,
            case=case,
            uploaded_by=actor,
            content_type=content_type,
            size=len(stored),
            sha256=sha256,
            created_at=now,
        )
        attachment.file.save(str(attachment_id), ContentFile(stored), save=False)
        attachment.save(force_insert=True)
        save_user_change(
            case=case,
            actor=actor,
            kind=EventKind.ATTACHMENT_ADDED,
            data={"attachment_id": str(attachment.id), "content_type": content_type},
            now=now,
            previous_upt_id=case.upt_id,
            previous_assignee_id=case.assignee_id,
        )
        from cases.tasks import make_attachment_thumbnail

        attachment_key = str(attachment.id)
        after_commit(lambda: make_attachment_thumbnail.delay(attachment_key))
    return attachment, True
