"""Login throttling that counts failed attempts only (API.md "Auth").

DRF's throttles count every request before the view runs; a login throttle must count only the
failures, so that a device logging in again and again is never locked out. Two limits: per username
(settings "login_username", 5/min) and per client address ("login_address", 60/min: many phones share
one carrier address).

Each attempt takes a place in the counters *before* the password is checked (an atomic increment) and
gives it back when the login succeeds. Checking first and counting after would let a burst of parallel
guesses all pass the check before any failure is counted. Windows are fixed (one counter per minute for
5/min), so the worst case is twice the limit across a window boundary, then a wait."""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass, field

from django.core.cache import cache
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.settings import api_settings

logger = logging.getLogger(__name__)

USERNAME_SCOPE = "login_username"
ADDRESS_SCOPE = "login_address"


PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _rate(scope: str) -> tuple[int, int]:
    """(limit, window in seconds) of a DRF rate such as "5/min" in DEFAULT_THROTTLE_RATES."""
    number, period = str(api_settings.DEFAULT_THROTTLE_RATES[scope]).split("/")
    return int(number), PERIODS[period[0]]


def client_address(request: Request) -> str:
    """REMOTE_ADDR, or with REST_FRAMEWORK["NUM_PROXIES"] set behind that many proxies, the address they
    report. An unconfigured X-Forwarded-For is ignored: a client could otherwise pick a new one per try."""
    if api_settings.NUM_PROXIES:
        xff = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [part.strip() for part in xff.split(",") if part.strip()]
        if addresses:
            return addresses[-min(api_settings.NUM_PROXIES, len(addresses))]
    return str(request.META.get("REMOTE_ADDR", ""))


def _increment(key: str, timeout: int) -> int:
    """The counter after adding this attempt; 0 when the cache is unreachable: a broken Redis must not
    lock every field worker out (the slow password hash still limits guessing meanwhile)."""
    try:
        cache.add(key, 0, timeout)
        try:
            return cache.incr(key)
        except ValueError:  # the counter expired between add and incr
            cache.add(key, 0, timeout)
            return cache.incr(key)
    except Exception:
        logger.warning("login throttle: cache unavailable; attempt not counted", exc_info=True)
        return 0


def _decrement(key: str) -> None:
    try:
        cache.decr(key)
    except ValueError:  # already expired: nothing to give back
        pass
    except Exception:
        logger.warning("login throttle: cache unavailable", exc_info=True)


def _forget(key: str) -> None:
    try:
        cache.delete(key)
    except Exception:
        logger.warning("login throttle: cache unavailable", exc_info=True)


@dataclass
class LoginAttempt:
    """The places one login attempt holds in the failure counters."""

    username_key: str
    keys: list[str] = field(default_factory=list)

    def succeeded(self) -> None:
        """A successful login does not count, and clears its username's failures."""
        for key in self.keys:
            if key != self.username_key:
                _decrement(key)
        _forget(self.username_key)

    def failed(self) -> None:
        """A failure keeps its places."""


def login_attempt_begin(request: Request, username: str) -> LoginAttempt:
    """Take a place for this attempt in both counters; raise Throttled (429 with Retry-After) when either
    already holds its limit of failures in the current window."""
    now = time.time()
    idents = [(USERNAME_SCOPE, username.casefold()), (ADDRESS_SCOPE, client_address(request))]
    attempt: LoginAttempt | None = None
    wait = 0.0
    taken: list[str] = []
    for scope, ident in idents:
        limit, duration = _rate(scope)
        window = int(now // duration)
        key = f"login-failures:{scope}:{window}:{hashlib.sha256(ident.encode()).hexdigest()}"
        if attempt is None:
            attempt = LoginAttempt(username_key=key)
        taken.append(key)
        if _increment(key, duration + 1) > limit:
            wait = max(wait, (window + 1) * duration - now)
    assert attempt is not None
    if wait > 0:
        for key in taken:  # a refused attempt checks no password, so it is not a failure
            _decrement(key)
        seconds = max(1, math.ceil(wait))
        raise Throttled(
            wait=seconds,
            detail=f"Terlalu banyak percobaan masuk yang gagal; coba lagi dalam {seconds} detik. "
            f"Too many failed logins; try again in {seconds} s.",
        )
    attempt.keys = taken
    return attempt
