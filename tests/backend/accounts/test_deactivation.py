"""Deactivating a user revokes all their tokens and sessions at once: service, admin action, admin form."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.test import Client

import accounts.admin  # noqa: F401  (admin modules are imported explicitly, not autodiscovered)
from accounts.models import AuthToken, UserSession
from accounts.services import user_deactivate
from tests.conftest import PASSWORD


def logged_in_everywhere(user, log_in) -> tuple[list[str], Client]:
    tokens = [log_in(user).json()["token"] for _ in range(2)]
    browser = Client()
    assert browser.login(username=user.username, password=PASSWORD)
    return tokens, browser


def test_deactivation_revokes_every_token_and_session(ani, eko, log_in, bearer):
    tokens, browser = logged_in_everywhere(ani, log_in)

    user_deactivate(actor=eko, user=ani)

    ani.refresh_from_db()
    assert not ani.is_active
    assert all(bearer(token).get("/api/v1/me/").status_code == 401 for token in tokens)
    assert browser.get("/api/v1/me/").status_code == 401
    assert not AuthToken.objects.filter(user=ani).exists()
    assert not UserSession.objects.filter(user=ani).exists()
    assert not Session.objects.exists()


def test_deactivation_leaves_other_users_logged_in(ani, hadi, eko, log_in, bearer):
    hadi_token = log_in(hadi).json()["token"]
    _, hadi_browser = logged_in_everywhere(hadi, log_in)
    logged_in_everywhere(ani, log_in)

    user_deactivate(actor=eko, user=ani)

    assert bearer(hadi_token).get("/api/v1/me/").status_code == 200
    assert hadi_browser.get("/api/v1/me/").status_code == 200


def test_an_inactive_users_token_is_refused_even_if_still_stored(ani, log_in, bearer):
    token = log_in(ani).json()["token"]
    ani.is_active = False
    ani.save()

    assert bearer(token).get("/api/v1/me/").status_code == 401


def test_the_admin_action_deactivates_and_revokes(ani, hadi, fajar, log_in, bearer):
    ani_token = log_in(ani).json()["token"]
    hadi_token = log_in(hadi).json()["token"]
    admin = Client()
    admin.force_login(fajar)

    response = admin.post(
        "/admin/accounts/user/",
        {"action": "deactivate_users", "_selected_action": [ani.pk, hadi.pk]},
    )

    assert response.status_code == 302
    assert bearer(ani_token).get("/api/v1/me/").status_code == 401
    assert bearer(hadi_token).get("/api/v1/me/").status_code == 401
    assert not AuthToken.objects.filter(user__in=[ani, hadi]).exists()


def test_unticking_active_in_the_admin_form_revokes(ani, fajar, log_in, bearer):
    token = log_in(ani).json()["token"]
    _, browser = logged_in_everywhere(ani, log_in)
    admin = Client()
    admin.force_login(fajar)

    response = admin.post(
        f"/admin/accounts/user/{ani.pk}/change/",
        {
            "username": "ani",
            "full_name": "Ani",
            "email": "",
            "phone": "",
            "language": "id",
            "role": "field_worker",
            "upt": ani.upt_id,
            # is_active unticked
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    ani.refresh_from_db()
    assert not ani.is_active
    assert bearer(token).get("/api/v1/me/").status_code == 401
    assert browser.get("/api/v1/me/").status_code == 401
