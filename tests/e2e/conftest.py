"""Browser tests: the field app (frontend_pwa/dist, served by Django under /app/) in headless Chromium.

Every test gets fresh browser contexts (the app keeps its session in IndexedDB) against pytest-django's
live server. The server thread must see what the test commits, hence
`django_db(transaction=True, serialized_rollback=True)` on every test (`E2E_DB` below).
"""

from __future__ import annotations

import os

# Playwright's sync API keeps an event loop running in this thread; Django refuses ORM calls from a
# thread with a running loop unless told that this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from PIL import Image
from playwright.sync_api import Geolocation, Page, expect, sync_playwright

from accounts.models import User
from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PWA_DIST = Path(settings.REPO_DIR) / "frontend_pwa" / "dist"

# The machine running these is shared and slow: waits are generous, never fixed sleeps.
TIMEOUT_MS = 30_000

# Somewhere in Kabupaten Tuban (UPT A's area), with a good GPS fix.
TUBAN: Geolocation = {"latitude": -6.93, "longitude": 111.95, "accuracy": 12}

E2E_DB = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not (PWA_DIST / "index.html").exists():
        pytest.fail(f"the field app is not built ({PWA_DIST}): run `cd frontend_pwa && npm ci && npm run build`")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@dataclass
class Devices:
    """Browser contexts (one per phone) opened by a test, closed after it."""

    browser: Any
    base_url: str
    contexts: list[Any] = field(default_factory=list)

    def new_context(self, **options: Any) -> Any:
        context = self.browser.new_context(
            base_url=self.base_url,
            geolocation=options.pop("geolocation", TUBAN),
            permissions=["geolocation"],
            locale="id-ID",
            **options,
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        return context


@pytest.fixture
def devices(browser, live_server) -> Iterator[Devices]:
    # live_server.url is http://localhost:PORT: a secure context, so the service worker registers.
    opened = Devices(browser=browser, base_url=live_server.url)
    yield opened
    for context in opened.contexts:
        context.close()


def login(page: Page, user: User) -> None:
    """Signs in through the form (assumes it is shown) and waits for the main screen."""
    page.get_by_test_id("login-username").fill(user.username)
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("nav-new-case")).to_be_visible()
    expect(page.get_by_test_id("outbox-count")).to_be_attached()


def login_and_sync(page: Page, user: User) -> None:
    """Signs in and waits for the first successful sync after it (the outbox flushed, the pull done)."""
    before = page.evaluate("new Date().toISOString()")
    login(page, user)
    synced_after(page, before)


@pytest.fixture
def page_for(devices: Devices) -> Callable[..., Any]:
    """`page_for(ani)`: a new phone (browser context) on /app/, ani signed in, first sync done."""

    def open_page(user: User, **context_options: Any) -> Any:
        page = devices.new_context(**context_options).new_page()
        page.goto("/app/")
        login_and_sync(page, user)
        return page

    return open_page


def wait_until_controlled(page: Page) -> None:
    """The service worker is active and controls the page: the app shell is cached, offline reloads work."""
    page.wait_for_function(
        "async () => { const reg = await navigator.serviceWorker.ready;"
        " return reg.active !== null && navigator.serviceWorker.controller !== null; }",
        timeout=TIMEOUT_MS,
    )


def wait_for_sync(page: Page, *, waiting: int = 0) -> None:
    """Waits until no sync is running and `outbox-count` shows `waiting`."""
    expect(page.get_by_test_id("outbox-count")).to_have_text(str(waiting))
    expect(page.locator("#app[data-syncing='0']")).to_be_attached()


def last_sync(page: Page) -> str | None:
    """When the app last synced successfully (`sync-status`'s `data-last-sync`), or None."""
    return page.get_by_test_id("sync-status").get_attribute("data-last-sync")


