"""Admins edit SLA policies; the record of escalations and notifications is read-only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib import admin

import escalation.admin  # noqa: F401  (registered explicitly, as config/urls.py does)
import notifications.admin  # noqa: F401
from escalation.models import EscalationStep, SlaPolicy
from escalation.services import escalation_sweep
from notifications.models import Delivery, Notification

pytestmark = pytest.mark.django_db


def test_an_admin_edits_an_sla_policy(fajar, client) -> None:
    client.force_login(fajar)
    policy = SlaPolicy.objects.get(severity="critical", category__isnull=True)
    response = client.post(
        f"/admin/escalation/slapolicy/{policy.pk}/change/",
        {"severity": "critical", "category": "", "ack_minutes": "20", "resolve_minutes": "720"},
    )
    assert response.status_code == 302
    policy.refresh_from_db()
    assert (policy.ack_minutes, policy.resolve_minutes) == (20, 720)


def test_a_zero_minute_policy_is_refused(fajar, client) -> None:
    client.force_login(fajar)
    policy = SlaPolicy.objects.get(severity="low", category__isnull=True)
    response = client.post(
        f"/admin/escalation/slapolicy/{policy.pk}/change/",
        {"severity": "low", "category": "", "ack_minutes": "0", "resolve_minutes": "720"},
    )
    assert response.status_code == 200  # the form again, with the error
    policy.refresh_from_db()
    assert policy.ack_minutes == 24 * 60


@pytest.mark.parametrize("model", [EscalationStep, Notification, Delivery])
def test_the_record_is_read_only(rf, fajar, model) -> None:
    model_admin = admin.site._registry[model]
    request = rf.get("/admin/")
    request.user = fajar
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.has_view_permission(request)


@pytest.mark.parametrize(
    "page",
    [
        "escalation/slapolicy/",
        "escalation/escalationstep/",
        "notifications/notification/",
        "notifications/delivery/",
        "notifications/pushsubscription/",
    ],
)
def test_the_admin_pages_open(fajar, client, page: str, new_case, budi, eko, t0) -> None:
    case = new_case(severity="critical")
    escalation_sweep(now=t0 + timedelta(minutes=61))
    Delivery.objects.create(
        notification=Notification.objects.earliest("created_at"), channel="email", next_attempt_at=t0
    )
    client.force_login(fajar)
    response = client.get(f"/admin/{page}")
    assert response.status_code == 200
    if page != "notifications/pushsubscription/" and page != "escalation/slapolicy/":
        assert case.reference in response.content.decode() or "email" in response.content.decode()
