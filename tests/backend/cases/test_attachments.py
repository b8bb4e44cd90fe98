"""Photos: cleaned of metadata (GPS included), idempotent by id, refused clearly when wrong."""

from __future__ import annotations

import hashlib
import io
import uuid

import pytest
from PIL import Image

from cases.models import Attachment, CaseEvent, EventKind, PersonalDataAccess
from tests.backend.cases.conftest import image_bytes
from tests.factories import CaseFactory


@pytest.fixture
def case(ani):
    return CaseFactory(reported_by=ani)


def url(case, attachment_id=None) -> str:
    return f"/api/v1/cases/{case.id}/attachments/{attachment_id or uuid.uuid4()}/"


def jpeg_with_gps() -> bytes:
    """A JPEG as a phone writes it: camera make, orientation 6 (rotated) and a GPS position."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    gps = exif.get_ifd(0x8825)
    gps[1] = "S"
    gps[2] = (6.0, 53.0, 51.0)
    gps[3] = "E"
    gps[4] = (112.0, 3.0, 53.0)
    out = io.BytesIO()
    Image.new("RGB", (80, 40), (10, 120, 200)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_exif_and_gps_are_removed_and_orientation_applied(api, ani, case, tmp_path) -> None:
    data = jpeg_with_gps()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the test's photo really has GPS

    response = api(ani).put(url(case), data, content_type="image/jpeg")

    assert response.status_code == 201
    body = response.json()
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["content_type"] == "image/jpeg"
    attachment = Attachment.objects.get()
    stored = attachment.file.read()
    assert body["size"] == len(stored)
    image = Image.open(io.BytesIO(stored))
    assert len(image.getexif()) == 0
    assert "exif" not in image.info
    assert b"PhoneMaker" not in stored
    assert image.size == (40, 80)  # the rotation is in the pixels now


@pytest.mark.parametrize(("fmt", "content_type"), [("PNG", "image/png"), ("WEBP", "image/webp")])
def test_png_and_webp_are_accepted(api, ani, case, fmt, content_type) -> None:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    response = api(ani).put(url(case), image_bytes(fmt, exif=exif), content_type=content_type)

    assert response.status_code == 201
    stored = Attachment.objects.get().file.read()
    assert Image.open(io.BytesIO(stored)).format == fmt
    assert b"PhoneMaker" not in stored


def test_the_upload_is_on_the_timeline_and_bumps_the_version(api, ani, case) -> None:
    attachment_id = uuid.uuid4()

    api(ani).put(url(case, attachment_id), image_bytes(), content_type="image/jpeg")

    event = CaseEvent.objects.get(case=case, kind=EventKind.ATTACHMENT_ADDED)
    assert event.data["attachment_id"] == str(attachment_id)
    case.refresh_from_db()
    assert case.version == 2
    listed = api(ani).get(f"/api/v1/cases/{case.id}/").json()["attachments"]
    assert [a["id"] for a in listed] == [str(attachment_id)]
    assert listed[0]["url"] == url(case, attachment_id)


def test_a_thumbnail_is_made_after_commit(api, ani, case, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        api(ani).put(url(case), image_bytes(size=(1200, 900)), content_type="image/jpeg")

    attachment = Attachment.objects.get()
    assert attachment.thumbnail
    assert max(Image.open(attachment.thumbnail.open("rb")).size) == 320


def test_the_same_id_and_bytes_again_is_a_200(api, ani, case) -> None:
    target = url(case)
    data = image_bytes()
    api(ani).put(target, data, content_type="image/jpeg")

    again = api(ani).put(target, data, content_type="image/jpeg")

    assert again.status_code == 200
    assert Attachment.objects.count() == 1
    case.refresh_from_db()
    assert case.version == 2


def test_the_same_id_with_other_bytes_is_a_conflict(api, ani, case) -> None:
    target = url(case)
    api(ani).put(target, image_bytes(size=(10, 10)), content_type="image/jpeg")

    response = api(ani).put(target, image_bytes(size=(11, 10)), content_type="image/jpeg")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"


@pytest.mark.parametrize("content_type", ["image/gif", "application/json", "text/plain", "application/octet-stream"])
def test_other_types_are_a_415(api, ani, case, content_type) -> None:
    response = api(ani).put(url(case), image_bytes(), content_type=content_type)

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert not Attachment.objects.exists()


def test_too_large_is_a_413(api, ani, case, settings) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1000

    response = api(ani).put(url(case), image_bytes(size=(400, 400), quality=100), content_type="image/jpeg")

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"not an image at all", "image/jpeg"),
        (b"", "image/png"),
        (image_bytes()[:200], "image/jpeg"),
        (image_bytes("PNG"), "image/jpeg"),
    ],
    ids=["garbage", "empty", "truncated", "png said to be jpeg"],
)
def test_undecodable_bytes_are_a_400(api, ani, case, data, content_type) -> None:
    response = api(ani).put(url(case), data, content_type=content_type)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert not Attachment.objects.exists()


def test_an_unknown_case_is_a_404(api, ani, db) -> None:
    response = api(ani).put(
        f"/api/v1/cases/{uuid.uuid4()}/attachments/{uuid.uuid4()}/", image_bytes(), content_type="image/jpeg"
    )

    assert response.status_code == 404


def test_the_photo_is_served_to_those_who_may_see_it_and_logged(api, ani, budi, fajar, hadi, case) -> None:
    target = url(case)
    api(ani).put(target, image_bytes(), content_type="image/jpeg")

    served = api(budi).get(target)

    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content) == Attachment.objects.get().file.read()
    assert PersonalDataAccess.objects.filter(user=budi, what="photo").count() == 1
    assert api(fajar).get(target).status_code == 403
    assert api(hadi).get(target).status_code == 404
    assert api(budi).get(url(case)).status_code == 404


def test_the_thumbnail_task_runs_twice_harmlessly(api, ani, case) -> None:
    from cases.tasks import make_attachment_thumbnail

    api(ani).put(url(case), image_bytes(size=(900, 600)), content_type="image/jpeg")
    attachment = Attachment.objects.get()

    make_attachment_thumbnail(str(attachment.id))
    first = Attachment.objects.get().thumbnail.name
    make_attachment_thumbnail(str(attachment.id))

    assert first and Attachment.objects.get().thumbnail.name == first
    assert Image.open(Attachment.objects.get().thumbnail.open("rb")).size == (320, 213)
