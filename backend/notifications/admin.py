from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from notifications.models import Delivery, Notification, PushSubscription


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ["channel", "status", "attempts", "next_attempt_at", "sent_at", "last_error"]
    readonly_fields = ["channel", "status", "attempts", "next_attempt_at", "sent_at", "last_error"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "recipient", "case", "read_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__username", "case__reference"]
    list_select_related = ["recipient", "case"]
    date_hierarchy = "created_at"
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["notification", "channel", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["channel", "status"]


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    """Browsers registered for Web Push; an admin may delete one (it is re-registered on the next login)."""

    list_display = ["user", "created_at"]
    search_fields = ["user__username"]
    readonly_fields = ["user", "endpoint", "p256dh", "auth", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
