"""The field app can be installed on a phone: Chromium finds nothing missing (manifest, icons, service worker)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, E2E_DB, TIMEOUT_MS, wait_until_controlled

pytestmark = [pytest.mark.browser, E2E_DB]


@pytest.fixture
def profile_page(browser, live_server, tmp_path) -> Iterator[Any]:
    """A page in a real (persistent) profile: Chromium never offers to install from an incognito context,
    which is what an ordinary Playwright context is."""
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        headless=True,
        base_url=live_server.url,
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.pages[0] if context.pages else context.new_page()
    finally:
        context.close()


def test_the_app_is_installable_with_no_errors(profile_page):
    page = profile_page
    page.goto("/app/")
    expect(page.get_by_test_id("login-submit")).to_be_visible()
    wait_until_controlled(page)

    cdp = page.context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    manifest = cdp.send("Page.getAppManifest")

    assert errors == []
    assert manifest["url"].endswith("/app/manifest.webmanifest")
    assert manifest.get("errors", []) == []


def test_the_manifest_and_service_worker_are_served_as_the_app_expects(devices):
    page = devices.new_context().new_page()
    manifest = page.request.get("/app/manifest.webmanifest")
    worker = page.request.get("/app/sw.js")

    assert manifest.status == 200
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    body = manifest.json()
    assert body["start_url"] == "/app/" and body["scope"] == "/app/" and body["display"] == "standalone"
    assert {icon["sizes"] for icon in body["icons"]} >= {"192x192", "512x512"}
    for icon in body["icons"]:
        assert page.request.get(f"/app/{icon['src']}").status == 200
    assert worker.status == 200
    assert "no-cache" in worker.headers.get("cache-control", "")
