"""Web Push against a local fake push service: the request is a real RFC 8291/8292 push."""

from __future__ import annotations

import base64
import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import StringIO

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management import call_command
from py_vapid import Vapid

from notifications.models import Delivery, Notification, PushSubscription
from notifications.services import cases_routed_notify
from tests.backend.escalation.helpers import SECRETS

pytestmark = pytest.mark.django_db


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class FakePushService:
    """Answers every push with `status` and keeps what it received."""

    def __init__(self) -> None:
        self.status = 201
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                service.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(service.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakePushService:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def push_service() -> Iterator[FakePushService]:
    with FakePushService() as service:
        yield service


@pytest.fixture
def vapid_keys(settings) -> dict[str, str]:
    out = StringIO()
    call_command("generate_vapid_keys", stdout=out)
    keys = dict(line.split("=", 1) for line in out.getvalue().split())
    settings.VAPID_PUBLIC_KEY = keys["VAPID_PUBLIC_KEY"]
    settings.VAPID_PRIVATE_KEY = keys["VAPID_PRIVATE_KEY"]
    settings.VAPID_SUBJECT = "mailto:jsc@dinsos.jatimprov.go.id"
    return keys


class Browser:
    """The keys a browser makes when it subscribes."""

    def __init__(self) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.p256dh = b64url(public)

    def decrypt(self, body: bytes) -> dict:
        return json.loads(
            http_ece.decrypt(body, private_key=self.private_key, auth_secret=self.auth, version="aes128gcm")
        )


def test_generate_vapid_keys_prints_a_usable_key_pair(vapid_keys) -> None:
    assert set(vapid_keys) == {"VAPID_PUBLIC_KEY", "VAPID_PRIVATE_KEY"}
    vapid = Vapid.from_string(vapid_keys["VAPID_PRIVATE_KEY"])
    public = vapid.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    assert b64url(public) == vapid_keys["VAPID_PUBLIC_KEY"]


def test_a_new_case_is_pushed_to_the_commanders_browser(new_case, budi, vapid_keys, push_service, committed) -> None:
    browser = Browser()
    PushSubscription.objects.create(
        user=budi,
        endpoint=f"{push_service.url}/push/budi-phone",
        p256dh=browser.p256dh,
        auth=b64url(browser.auth),
        created_at=new_case().created_at,
    )
    case = new_case()
    with committed(execute=True):
        cases_routed_notify(case_ids=[case.id])

    assert len(push_service.requests) == 1
    path, headers, body = push_service.requests[0]
    assert path == "/push/budi-phone"
    scheme, _, params = headers["authorization"].partition(" ")
    fields = dict(part.split("=", 1) for part in params.split(","))
    assert scheme == "vapid" and fields["k"] == vapid_keys["VAPID_PUBLIC_KEY"] and fields["t"].count(".") == 2
    assert headers["content-encoding"] == "aes128gcm"
    assert int(headers["ttl"]) > 0
    assert body
    message = browser.decrypt(body)
    notification = Notification.objects.get(case=case)
    assert message == {
        "id": str(notification.id),
        "kind": "case_routed",
        "case_id": str(case.id),
        "title": notification.title,
        "body": notification.body,
    }
    assert not any(secret in json.dumps(message) for secret in SECRETS)
    assert Delivery.objects.get(notification=notification, channel="webpush").status == "sent"


def test_a_subscription_the_push_service_says_is_gone_is_deleted(
    new_case, budi, vapid_keys, push_service, committed
) -> None:
    browser = Browser()
    case = new_case()
    PushSubscription.objects.create(
        user=budi,
        endpoint=f"{push_service.url}/push/old",
        p256dh=browser.p256dh,
        auth=b64url(browser.auth),
        created_at=case.created_at,
    )
    push_service.status = 410
    with committed(execute=True):
        cases_routed_notify(case_ids=[case.id])
    assert len(push_service.requests) == 1
    assert not PushSubscription.objects.exists()
    assert Notification.objects.filter(recipient=budi).count() == 1  # the inbox still has it


def test_a_push_service_outage_is_retried(new_case, budi, vapid_keys, push_service, committed) -> None:
    browser = Browser()
    case = new_case()
    PushSubscription.objects.create(
        user=budi,
        endpoint=f"{push_service.url}/push/p",
        p256dh=browser.p256dh,
        auth=b64url(browser.auth),
        created_at=case.created_at,
    )
    push_service.status = 503
    with committed(execute=True):
        cases_routed_notify(case_ids=[case.id])
    delivery = Delivery.objects.get(channel="webpush")
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert PushSubscription.objects.exists()


def test_without_vapid_keys_nothing_is_queued_for_push(new_case, budi, settings, committed) -> None:
    settings.VAPID_PRIVATE_KEY = ""
    case = new_case()
    PushSubscription.objects.create(
        user=budi,
        endpoint="https://push.example.com/x",
        p256dh=Browser().p256dh,
        auth=b64url(os.urandom(16)),
        created_at=case.created_at,
    )
    with committed(execute=True):
        cases_routed_notify(case_ids=[case.id])
    assert Notification.objects.count() == 1
    assert not Delivery.objects.filter(channel="webpush").exists()
