"""The case resource (API.md, "The case resource") as plain dicts, built by hand.

This is the hot path of a sync pull (1,000 cases a page) and of a push's answer (one case per
operation). DRF's `CaseOutput` costs over a millisecond per case (field copies per instance, method
fields, a nested serializer for the photos), more than reading the row; this costs microseconds.
`CaseOutput` stays the declaration of the shape for the OpenAPI schema, and
`tests/backend/cases/test_case_presenter.py` checks that both give the same answer for every kind of case.

Cases come in as rows (`case_rows`: one `values()` query, no model instances) or as model instances
(`row_of`), so a page of a pull never builds five model objects per case.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from cases.models import Attachment, Case, PersonalDataAccess
from cases.selectors import sees_person

CaseRow = dict[str, Any]

# What a case row holds: the model's columns the resource shows, and the names of its relations.
ROW_COLUMNS = (
    "id",
    "reference",
    "category_id",
    "severity",
    "status",
    "summary",
    "description",
    "address",
    "lat",
    "lng",
    "accuracy_m",
    "source",
    "people_count",
    "person",
    "complainant",
    "region_id",
    "region__name",
    "upt_id",
    "upt__code",
    "upt__name",
    "reported_by_id",
    "reported_by__username",
    "assignee_id",
    "assignee__username",
    "escalation_level",
    "ack_due_at",
    "due_at",
    "resolution_note",
    "outcome",
    "observed_at",
    "created_at",
    "updated_at",
    "version",
)
_PLAIN_COLUMNS = tuple(name for name in ROW_COLUMNS if "__" not in name)
ATTACHMENT_COLUMNS = ("id", "content_type", "size", "sha256")


def case_rows(cases: QuerySet[Case]) -> list[CaseRow]:
    """The cases of a queryset as rows, with their photos (two queries in all)."""
    rows = list(cases.values(*ROW_COLUMNS))
    photos = attachments_by_case([row["id"] for row in rows])
    for row in rows:
        row["attachments"] = photos.get(row["id"], [])
    return rows


def attachments_by_case(case_ids: Sequence[UUID]) -> dict[UUID, list[dict[str, Any]]]:
    found: dict[UUID, list[dict[str, Any]]] = defaultdict(list)
    if case_ids:
        for photo in Attachment.objects.filter(case_id__in=case_ids).values("case_id", *ATTACHMENT_COLUMNS):
            found[photo.pop("case_id")].append(photo)
    return found


def row_of(case: Case, *, new: bool = False) -> CaseRow:
    """A model instance as a row (its photos from the prefetch cache when there is one; a case
    `new` in this transaction has none yet, and no query asks)."""
    row = {name: getattr(case, name) for name in _PLAIN_COLUMNS}
    region, upt, assignee = case.region, case.upt, case.assignee
    row["region__name"] = region.name if region else None
    row["upt__code"], row["upt__name"] = (upt.code, upt.name) if upt else (None, None)
    row["reported_by__username"] = case.reported_by.username
    row["assignee__username"] = assignee.username if assignee else None
    photos = () if new else case.attachments.all()
    row["attachments"] = [{name: getattr(photo, name) for name in ATTACHMENT_COLUMNS} for photo in photos]
    return row


def present_stored_case(case_id: UUID, *, viewer: User, via: str) -> dict[str, Any]:
    """A case as stored now (after a write), read as a row: two queries, where the instance in hand
    would load each of its relations in turn."""
    return present_rows(case_rows(Case.objects.filter(pk=case_id)), viewer=viewer, via=via)[0]


def present_rows(rows: Iterable[CaseRow], *, viewer: User, via: str) -> list[dict[str, Any]]:
    """The cases as `viewer` may see them; each read of personal data is logged (one insert)."""
    shown: list[dict[str, Any]] = []
    read_person: list[UUID] = []
    for row in rows:
        shows_person = sees_person(
            viewer, upt_id=row["upt_id"], reported_by_id=row["reported_by_id"], assignee_id=row["assignee_id"]
        )
        if shows_person and (row["person"] is not None or row["complainant"] is not None or row["attachments"]):
            read_person.append(row["id"])
        shown.append(case_payload(row, shows_person=shows_person))
    _log_personal_data_reads(viewer=viewer, case_ids=read_person, via=via)
    return shown


def _log_personal_data_reads(*, viewer: User, case_ids: list[UUID], via: str) -> None:
    # Admins are never shown person data; `sees_person` already says no for them.
    if not case_ids or viewer.role == Role.ADMIN:
        return
    now = timezone.now()
    PersonalDataAccess.objects.bulk_create(
        PersonalDataAccess(user=viewer, case_id=case_id, what=PersonalDataAccess.What.PERSON, via=via[:60], at=now)
        for case_id in case_ids
    )


def _utc(value: datetime | None) -> str | None:
    """As DRF's DateTimeField in UTC: ISO 8601, microseconds only when there are some, `Z`."""
    if value is None:
        return None
    text = value.astimezone(UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _photo(case_id: UUID, photo: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(photo["id"]),
        "content_type": photo["content_type"],
        "size": photo["size"],
        "sha256": photo["sha256"],
        "url": reverse("case-attachment", kwargs={"case_id": case_id, "attachment_id": photo["id"]}),
    }


def case_payload(row: CaseRow, *, shows_person: bool) -> dict[str, Any]:
    """One case, in the key order of `CaseOutput`. Person, complainant and photos only if `shows_person`."""
    lat, lng = row["lat"], row["lng"]
    return {
        "id": str(row["id"]),
        "reference": row["reference"],
        "category": row["category_id"],
        "severity": row["severity"],
        "status": row["status"],
        "summary": row["summary"],
        "description": row["description"],
        "address": row["address"],
        "location": None if lat is None or lng is None else {"lat": lat, "lng": lng, "accuracy_m": row["accuracy_m"]},
        "source": row["source"],
        "people_count": row["people_count"],
        "person": row["person"] if shows_person else None,
        "complainant": row["complainant"] if shows_person else None,
        "region": None if row["region_id"] is None else {"code": row["region_id"], "name": row["region__name"]},
        "upt": None if row["upt_id"] is None else {"code": row["upt__code"], "name": row["upt__name"]},
        "reported_by": row["reported_by__username"],
        "assignee": row["assignee__username"],
        "escalation_level": row["escalation_level"],
        "ack_due_at": _utc(row["ack_due_at"]),
        "due_at": _utc(row["due_at"]),
        "resolution_note": row["resolution_note"],
        "outcome": row["outcome"],
        "attachments": [_photo(row["id"], photo) for photo in row["attachments"]] if shows_person else [],
        "observed_at": _utc(row["observed_at"]),
        "created_at": _utc(row["created_at"]),
        "updated_at": _utc(row["updated_at"]),
        "version": row["version"],
    }
