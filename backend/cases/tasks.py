"""Background work on cases. Tasks take ids and do one thing; they may run twice harmlessly."""

from __future__ import annotations

import io

from celery import shared_task
from django.core.files.base import ContentFile
from PIL import Image

from cases.models import Attachment

THUMBNAIL_SIZE = (320, 320)


@shared_task(name="cases.make_attachment_thumbnail")
def make_attachment_thumbnail(attachment_id: str) -> None:
    """A small JPEG of the (already cleaned) photo for lists and the map."""
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None or attachment.thumbnail:
        return
    with attachment.file.open("rb") as source:
        image: Image.Image = Image.open(source)
        image.load()
    image.thumbnail(THUMBNAIL_SIZE)
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    attachment.thumbnail.save(f"{attachment.id}.jpg", ContentFile(out.getvalue()), save=False)
    # A conditional update: of two runs of this task, only the first records its file.
    Attachment.objects.filter(pk=attachment.pk, thumbnail="").update(thumbnail=attachment.thumbnail.name)
