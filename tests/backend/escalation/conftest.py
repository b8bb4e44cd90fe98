from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from accounts.models import User
from cases.models import Case
from tests.backend.escalation.helpers import make_case

T0 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # 08:00 in Surabaya


@pytest.fixture
def t0() -> datetime:
    return T0


@pytest.fixture
def new_case(ani: User, upt_a: Any) -> Callable[..., Case]:
    """`new_case(severity="high")`: a case ani logged in UPT A's area, received at T0."""

    def make(**fields: Any) -> Case:
        fields.setdefault("upt", upt_a)
        fields.setdefault("received_at", T0)
        return make_case(reporter=ani, **fields)

    return make


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
