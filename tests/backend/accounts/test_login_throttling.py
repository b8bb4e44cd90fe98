"""Login throttling counts failed attempts only: 5/min per username, 60/min per client address."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from tests.conftest import PASSWORD

START = datetime(2026, 3, 2, 8, 0, 5, tzinfo=UTC)


def fail(log_in, username: str, address: str = "10.0.0.1"):
    return log_in(username, password="salah-sekali", REMOTE_ADDR=address)


def test_the_sixth_failure_in_a_minute_for_a_username_is_throttled(ani, log_in):
    with time_machine.travel(START, tick=False):
        answers = [fail(log_in, "ani").status_code for _ in range(5)]
        throttled = fail(log_in, "ani")

    assert answers == [401] * 5
    assert throttled.status_code == 429
    assert throttled.json()["error"]["code"] == "throttled"
    assert 1 <= int(throttled["Retry-After"]) <= 60


def test_a_throttled_username_cannot_log_in_even_with_the_right_password_until_the_window_passes(ani, log_in):
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            fail(log_in, "ani")
        assert log_in(ani, REMOTE_ADDR="10.0.0.1").status_code == 429
    with time_machine.travel(START + timedelta(minutes=1), tick=False):
        assert log_in(ani, REMOTE_ADDR="10.0.0.1").status_code == 200


def test_the_username_limit_holds_across_addresses_and_letter_case(ani, log_in):
    with time_machine.travel(START, tick=False):
        for number in range(5):
            fail(log_in, "ANI" if number % 2 else "ani", address=f"10.0.0.{number}")
        assert fail(log_in, "ani", address="10.9.9.9").status_code == 429


def test_successful_logins_do_not_count(ani, log_in):
    with time_machine.travel(START, tick=False):
        answers = [log_in(ani, REMOTE_ADDR="10.0.0.1").status_code for _ in range(12)]

    assert answers == [200] * 12


def test_a_success_clears_the_failures_of_its_username(ani, log_in):
    with time_machine.travel(START, tick=False):
        for _ in range(4):
            fail(log_in, "ani")
        assert log_in(ani, REMOTE_ADDR="10.0.0.1").status_code == 200
        answers = [fail(log_in, "ani").status_code for _ in range(5)]

    assert answers == [401] * 5


def test_another_username_is_not_affected(ani, hadi, log_in):
    with time_machine.travel(START, tick=False):
        for _ in range(6):
            fail(log_in, "ani")
        assert log_in(hadi, REMOTE_ADDR="10.0.0.1").status_code == 200


def test_sixty_failures_from_one_address_throttle_every_username_from_it(ani, log_in):
    with time_machine.travel(START, tick=False):
        answers = [fail(log_in, f"tebak{number}", address="203.0.113.7").status_code for number in range(60)]
        from_same_address = log_in(ani, REMOTE_ADDR="203.0.113.7")
        from_elsewhere = log_in(ani, REMOTE_ADDR="198.51.100.1")

    assert answers == [401] * 60
    assert from_same_address.status_code == 429
    assert from_elsewhere.status_code == 200


def test_a_forged_forwarded_for_header_does_not_escape_the_address_limit(ani, log_in):
    with time_machine.travel(START, tick=False):
        for number in range(60):
            log_in(f"tebak{number}", password="x", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
        response = log_in(ani, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="192.0.2.200")

    assert response.status_code == 429


def test_the_same_throttle_guards_the_session_login(ani, log_in):
    from rest_framework.test import APIClient

    with time_machine.travel(START, tick=False):
        for _ in range(5):
            fail(log_in, "ani")
        response = APIClient().post(
            "/api/v1/auth/session/", {"username": "ani", "password": PASSWORD}, format="json", REMOTE_ADDR="10.0.0.1"
        )

    assert response.status_code == 429


def test_an_unreachable_cache_does_not_lock_anyone_out(ani, log_in, monkeypatch):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(cache, "add", broken)
    monkeypatch.setattr(cache, "incr", broken)

    assert fail(log_in, "ani").status_code == 401
    assert log_in(ani, REMOTE_ADDR="10.0.0.1").status_code == 200
