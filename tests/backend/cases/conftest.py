"""Fixtures of the case tests: gita (a second field worker of UPT A, the usual assignee), a valid
create body, and photos built with Pillow."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from PIL import Image

from accounts.models import Role, User

# A point in Tuban (region 35.23), served by UPT A in the personas' set-up.
TUBAN = {"lat": -6.8976, "lng": 112.0649, "accuracy_m": 12.0}
# A point in Jember (region 35.09), served by UPT B.
JEMBER = {"lat": -8.1724, "lng": 113.7007, "accuracy_m": 8.0}


@pytest.fixture
def gita(make_user, upt_a) -> User:
    return make_user("gita", Role.FIELD_WORKER, upt_a)


@pytest.fixture
def case_body() -> Callable[..., dict[str, Any]]:
    def body(**overrides: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(uuid.uuid4()),
            "category": "PPKS11",
            "severity": "high",
            "summary": "Lansia tidur di emper toko",
            "description": "Tampak lemah, belum makan sejak pagi.",
            "address": "Jl. Basuki Rahmat, Tuban",
            "location": dict(TUBAN),
            "source": "field_outreach",
            "people_count": 1,
            "person": {"name": "Mbah Sarmi", "age_estimate": 78, "sex": "female", "nik": None},
            "complainant": None,
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not ...}

    return body


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (64, 48), **save: Any) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(out, format=fmt, **save)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """The personas' passwords are never checked here; a fast hasher keeps hundreds of cases quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
