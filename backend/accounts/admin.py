"""Users in the admin: role, UPT, active. Deactivating (action or form) revokes tokens and sessions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from accounts import services
from accounts.models import Role, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "full_name", "role", "upt", "is_active", "last_login")
    list_filter = ("role", "upt", "is_active")
    search_fields = ("username", "full_name", "email")
    ordering = ("username",)
    list_select_related = ("upt",)
    actions = ["deactivate_users"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Profil / Profile", {"fields": ("full_name", "email", "phone", "language")}),
        ("Peran / Role", {"fields": ("role", "upt", "is_active")}),
        ("Admin Django", {"classes": ("collapse",), "fields": ("is_staff", "is_superuser", "groups")}),
        ("Waktu / Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "role", "upt", "password1", "password2")}),
    )
    readonly_fields = ("last_login", "date_joined")

    @admin.action(description="Nonaktifkan pengguna (cabut semua token dan sesi) / Deactivate")
    def deactivate_users(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        count = 0
        for user in queryset.filter(is_active=True):
            services.user_deactivate(actor=request.user, user=user)  # type: ignore[arg-type]
            count += 1
        self.message_user(request, f"{count} pengguna dinonaktifkan; token dan sesinya dicabut.", messages.SUCCESS)

    def save_model(self, request: HttpRequest, obj: User, form: ModelForm, change: bool) -> None:
        if not change and obj.role == Role.ADMIN:
            obj.is_staff = obj.is_superuser = True  # admins run this site (as add_user does)
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            services.user_deactivate(actor=request.user, user=obj)  # type: ignore[arg-type]
            self.message_user(request, "Token dan sesi pengguna ini dicabut.", messages.INFO)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if "role" in form.base_fields:
            form.base_fields["role"].help_text = (
                "Petugas lapangan dan komandan wajib punya UPT; manajer dan admin tanpa UPT. "
                "/ Field workers and commanders need a UPT; managers and admins have none."
            )
        return form
