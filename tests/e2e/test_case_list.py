"""A worker with many cases: the list shows every one of them, in order, each time she comes back to it."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import E2E_DB, TUBAN, open_case

pytestmark = [pytest.mark.browser, E2E_DB]

CASES = 180  # more than the app paints before the first frame: the rest arrive in slices


def test_every_case_is_listed_newest_first_after_coming_back_from_a_case(page_for, ani, api):
    operations = [
        {
            "op_id": str(uuid.uuid4()),
            "kind": "case.create",
            "case_id": str(uuid.uuid4()),
            "client_time": "2026-11-30T01:00:00Z",
            "fields": {
                "category": "PPKS11",
                "severity": "medium",
                "summary": f"Gelandangan nomor {n:03d}",
                "location": {"lat": TUBAN["latitude"], "lng": TUBAN["longitude"], "accuracy_m": 10.0},
                "observed_at": "2026-11-30T01:00:00Z",
            },
        }
        for n in range(CASES)
    ]
    response = api(ani).post("/api/v1/sync/push/", {"device_id": "hp-lama", "operations": operations}, format="json")
    assert response.status_code == 200
    assert {result["status"] for result in response.json()["results"]} == {"applied"}

    page = page_for(ani)
    items = page.get_by_test_id("case-item")
    expect(items).to_have_count(CASES)
    expect(items.first).to_contain_text(f"Gelandangan nomor {CASES - 1:03d}")  # the latest change first
    expect(items.last).to_contain_text("Gelandangan nomor 000")

    open_case(page, "Gelandangan nomor 000")
    page.get_by_test_id("nav-cases").click()
    expect(items).to_have_count(CASES)
    expect(items.last).to_contain_text("Gelandangan nomor 000")
