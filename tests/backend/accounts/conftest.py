from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.models import User
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """Argon2 is deliberately slow; these tests check many passwords and are not about hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_throttle_counters() -> Iterator[None]:
    """Failed-login counters live in the cache, which outlives each test's database transaction."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def log_in() -> Callable[..., Any]:
    """`log_in(ani)` → the token response of a real login (password checked, token issued)."""

    def login(user: User | str, password: str = PASSWORD, client: APIClient | None = None, **extra: Any) -> Any:
        username = user if isinstance(user, str) else user.username
        return (client or APIClient()).post(
            "/api/v1/auth/token/", {"username": username, "password": password}, format="json", **extra
        )

    return login


@pytest.fixture
def bearer() -> Callable[[str], APIClient]:
    def client_with(token: str) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return client

    return client_with
