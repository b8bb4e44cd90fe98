"""Fixtures of the whole-API tests: a small realistic world (the personas, a few cases in different
states, a photo, notifications) made through the services, and bearer tokens of real logins."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core import signals
from django.db import close_old_connections
from PIL import Image

from accounts.models import User
from accounts.services import token_issue
from cases import services as case_services
from cases.models import Case
from cases.validation import validate_case_fields
from notifications.models import Notification

# Fixed ids, so that generated requests can be pointed at objects that exist (see `known_ids`).
NEW_CASE = uuid.UUID("5a1c0c1e-0000-4000-8000-000000000001")
DISPATCHED_CASE = uuid.UUID("5a1c0c1e-0000-4000-8000-000000000002")
RESOLVED_CASE = uuid.UUID("5a1c0c1e-0000-4000-8000-000000000003")
TRIAGE_CASE = uuid.UUID("5a1c0c1e-0000-4000-8000-000000000004")
PHOTO = uuid.UUID("5a1c0c1e-0000-4000-8000-0000000000f1")
CASE_IDS = (NEW_CASE, DISPATCHED_CASE, RESOLVED_CASE, TRIAGE_CASE)

TUBAN = {"lat": -6.8976, "lng": 112.0649, "accuracy_m": 12.0}


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 80, 40)).save(out, format="JPEG")
    return out.getvalue()


def _create(actor: User, case_id: uuid.UUID, **fields: object) -> Case:
    body = {
        "category": "PPKS11",
        "severity": "high",
        "summary": "Lansia tidur di emper toko",
        "address": "Jl. Basuki Rahmat, Tuban",
        "location": TUBAN,
        "person": {"name": "Mbah Sarmi", "age_estimate": 78, "sex": "female", "nik": None},
        **fields,
    }
    case, _ = case_services.case_create(
        actor=actor, case_id=case_id, fields=validate_case_fields(body, partial=False, for_create=True)
    )
    return case


@dataclass(frozen=True)
class World:
    manager_token: str
    field_worker_token: str
    notification_ids: tuple[uuid.UUID, ...]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(personas: dict[str, User]) -> World:
    """Cases new, dispatched, resolved and in the provincial triage queue; a photo; notifications."""
    ani, budi, eko = personas["ani"], personas["budi"], personas["eko"]
    new = _create(ani, NEW_CASE)
    dispatched = _create(ani, DISPATCHED_CASE, summary="Anak jalanan di perempatan", category="PPKS04")
    case_services.case_dispatch(actor=budi, case=dispatched, assignee_username="ani")
    _create(
        ani,
        RESOLVED_CASE,
        status="resolved",
        resolution_note="Diantar pulang ke keluarga",
        outcome="returned_home",
    )
    _create(ani, TRIAGE_CASE, location=None, address="Alamat di luar Jawa Timur")
    case_services.attachment_put(actor=ani, case=new, attachment_id=PHOTO, content_type="image/jpeg", data=jpeg_bytes())
    _, manager_token = token_issue(user=eko, user_agent="uji")
    _, field_worker_token = token_issue(user=ani, user_agent="uji")
    notification_ids = tuple(Notification.objects.filter(recipient__in=[eko, ani]).values_list("id", flat=True))
    return World(manager_token, field_worker_token, notification_ids)


@pytest.fixture
def in_process_wsgi() -> Iterator[None]:
    """Requests go through Django's WSGI handler inside the test's transaction. The handler closes
    "old" connections at the end of each request, which inside a test transaction would poison it:
    Django's own test client disconnects the same receivers for the same reason."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
