from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Severity(models.TextChoices):
    LOW = "low", "Rendah"
    MEDIUM = "medium", "Sedang"
    HIGH = "high", "Tinggi"
    CRITICAL = "critical", "Kritis"


SEVERITY_RANK = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2, Severity.CRITICAL: 3}


class Status(models.TextChoices):
    NEW = "new", "Baru"
    ACKNOWLEDGED = "acknowledged", "Diterima"
    DISPATCHED = "dispatched", "Ditugaskan"
    IN_PROGRESS = "in_progress", "Ditangani"
    RESOLVED = "resolved", "Selesai"
    CLOSED = "closed", "Ditutup"


OPEN_STATUSES = (Status.NEW, Status.ACKNOWLEDGED, Status.DISPATCHED, Status.IN_PROGRESS)


class Source(models.TextChoices):
    FIELD_OUTREACH = "field_outreach", "Penjangkauan lapangan"
    PUBLIC_REPORT = "public_report", "Laporan masyarakat"
    HOTLINE = "hotline", "Hotline"
    SOCIAL_MEDIA = "social_media", "Media sosial"
    AGENCY_REFERRAL = "agency_referral", "Rujukan instansi"


class Outcome(models.TextChoices):
    HANDLED_ON_THE_SPOT = "handled_on_the_spot", "Ditangani di tempat"
    RETURNED_HOME = "returned_home", "Dipulangkan ke keluarga"
    ADMITTED_TO_UPT = "admitted_to_upt", "Dirawat di UPT"
    REFERRED_TO_HOSPITAL = "referred_to_hospital", "Dirujuk ke rumah sakit"
    REFERRED_TO_POLICE = "referred_to_police", "Dirujuk ke kepolisian"
    REFERRED_TO_LOCAL_DINSOS = "referred_to_local_dinsos", "Dirujuk ke Dinsos kabupaten/kota"
    REFUSED_SERVICE = "refused_service", "Menolak layanan"
    NOT_FOUND = "not_found", "Tidak ditemukan"
    OTHER = "other", "Lainnya"


class Category(models.Model):
    """One of the 26 PPKS (Permensos 08/2012): reference data loaded by a migration."""

    code = models.CharField(primary_key=True, max_length=10)
    name = models.CharField(max_length=150)
    name_en = models.CharField(max_length=150)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Case(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=20, unique=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="cases")
    severity = models.CharField(max_length=10, choices=Severity.choices)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.NEW)
    summary = models.CharField(max_length=200)
    description = models.TextField(max_length=5000, blank=True)
    address = models.CharField(max_length=500, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    accuracy_m = models.FloatField(null=True, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.FIELD_OUTREACH)
    people_count = models.PositiveSmallIntegerField(default=1)
    # Sensitive: returned only to the reporter, assignee, the UPT's commanders and managers.
    person = models.JSONField(null=True, blank=True)
    complainant = models.JSONField(null=True, blank=True)

    region = models.ForeignKey("geo.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    upt = models.ForeignKey("geo.Upt", null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reported_cases")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="assigned_cases"
    )
    was_referred = models.BooleanField(default=False)

    resolution_note = models.TextField(max_length=5000, blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, null=True, blank=True)

    # Escalation (server-made; does not bump `version`). Deadlines count from `clock_started_at`:
    # the server's receipt of the case, or its last refer/reopen.
    clock_started_at = models.DateTimeField()
    ack_due_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    escalation_level = models.PositiveIntegerField(default=0)
    ack_escalation_level = models.PositiveIntegerField(default=0)
    resolve_escalation_level = models.PositiveIntegerField(default=0)
    routed_notified_at = models.DateTimeField(null=True, blank=True)

    # Milestones for response-time reports.
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    observed_at = models.DateTimeField()
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)
    # {field: version at which it last changed}: lets sync tell a merge from a conflict.
    field_versions = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "ack_due_at"], name="case_status_ack_due"),
            models.Index(fields=["status", "due_at"], name="case_status_due"),
            models.Index(fields=["upt", "status"], name="case_upt_status"),
            models.Index(fields=["reported_by"], name="case_reporter"),
            models.Index(fields=["assignee"], name="case_assignee"),
            models.Index(fields=["lat", "lng"], name="case_lat_lng"),
            models.Index(fields=["created_at"], name="case_created"),
            models.Index(fields=["updated_at"], name="case_updated"),
            # The escalation sweep's repair of lost "new case" notifications: only the few rows not yet notified.
            models.Index(
                fields=["created_at"], condition=models.Q(routed_notified_at__isnull=True), name="case_routed_pending"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="case_location_or_address",
                condition=models.Q(lat__isnull=False, lng__isnull=False) | ~models.Q(address=""),
            ),
            models.CheckConstraint(
                name="case_people_count_range", condition=models.Q(people_count__gte=1, people_count__lte=500)
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class EventKind(models.TextChoices):
    CREATED = "created"
    UPDATED = "updated"
    ACKNOWLEDGED = "acknowledged"
    DISPATCHED = "dispatched"
    STARTED = "started"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REOPENED = "reopened"
    REFERRED = "referred"
    ESCALATED = "escalated"
    COMMENTED = "commented"
    ATTACHMENT_ADDED = "attachment_added"
    ROUTED = "routed"


class CaseEvent(models.Model):
    """The case's timeline: append-only. `data` holds before/after of changed fields (never person data)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    at = models.DateTimeField()
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="event_case_at")]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.at:%Y-%m-%d %H:%M}"


class Comment(models.Model):
    id = models.UUIDField(primary_key=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    text = models.TextField(max_length=5000)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"comment {self.id}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.case_id}/{instance.id}"


class Attachment(models.Model):
    """A photo, EXIF removed, stored under its id; `sha256` is of the bytes the client sent."""

    id = models.UUIDField(primary_key=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    content_type = models.CharField(max_length=20)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=attachment_path)
    thumbnail = models.FileField(upload_to="thumbnails/", blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"attachment {self.id}"


class PersonalDataAccess(models.Model):
    """Who read or exported a case's person data or photos, and when. Kept apart from the timeline."""

    class What(models.TextChoices):
        PERSON = "person", "Data orang"
        PHOTO = "photo", "Foto"
        EXPORT = "export", "Ekspor"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="personal_data_accesses")
    what = models.CharField(max_length=10, choices=What.choices)
    via = models.CharField(max_length=60, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["case", "at"]), models.Index(fields=["user", "at"])]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.what} of {self.case_id}"


class ReferenceCounter(models.Model):
    """Per-year counter for `JSC-<year>-<6 digits>`, claimed with a row lock: never a duplicate."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
