"""factory_boy factories for the domain: `CaseFactory(reported_by=ani)` gives a realistic stored case
(routed to the reporter's UPT, referenced, clocks running). Tests that exercise the rules of creation
go through `cases.services.case_create` instead."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import factory
from django.utils import timezone

from accounts.models import Role, User
from cases.models import Case, CaseEvent, Comment, EventKind, Severity, Source, Status
from cases.references import next_reference
from escalation.policy import deadlines, sla_for
from geo.models import Region, Upt


class UptFactory(factory.django.DjangoModelFactory[Upt]):
    class Meta:
        model = Upt
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"UPT-UJI-{n}")
    name = factory.LazyAttribute(lambda upt: f"UPT Uji {upt.code}")
    lat = -7.25
    lng = 112.75


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"petugas{n}")
    full_name = factory.LazyAttribute(lambda user: user.username.capitalize())
    role = Role.FIELD_WORKER
    upt = factory.Maybe(
        factory.LazyAttribute(lambda user: user.role in (Role.FIELD_WORKER, Role.UPT_COMMANDER)),
        yes_declaration=factory.SubFactory(UptFactory),
        no_declaration=None,
    )
    password = factory.django.Password("rahasia-uji-123")


def _region(code: str) -> Region:
    return Region.objects.get(code=code)


class CaseFactory(factory.django.DjangoModelFactory[Case]):
    """A case in UPT A's area (Tuban) by default; pass `upt`, `region`, `lat`/`lng` to move it."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    id = factory.LazyFunction(uuid.uuid4)
    reference = factory.LazyFunction(lambda: next_reference(timezone.now()))
    category_id = "PPKS11"
    severity = Severity.MEDIUM
    status = Status.NEW
    summary = factory.Sequence(lambda n: f"Gelandangan tidur di emper toko #{n}")
    description = ""
    address = "Jl. Basuki Rahmat, Tuban"
    lat = -6.8976
    lng = 112.0649
    accuracy_m = 12.0
    source = Source.FIELD_OUTREACH
    people_count = 1
    person = None
    complainant = None
    reported_by = factory.SubFactory(UserFactory)
    region = factory.LazyFunction(lambda: _region("35.23"))
    upt = factory.LazyAttribute(lambda case: case.reported_by.upt)
    assignee = None
    observed_at = factory.LazyFunction(timezone.now)
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.SelfAttribute("created_at")
    clock_started_at = factory.SelfAttribute("created_at")
    ack_due_at = factory.LazyAttribute(lambda case: _deadlines(case)[0] if case.status == Status.NEW else None)
    due_at = factory.LazyAttribute(
        lambda case: _deadlines(case)[1] if case.status not in (Status.RESOLVED, Status.CLOSED) else None
    )
    outcome = factory.LazyAttribute(lambda case: "returned_home" if case.status in (Status.RESOLVED,) else None)
    resolution_note = factory.LazyAttribute(lambda case: "Dipulangkan" if case.outcome else "")
    version = 1
    field_versions = factory.LazyFunction(dict)

    @factory.post_generation
    def created_event(obj: Case, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        if create:
            CaseEvent.objects.create(
                case=obj, kind=EventKind.CREATED, actor=obj.reported_by, at=obj.created_at, data={"status": obj.status}
            )


def _deadlines(case: Any) -> tuple[datetime, datetime]:
    return deadlines(
        sla=sla_for(severity=case.severity, category_code=case.category_id), clock_started_at=case.created_at
    )


class CommentFactory(factory.django.DjangoModelFactory[Comment]):
    class Meta:
        model = Comment

    id = factory.LazyFunction(uuid.uuid4)
    case = factory.SubFactory(CaseFactory)
    author = factory.SelfAttribute("case.reported_by")
    text = "Sudah dikunjungi."
    created_at = factory.LazyFunction(timezone.now)
