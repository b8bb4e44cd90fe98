"""Tokens live 30 days from their last use (sliding expiry)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from accounts.models import AuthToken

LOGIN_TIME = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_an_unused_token_expires_after_30_days(ani, log_in, bearer):
    with time_machine.travel(LOGIN_TIME, tick=False):
        token = log_in(ani).json()["token"]
    with time_machine.travel(LOGIN_TIME + timedelta(days=29, hours=23), tick=False):
        assert bearer(token).get("/api/v1/me/").status_code == 200
    with time_machine.travel(LOGIN_TIME + timedelta(days=29, hours=23) + timedelta(days=30, minutes=1), tick=False):
        response = bearer(token).get("/api/v1/me/")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_using_a_token_renews_it_for_30_days_from_that_use(ani, log_in, bearer):
    with time_machine.travel(LOGIN_TIME, tick=False):
        token = log_in(ani).json()["token"]
    for day in (20, 40, 60):  # each use well inside the previous 30 days
        with time_machine.travel(LOGIN_TIME + timedelta(days=day), tick=False):
            assert bearer(token).get("/api/v1/me/").status_code == 200

    stored = AuthToken.objects.get(user=ani)
    assert stored.last_used_at == LOGIN_TIME + timedelta(days=60)
    assert stored.expires_at == LOGIN_TIME + timedelta(days=90)


def test_a_token_is_written_at_most_once_an_hour(ani, log_in, bearer):
    with time_machine.travel(LOGIN_TIME, tick=False):
        token = log_in(ani).json()["token"]
    with time_machine.travel(LOGIN_TIME + timedelta(minutes=30), tick=False):
        bearer(token).get("/api/v1/me/")

    assert AuthToken.objects.get(user=ani).last_used_at == LOGIN_TIME


def test_an_expired_token_is_deleted_when_presented(ani, log_in, bearer):
    with time_machine.travel(LOGIN_TIME, tick=False):
        token = log_in(ani).json()["token"]
    with time_machine.travel(LOGIN_TIME + timedelta(days=31), tick=False):
        bearer(token).get("/api/v1/me/")

    assert not AuthToken.objects.filter(user=ani).exists()
