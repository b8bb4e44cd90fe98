from __future__ import annotations

from django.db import models

from cases.models import Severity


class SlaPolicy(models.Model):
    """How long a case may wait to be acknowledged and resolved. A row with a category overrides the
    severity default for that category. Defaults (DESIGN.md) are loaded by a migration."""

    severity = models.CharField(max_length=10, choices=Severity.choices)
    category = models.ForeignKey("cases.Category", null=True, blank=True, on_delete=models.CASCADE)
    ack_minutes = models.PositiveIntegerField()
    resolve_minutes = models.PositiveIntegerField()

    class Meta:
        verbose_name = "SLA policy"
        verbose_name_plural = "SLA policies"
        constraints = [
            models.UniqueConstraint(fields=["severity", "category"], name="sla_unique_severity_category"),
            models.UniqueConstraint(
                fields=["severity"], condition=models.Q(category__isnull=True), name="sla_unique_severity_default"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.severity} {self.category_id or '*'}: ack {self.ack_minutes} min, resolve {self.resolve_minutes} min"
        )
