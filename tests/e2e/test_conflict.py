"""Ani and Budi change the same case's summary without signal; the second to sync chooses, once."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cases.models import Case
from tests.e2e.conftest import E2E_DB, edit_summary, last_sync, open_case, sync_now, synced_after, wait_for_sync

pytestmark = [pytest.mark.browser, E2E_DB]

ORIGINAL = "Lansia tidur di emper toko"
ANIS = "Lansia di emper toko, sudah diberi makan"
BUDIS = "Lansia di emper toko, keluarga dihubungi"


@pytest.mark.parametrize("choice", ["keep-mine", "keep-server"])
def test_the_second_to_sync_sees_both_values_and_the_choice_wins(page_for, ani, budi, case_of, choice):
    case_id = case_of(ani, summary=ORIGINAL)["id"]
    ani_page, budi_page = page_for(ani), page_for(budi)
    for page in (ani_page, budi_page):
        expect(page.get_by_test_id("case-item").filter(has_text=ORIGINAL)).to_have_count(1)
        page.context.set_offline(True)

    edit_summary(ani_page, ORIGINAL, ANIS)
    edit_summary(budi_page, ORIGINAL, BUDIS)
    for page in (ani_page, budi_page):
        expect(page.get_by_test_id("outbox-count")).to_have_text("1")

    ani_page.context.set_offline(False)
    sync_now(ani_page)
    wait_for_sync(ani_page)
    assert Case.objects.values_list("summary", "version").get(pk=case_id) == (ANIS, 2)

    budi_page.context.set_offline(False)
    sync_now(budi_page)
    wait_for_sync(budi_page)
    banner = budi_page.get_by_test_id("conflict-banner")
    expect(banner).to_be_visible()
    row = banner.locator("tr[data-field='summary']")
    expect(row.get_by_test_id("conflict-mine-value")).to_have_text(BUDIS)
    expect(row.get_by_test_id("conflict-server-value")).to_have_text(ANIS)
    assert Case.objects.values_list("summary", "version").get(pk=case_id) == (ANIS, 2)  # nothing written yet

    before = last_sync(budi_page)
    budi_page.get_by_test_id(f"conflict-{choice}").click()
    expect(banner).to_have_count(0)
    synced_after(budi_page, before)  # the choice is pushed at once
    wait_for_sync(budi_page)

    final, version = (BUDIS, 3) if choice == "keep-mine" else (ANIS, 2)
    assert Case.objects.values_list("summary", "version").get(pk=case_id) == (final, version)
    open_case(budi_page, final)
    expect(budi_page.get_by_test_id("case-detail").get_by_role("heading", level=1)).to_have_text(final)

    # Ani's phone converges on the same value at her next sync.
    sync_now(ani_page)
    wait_for_sync(ani_page)
    open_case(ani_page, final)
    expect(ani_page.get_by_test_id("case-detail").get_by_role("heading", level=1)).to_have_text(final)
    expect(ani_page.get_by_test_id("conflict-banner")).to_have_count(0)
