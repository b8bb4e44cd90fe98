"""Budi, commander of UPT A, acknowledges Ani's new case and sends her; her phone shows it is hers."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cases.models import Case, Status
from tests.e2e.conftest import E2E_DB, confirm_dialog, new_case, open_case, sync_now, wait_for_sync

pytestmark = [pytest.mark.browser, E2E_DB]

SUMMARY = "Orang dengan gangguan jiwa di alun-alun"


def detail_row(page, label: str):
    return page.get_by_test_id("case-detail").locator("dt", has_text=label).locator("xpath=following-sibling::dd[1]")


def test_the_commander_acknowledges_and_dispatches_and_the_worker_sees_the_assignment(page_for, ani, budi, hadi):
    ani_page = page_for(ani)
    new_case(ani_page, SUMMARY, severity="critical")
    wait_for_sync(ani_page)
    case = Case.objects.get()
    assert case.upt is not None and case.upt.code == "RSBG-TUBAN"  # routed to Budi's UPT

    budi_page = page_for(budi)
    open_case(budi_page, SUMMARY)
    budi_page.get_by_test_id("case-action-acknowledge").click()
    confirm_dialog(budi_page)
    wait_for_sync(budi_page)
    case.refresh_from_db()
    assert case.status == Status.ACKNOWLEDGED

    budi_page.get_by_test_id("case-action-dispatch").click()
    assignee = budi_page.get_by_test_id("dispatch-assignee")
    expect(assignee.locator("option[value='ani']")).to_have_count(1)
    expect(assignee.locator("option[value='hadi']")).to_have_count(1)
    assignee.select_option("ani")
    confirm_dialog(budi_page)
    wait_for_sync(budi_page)
    case.refresh_from_db()
    assert (case.status, case.assignee) == (Status.DISPATCHED, ani)
    assert case.version == 3  # create, acknowledge, dispatch
    expect(detail_row(budi_page, "Petugas")).to_have_text("ani")

    sync_now(ani_page)
    open_case(ani_page, SUMMARY)
    expect(detail_row(ani_page, "Status")).to_have_text("Ditugaskan")
    expect(detail_row(ani_page, "Petugas")).to_have_text("ani")
    expect(ani_page.get_by_test_id("case-action-start")).to_be_visible()  # hers to start now


def test_a_worker_dispatched_a_case_she_did_not_report_finds_it_in_her_list(page_for, ani, budi, hadi, case_of):
    case_id = case_of(ani, summary=SUMMARY)["id"]
    hadi_page = page_for(hadi)
    expect(hadi_page.get_by_test_id("case-item")).to_have_count(0)

    budi_page = page_for(budi)
    open_case(budi_page, SUMMARY)
    budi_page.get_by_test_id("case-action-dispatch").click()
    budi_page.get_by_test_id("dispatch-assignee").select_option("hadi")
    confirm_dialog(budi_page)
    wait_for_sync(budi_page)
    assert Case.objects.get(pk=case_id).assignee == hadi

    sync_now(hadi_page)
    expect(hadi_page.get_by_test_id("case-item").filter(has_text=SUMMARY)).to_have_count(1)
    open_case(hadi_page, SUMMARY)
    expect(detail_row(hadi_page, "Petugas")).to_have_text("hadi")
