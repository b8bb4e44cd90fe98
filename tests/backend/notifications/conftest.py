from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from accounts.models import User
from cases.models import Case
from tests.backend.escalation.helpers import make_case

T0 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def t0() -> datetime:
    return T0


@pytest.fixture
def new_case(ani: User, upt_a: Any) -> Callable[..., Case]:
    """`new_case()`: a critical case ani logged in UPT A's area, received at T0, not yet told to anyone."""

    def make(**fields: Any) -> Case:
        fields.setdefault("upt", upt_a)
        fields.setdefault("received_at", T0)
        fields.setdefault("routed_notified_at", None)
        return make_case(reporter=ani, **fields)

    return make


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Any:
    """`with committed(execute=True):` runs what the block enqueues on commit, as a real commit would."""
    return django_capture_on_commit_callbacks
