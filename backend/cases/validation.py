"""Validation of a case's writable fields, shared by the REST views and the sync push.

`validate_case_fields` answers clean Python values or raises `FieldsInvalid` with flat dotted keys
(`location.lat`, `person.nik`), so that both ends report errors the same way.
"""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.core.validators import RegexValidator
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.models import Outcome, Severity, Source, Status
from cases.reference import PPKS_CATEGORIES
from core.errors import flatten_errors
from core.exceptions import FieldsInvalid
from core.serializers import FiniteFloatField, StrictInputSerializer

# The 26 PPKS are fixed reference data (loaded by a migration): no query per validated case.
PPKS_CODES = frozenset(code for code, _name, _name_en in PPKS_CATEGORIES)

MAX_FUTURE_OBSERVED = timedelta(minutes=10)
NIK_PATTERN = re.compile(r"^[0-9]{16}$")

# Fields that every client may set on create and update; the unit of change is the top-level field.
WRITABLE_FIELDS = (
    "category",
    "severity",
    "summary",
    "description",
    "address",
    "location",
    "source",
    "people_count",
    "person",
    "complainant",
)
CREATE_ONLY_FIELDS = ("observed_at", "status", "resolution_note", "outcome")
# Known fields of the case resource that no request may set (named in the error, not "unknown").
READ_ONLY_FIELDS = frozenset(
    {
        "id",
        "reference",
        "region",
        "upt",
        "reported_by",
        "assignee",
        "escalation_level",
        "ack_due_at",
        "due_at",
        "attachments",
        "created_at",
        "updated_at",
        "version",
    }
)


class StrictCharField(serializers.CharField):
    """A string and only a string: numbers, booleans and objects are refused, not stringified."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictFloatField(FiniteFloatField):
    """A finite JSON number: numeric strings are refused (a coordinate is never text)."""

    def to_internal_value(self, data: Any) -> float:
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictChoiceField(serializers.ChoiceField):
    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class StrictIntField(serializers.IntegerField):
    """A JSON integer: booleans, floats and numeric strings are refused."""

    def to_internal_value(self, data: Any) -> int:
        if type(data) is not int:
            self.fail("invalid")
        return super().to_internal_value(data)


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 string with an offset (API.md): a naive time cannot be placed on the server's clock."""

    default_error_messages = {"naive": "Waktu harus menyertakan zona waktu (mis. Z atau +07:00)."}

    def to_internal_value(self, value: Any) -> datetime:
        if not isinstance(value, str):
            self.fail("invalid", format="ISO 8601")
        parsed = super().to_internal_value(value)
        if not re.search(r"(Z|[+-]\d{2}:?\d{2})$", value.strip(), re.IGNORECASE):
            self.fail("naive")
        return parsed


class StrictUUIDField(serializers.UUIDField):
    def to_internal_value(self, data: Any) -> uuid.UUID:
        if not isinstance(data, str):
            self.fail("invalid", value=data)
        return super().to_internal_value(data)


@extend_schema_field({"type": "string", "enum": [code for code, _, _ in PPKS_CATEGORIES]})
class CategoryCodeField(StrictCharField):
    """One of the 26 PPKS codes; checked against the table (the same codes, loaded by a migration)."""


class LocationInput(StrictInputSerializer):
    lat = StrictFloatField(min_value=-90, max_value=90)
    lng = StrictFloatField(min_value=-180, max_value=180)
    accuracy_m = StrictFloatField(min_value=0, max_value=100_000, required=False, allow_null=True, default=None)


class PersonInput(StrictInputSerializer):
    name = StrictCharField(min_length=1, max_length=150)
    age_estimate = StrictIntField(min_value=0, max_value=130, required=False, allow_null=True, default=None)
    sex = StrictChoiceField(choices=["male", "female", "unknown"], required=False, default="unknown")
    nik = StrictCharField(
        required=False,
        allow_null=True,
        default=None,
        max_length=16,
        validators=[RegexValidator(NIK_PATTERN, message="NIK harus tepat 16 angka.")],
    )


class ComplainantInput(StrictInputSerializer):
    name = StrictCharField(min_length=1, max_length=150)
    phone = StrictCharField(min_length=1, max_length=30)


