from __future__ import annotations

from django.conf import settings
from django.db import models


class CaseChange(models.Model):
    """One row per write to a case, in the writing transaction: what `sync/pull` reads.

    `txid` is the writing transaction's id on PostgreSQL (pg_current_xact_id), so a pull can tell
    exactly which changes its previous snapshot could not see, including those of transactions
    that were still in flight then. On SQLite, writers are serialized and `id` plays that part.
    The scope before and after the change lets a pull send `removed` to whoever lost the case.
    """

    id = models.BigAutoField(primary_key=True)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+", db_constraint=False)
    txid = models.BigIntegerField(null=True)
    at = models.DateTimeField(auto_now_add=True)
    upt_id = models.BigIntegerField(null=True)
    previous_upt_id = models.BigIntegerField(null=True)
    assignee_id = models.BigIntegerField(null=True)
    previous_assignee_id = models.BigIntegerField(null=True)
    reported_by_id = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["txid"], name="casechange_txid"),
            models.Index(fields=["at"], name="casechange_at"),
        ]

    def __str__(self) -> str:
        return f"change {self.id} of {self.case_id}"


class OperationStatus(models.TextChoices):
    APPLIED = "applied"
    MERGED = "merged"
    CONFLICT = "conflict"
    REJECTED = "rejected"


class SyncOperation(models.Model):
    """The operation log: each pushed operation once per user, with the result first returned.

    The unique (user, op_id) constraint, not a check-then-insert, is what makes a replay safe: two
    requests carrying the same operation race on the insert; the loser waits for the winner's commit,
    then reads and returns the winner's recorded result.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    op_id = models.UUIDField()
    device_id = models.CharField(max_length=100)
    kind = models.CharField(max_length=30)
    case_id = models.UUIDField(null=True)
    client_time = models.DateTimeField(null=True)
    received_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=OperationStatus.choices)
    result = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "op_id"], name="syncop_unique_user_op")]

    def __str__(self) -> str:
        return f"{self.kind} {self.op_id} ({self.status})"
