"""Ani logs a case with a photo in a village with no signal; it reaches the server once, without EXIF."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from cases.models import Attachment, Case
from tests.e2e.conftest import E2E_DB, jpeg_with_gps, sync_now, wait_for_sync, wait_until_controlled

pytestmark = [pytest.mark.browser, E2E_DB]

# The photos kept in the app's IndexedDB (db.ts: `photos` of `jsc-user-<username>`), base64-encoded.
STORED_PHOTOS = """
async (name) => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const rows = await new Promise((resolve) => {
    const request = db.transaction("photos").objectStore("photos").getAll();
    request.onsuccess = () => resolve(request.result);
  });
  db.close();
  const encode = async (blob) => {
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let text = "";
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(text);
  };
  return Promise.all(rows.map((row) => encode(row.blob)));
}
"""


def test_a_case_with_a_photo_made_offline_reaches_the_server_once_without_exif(page_for, ani):
    page = page_for(ani)
    wait_until_controlled(page)

    page.context.set_offline(True)
    page.reload()  # the shell comes from the service worker, the session from IndexedDB
    expect(page.get_by_test_id("offline-note")).to_be_visible()
    expect(page.get_by_test_id("outbox-count")).to_have_text("0")

    page.get_by_test_id("nav-new-case").click()
    page.get_by_test_id("case-category").select_option("PPKS11")
    page.get_by_test_id("case-severity").select_option("high")
    page.get_by_test_id("case-summary").fill("Lansia tidur di emper toko, tampak lemah")
    expect(page.get_by_test_id("case-coords")).to_contain_text("-6.930000")
    expect(page.get_by_test_id("map-unavailable")).to_be_visible()  # no tiles offline: a note, not a blank map
    page.get_by_test_id("case-photo").set_input_files(
        {"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}
    )
    expect(page.locator(".thumbs img")).to_have_count(1)
    expect(page.get_by_test_id("case-save")).to_be_enabled()
    page.get_by_test_id("case-save").click()

    # The case and its photo upload are two operations the server has not accepted yet.
    expect(page.get_by_test_id("outbox-count")).to_have_text("2")
    expect(page.get_by_test_id("case-item")).to_have_count(1)
    assert Case.objects.count() == 0

    # What waits on the phone to be sent is already shrunk and stripped of its metadata.
    kept = page.evaluate(STORED_PHOTOS, "jsc-user-ani")
    assert len(kept) == 1
    with Image.open(io.BytesIO(base64.b64decode(kept[0]))) as on_device:
        assert (on_device.format, max(on_device.size)) == ("JPEG", 1600)
        assert len(on_device.getexif()) == 0

    page.context.set_offline(False)
    sync_now(page)
    wait_for_sync(page)

    case = Case.objects.get()
    assert case.summary == "Lansia tidur di emper toko, tampak lemah"
    assert (case.reported_by, case.category_id, case.severity) == (ani, "PPKS11", "high")
    assert (case.lat, case.lng, case.accuracy_m) == (-6.93, 111.95, 12)
    attachment = Attachment.objects.get()
    assert attachment.case == case
    with attachment.file.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert max(image.size) <= 1600
        exif = image.getexif()
        assert len(exif) == 0
        assert exif.get_ifd(0x8825) == {}
    expect(page.get_by_test_id("case-item")).to_contain_text(case.reference)
