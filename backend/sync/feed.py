"""The change feed that `GET /api/v1/sync/pull/` reads, and the snapshots its cursors carry.

Every write to a case, by a user's request or by the server (routing, escalation, deadlines), calls
`record_case_change` inside the same transaction, with the scope the case had *before* the change,
so that a pull can tell who must receive the case and who must receive `{"id", "removed": true}`.

Why snapshots and not timestamps or a sequence: a change row becomes visible when its transaction
commits, not when it was written. A transaction that wrote sequence number 41 may commit after a
pull already returned number 42; "give me everything after 42" would skip it forever. On PostgreSQL
each row carries its transaction id, and the cursor carries the pull's MVCC snapshot
(`pg_current_snapshot()`: xmin, xmax and the ids in flight). The next pull asks for exactly the rows
that snapshot could not see: written by a transaction at or after its xmax, or by one that was in
flight then. A late commit is therefore never skipped and nothing is sent twice. On SQLite, writers
are serialized (BEGIN IMMEDIATE), so row ids are allocated in commit order and a plain high-water mark
is exact.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q

from cases.models import Case
from sync.models import CaseChange

# A snapshot with more transactions in flight than this is coarsened to its xmin (sending a few
# changes twice, never skipping one) so that cursors stay small.
MAX_IN_FLIGHT_IN_CURSOR = 200


@dataclass(frozen=True)
class Snapshot:
    """Which change rows a pull could see: those with key < xmax whose key is not in `in_flight`."""

    xmin: int
    xmax: int
    in_flight: tuple[int, ...] = ()

    def text(self) -> str:
        return f"{self.xmin}:{self.xmax}:{','.join(map(str, self.in_flight))}"

    @classmethod
    def parse(cls, text: str) -> Snapshot:
        xmin, xmax, in_flight = text.split(":")
        snapshot = cls(int(xmin), int(xmax), tuple(int(x) for x in in_flight.split(",") if x))
        if not 0 <= snapshot.xmin <= snapshot.xmax or any(
            not snapshot.xmin <= x < snapshot.xmax for x in snapshot.in_flight
        ):
            raise ValueError("inconsistent snapshot")
        return snapshot

    def unseen(self) -> Q:
        """Change rows this snapshot could not see."""
        key = _key_column()
        return Q(**{f"{key}__gte": self.xmax}) | Q(**{f"{key}__in": self.in_flight})

    def seen(self) -> Q:
        """Change rows this snapshot could see."""
        key = _key_column()
        return Q(**{f"{key}__lt": self.xmax}) & ~Q(**{f"{key}__in": self.in_flight})


def _key_column() -> str:
    return "txid" if connection.vendor == "postgresql" else "id"


def current_snapshot() -> Snapshot:
    """The snapshot of the running transaction (the caller runs it REPEATABLE READ on PostgreSQL)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_current_snapshot()::text")
            xmin, xmax, in_flight = cursor.fetchone()[0].split(":")
            ids = tuple(int(x) for x in in_flight.split(",") if x)
            if len(ids) > MAX_IN_FLIGHT_IN_CURSOR:
                return Snapshot(int(xmin), int(xmin))
            return Snapshot(int(xmin), int(xmax), ids)
        cursor.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM sync_casechange")
        high_water = int(cursor.fetchone()[0])
        return Snapshot(high_water, high_water)


@dataclass(frozen=True)
class ScopeChange:
    """A case's scope after a write, and what it was before."""

    case_id: uuid.UUID | str
    upt_id: int | None
    previous_upt_id: int | None
    assignee_id: int | None
    previous_assignee_id: int | None
    reported_by_id: int


def record_case_change(*, case: Case, previous_upt_id: int | None, previous_assignee_id: int | None) -> None:
    """Record that `case` changed; call inside the writing transaction, after the write."""
    record_case_changes(
        [
            ScopeChange(
                case_id=case.pk,
                upt_id=case.upt_id,
                previous_upt_id=previous_upt_id,
                assignee_id=case.assignee_id,
                previous_assignee_id=previous_assignee_id,
                reported_by_id=case.reported_by_id,
            )
        ]
    )


def record_case_changes(changes: Iterable[ScopeChange]) -> None:
    """The set-based form, for writers that change many cases at once (the escalation sweep)."""
    rows = [
        CaseChange(
            case_id=change.case_id,
            upt_id=change.upt_id,
            previous_upt_id=change.previous_upt_id,
            assignee_id=change.assignee_id,
            previous_assignee_id=change.previous_assignee_id,
            reported_by_id=change.reported_by_id,
        )
        for change in changes
    ]
    if not rows:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_xact_id()::text::bigint")
            txid = int(cursor.fetchone()[0])
        for row in rows:
            row.txid = txid
    CaseChange.objects.bulk_create(rows)
