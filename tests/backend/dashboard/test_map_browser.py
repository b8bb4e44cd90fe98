"""The map in headless Chromium: boundaries, clusters from seeded cases, and a filter that redraws."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from geo.models import Region
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def square(lat: float, lng: float, half: float = 0.15) -> dict[str, Any]:
    ring = [
        [lng - half, lat - half],
        [lng + half, lat - half],
        [lng + half, lat + half],
        [lng - half, lat + half],
        [lng - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def script_csp_violations() -> list[str]:
    """Console reports of scripts refused by the Content Security Policy (tile images may be refused
    too: the test's tile URL is a dead port)."""
    return []


@pytest.fixture
def browser_page(monkeypatch, settings, script_csp_violations) -> Iterator[Any]:
    from playwright.sync_api import ConsoleMessage, sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test are still sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.MAP_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"  # no tiles: the map must draw without them
    settings.CSP_ENABLED = True  # as in production: scripts from this origin only, none inline
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})

        def remember_refused_scripts(message: ConsoleMessage) -> None:
            if "script-src" in message.text:
                script_csp_violations.append(message.text)

        page.on("console", remember_refused_scripts)
        yield page
        browser.close()


@pytest.fixture
def seeded_map(make_case, ani, citra, upt_a, upt_b) -> None:
    for code, (lat, lng) in {"35.23": (-6.9, 112.05), "35.09": (-8.17, 113.7), "35.24": (-7.12, 112.42)}.items():
        Region.objects.filter(code=code).update(boundary=square(lat, lng))
    for index in range(6):
        make_case(reported_by=ani, upt=upt_a, region="35.23", at=(-6.9, 112.05 + index * 0.004), severity="high")
    for index in range(4):
        make_case(reported_by=citra, upt=upt_b, region="35.09", at=(-8.17, 113.7 + index * 0.004), severity="low")


def cluster_total(page: Any) -> int:
    labels = page.locator(".jsc-cluster span[data-count]")
    return sum(int(labels.nth(i).get_attribute("data-count")) for i in range(labels.count()))


def wait_for_refresh(page: Any, after: int, timeout_s: float = 15) -> int:
    """Wait until the page has drawn a refresh newer than `after` (polled from outside the page:
    the CSP forbids the string evaluation `wait_for_function` would use)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        loaded = int(page.get_attribute("body", "data-loaded") or 0)
        if loaded > after:
            page.wait_for_timeout(200)  # let a refresh already under way land too
            return int(page.get_attribute("body", "data-loaded") or 0)
        page.wait_for_timeout(100)
    raise AssertionError(f"the map did not refresh after #{after}")


def test_manager_sees_boundaries_clusters_and_filters(
    live_server, browser_page, script_csp_violations, eko, seeded_map
) -> None:
    page = browser_page
    page.goto(f"{live_server.url}/dashboard/login/")
    page.fill("#id_username", "eko")
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_url(f"{live_server.url}/dashboard/")

    loaded = wait_for_refresh(page, 0)

    assert page.locator(".leaflet-boundaries-pane path").count() == 3
    assert cluster_total(page) == 10

    page.select_option("[data-testid=filter-severity]", "low")
    wait_for_refresh(page, loaded)

    assert cluster_total(page) == 4
    assert "severity=low" in page.url

    # The shared link opens the same filters; close in, the cases are single markers.
    page.goto(page.url.split("?")[0] + "?severity=high&lat=-6.9&lng=112.06&z=15")
    wait_for_refresh(page, 0)

    assert page.locator(".jsc-marker").count() == 6
    assert page.locator(".jsc-cluster").count() == 0
    assert script_csp_violations == []
