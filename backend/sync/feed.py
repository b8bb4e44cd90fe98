"""The change feed that `GET /api/v1/sync/pull/` reads.

Every write to a case, by a user's request or by the server (routing, escalation, deadlines), calls
`record_case_change` inside the same transaction, with the scope the case had *before* the change,
so that a pull can tell who must receive the case and who must receive `{"id", "removed": true}`.
"""

from __future__ import annotations

from cases.models import Case


def record_case_change(*, case: Case, previous_upt_id: int | None, previous_assignee_id: int | None) -> None:
    """Record that `case` changed (called inside the writing transaction).

    The offline-sync work fills this in; until then pulls are not served and nothing is recorded.
    """
    return None
