"""The server applied Ani's push but the answer never reached the phone: retrying duplicates nothing."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from cases.models import Attachment, Case
from tests.e2e.conftest import E2E_DB, fill_new_case, jpeg_with_gps, new_case, sync_now, wait_for_sync

pytestmark = [pytest.mark.browser, E2E_DB]


class LoseFirstAnswer:
    """A route handler that lets the first request reach the server, then cuts the answer to the page."""

    def __init__(self) -> None:
        self.requests = 0

    def __call__(self, route: Any) -> None:
        self.requests += 1
        if self.requests == 1:
            route.fetch()  # the server receives and applies it...
            route.abort("connectionreset")  # ...but the phone hears nothing
        else:
            route.continue_()


def test_a_push_whose_answer_was_lost_is_retried_without_a_duplicate(page_for, ani):
    page = page_for(ani)
    lose = LoseFirstAnswer()
    page.route("**/api/v1/sync/push/", lose)

    with page.expect_event("requestfailed", lambda request: request.url.endswith("/sync/push/")):
        new_case(page, "Anak jalanan di perempatan Pasar Baru")

    assert Case.objects.count() == 1  # applied on the server...
    expect(page.get_by_test_id("outbox-count")).to_have_text("1")  # ...still waiting on the phone

    sync_now(page)
    wait_for_sync(page)

    assert lose.requests >= 2
    case = Case.objects.get()
    assert case.summary == "Anak jalanan di perempatan Pasar Baru"
    assert case.version == 1
    expect(page.get_by_test_id("case-item")).to_contain_text(case.reference)


def test_a_photo_upload_whose_answer_was_lost_is_stored_once(page_for, ani):
    page = page_for(ani)
    lose = LoseFirstAnswer()
    page.route("**/api/v1/cases/*/attachments/*/", lose)

    fill_new_case(page, "Lansia terlantar di pos ronda")
    page.get_by_test_id("case-photo").set_input_files(
        {"name": "a.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}
    )
    expect(page.locator(".thumbs img")).to_have_count(1)
    with page.expect_event("requestfailed", lambda request: "/attachments/" in request.url):
        page.get_by_test_id("case-save").click()

    assert Attachment.objects.count() == 1
    expect(page.get_by_test_id("outbox-count")).to_have_text("1")

    sync_now(page)
    wait_for_sync(page)

    assert lose.requests >= 2
    assert Case.objects.count() == 1
    assert Attachment.objects.get().case == Case.objects.get()
