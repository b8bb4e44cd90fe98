"""Signing out with work the server does not have asks first, keeps the work, and sends it after signing in again."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import AuthToken
from cases.models import Case
from tests.e2e.conftest import E2E_DB, confirm_dialog, login_and_sync, new_case, wait_for_sync

pytestmark = [pytest.mark.browser, E2E_DB]

SUMMARY = "Korban kekerasan, perlu pendampingan"


def server_unavailable(route) -> None:
    route.fulfill(
        status=503, content_type="application/json", body='{"error": {"code": "unavailable", "message": "maintenance"}}'
    )


def test_logout_with_pending_work_asks_keeps_it_and_pushes_it_after_the_same_user_signs_in(page_for, ani):
    page = page_for(ani)
    page.route("**/api/v1/sync/push/", server_unavailable)
    new_case(page, SUMMARY)
    expect(page.get_by_test_id("outbox-count")).to_have_text("1")

    page.get_by_test_id("nav-menu").click()
    page.get_by_test_id("logout").click()
    confirm_dialog(page, "logout-cancel")
    expect(page.get_by_test_id("outbox-count")).to_have_text("1")  # still signed in, nothing lost

    page.get_by_test_id("nav-menu").click()
    page.get_by_test_id("logout").click()
    confirm_dialog(page, "logout-confirm")
    expect(page.get_by_test_id("login-submit")).to_be_visible()
    expect(page.get_by_test_id("login-username")).to_have_value("ani")
    assert not AuthToken.objects.filter(user=ani).exists()  # the server revoked the token
    assert Case.objects.count() == 0

    page.unroute("**/api/v1/sync/push/")
    login_and_sync(page, ani)
    wait_for_sync(page)
    case = Case.objects.get()
    assert (case.summary, case.reported_by) == (SUMMARY, ani)
    expect(page.get_by_test_id("case-item").filter(has_text=case.reference)).to_have_count(1)


def test_without_pending_work_logout_does_not_ask(page_for, ani):
    page = page_for(ani)
    page.get_by_test_id("nav-menu").click()
    page.get_by_test_id("logout").click()
    expect(page.get_by_test_id("login-submit")).to_be_visible()
    expect(page.get_by_test_id("logout-confirm")).to_have_count(0)


def test_another_user_on_the_same_phone_never_pushes_the_first_users_work(page_for, ani, hadi):
    page = page_for(ani)
    page.route("**/api/v1/sync/push/", server_unavailable)
    new_case(page, SUMMARY)
    page.get_by_test_id("nav-menu").click()
    page.get_by_test_id("logout").click()
    confirm_dialog(page, "logout-confirm")
    page.unroute("**/api/v1/sync/push/")

    login_and_sync(page, hadi)
    wait_for_sync(page)
    expect(page.get_by_test_id("case-item")).to_have_count(0)
    assert Case.objects.count() == 0

    page.get_by_test_id("nav-menu").click()
    page.get_by_test_id("logout").click()
    login_and_sync(page, ani)
    wait_for_sync(page)
    assert Case.objects.get().reported_by == ani
