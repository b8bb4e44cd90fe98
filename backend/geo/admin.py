"""Regions, UPTs and service areas in the admin. Never imports leaflet.admin or leaflet.forms (GDAL)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import HttpRequest
from django.template.response import TemplateResponse

from geo.models import Region, ServiceArea, Upt

NO_BOUNDARIES_NOTE = (
    "Batas wilayah belum diimpor: pencarian wilayah dari titik memakai titik label terdekat "
    "(manage.py import_regions FILE.geojson). / No boundaries imported: point → region lookups use "
    "the nearest label point."
)


class ServiceAreaInline(admin.TabularInline):
    model = ServiceArea
    fields = ("region", "is_demo")
    extra = 0
    autocomplete_fields = ("region",)


@admin.register(Upt)
class UptAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "is_active", "region_codes", "has_demo_areas")
    list_filter = ("is_active",)
    search_fields = ("code", "name")
    inlines = [ServiceAreaInline]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("service_areas")

    @admin.display(description="Wilayah / Regions")
    def region_codes(self, upt: Upt) -> str:
        return ", ".join(area.region_id for area in upt.service_areas.all())

    @admin.display(description="Demo", boolean=True)
    def has_demo_areas(self, upt: Upt) -> bool:
        return any(area.is_demo for area in upt.service_areas.all())


@admin.register(ServiceArea)
class ServiceAreaAdmin(admin.ModelAdmin):
    list_display = ("region", "upt", "is_demo")
    list_filter = ("is_demo", "upt")
    list_select_related = ("region", "upt")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "type", "boundary_imported", "boundary_updated_at", "served_by")
    list_filter = ("type",)
    search_fields = ("code", "name")
    fields = ("code", "name", "type", "label_lat", "label_lng", "boundary_imported", "boundary_updated_at")
    readonly_fields = fields  # reference data; boundaries come from import_regions

    def get_queryset(self, request: HttpRequest) -> Any:
        has_boundary = ExpressionWrapper(Q(boundary__isnull=False), output_field=BooleanField())
        return (
            super()
            .get_queryset(request)
            .select_related("service_area__upt")
            .defer("boundary")
            .annotate(has_boundary=has_boundary)
        )

    @admin.display(description="Batas diimpor / Boundary imported", boolean=True)
    def boundary_imported(self, region: Region) -> bool:
        return bool(getattr(region, "has_boundary", False))

    @admin.display(description="UPT")
    def served_by(self, region: Region) -> str:
        area = getattr(region, "service_area", None)
        if area is None:
            return "-"
        return f"{area.upt.code} (demo)" if area.is_demo else area.upt.code

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> TemplateResponse:
        if not Region.objects.filter(boundary__isnull=False).exists():
            self.message_user(request, NO_BOUNDARIES_NOTE, level="warning")
        return super().changelist_view(request, extra_context)  # type: ignore[return-value]
