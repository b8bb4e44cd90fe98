from __future__ import annotations

from django.db import models


class RegionType(models.TextChoices):
    KABUPATEN = "kabupaten", "Kabupaten"
    KOTA = "kota", "Kota"


class Region(models.Model):
    """A kabupaten/kota of East Java. Codes, names and label points are reference data (migration);
    boundaries are imported by `import_regions` (GeoJSON geometry, WGS84 [lng, lat])."""

    code = models.CharField(primary_key=True, max_length=5)
    name = models.CharField(max_length=100)
    type = models.CharField(max_length=10, choices=RegionType.choices)
    label_lat = models.FloatField()
    label_lng = models.FloatField()
    boundary = models.JSONField(null=True, blank=True)
    boundary_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Upt(models.Model):
    """A regional technical unit (UPT) of Dinas Sosial, with a JSC team."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    lat = models.FloatField()
    lng = models.FloatField()
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "UPT"
        verbose_name_plural = "UPT"

    def __str__(self) -> str:
        return self.name


class ServiceArea(models.Model):
    """Which UPT serves a region: each region is served by exactly one UPT."""

    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="service_area")
    upt = models.ForeignKey(Upt, on_delete=models.CASCADE, related_name="service_areas")
    is_demo = models.BooleanField(default=False, help_text="Pembagian wilayah demo, bukan ketetapan resmi.")

    class Meta:
        ordering = ["region_id"]

    def __str__(self) -> str:
        return f"{self.region_id} → {self.upt.code}"
