"""Users in the admin: role and UPT rules on the add form."""

from __future__ import annotations

from django.test import Client

import accounts.admin  # noqa: F401  (admin modules are imported explicitly, not autodiscovered)
from accounts.models import User


def add_form(fajar, **fields: object):
    client = Client()
    client.force_login(fajar)
    data = {"username": "sari", "full_name": "Sari", "password1": "kuat-sekali-99", "password2": "kuat-sekali-99"}
    return client.post("/admin/accounts/user/add/", {**data, **fields})


def test_adding_a_field_worker_with_a_upt(fajar, upt_a):
    response = add_form(fajar, role="field_worker", upt=upt_a.pk)

    assert response.status_code == 302
    assert User.objects.get(username="sari").upt == upt_a


def test_a_field_worker_without_upt_is_refused_with_a_message(fajar, upt_a):
    response = add_form(fajar, role="field_worker", upt="")

    assert response.status_code == 200
    assert "wajib terdaftar di satu UPT" in response.content.decode()
    assert not User.objects.filter(username="sari").exists()


def test_an_admin_added_in_the_admin_is_staff(fajar):
    add_form(fajar, role="admin", upt="")

    sari = User.objects.get(username="sari")
    assert sari.is_staff and sari.is_superuser


def test_the_user_list_shows_role_and_upt(fajar, ani):
    client = Client()
    client.force_login(fajar)

    page = client.get("/admin/accounts/user/?role=field_worker").content.decode()

    assert "ani" in page and "UPT Rehabilitasi Sosial Bina Grahita Tuban" in page
