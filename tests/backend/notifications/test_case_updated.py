"""`case_updated`: the reporter and the assignee are told when someone else changes their case (API.md,
"Notifications"), once per change, never the one who made it, and never with personal data."""

from __future__ import annotations

import uuid

import pytest

from accounts.models import Role, User
from cases import services
from cases.models import CaseEvent, Status
from notifications.models import Kind, Notification
from notifications.services import case_updated_notify
from tests.backend.escalation.helpers import SECRETS

pytestmark = pytest.mark.django_db


@pytest.fixture
def gita(make_user, upt_a) -> User:
    return make_user("gita", Role.FIELD_WORKER, upt_a)


def told(kind: str = Kind.CASE_UPDATED) -> list[str]:
    return sorted(n.recipient.username for n in Notification.objects.filter(kind=kind).select_related("recipient"))


def test_the_reporter_is_told_when_the_commander_acknowledges(new_case, ani, budi, committed) -> None:
    case = new_case()
    with committed(execute=True):
        services.case_act(actor=budi, case=case, action="acknowledge", params=None)
    assert told() == ["ani"]
    notification = Notification.objects.get(kind=Kind.CASE_UPDATED)
    assert notification.title == f"Kasus {case.reference} diperbarui"


def test_no_one_is_told_of_their_own_change(new_case, ani, committed) -> None:
    case = new_case()
    with committed(execute=True):
        services.case_update(actor=ani, case=case, fields={"severity": "high"})
    assert told() == []


def test_a_dispatch_tells_the_reporter_and_assigns_the_field_worker(new_case, ani, budi, gita, committed) -> None:
    case = new_case()
    with committed(execute=True):
        services.case_act(actor=budi, case=case, action="dispatch", params={"assignee": "gita"})
    assert told() == ["ani"]
    assert told(Kind.CASE_ASSIGNED) == ["gita"]


def test_the_assignee_resolving_tells_the_reporter(new_case, ani, gita, committed) -> None:
    case = new_case(assignee=gita, status=Status.IN_PROGRESS)
    with committed(execute=True):
        services.case_act(
            actor=gita, case=case, action="resolve", params={"note": "Diantar ke panti.", "outcome": "admitted_to_upt"}
        )
    assert told() == ["ani"]


def test_a_comment_tells_both_without_its_words(new_case, ani, budi, gita, committed) -> None:
    case = new_case(assignee=gita, status=Status.DISPATCHED)
    words = "Mbah Sarmi minta diantar ke rumah anaknya"
    with committed(execute=True):
        services.case_comment(actor=budi, case=case, comment_id=uuid.uuid4(), text=words)
    assert told() == ["ani", "gita"]
    for notification in Notification.objects.all():
        assert words not in notification.title + notification.body
        for secret in SECRETS:
            assert secret not in notification.title + notification.body


def test_each_change_is_told_once_whatever_the_retries(new_case, ani, budi, committed) -> None:
    case = new_case()
    with committed(execute=True):
        services.case_act(actor=budi, case=case, action="acknowledge", params=None)
    event = CaseEvent.objects.get(case=case, kind="acknowledged")
    assert case_updated_notify(case_id=case.id, event_id=event.id) == 0  # a redelivered task
    assert told() == ["ani"]
    with committed(execute=True):
        services.case_update(actor=budi, case=case, fields={"severity": "high"})  # another change: told again
    assert told() == ["ani", "ani"]


def test_a_deactivated_reporter_is_not_told(new_case, ani, budi, committed) -> None:
    case = new_case()
    User.objects.filter(pk=ani.pk).update(is_active=False)
    with committed(execute=True):
        services.case_act(actor=budi, case=case, action="acknowledge", params=None)
    assert told() == []


def test_events_that_are_not_a_users_change_tell_no_one(new_case, ani) -> None:
    case = new_case()
    routed = CaseEvent.objects.create(case=case, kind="routed", actor=None, at=case.created_at, data={})
    assert case_updated_notify(case_id=case.id, event_id=routed.id) == 0
    assert case_updated_notify(case_id=case.id, event_id=uuid.uuid4()) == 0
    assert told() == []
