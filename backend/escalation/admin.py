from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from escalation.models import EscalationStep, SlaPolicy


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    """Deadlines per severity, and optionally per category (a category row overrides its severity's
    default). A change applies to cases whose clock starts after it; running deadlines are kept."""

    list_display = ["severity", "category", "ack_minutes", "resolve_minutes"]
    list_filter = ["severity"]
    ordering = ["severity", "category"]


@admin.register(EscalationStep)
class EscalationStepAdmin(admin.ModelAdmin):
    """The record of every escalation: written only by the sweep."""

    list_display = ["case", "level", "clock", "step", "due_at", "recorded_at"]
    list_filter = ["clock"]
    search_fields = ["case__reference"]
    list_select_related = ["case"]
    date_hierarchy = "recorded_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
