"""Token login, logout and /me/ (API.md "Auth")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from accounts.models import AuthToken, hash_token


def test_login_answers_a_token_its_expiry_and_the_user(ani, log_in):
    response = log_in(ani)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expires_at", "user"}
    assert body["user"] == {
        "username": "ani",
        "full_name": "Ani",
        "role": "field_worker",
        "upt": {"code": "RSBG-TUBAN", "name": "UPT Rehabilitasi Sosial Bina Grahita Tuban"},
    }
    expires_at = parse_datetime(body["expires_at"])
    assert expires_at is not None
    assert timedelta(days=29, hours=23) < expires_at - datetime.now(UTC) <= timedelta(days=30)


def test_only_the_hash_of_a_token_is_stored(ani, log_in):
    token = log_in(ani).json()["token"]

    stored = AuthToken.objects.get(user=ani)
    assert stored.key_hash == hash_token(token)
    assert token not in stored.key_hash


def test_the_token_authenticates_me(ani, log_in, bearer):
    token = log_in(ani).json()["token"]

    response = bearer(token).get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json()["username"] == "ani"


def test_me_of_a_manager_has_no_upt(eko, api):
    assert api(eko).get("/api/v1/me/").json() == {
        "username": "eko",
        "full_name": "Eko",
        "role": "manager",
        "upt": None,
    }


def test_me_needs_authentication(api):
    response = api(None).get("/api/v1/me/")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_wrong_password_is_401_in_the_error_envelope(ani, log_in):
    response = log_in(ani, password="salah-sekali")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert not AuthToken.objects.exists()


def test_an_unknown_user_gets_the_same_answer_as_a_wrong_password(ani, log_in):
    unknown = log_in("tidak-ada", password="salah-sekali")
    wrong = log_in(ani, password="salah-sekali")

    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()


def test_an_inactive_user_cannot_log_in(ani, log_in):
    ani.is_active = False
    ani.save()

    assert log_in(ani).status_code == 401


def test_a_login_body_with_unknown_or_missing_fields_is_400(ani):
    client = APIClient()

    extra = client.post(
        "/api/v1/auth/token/", {"username": "ani", "password": "x", "device": "hp"}, format="json"
    ).json()
    missing = client.post("/api/v1/auth/token/", {"username": "ani"}, format="json").json()
    not_json = client.post("/api/v1/auth/token/", "{oops", content_type="application/json")

    assert extra["error"]["code"] == "invalid" and "device" in extra["error"]["fields"]
    assert list(missing["error"]["fields"]) == ["password"]
    assert not_json.status_code == 400


def test_a_stale_token_on_the_login_request_does_not_block_the_login(ani, log_in):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer expired-or-revoked")

    assert log_in(ani, client=client).status_code == 200


def test_logging_in_on_a_second_device_keeps_the_first_token_valid(ani, log_in, bearer):
    phone = log_in(ani, HTTP_USER_AGENT="Android phone").json()["token"]
    tablet = log_in(ani, HTTP_USER_AGENT="Tablet").json()["token"]

    assert phone != tablet
    assert bearer(phone).get("/api/v1/me/").status_code == 200
    assert bearer(tablet).get("/api/v1/me/").status_code == 200
    assert set(AuthToken.objects.filter(user=ani).values_list("user_agent", flat=True)) == {"Android phone", "Tablet"}


def test_logout_revokes_only_the_token_used(ani, log_in, bearer):
    phone = log_in(ani).json()["token"]
    tablet = log_in(ani).json()["token"]

    response = bearer(phone).post("/api/v1/auth/logout/")

    assert response.status_code == 204
    assert bearer(phone).get("/api/v1/me/").status_code == 401
    assert bearer(tablet).get("/api/v1/me/").status_code == 200


def test_logout_needs_authentication(api):
    assert api(None).post("/api/v1/auth/logout/").status_code == 401


def test_a_malformed_authorization_header_is_401_never_500(ani, bearer):
    for header in ("Bearer", "Bearer a b", "Bearer " + "x" * 500, "Bearer é"):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=header)
        response = client.get("/api/v1/me/")
        assert response.status_code == 401, header
        assert response.json()["error"]["code"] == "not_authenticated"
