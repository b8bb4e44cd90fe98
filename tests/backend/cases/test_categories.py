"""`GET /api/v1/categories/`: the 26 PPKS, for any signed-in user (the PWA caches them for offline use)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("persona", ["ani", "budi", "eko", "fajar"])
def test_every_signed_in_user_gets_the_26_categories(api, personas, persona) -> None:
    response = api(personas[persona]).get("/api/v1/categories/")

    assert response.status_code == 200
    categories = response.json()
    assert len(categories) == 26
    assert [c["code"] for c in categories] == [f"PPKS{n:02d}" for n in range(1, 27)]
    assert categories[10] == {"code": "PPKS11", "name": "Gelandangan", "name_en": "Homeless person / vagrant"}


def test_anonymous_users_get_a_401(api, db) -> None:
    assert api(None).get("/api/v1/categories/").status_code == 401
