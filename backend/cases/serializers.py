"""Output shapes of the case API (API.md, "The case resource") and the action request bodies."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from django.db.models import DateTimeField, prefetch_related_objects
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from accounts.models import User
from cases.models import Attachment, Case, CaseEvent, Category, Comment, Outcome
from cases.presenters import present_rows, row_of
from cases.selectors import can_see_person
from cases.validation import READ_ONLY_FIELDS, CaseCreateFieldsInput, StrictUUIDField

# --- output --------------------------------------------------------------------------------------


class UtcDateTimeField(serializers.DateTimeField):
    """Times go out in UTC with `Z` (API.md), whatever the server's calendar time zone (Asia/Jakarta)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("default_timezone", UTC)
        super().__init__(**kwargs)


class UtcModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping, DateTimeField: UtcDateTimeField}


class CategoryOutput(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["code", "name", "name_en"]


class CodeNameOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class LocationOutput(serializers.Serializer):
    lat = serializers.FloatField()
    lng = serializers.FloatField()
    accuracy_m = serializers.FloatField(allow_null=True)


class PersonOutput(serializers.Serializer):
    name = serializers.CharField()
    age_estimate = serializers.IntegerField(allow_null=True)
    sex = serializers.ChoiceField(choices=["male", "female", "unknown"])
    nik = serializers.CharField(allow_null=True)


class ComplainantOutput(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()


class AttachmentOutput(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "content_type", "size", "sha256", "url"]

    def get_url(self, attachment: Attachment) -> str:
        return attachment_url(attachment)


def attachment_url(attachment: Attachment) -> str:
    return reverse("case-attachment", kwargs={"case_id": attachment.case_id, "attachment_id": attachment.id})


class CaseOutput(UtcModelSerializer):
    """The case resource. `person`, `complainant` and `attachments` are null/empty for viewers who may
    not see them (`context["viewer"]`)."""

    category = serializers.CharField(source="category_id")
    location = serializers.SerializerMethodField()
    person = serializers.SerializerMethodField()
    complainant = serializers.SerializerMethodField()
    region = CodeNameOutput(allow_null=True)
    upt = CodeNameOutput(allow_null=True)
    reported_by = serializers.CharField(source="reported_by.username")
    assignee = serializers.CharField(source="assignee.username", allow_null=True, default=None)
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_null=True)
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "category",
            "severity",
            "status",
            "summary",
            "description",
            "address",
            "location",
            "source",
            "people_count",
            "person",
            "complainant",
            "region",
            "upt",
            "reported_by",
            "assignee",
            "escalation_level",
            "ack_due_at",
            "due_at",
            "resolution_note",
            "outcome",
            "attachments",
            "observed_at",
            "created_at",
            "updated_at",
            "version",
        ]

    def _shows_person(self, case: Case) -> bool:
        return can_see_person(self.context["viewer"], case)

    @extend_schema_field(LocationOutput(allow_null=True))
    def get_location(self, case: Case) -> dict[str, Any] | None:
        if case.lat is None or case.lng is None:
            return None
        return {"lat": case.lat, "lng": case.lng, "accuracy_m": case.accuracy_m}

    @extend_schema_field(PersonOutput(allow_null=True))
    def get_person(self, case: Case) -> dict[str, Any] | None:
        return case.person if self._shows_person(case) else None

    @extend_schema_field(ComplainantOutput(allow_null=True))
    def get_complainant(self, case: Case) -> dict[str, Any] | None:
        return case.complainant if self._shows_person(case) else None

    @extend_schema_field(AttachmentOutput(many=True))
    def get_attachments(self, case: Case) -> list[dict[str, Any]]:
        if not self._shows_person(case):
            return []
        return list(AttachmentOutput(case.attachments.all(), many=True).data)


def present_case(case: Case, *, viewer: User, via: str) -> dict[str, Any]:
    """The case as `viewer` may see it (the shape of `CaseOutput`); the read of personal data is logged."""
    return present_rows([row_of(case)], viewer=viewer, via=via)[0]


def present_cases(cases: list[Case], *, viewer: User, via: str) -> list[dict[str, Any]]:
    prefetch_related_objects(cases, "attachments")  # one query for the page, not one per case
    return present_rows([row_of(case) for case in cases], viewer=viewer, via=via)


class CaseEventOutput(UtcModelSerializer):
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)
    data = serializers.SerializerMethodField()  # type: ignore[assignment]  # the event's data, not .data

    class Meta:
        model = CaseEvent
        fields = ["id", "kind", "actor", "at", "data"]

    @extend_schema_field({"type": "object", "additionalProperties": True})
    def get_data(self, event: CaseEvent) -> dict[str, Any]:
        # A comment's words may name the person: only those who may see person data read them.
        if event.kind == "commented" and not self.context.get("shows_person", False):
            return {key: value for key, value in event.data.items() if key != "text"}
        return event.data


class CommentOutput(UtcModelSerializer):
    author = serializers.CharField(source="author.username")

    class Meta:
        model = Comment
        fields = ["id", "author", "text", "created_at"]


# --- input ---------------------------------------------------------------------------------------


@extend_schema_serializer(component_name="CaseCreate")
class CaseCreateRequest(CaseCreateFieldsInput):
    """Schema of `POST /cases/`: the writable fields plus the client-made `id`."""

    read_only_names = READ_ONLY_FIELDS - {"id"}
    id = StrictUUIDField(required=False)
