"""Recording notifications, delivering them on each channel, retrying with backoff, never twice."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from cases.models import Case, Status
from notifications.channels.base import DeliveryFailed
from notifications.models import Delivery, DeliveryStatus, Kind, Notification
from notifications.services import (
    MAX_ATTEMPTS,
    case_assigned_notify,
    cases_routed_notify,
    deliveries_repair,
    deliveries_send,
    notify,
    retry_delay,
    routed_notifications_repair,
)
from notifications.tasks import notify_case_assigned, notify_case_routed
from tests.backend.escalation.helpers import SECRETS

pytestmark = pytest.mark.django_db


def with_email(*users: User) -> None:
    for user in users:
        User.objects.filter(id=user.id).update(email=f"{user.username}@dinsos.jatimprov.go.id")


def test_a_new_case_is_told_to_its_upt_commanders_once(new_case, budi, dewi, eko, mailoutbox, committed) -> None:
    with_email(budi)
    case = new_case()
    with committed(execute=True):
        notify_case_routed.delay(str(case.id))
    with committed(execute=True):
        notify_case_routed.delay(str(case.id))  # a retried task
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind, notification.title) == (
        budi,
        Kind.CASE_ROUTED,
        f"Kasus baru {case.reference}",
    )
    assert notification.body == "Lanjut Usia Terlantar · Kritis · Kabupaten Tuban"
    case.refresh_from_db()
    assert case.routed_notified_at is not None
    assert [m.to for m in mailoutbox] == [["budi@dinsos.jatimprov.go.id"]]
    assert mailoutbox[0].subject == notification.title
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_a_new_case_outside_any_upt_goes_to_the_managers_triage(new_case, budi, eko) -> None:
    case = new_case(upt=None, region=None)
    cases_routed_notify(case_ids=[case.id])
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["eko"]


def test_a_upt_with_no_commander_leaves_it_to_the_managers(new_case, upt_b, eko) -> None:
    case = new_case(upt=upt_b, region="35.09")
    cases_routed_notify(case_ids=[case.id])
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["eko"]


def test_a_case_already_resolved_is_marked_but_not_announced(new_case, budi) -> None:
    case = new_case(status=Status.RESOLVED)
    cases_routed_notify(case_ids=[case.id])
    assert not Notification.objects.exists()
    assert Case.objects.get(id=case.id).routed_notified_at is not None


def test_the_assignee_is_told_once_per_dispatch(new_case, ani, budi) -> None:
    case = new_case(assignee=ani, status=Status.DISPATCHED)
    notify_case_assigned.delay(str(case.id), "5f0c7c1e-4bde-4ab1-9b0e-3f6a0c1d2e3f")
    assert case_assigned_notify(case_id=case.id, event_id="5f0c7c1e-4bde-4ab1-9b0e-3f6a0c1d2e3f") == 0
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind) == (ani, Kind.CASE_ASSIGNED)
    assert notification.title == f"Kasus {case.reference} ditugaskan kepada Anda"


def test_notification_texts_never_carry_personal_data(new_case, make_user, ani, budi, eko) -> None:
    make_user("joko", "manager", language="en")
    case = new_case(upt=None, region=None, assignee=ani)
    cases_routed_notify(case_ids=[case.id])
    case_assigned_notify(case_id=case.id, event_id="e1")
    for kind in (Kind.CASE_ESCALATED, Kind.CASE_UPDATED):
        notify(recipients=[budi], case=case, kind=kind, event_key=f"test:{kind}", params={"level": 1, "clock": "ack"})
    notifications = list(Notification.objects.all())
    assert len(notifications) == 5
    for notification in notifications:
        for secret in SECRETS:
            assert secret not in notification.title and secret not in notification.body


def test_english_speakers_are_told_in_english(new_case, make_user) -> None:
    joko = make_user("joko", "manager", language="en")
    case = new_case(upt=None, region=None)
    cases_routed_notify(case_ids=[case.id])
    notification = Notification.objects.get(recipient=joko)
    assert (notification.title, notification.body) == (
        f"New case {case.reference}",
        "Neglected elderly person · Critical · outside East Java",
    )


def test_notify_returns_only_what_it_recorded_now(new_case, budi, eko) -> None:
    case = new_case()
    first = notify(recipients=[budi, eko, budi], case=case, kind=Kind.CASE_UPDATED, event_key="updated:7")
    second = notify(recipients=[budi, eko], case=case, kind=Kind.CASE_UPDATED, event_key="updated:7")
    assert sorted(n.recipient.username for n in first) == ["budi", "eko"]
    assert second == []


class FlakyMail:
    def __init__(self, failures: int, error: Exception) -> None:
        self.failures = failures
        self.error = error
        self.sent = 0

    def __call__(self, **kwargs: object) -> int:
        if self.failures:
            self.failures -= 1
            raise self.error
        self.sent += 1
        return 1


def test_a_mail_server_failure_is_retried_with_backoff_then_sent(new_case, budi, monkeypatch, committed) -> None:
    with_email(budi)
    mail = FlakyMail(failures=2, error=smtplib.SMTPServerDisconnected("gone"))
    monkeypatch.setattr("notifications.channels.email.send_mail", mail)
    case = new_case()
    with committed(execute=True):
        cases_routed_notify(case_ids=[case.id])  # the eager task tries once and leaves it pending
    notification = Notification.objects.get()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        "pending",
        1,
        "mail server: SMTPServerDisconnected",
    )
    plan = deliveries_send(channel_name="email", notification_ids=[str(notification.id)])
    assert plan is not None and plan.notification_ids == [str(notification.id)] and plan.countdown == 60
    assert deliveries_send(channel_name="email", notification_ids=[str(notification.id)]) is None
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, mail.sent) == ("sent", 3, 1)
    assert deliveries_send(channel_name="email", notification_ids=[str(notification.id)]) is None
    assert mail.sent == 1


def test_a_delivery_gives_up_after_the_last_attempt(new_case, budi, monkeypatch, committed) -> None:
    with_email(budi)
    monkeypatch.setattr("notifications.channels.email.send_mail", FlakyMail(99, smtplib.SMTPConnectError(421, "busy")))
    with committed(execute=True):
        cases_routed_notify(case_ids=[new_case().id])
    notification_id = str(Notification.objects.get().id)
    for _ in range(MAX_ATTEMPTS):
        deliveries_send(channel_name="email", notification_ids=[notification_id])
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", MAX_ATTEMPTS)


def test_a_refused_recipient_is_not_retried(new_case, budi, monkeypatch, committed) -> None:
    with_email(budi)
    refused = smtplib.SMTPRecipientsRefused({"budi@dinsos.jatimprov.go.id": (550, b"no such user")})
    monkeypatch.setattr("notifications.channels.email.send_mail", FlakyMail(1, refused))
    with committed(execute=True):
        cases_routed_notify(case_ids=[new_case().id])
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert "budi" not in delivery.last_error


def test_backoff_doubles_up_to_half_an_hour() -> None:
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert retry_delay(12) == timedelta(minutes=30)


def test_an_unforeseen_error_counts_as_a_failed_attempt(new_case, budi, monkeypatch, committed) -> None:
    with_email(budi)

    def broken(**kwargs: object) -> int:
        raise KeyError("bug")

    monkeypatch.setattr("notifications.channels.email.send_mail", broken)
    with committed(execute=True):
        cases_routed_notify(case_ids=[new_case().id])
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("pending", 1, "unexpected: KeyError")


def test_the_sweep_requeues_deliveries_whose_task_was_lost(new_case, budi, monkeypatch, committed) -> None:
    with_email(budi)
    monkeypatch.setattr("notifications.services.enqueue_deliveries", lambda by_channel: None)  # broker lost them
    with committed(execute=True):
        cases_routed_notify(case_ids=[new_case().id])
    monkeypatch.undo()
    delivery = Delivery.objects.get()
    assert delivery.status == "pending"
    assert deliveries_repair(now=delivery.next_attempt_at + timedelta(seconds=30)) == 0  # may still be queued
    with committed(execute=True):
        assert deliveries_repair(now=delivery.next_attempt_at + timedelta(minutes=2)) == 1
    delivery.refresh_from_db()
    assert delivery.status == "sent"


def test_the_sweep_tells_new_cases_whose_task_was_lost(new_case, budi, t0) -> None:
    case = new_case()
    assert routed_notifications_repair(now=t0 + timedelta(seconds=30)) == 0  # its task may be on its way
    assert routed_notifications_repair(now=t0 + timedelta(minutes=2)) == 1
    assert routed_notifications_repair(now=t0 + timedelta(minutes=3)) == 0
    assert Notification.objects.get().case == case


def test_channel_failures_name_no_address() -> None:
    failure = DeliveryFailed("mail server: SMTPServerDisconnected", transient=True)
    assert failure.transient and "@" not in failure.reason


def test_a_delivery_in_flight_elsewhere_is_skipped(new_case, budi, monkeypatch, committed) -> None:
    """The row lock is what keeps a redelivered task from sending what another worker is sending; here
    the delivery is simply no longer pending when the duplicate runs."""
    with_email(budi)
    mail = FlakyMail(0, OSError())
    monkeypatch.setattr("notifications.channels.email.send_mail", mail)
    with committed(execute=True):
        cases_routed_notify(case_ids=[new_case().id])
    deliveries_send(channel_name="email", notification_ids=[str(Notification.objects.get().id)])
    assert mail.sent == 1
    sent_at = Delivery.objects.get().sent_at
    assert sent_at is not None and sent_at <= timezone.now()
