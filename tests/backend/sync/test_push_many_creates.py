"""A day of offline work in one push: consecutive creates are stored together, with the same answers
as one at a time."""

from __future__ import annotations

import uuid

from django.db import IntegrityError

from cases.models import Case, CaseEvent
from notifications.models import Notification
from sync.models import SyncOperation
from tests.backend.sync.conftest import create_op, update_op


def test_many_creates_are_each_applied_routed_and_referenced_once(
    push, ani, budi, upt_a, django_capture_on_commit_callbacks
):
    ops = [create_op() for _ in range(30)]

    with django_capture_on_commit_callbacks(execute=True) as enqueued:
        results = push(ani, ops)

    assert [r["status"] for r in results] == ["applied"] * 30
    assert [r["case"]["id"] for r in results] == [op["case_id"] for op in ops]
    assert {r["case"]["upt"]["code"] for r in results} == {upt_a.code}
    assert len({r["case"]["reference"] for r in results}) == 30
    assert Case.objects.count() == 30 and CaseEvent.objects.filter(kind="created").count() == 30
    assert len(enqueued) == 1  # one message for the whole run, not one per case
    assert Notification.objects.filter(recipient=budi, kind="case_routed").count() == 30


def test_one_taken_id_in_a_run_is_rejected_and_the_rest_applied(push, ani, hadi, upt_a):
    taken = uuid.uuid4()
    push(hadi, [create_op(taken)], device_id="hp-hadi")

    results = push(ani, [create_op(), create_op(taken), create_op()])

    assert [r["status"] for r in results] == ["applied", "rejected", "applied"]
    assert results[1]["error"]["code"] == "conflict"
    assert Case.objects.filter(reported_by=ani).count() == 2


def test_a_case_already_stored_comes_back_unchanged_inside_a_run(push, ani, upt_a):
    known = uuid.uuid4()
    [first] = push(ani, [create_op(known)])

    results = push(ani, [create_op(), create_op(known, summary="Dikirim ulang")])

    assert results[1]["status"] == "applied"
    assert results[1]["case"]["summary"] == first["case"]["summary"]
    assert Case.objects.count() == 2


def test_the_same_case_id_twice_under_two_op_ids_makes_one_case(push, ani, upt_a):
    case_id = uuid.uuid4()

    results = push(ani, [create_op(case_id), create_op(case_id)])

    assert [r["status"] for r in results] == ["applied", "applied"]
    assert Case.objects.count() == 1


def test_the_same_operation_twice_in_one_push_answers_twice_the_same(push, ani, upt_a):
    op = create_op()

    first, second = push(ani, [op, op])

    assert first == second
    assert Case.objects.count() == 1 and SyncOperation.objects.count() == 1


def test_invalid_creates_in_a_run_are_rejected_without_writing(push, ani, upt_a):
    results = push(ani, [create_op(), create_op(severity="urgent"), create_op(location=None), create_op()])

    assert [r["status"] for r in results] == ["applied", "rejected", "rejected", "applied"]
    assert "severity" in results[1]["error"]["fields"]
    assert Case.objects.count() == 2


def test_creates_then_updates_in_one_push_apply_in_order(push, ani, upt_a):
    first, second = uuid.uuid4(), uuid.uuid4()

    results = push(ani, [create_op(first), create_op(second), update_op(first, 1, summary="Sudah makan")])

    assert [r["status"] for r in results] == ["applied"] * 3
    assert Case.objects.get(pk=first).version == 2


def test_a_race_on_a_case_id_falls_back_to_one_at_a_time(push, ani, upt_a, monkeypatch):
    def collide(**kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr("sync.creates.cases_create_many", collide)

    results = push(ani, [create_op(), create_op(summary=""), create_op()])

    assert [r["status"] for r in results] == ["applied", "rejected", "applied"]
    assert Case.objects.count() == 2


def test_replays_of_a_whole_run_return_the_recorded_answers(push, ani, upt_a):
    ops = [create_op() for _ in range(5)] + [create_op(summary="")]
    first = push(ani, ops)

    again = push(ani, ops)

    assert again == first
    assert Case.objects.count() == 5