def synced_after(page: Page, before: str | None) -> None:
    """Waits for a successful sync later than `before` (ISO time or None), and for it to be over."""
    page.wait_for_function(
        "(before) => { const at = document.querySelector('[data-testid=sync-status]')?.dataset.lastSync;"
        " return Boolean(at) && (!before || at > before) && document.getElementById('app').dataset.syncing === '0'; }",
        arg=before,
        timeout=TIMEOUT_MS,
    )


def sync_now(page: Page) -> None:
    """Taps "sync now" (once a running sync lets it) and waits until a sync after the tap succeeded."""
    button = page.get_by_test_id("sync-now")
    expect(button).to_be_enabled()
    before = last_sync(page)
    button.click()
    synced_after(page, before)


def jpeg_with_gps(width: int = 2400, height: int = 1800) -> bytes:
    """A camera-like JPEG carrying EXIF GPS tags (Tuban), bigger than the app's 1600 px limit."""
    # Gradients rather than a flat colour, so the encoder has real content to compress.
    ramp = Image.linear_gradient("L").resize((width, height))
    image = Image.merge(
        "RGB", (ramp, ramp.rotate(90).resize((width, height)), Image.radial_gradient("L").resize((width, height)))
    )
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Cheap Phone 3"  # Model
    gps = {
        1: "S",  # GPSLatitudeRef
        2: (6.0, 53.0, 51.36),  # GPSLatitude
        3: "E",  # GPSLongitudeRef
        4: (112.0, 3.0, 53.64),  # GPSLongitude
    }
    exif[0x8825] = gps  # GPSInfo IFD
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, exif=exif)
    return out.getvalue()


def fill_new_case(page: Page, summary: str, *, category: str = "PPKS11", severity: str = "high") -> None:
    """Opens the new-case form and fills it, waiting for the (mocked) GPS fix; does not save."""
    page.get_by_test_id("nav-new-case").click()
    page.get_by_test_id("case-category").select_option(category)
    page.get_by_test_id("case-severity").select_option(severity)
    page.get_by_test_id("case-summary").fill(summary)
    expect(page.get_by_test_id("case-coords")).not_to_be_empty()
    expect(page.get_by_test_id("case-save")).to_be_enabled()


def new_case(page: Page, summary: str, **fields: str) -> None:
    """Logs a case through the form and waits for the list to show it."""
    fill_new_case(page, summary, **fields)
    page.get_by_test_id("case-save").click()
    expect(page.get_by_test_id("case-item").filter(has_text=summary)).to_have_count(1)


def open_case(page: Page, summary: str) -> None:
    page.get_by_test_id("nav-cases").click()
    page.get_by_test_id("case-item").filter(has_text=summary).get_by_role("link").click()
    expect(page.get_by_test_id("case-detail")).to_be_visible()


def edit_summary(page: Page, old: str, new: str) -> None:
    """On the list: opens the case, edits its summary, saves (back on the detail view)."""
    open_case(page, old)
    page.get_by_test_id("case-edit").click()
    page.get_by_test_id("case-summary").fill(new)
    page.get_by_test_id("case-save").click()
    expect(page.get_by_test_id("case-detail").get_by_role("heading", level=1)).to_have_text(new)


@pytest.fixture
def case_of(api: Callable[[User | None], Any]) -> Callable[..., dict[str, Any]]:
    """`case_of(ani, summary=...)`: a case reported by ani in Tuban, created through the API (201)."""

    def create(user: User, **fields: Any) -> dict[str, Any]:
        body = {
            "category": "PPKS11",
            "severity": "high",
            "summary": "Lansia tidur di emper toko",
            "location": {"lat": TUBAN["latitude"], "lng": TUBAN["longitude"], "accuracy_m": TUBAN["accuracy"]},
            **fields,
        }
        response = api(user).post("/api/v1/cases/", body, format="json")
        assert response.status_code == 201, response.content
        return response.json()

    return create


def confirm_dialog(page: Page, testid: str = "case-confirm") -> None:
    """Submits the open dialog and waits for it to close (the change is queued and a sync started)."""
    page.get_by_test_id(testid).click()
    expect(page.get_by_test_id(testid)).to_have_count(0)
