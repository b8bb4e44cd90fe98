from __future__ import annotations

import uuid

from django.core.validators import MinValueValidator
from django.db import models

from cases.models import Severity


class SlaPolicy(models.Model):
    """How long a case may wait to be acknowledged and resolved. A row with a category overrides the
    severity default for that category. Defaults (DESIGN.md) are loaded by a migration."""

    severity = models.CharField(max_length=10, choices=Severity.choices)
    category = models.ForeignKey("cases.Category", null=True, blank=True, on_delete=models.CASCADE)
    ack_minutes = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    resolve_minutes = models.PositiveIntegerField(validators=[MinValueValidator(1)])

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


class EscalationStep(models.Model):
    """One step climbed on one clock of one case, for one deadline: the claim that makes each escalation
    happen exactly once. Concurrent sweeps insert the same (case, clock, deadline, step) and the unique
    constraint lets only one of them own it; the owner records the event and the notifications.
    The deadline is part of the key because a refer or a reopen restarts the clock at step 1."""

    class ClockChoices(models.TextChoices):
        ACK = "ack", "Penerimaan"
        RESOLVE = "resolve", "Penyelesaian"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="escalation_steps")
    clock = models.CharField(max_length=10, choices=ClockChoices.choices)
    deadline = models.DateTimeField()
    step = models.PositiveIntegerField()
    level = models.PositiveIntegerField(help_text="The case's escalation level this step brought it to.")
    due_at = models.DateTimeField(help_text="When the step fell due.")
    recorded_at = models.DateTimeField()
    sweep_id = models.UUIDField(help_text="The sweep that recorded it.")

    class Meta:
        ordering = ["case", "due_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "clock", "deadline", "step"], name="escalation_step_once"),
        ]
        indexes = [models.Index(fields=["sweep_id"], name="escalation_step_sweep")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.clock} step {self.step} (level {self.level})"
