"""Session login for the same-origin PWA and dashboard: CSRF-protected, logout ends the session."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from rest_framework.test import APIClient

from accounts.models import UserSession
from tests.conftest import PASSWORD


def csrf_client() -> tuple[APIClient, str]:
    client = APIClient(enforce_csrf_checks=True)
    assert client.get("/api/v1/auth/session/").status_code == 204
    return client, client.cookies["csrftoken"].value


def test_session_login_with_the_csrf_token_sets_a_session(ani):
    client, csrf = csrf_client()

    response = client.post(
        "/api/v1/auth/session/", {"username": "ani", "password": PASSWORD}, format="json", HTTP_X_CSRFTOKEN=csrf
    )

    assert response.status_code == 200
    assert response.json()["user"]["username"] == "ani"
    assert client.get("/api/v1/me/").json()["username"] == "ani"
    assert UserSession.objects.filter(user=ani).count() == 1


def test_session_login_without_the_csrf_token_is_refused(ani):
    client, _ = csrf_client()

    response = client.post("/api/v1/auth/session/", {"username": "ani", "password": PASSWORD}, format="json")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert client.get("/api/v1/me/").status_code == 401


def test_session_login_with_a_wrong_password_is_401(ani):
    client, csrf = csrf_client()

    response = client.post(
        "/api/v1/auth/session/", {"username": "ani", "password": "salah"}, format="json", HTTP_X_CSRFTOKEN=csrf
    )

    assert response.status_code == 401


def test_logout_ends_the_session(ani):
    client, csrf = csrf_client()
    client.post(
        "/api/v1/auth/session/", {"username": "ani", "password": PASSWORD}, format="json", HTTP_X_CSRFTOKEN=csrf
    )
    csrf = client.cookies["csrftoken"].value  # rotated at login

    response = client.post("/api/v1/auth/logout/", HTTP_X_CSRFTOKEN=csrf)

    assert response.status_code == 204
    assert client.get("/api/v1/me/").status_code == 401
    assert not UserSession.objects.filter(user=ani).exists()
    assert not Session.objects.exists()


def test_session_logout_needs_the_csrf_token(ani):
    client, csrf = csrf_client()
    client.post(
        "/api/v1/auth/session/", {"username": "ani", "password": PASSWORD}, format="json", HTTP_X_CSRFTOKEN=csrf
    )

    assert client.post("/api/v1/auth/logout/").status_code == 403
    assert client.get("/api/v1/me/").status_code == 200


def test_records_of_expired_sessions_are_dropped_at_the_next_login(ani):
    from datetime import timedelta

    from django.utils import timezone

    client, csrf = csrf_client()
    client.post(
        "/api/v1/auth/session/", {"username": "ani", "password": PASSWORD}, format="json", HTTP_X_CSRFTOKEN=csrf
    )
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    client, csrf = csrf_client()
    client.post(
        "/api/v1/auth/session/", {"username": "ani", "password": PASSWORD}, format="json", HTTP_X_CSRFTOKEN=csrf
    )

    assert UserSession.objects.filter(user=ani).count() == 1
