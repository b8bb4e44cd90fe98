"""Concurrent writers to one case take turns on its row lock (PostgreSQL, real threads)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable

import pytest
from django.db import connection

from accounts.models import User
from cases.models import Case, CaseEvent
from cases.services import StaleVersion, case_comment, case_update_checked
from tests.factories import CaseFactory


def run_together(work: list[Callable[[], object]]) -> list[object]:
    """Run each callable in its own thread and connection, released at the same moment."""
    barrier = threading.Barrier(len(work))
    results: list[object] = [None] * len(work)

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work[index]()
        except Exception as exc:  # returned for the assertions
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_edits_of_the_same_version_one_wins(ani, budi) -> None:
    case = CaseFactory.create(reported_by=ani)

    results = run_together(
        [
            lambda: case_update_checked(actor=ani, case=case, expected_version=1, fields={"summary": "Versi Ani"}),
            lambda: case_update_checked(actor=budi, case=case, expected_version=1, fields={"summary": "Versi Budi"}),
        ]
    )

    assert sorted(type(r).__name__ for r in results) == ["Case", "StaleVersion"]
    winner = next(r for r in results if isinstance(r, Case))
    loser = next(r for r in results if isinstance(r, StaleVersion))
    assert loser.case.summary == winner.summary
    assert Case.objects.get().version == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_comments_each_bump_the_version_once(ani, budi) -> None:
    case = CaseFactory.create(reported_by=ani)
    authors = [ani, budi] * 3

    def comment_by(user: User) -> Callable[[], object]:
        return lambda: case_comment(actor=user, case=case, comment_id=uuid.uuid4(), text="Dicek")

    results = run_together([comment_by(user) for user in authors])

    assert not [r for r in results if isinstance(r, Exception)]
    assert Case.objects.get().version == 1 + len(authors)
    assert CaseEvent.objects.filter(kind="commented").count() == len(authors)
