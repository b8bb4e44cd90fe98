"""The notifications API: one's own inbox, marking read, Web Push subscriptions, public config."""

from __future__ import annotations

import base64
import uuid
from datetime import timedelta

import pytest

from notifications.models import Kind, Notification, PushSubscription
from notifications.services import notify

pytestmark = pytest.mark.django_db

P256DH = base64.urlsafe_b64encode(b"\x04" + b"\x11" * 64).rstrip(b"=").decode()
AUTH = base64.urlsafe_b64encode(b"\x22" * 16).rstrip(b"=").decode()
ENDPOINT = "https://fcm.googleapis.com/fcm/send/abc123"


def subscription(**overrides: object) -> dict:
    body: dict = {"endpoint": ENDPOINT, "keys": {"p256dh": P256DH, "auth": AUTH}}
    body.update(overrides)
    return body


@pytest.fixture
def inbox(new_case, budi, dewi, eko):
    """budi has three notifications (one read), dewi one."""
    case = new_case()
    for n in range(3):
        notify(recipients=[budi], case=case, kind=Kind.CASE_UPDATED, event_key=f"updated:{n}")
    notify(recipients=[dewi], case=case, kind=Kind.CASE_ESCALATED, event_key="escalated:1", params={"level": 1})
    first = Notification.objects.filter(recipient=budi).earliest("event_key")
    Notification.objects.filter(id=first.id).update(read_at=first.created_at + timedelta(minutes=1))
    return case


def test_the_inbox_lists_only_ones_own_notifications(api, budi, inbox) -> None:
    response = api(budi).get("/api/v1/notifications/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"next", "previous", "results"}
    assert len(body["results"]) == 3
    assert set(body["results"][0]) == {"id", "kind", "case_id", "title", "body", "created_at", "read_at"}
    assert {r["case_id"] for r in body["results"]} == {str(inbox.id)}


def test_unread_1_leaves_out_what_was_read(api, budi, inbox) -> None:
    results = api(budi).get("/api/v1/notifications/?unread=1").json()["results"]
    assert len(results) == 2 and all(r["read_at"] is None for r in results)


@pytest.mark.parametrize("value", ["2", "yes", "-1"])
def test_an_unread_value_other_than_1_or_0_is_a_400(api, budi, inbox, value) -> None:
    response = api(budi).get(f"/api/v1/notifications/?unread={value}")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["unread"]


def test_unread_0_or_empty_lists_everything(api, budi, inbox) -> None:
    for query in ("unread=0", "unread=", "unread=false"):
        assert len(api(budi).get(f"/api/v1/notifications/?{query}").json()["results"]) == 3, query


def test_the_inbox_is_paginated(api, budi, inbox) -> None:
    body = api(budi).get("/api/v1/notifications/?page_size=2").json()
    assert len(body["results"]) == 2 and body["next"] is not None


def test_marking_read_is_idempotent(api, budi, inbox) -> None:
    notification = Notification.objects.filter(recipient=budi, read_at__isnull=True).earliest("event_key")
    first = api(budi).post(f"/api/v1/notifications/{notification.id}/read/")
    again = api(budi).post(f"/api/v1/notifications/{notification.id}/read/")
    assert first.status_code == again.status_code == 200
    assert first.json()["read_at"] is not None and first.json()["read_at"] == again.json()["read_at"]


def test_someone_elses_notification_is_not_found(api, budi, dewi, inbox) -> None:
    dewis = Notification.objects.get(recipient=dewi)
    response = api(budi).post(f"/api/v1/notifications/{dewis.id}/read/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert Notification.objects.get(id=dewis.id).read_at is None
    assert api(budi).post(f"/api/v1/notifications/{uuid.uuid4()}/read/").status_code == 404
    assert api(budi).post("/api/v1/notifications/not-a-uuid/read/").status_code == 404


def test_the_inbox_needs_a_login(api) -> None:
    response = api(None).get("/api/v1/notifications/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_push_subscription_is_saved_once_per_endpoint(api, budi, dewi) -> None:
    first = api(budi).post("/api/v1/push/subscriptions/", subscription(), format="json")
    again = api(budi).post("/api/v1/push/subscriptions/", subscription(), format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["endpoint"] == ENDPOINT
    # The phone changed hands: the same browser now pushes to dewi.
    assert api(dewi).post("/api/v1/push/subscriptions/", subscription(), format="json").status_code == 200
    assert list(PushSubscription.objects.values_list("user__username", flat=True)) == ["dewi"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (subscription(endpoint="http://push.example.com/x"), "endpoint"),
        (subscription(endpoint="not a url"), "endpoint"),
        (subscription(keys={"p256dh": "abc", "auth": AUTH}), "keys.p256dh"),
        (subscription(keys={"p256dh": P256DH, "auth": "!!"}), "keys.auth"),
        (subscription(keys={"p256dh": P256DH}), "keys.auth"),
        (subscription(keys={"p256dh": P256DH, "auth": AUTH, "extra": 1}), "keys.extra"),
        (subscription(expirationTime=None), "expirationTime"),
        ({"keys": {"p256dh": P256DH, "auth": AUTH}}, "endpoint"),
    ],
)
def test_a_bad_push_subscription_is_refused_and_nothing_saved(api, budi, body: dict, field: str) -> None:
    response = api(budi).post("/api/v1/push/subscriptions/", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert field in response.json()["error"]["fields"]
    assert not PushSubscription.objects.exists()


def test_a_push_subscription_body_that_is_not_an_object_is_refused(api, budi) -> None:
    response = api(budi).post("/api/v1/push/subscriptions/", [1, 2], format="json")
    assert response.status_code == 400


def test_the_vapid_public_key_is_served(api, budi, settings) -> None:
    settings.VAPID_PUBLIC_KEY = "BPublicKey"
    assert api(budi).get("/api/v1/push/vapid-public-key/").json() == {"public_key": "BPublicKey"}


def test_the_pwa_config_is_public(api, settings) -> None:
    settings.VAPID_PUBLIC_KEY = "BPublicKey"
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    response = api(None).get("/api/v1/config/")
    assert response.status_code == 200
    assert response.json() == {
        "map_tile_url": "https://tiles.example.org/{z}/{x}/{y}.png",
        "vapid_public_key": "BPublicKey",
    }


def test_the_schema_documents_the_notification_endpoints(api, budi) -> None:
    response = api(budi).get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/notifications/",
        "/api/v1/notifications/{notification_id}/read/",
        "/api/v1/push/subscriptions/",
        "/api/v1/push/vapid-public-key/",
        "/api/v1/config/",
    ):
        assert path in paths
