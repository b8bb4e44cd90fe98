"""Regions and UPTs in the admin: boundary status, demo service areas; no GDAL-dependent imports."""

from __future__ import annotations

import re
import sys

from django.test import Client

import accounts.admin  # noqa: F401  (admin modules are imported explicitly, not autodiscovered)
import geo.admin  # noqa: F401
from geo.services import regions_import


def admin_client(fajar) -> Client:
    client = Client()
    client.force_login(fajar)
    return client


def test_regions_page_notes_that_lookups_use_label_points_without_boundaries(fajar):
    page = admin_client(fajar).get("/admin/geo/region/").content.decode()

    assert "titik label terdekat" in page
    assert "Kabupaten Tuban" in page


def test_regions_page_shows_imported_boundaries(fajar, synthetic_boundaries):
    regions_import(collection=synthetic_boundaries())

    page = admin_client(fajar).get("/admin/geo/region/").content.decode()

    assert "titik label terdekat" not in page
    assert page.count('alt="True"') >= 38


def test_upt_page_shows_its_service_areas_and_demo_flag(fajar, upt_a):
    upt_a.service_areas.update(is_demo=True)
    client = admin_client(fajar)

    listing = client.get("/admin/geo/upt/").content.decode()
    detail = client.get(f"/admin/geo/upt/{upt_a.pk}/change/").content.decode()

    assert "35.22, 35.23, 35.24" in listing
    assert listing.count('alt="True"') == 2  # active, and serving demo areas
    assert len(re.findall(r'name="service_areas-\d-is_demo"[^>]*checked', detail)) == 3


def test_upt_list_without_demo_areas(fajar, upt_a):
    listing = admin_client(fajar).get("/admin/geo/upt/").content.decode()

    assert listing.count('alt="True"') == 1


def test_the_admin_never_imports_leaflet_admin():
    assert "leaflet.admin" not in sys.modules
    assert "leaflet.forms" not in sys.modules


def test_field_workers_cannot_open_the_admin(ani):
    client = Client()
    client.force_login(ani)

    assert client.get("/admin/geo/region/").status_code == 302
