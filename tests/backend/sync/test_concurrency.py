"""Real concurrent transactions on PostgreSQL: a push racing itself, and a change that commits late."""

from __future__ import annotations

import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import OperationalError, connection, transaction

from cases.models import Case, CaseEvent
from cases.services import case_update
from sync.models import SyncOperation
from sync.services import PushRequest, parse_push, sync_push
from sync.views import DEADLOCK_RETRIES
from tests.backend.sync.conftest import create_op, update_op

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _push_in_thread(user, request: PushRequest, barrier: threading.Barrier) -> list[dict]:
    try:
        barrier.wait(timeout=10)
        return sync_push(user=user, request=request)
    finally:
        connection.close()


def test_the_same_push_from_two_threads_applies_once_and_answers_twice_the_same(ani, upt_a):
    ops = [create_op() for _ in range(20)]
    request = parse_push({"device_id": "hp-ani", "operations": ops})
    barrier = threading.Barrier(2)

    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(lambda _: _push_in_thread(ani, request, barrier), range(2))

    assert json.dumps(first, sort_keys=True, cls=DjangoJSONEncoder) == json.dumps(
        second, sort_keys=True, cls=DjangoJSONEncoder
    )
    assert [r["status"] for r in first] == ["applied"] * 20
    assert Case.objects.count() == 20
    assert CaseEvent.objects.filter(kind="created").count() == 20
    assert SyncOperation.objects.count() == 20


def test_two_pushes_sharing_operations_in_opposite_orders_both_finish(ani, upt_a):
    ops = [create_op() for _ in range(10)]
    forward = parse_push({"device_id": "hp-ani", "operations": ops})
    backward = parse_push({"device_id": "hp-ani-2", "operations": list(reversed(ops))})
    barrier = threading.Barrier(2)

    def run(request: PushRequest) -> list[dict]:
        try:
            barrier.wait(timeout=10)
            for attempt in range(DEADLOCK_RETRIES):
                try:
                    return sync_push(user=ani, request=request)
                except OperationalError:
                    if attempt == DEADLOCK_RETRIES - 1:
                        raise
            raise AssertionError("unreachable")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        forward_results, backward_results = pool.map(run, [forward, backward])

    def by_op(results: list[dict]) -> dict[str, str]:
        return {r["op_id"]: json.dumps(r, sort_keys=True, cls=DjangoJSONEncoder) for r in results}

    assert by_op(forward_results) == by_op(backward_results)
    assert Case.objects.count() == 10


def test_a_change_that_commits_after_a_pull_is_in_the_next_pull(api, push, pull, ani, upt_a):
    case_id = uuid.uuid4()
    push(ani, [create_op(case_id)])
    written = threading.Event()
    may_commit = threading.Event()

    def slow_editor() -> None:
        try:
            with transaction.atomic():
                case_update(actor=ani, case=Case.objects.get(pk=case_id), fields={"summary": "Terlambat"})
                written.set()
                assert may_commit.wait(timeout=20)
        finally:
            connection.close()

    editor = threading.Thread(target=slow_editor)
    editor.start()
    assert written.wait(timeout=20)
    # The edit is written but not committed: this pull cannot see it, and its cursor must not skip it.
    changes, cursor = pull(ani)
    may_commit.set()
    editor.join(timeout=20)

    assert [c["summary"] for c in changes] == ["Lansia tidur di emper toko"]
    later, _ = pull(ani, cursor)
    assert [(c["id"], c["summary"]) for c in later] == [(str(case_id), "Terlambat")]


def test_a_change_committed_before_a_later_one_is_not_skipped_when_ids_interleave(api, push, pull, ani, upt_a):
    """Transaction A writes first (lower id) but commits last; B writes after and commits first."""
    first_id, second_id = uuid.uuid4(), uuid.uuid4()
    push(ani, [create_op(first_id), create_op(second_id)])
    _, cursor = pull(ani)
    a_written, a_may_commit = threading.Event(), threading.Event()

    def transaction_a() -> None:
        try:
            with transaction.atomic():
                case_update(actor=ani, case=Case.objects.get(pk=first_id), fields={"summary": "A"})
                a_written.set()
                assert a_may_commit.wait(timeout=20)
        finally:
            connection.close()

    thread = threading.Thread(target=transaction_a)
    thread.start()
    assert a_written.wait(timeout=20)
    push(ani, [update_op(second_id, 1, summary="B")])  # commits while A is in flight
    seen_b, cursor = pull(ani, cursor)
    a_may_commit.set()
    thread.join(timeout=20)
    seen_a, _ = pull(ani, cursor)

    assert [(c["id"], c["summary"]) for c in seen_b] == [(str(second_id), "B")]
    assert [(c["id"], c["summary"]) for c in seen_a] == [(str(first_id), "A")]
