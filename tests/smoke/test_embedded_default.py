"""The embedded default, as `make run` starts it: SQLite and Celery's filesystem transport, real
gunicorn and a real worker. Migrate, seed, log a case, see the commander told, run one sweep."""

from __future__ import annotations

import json
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.smoke.processes import base_env, celery_worker, free_port, gunicorn, http_ok, manage, running, wait_for

pytestmark = pytest.mark.slow

FIELD_WORKER = "petugas1.rsbg-tuban"
COMMANDER = "komandan.rsbg-tuban"
DEMO_PASSWORD = "jsc-demo-2026"


def call(method: str, url: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def login(base: str, username: str) -> str:
    status, body = call("POST", f"{base}/api/v1/auth/token/", {"username": username, "password": DEMO_PASSWORD})
    assert status == 200, body
    return str(body["token"])


def test_embedded_default_end_to_end(tmp_path: Path) -> None:
    env = base_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'jsc.sqlite3'}",
        CELERY_BROKER_URL="filesystem://",
        CELERY_FILESYSTEM_DIR=str(tmp_path / "celery"),
        REDIS_URL="",
        MEDIA_ROOT=str(tmp_path / "media"),
        DEBUG="1",
        DEMO_MODE="1",
    )
    manage("migrate", "--noinput", env=env)
    seeded = manage("seed_demo", "--cases", "5", env=env)
    assert FIELD_WORKER in seeded.stdout and COMMANDER in seeded.stdout
    assert "Cases: 5 created" in seeded.stdout
    again = manage("seed_demo", "--cases", "5", env=env)
    assert "Cases: 0 created" in again.stdout

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with (
        running(gunicorn(port), env=env, log=tmp_path / "web.log"),
        running(celery_worker("--pool", "solo"), env=env, log=tmp_path / "worker.log"),
    ):
        wait_for(lambda: http_ok(f"{base}/healthz"), timeout=60, what="gunicorn", log=tmp_path / "web.log")
        worker_token = login(base, FIELD_WORKER)
        status, case = call(
            "POST",
            f"{base}/api/v1/cases/",
            {
                "category": "PPKS08",
                "severity": "critical",
                "summary": "Lansia sendirian di gubuk",
                "location": {"lat": -6.8976, "lng": 112.0649, "accuracy_m": 8},
            },
            token=worker_token,
        )
        assert status == 201, case
        assert case["upt"]["code"] == "RSBG-TUBAN" and case["region"]["code"] == "35.23"

        commander_token = login(base, COMMANDER)

        def commander_was_told() -> bool:
            _, inbox = call("GET", f"{base}/api/v1/notifications/?unread=1", token=commander_token)
            return any(item["case_id"] == case["id"] for item in inbox["results"])

        wait_for(commander_was_told, timeout=60, what="the worker to notify the commander", log=tmp_path / "worker.log")

    later = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    manage("escalate_overdue", "--now", later, env=env)

    level = manage(
        "shell",
        "-c",
        f"from cases.models import Case; print(Case.objects.get(pk='{case['id']}').escalation_level)",
        env=env,
    )
    assert int(level.stdout.strip().splitlines()[-1]) >= 1
