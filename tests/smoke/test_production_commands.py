"""The commands of docker-compose's services (gunicorn, celery worker, celery beat) against the local
PostgreSQL and Redis: the web answers, a case logged through it reaches the commander via the worker,
and beat starts and schedules the escalation sweep."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import PASSWORD
from tests.smoke.processes import base_env, celery_beat, celery_worker, free_port, gunicorn, http_ok, running, wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def post(url: str, body: dict, token: str | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, method="POST", data=json.dumps(body).encode())
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_web_worker_and_beat_run_against_postgres_and_redis(tmp_path: Path, ani, budi, redis_broker_url) -> None:
    from notifications.models import Notification

    database = connection.settings_dict
    env = base_env(
        DATABASE_URL=f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        CELERY_BROKER_URL=redis_broker_url,
        DEBUG="0",
        SECRET_KEY="smoke-test-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with (
        running(gunicorn(port), env=env, log=tmp_path / "web.log"),
        running(celery_worker(), env=env, log=tmp_path / "worker.log"),
        running(celery_beat(tmp_path / "beat-schedule"), env=env, log=tmp_path / "beat.log"),
    ):
        wait_for(lambda: http_ok(f"{base}/healthz"), timeout=60, what="gunicorn", log=tmp_path / "web.log")
        status, login = post(f"{base}/api/v1/auth/token/", {"username": "ani", "password": PASSWORD})
        assert status == 200, login
        status, case = post(
            f"{base}/api/v1/cases/",
            {
                "category": "PPKS04",
                "severity": "high",
                "summary": "Anak jalanan di perempatan",
                "location": {"lat": -6.8976, "lng": 112.0649, "accuracy_m": 10},
            },
            token=login["token"],
        )
        assert status == 201, case

        wait_for(
            lambda: Notification.objects.filter(recipient=budi, case_id=case["id"]).exists(),
            timeout=60,
            what="the worker to notify the commander",
            log=tmp_path / "worker.log",
        )
        wait_for(
            lambda: "beat: Starting" in (tmp_path / "beat.log").read_text(errors="replace"),
            timeout=30,
            what="beat to start",
            log=tmp_path / "beat.log",
        )
