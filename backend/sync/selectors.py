"""`GET /api/v1/sync/pull/`: the cases a user may see that changed since their cursor.

See `sync.feed` for why cursors carry database snapshots. A pull is cut at one snapshot (`sweep`)
for all of its pages, so that changes committing while a client pages through are neither lost
(they are after `sweep`: the next pull sends them) nor half-sent.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Q

from accounts.models import Role, User
from cases.presenters import case_rows, present_rows
from cases.selectors import cases_visible_to
from sync.cursors import PullCursor
from sync.feed import current_snapshot
from sync.models import CaseChange

DEFAULT_LIMIT = 500
MAX_LIMIT = 1000


@dataclass(frozen=True)
class PullPage:
    changes: list[dict[str, Any]]
    cursor: str
    has_more: bool


def _changes_relevant_to(user: User) -> Q:
    """Change rows that may concern `user`: the case is, or was until that change, in their scope."""
    if user.role in (Role.MANAGER, Role.ADMIN):
        return Q()
    if user.role == Role.UPT_COMMANDER:
        return Q(upt_id=user.upt_id) | Q(previous_upt_id=user.upt_id)
    return Q(reported_by_id=user.pk) | Q(assignee_id=user.pk) | Q(previous_assignee_id=user.pk)


def _present(user: User, case_ids: list[uuid.UUID]) -> list[dict[str, Any]]:
    """Each id once, in order: the case as the user may see it now, or `removed` if they no longer may."""
    rows = case_rows(cases_visible_to(user).filter(pk__in=case_ids))
    by_id = {
        row["id"]: shown for row, shown in zip(rows, present_rows(rows, viewer=user, via="sync.pull"), strict=True)
    }
    return [by_id.get(case_id) or {"id": str(case_id), "removed": True} for case_id in case_ids]


def _full_page(user: User, after: uuid.UUID | None, limit: int) -> tuple[list[dict[str, Any]], list[uuid.UUID]]:
    """A page of a full pull: every case in scope, by id, read in one query (nothing to remove)."""
    candidates = cases_visible_to(user).order_by("pk")
    if after:
        candidates = candidates.filter(pk__gt=after)
    rows = case_rows(candidates[: limit + 1])
    return present_rows(rows[:limit], viewer=user, via="sync.pull"), [row["id"] for row in rows]


def sync_pull(*, user: User, cursor_token: str | None, limit: int = DEFAULT_LIMIT) -> PullPage:
    cursor = PullCursor.decode(cursor_token, user_id=user.pk) if cursor_token else PullCursor(user.pk, seen=None)
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # One snapshot for the cursor and the rows read with it (reads are consistent with the
            # cursor). Correctness does not depend on it: the cursor's snapshot is taken before any
            # row is read, so a row committed in between is sent now and again, never skipped.
            with connection.cursor() as db:
                db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        sweep = cursor.sweep or current_snapshot()
        if cursor.seen is None:
            changes, case_ids = _full_page(user, cursor.after, limit)
        else:
            rows = CaseChange.objects.filter(cursor.seen.unseen() & sweep.seen() & _changes_relevant_to(user))
            if cursor.after:
                rows = rows.filter(case_id__gt=cursor.after)
            case_ids = list(rows.order_by("case_id").values_list("case_id", flat=True).distinct()[: limit + 1])
            changes = _present(user, case_ids[:limit])
        has_more = len(case_ids) > limit
        case_ids = case_ids[:limit]
    if has_more:
        following = PullCursor(user.pk, seen=cursor.seen, sweep=sweep, after=case_ids[-1])
    else:
        following = PullCursor(user.pk, seen=sweep)
    return PullPage(changes=changes, cursor=following.encode(), has_more=has_more)
