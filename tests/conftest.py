"""Shared fixtures: the personas every feature test speaks of, and the rules for skipping.

Personas (two UPTs, A = RSBG Tuban, B = PSTW Jember):
  ani    field worker, UPT A        budi   commander, UPT A
  citra  field worker, UPT B        dewi   commander, UPT B
  eko    provincial manager         fajar  admin (technical role: no casework, no person data)
  hadi   field worker, UPT A, with no relation to the cases at hand (the outsider)
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import Role, User
from config.celery import app as celery_app
from geo.models import Region, ServiceArea, Upt

SHARED_DATA = Path(settings.SHARED_DATA_DIR)
BOUNDARY_FILE = SHARED_DATA / "jatim_kabupaten.geojson"
PASSWORD = "rahasia-uji-123"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# Reasons that name what to set; CI fails if a test skips for one of them (see pytest_terminal_summary).
NEEDS_POSTGRES = "needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/jsc"
NEEDS_REDIS = "needs Redis: set REDIS_URL=redis://127.0.0.1:6379/0"
NEEDS_CHROMIUM = "needs Chromium: apt-get install -y chromium (expected at /usr/bin/chromium)"
NEEDS_BOUNDARIES = f"needs the boundary file {BOUNDARY_FILE} (shared data beside the checkout)"
CI_REQUIRED_REASONS = (NEEDS_POSTGRES, NEEDS_REDIS, NEEDS_CHROMIUM, NEEDS_BOUNDARIES)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason=NEEDS_POSTGRES))
        if "redis" in item.keywords and not os.environ.get("REDIS_URL"):
            item.add_marker(pytest.mark.skip(reason=NEEDS_REDIS))
        if "browser" in item.keywords and not Path("/usr/bin/chromium").exists():
            item.add_marker(pytest.mark.skip(reason=NEEDS_CHROMIUM))


def _skips_that_must_run_on_ci(config: pytest.Config) -> list[str]:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    return [
        report.nodeid for report in skipped if any(reason in str(report.longrepr) for reason in CI_REQUIRED_REASONS)
    ]


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """On CI every test must run: a skip for a missing service, browser or data file fails the run."""
    if IN_CI and _skips_that_must_run_on_ci(session.config):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config) -> None:
    if IN_CI and (missing := _skips_that_must_run_on_ci(config)):
        terminalreporter.write_line(f"CI: {len(missing)} test(s) skipped that must run on CI:", red=True)
        for nodeid in missing:
            terminalreporter.write_line(f"  {nodeid}", red=True)


@pytest.fixture(autouse=True)
def _eager_celery_and_private_media(settings, tmp_path: Path) -> Iterator[None]:
    """Unit and API tests run tasks in-process; tests with a real worker start their own process."""
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture
def boundary_file() -> Path:
    if not BOUNDARY_FILE.exists():
        pytest.skip(NEEDS_BOUNDARIES)
    return BOUNDARY_FILE


@pytest.fixture
def postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(NEEDS_POSTGRES)


@pytest.fixture
def redis_broker_url() -> str:
    """A Redis database of its own for a test's real worker, emptied first (no stale messages)."""
    base = os.environ.get("REDIS_URL", "")
    if not base.startswith("redis://"):
        pytest.skip(NEEDS_REDIS)
    import redis

    url = urlsplit(base)._replace(path="/14").geturl()
    redis.Redis.from_url(url).flushdb()
    return url


# --- UPTs and personas -------------------------------------------------------------------------


def ensure_reference_data() -> None:
    """The reference rows that migrations load (regions, PPKS categories, SLA defaults). A transactional
    test's flush removes them, and Django does not restore them for tests run beside a live server
    (the browser tests), so the personas' UPTs put them back when they are missing."""
    if Region.objects.exists():
        return
    from cases.models import Category
    from cases.reference import PPKS_CATEGORIES
    from escalation.models import SlaPolicy
    from escalation.policy import FALLBACK_SLA
    from geo.reference import REGIONS

    Region.objects.bulk_create(
        Region(code=r.code, name=r.name, type=r.type, label_lat=r.label_lat, label_lng=r.label_lng) for r in REGIONS
    )
    Category.objects.bulk_create(
        [Category(code=code, name=name, name_en=name_en) for code, name, name_en in PPKS_CATEGORIES],
        ignore_conflicts=True,
    )
    SlaPolicy.objects.bulk_create(
        [
            SlaPolicy(
                severity=severity,
                ack_minutes=int(sla.ack.total_seconds() // 60),
                resolve_minutes=int(sla.resolve.total_seconds() // 60),
            )
            for severity, sla in FALLBACK_SLA.items()
        ],
        ignore_conflicts=True,
    )


def _upt(code: str, name: str, lat: float, lng: float, regions: list[str]) -> Upt:
    ensure_reference_data()
    upt, _ = Upt.objects.get_or_create(code=code, defaults={"name": name, "lat": lat, "lng": lng})
    for region_code in regions:
        ServiceArea.objects.update_or_create(region=Region.objects.get(code=region_code), defaults={"upt": upt})
    return upt


@pytest.fixture
def upt_a(db) -> Upt:
    return _upt(
        "RSBG-TUBAN", "UPT Rehabilitasi Sosial Bina Grahita Tuban", -6.95289, 111.90033, ["35.22", "35.23", "35.24"]
    )


@pytest.fixture
def upt_b(db) -> Upt:
    return _upt(
        "PSTW-JEMBER", "UPT Pelayanan Sosial Tresna Werdha Jember", -8.21102, 113.59514, ["35.08", "35.09", "35.13"]
    )


@pytest.fixture
def make_user(db) -> Callable[..., User]:
    def make(username: str, role: str, upt: Upt | None = None, **extra: Any) -> User:
        return User.objects.create_user(
            username=username,
            password=PASSWORD,
            role=role,
            upt=upt,
            full_name=extra.pop("full_name", username.capitalize()),
            **extra,
        )

    return make


@pytest.fixture
def ani(make_user, upt_a) -> User:
    return make_user("ani", Role.FIELD_WORKER, upt_a)


@pytest.fixture
def budi(make_user, upt_a) -> User:
    return make_user("budi", Role.UPT_COMMANDER, upt_a)


@pytest.fixture
def citra(make_user, upt_b) -> User:
    return make_user("citra", Role.FIELD_WORKER, upt_b)


@pytest.fixture
def dewi(make_user, upt_b) -> User:
    return make_user("dewi", Role.UPT_COMMANDER, upt_b)


@pytest.fixture
def eko(make_user) -> User:
    return make_user("eko", Role.MANAGER)


@pytest.fixture
def fajar(make_user) -> User:
    return make_user("fajar", Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def hadi(make_user, upt_a) -> User:
    return make_user("hadi", Role.FIELD_WORKER, upt_a)


@pytest.fixture
def personas(ani, budi, citra, dewi, eko, fajar, hadi) -> dict[str, User]:
    return {u.username: u for u in (ani, budi, citra, dewi, eko, fajar, hadi)}


@pytest.fixture
def api() -> Callable[[User | None], APIClient]:
    """`api(ani)` is a client authenticated as ani; `api(None)` is anonymous."""

    def client_for(user: User | None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user=user)
        return client

    return client_for
