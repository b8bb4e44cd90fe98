"""Production mode refuses unsafe settings and turns on secure cookies, HSTS and a CSP."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BACKEND = Path(__file__).resolve().parents[3] / "backend"
STRONG_KEY = "k" * 64

PRINT_SECURITY = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, s.CSP_ENABLED)"
)


def run_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG")}
    return subprocess.run(
        [sys.executable, "-c", PRINT_SECURITY],
        cwd=BACKEND,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_the_development_secret_key() -> None:
    result = run_settings({"DEBUG": "0", "ALLOWED_HOSTS": "jsc.example.org"})

    assert result.returncode != 0
    assert "refuses to start with the development SECRET_KEY" in result.stderr


@pytest.mark.parametrize("hosts", ["*", ""])
def test_production_refuses_wildcard_or_empty_hosts(hosts: str) -> None:
    result = run_settings({"DEBUG": "0", "SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": hosts})

    assert result.returncode != 0
    assert "refuses wildcard or empty ALLOWED_HOSTS" in result.stderr


def test_production_turns_on_secure_cookies_hsts_and_csp() -> None:
    result = run_settings({"DEBUG": "0", "SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "jsc.example.org"})

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "True"]


def test_csp_header_is_sent_when_enabled(client, settings) -> None:
    settings.CSP_ENABLED = True

    response = client.get("/api/v1/no-such-thing/")

    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
