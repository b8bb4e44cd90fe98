"""Admin of cases: for technical support, not casework. Person data, complainant and photos are
never shown here. Cases are read-only: every change to a case goes through `cases.services`, which
bumps its version, writes the timeline and feeds offline sync; an edit here would do none of that."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.models import Role
from cases.models import Case, CaseEvent, Category, Comment, PersonalDataAccess

WORKFLOW_FIELDS = (
    "reference",
    "status",
    "region",
    "upt",
    "reported_by",
    "assignee",
    "was_referred",
    "resolution_note",
    "outcome",
    "clock_started_at",
    "ack_due_at",
    "due_at",
    "escalation_level",
    "ack_escalation_level",
    "resolve_escalation_level",
    "routed_notified_at",
    "acknowledged_at",
    "dispatched_at",
    "resolved_at",
    "closed_at",
    "observed_at",
    "created_at",
    "updated_at",
    "version",
    "field_versions",
)


class ReadOnlyAdminMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CaseEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CaseEvent
    fields = ("at", "kind", "actor", "data")
    readonly_fields = fields
    extra = 0
    ordering = ("at",)


@admin.register(Case)
class CaseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("reference", "category", "severity", "status", "upt", "region", "escalation_level", "created_at")
    list_filter = ("status", "severity", "source", "upt", "category", "was_referred")
    search_fields = ("reference",)
    list_select_related = ("category", "upt", "region")
    ordering = ("-created_at",)
    date_hierarchy = "created_at"
    # `person`, `complainant` and attachments are deliberately absent: not even admins read them.
    fields = (
        "category",
        "severity",
        "summary",
        "description",
        "address",
        "lat",
        "lng",
        "accuracy_m",
        "source",
        "people_count",
        *WORKFLOW_FIELDS,
    )
    readonly_fields = fields
    inlines = [CaseEventInline]


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "kind", "case", "actor")
    list_filter = ("kind",)
    search_fields = ("case__reference",)
    list_select_related = ("case", "actor")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en")
    search_fields = ("code", "name", "name_en")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # cases refer to them (PROTECT)


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "case", "author")
    search_fields = ("case__reference",)
    list_select_related = ("case", "author")
    # The text may name the person concerned: it is not shown here either.
    fields = ("id", "case", "author", "created_at")
    readonly_fields = fields


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "user", "what", "case", "via")
    list_filter = ("what",)
    search_fields = ("user__username", "case__reference")
    list_select_related = ("user", "case")
    date_hierarchy = "at"

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        user = request.user
        return bool(user.is_active and (user.is_superuser or getattr(user, "role", None) == Role.ADMIN))