class CaseFieldsInput(StrictInputSerializer):
    """The writable fields of a case (API.md, "The case resource")."""

    read_only_names = READ_ONLY_FIELDS

    category = CategoryCodeField(max_length=10)
    severity = StrictChoiceField(choices=Severity.choices)
    summary = StrictCharField(min_length=1, max_length=200)
    description = StrictCharField(max_length=5000, allow_blank=True, required=False, default="")
    address = StrictCharField(max_length=500, allow_blank=True, required=False, default="")
    location = LocationInput(allow_null=True, required=False, default=None)
    source = StrictChoiceField(  # type: ignore[assignment]  # a field named like Field.source
        choices=Source.choices, required=False, default=Source.FIELD_OUTREACH
    )
    people_count = StrictIntField(min_value=1, max_value=500, required=False, default=1)
    person = PersonInput(allow_null=True, required=False, default=None)
    complainant = ComplainantInput(allow_null=True, required=False, default=None)

    def __init__(self, *args: Any, omit_absent: bool = False, **kwargs: Any) -> None:
        # A partial update validates only the fields given, but `location`, `person` and `complainant`
        # are replaced whole, so their inner fields stay required. DRF's `partial` would reach into them;
        # instead the top-level fields become optional without defaults.
        self.omit_absent = omit_absent
        super().__init__(*args, **kwargs)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        if self.omit_absent:
            for field in fields.values():
                field.required = False
                field.default = serializers.empty
        return fields

    def validate_category(self, value: str) -> str:
        if value not in PPKS_CODES:
            raise serializers.ValidationError("Kategori PPKS tidak dikenal.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "location" in attrs and attrs["location"] is None:
            if not attrs.get("address", "") and (not self.omit_absent or "address" in attrs):
                raise serializers.ValidationError({"location": ["Lokasi hanya boleh kosong jika alamat diisi."]})
        return attrs


class CaseCreateFieldsInput(CaseFieldsInput):
    read_only_names = READ_ONLY_FIELDS

    observed_at = AwareDateTimeField(required=False)
    status = StrictChoiceField(choices=[Status.RESOLVED.value], required=False)
    resolution_note = StrictCharField(max_length=5000, allow_blank=True, required=False)
    outcome = StrictChoiceField(choices=Outcome.choices, required=False)

    def validate_observed_at(self, value: datetime) -> datetime:
        if value > timezone.now() + MAX_FUTURE_OBSERVED:
            raise serializers.ValidationError("Waktu pengamatan tidak boleh lebih dari 10 menit di masa depan.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if attrs.get("status") == Status.RESOLVED:
            errors = {}
            if not attrs.get("resolution_note", "").strip():
                errors["resolution_note"] = ["Wajib diisi untuk kasus yang langsung diselesaikan."]
            if not attrs.get("outcome"):
                errors["outcome"] = ["Wajib diisi untuk kasus yang langsung diselesaikan."]
            if errors:
                raise serializers.ValidationError(errors)
        else:
            stray = {name for name in ("resolution_note", "outcome") if name in attrs}
            if stray:
                raise serializers.ValidationError({name: ['Hanya bersama "status": "resolved".'] for name in stray})
        return attrs


class CaseUpdateFieldsInput(CaseFieldsInput):
    read_only_names = READ_ONLY_FIELDS | frozenset(CREATE_ONLY_FIELDS)


@functools.cache
def _case_fields_validator(*, for_create: bool, partial: bool) -> CaseFieldsInput:
    """One validator of each kind for the process. A DRF serializer deep-copies all its declared
    fields for every instance, which was most of the cost of validating a pushed case; validating
    through `run_validation` of one shared instance keeps no state between calls (`initial_data`
    and `errors` are never set; the bound fields are only read)."""
    serializer_class = CaseCreateFieldsInput if for_create else CaseUpdateFieldsInput
    return serializer_class(omit_absent=partial)


def validate_case_fields(data: Mapping[str, Any], *, partial: bool, for_create: bool) -> dict[str, Any]:
    """Clean values of the writable fields in `data`, or `FieldsInvalid` naming each bad field.

    On create, absent optional fields get their defaults; on a partial update only the given fields are
    returned. `location` may be null only with a non-empty address (for a partial update the service
    checks this again against the stored address).
    """
    if not isinstance(data, Mapping):
        raise FieldsInvalid({"non_field": ["Diharapkan objek JSON."]})
    try:
        validated = _case_fields_validator(for_create=for_create, partial=partial).run_validation(data)
    except serializers.ValidationError as exc:
        raise FieldsInvalid(flatten_errors(exc.detail)) from None
    cleaned = dict(validated)
    for name in ("location", "person", "complainant"):
        if cleaned.get(name) is not None:
            cleaned[name] = dict(cleaned[name])
    return cleaned


def validate_create_body(body: Any) -> tuple[UUID | None, dict[str, Any]]:
    """`POST /cases/`: the client-made `id` (optional) and the validated fields, with the errors of
    both reported together. (A sync `case.create` carries the id apart, in `case_id`.)"""
    if not isinstance(body, dict):
        raise FieldsInvalid({"non_field": ["Diharapkan objek JSON."]})
    body = dict(body)
    raw_id = body.pop("id", None)
    errors_found: dict[str, list[str]] = {}
    case_id = None
    if raw_id is not None:
        id_field = StrictUUIDField()
        try:
            case_id = id_field.run_validation(raw_id)
        except serializers.ValidationError as exc:
            errors_found["id"] = flatten_errors(exc.detail)["non_field"]
    try:
        fields = validate_case_fields(body, partial=False, for_create=True)
    except FieldsInvalid as exc:
        raise FieldsInvalid({**errors_found, **exc.fields}) from None
    if errors_found:
        raise FieldsInvalid(errors_found)
    return case_id, fields


# --- action parameters (REST bodies and sync `case.action` params) ----------------------------------


class EmptyInput(StrictInputSerializer):
    """Actions with no parameters take an empty object (or no body)."""


class DispatchInput(StrictInputSerializer):
    assignee = StrictCharField(max_length=150)


class ResolveInput(StrictInputSerializer):
    note = StrictCharField(min_length=1, max_length=5000)
    outcome = StrictChoiceField(choices=Outcome.choices)


class NoteInput(StrictInputSerializer):
    note = StrictCharField(max_length=5000, allow_blank=True)


class ReferInput(StrictInputSerializer):
    upt = StrictCharField(max_length=40)
    note = StrictCharField(max_length=5000, allow_blank=True)


class CommentInput(StrictInputSerializer):
    id = StrictUUIDField()
    text = StrictCharField(min_length=1, max_length=5000)


ACTION_INPUTS: dict[str, type[StrictInputSerializer]] = {
    "acknowledge": EmptyInput,
    "dispatch": DispatchInput,
    "start": EmptyInput,
    "resolve": ResolveInput,
    "close": NoteInput,
    "reopen": NoteInput,
    "refer": ReferInput,
}


def validate_action_params(action: str, params: Any) -> dict[str, Any]:
    """Clean parameters of a workflow action, or `FieldsInvalid` (unknown and missing keys named)."""
    serializer = ACTION_INPUTS[action](data={} if params is None else params)
    if not serializer.is_valid():
        raise FieldsInvalid(flatten_errors(serializer.errors))
    return dict(serializer.validated_data)
