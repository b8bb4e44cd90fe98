"""Push: each operation applied exactly once, with a definite result, in order."""

from __future__ import annotations

import uuid

from cases.models import Case, CaseEvent
from sync.models import SyncOperation
from tests.backend.sync.conftest import action_op, create_op, update_op


def test_a_case_created_offline_is_applied_and_routed(push, ani, upt_a):
    case_id = uuid.uuid4()

    [result] = push(ani, [create_op(case_id)])

    assert result["status"] == "applied"
    assert result["error"] is None and result["conflicts"] == []
    assert result["case"]["id"] == str(case_id)
    assert result["case"]["upt"]["code"] == upt_a.code
    assert result["case"]["version"] == 1
    assert Case.objects.filter(pk=case_id).count() == 1


def test_a_replayed_operation_returns_the_first_answer_and_changes_nothing(push, ani, upt_a):
    op = create_op()
    [first] = push(ani, [op])

    [again] = push(ani, [op])

    assert again == first
    assert Case.objects.count() == 1
    assert SyncOperation.objects.filter(user=ani).count() == 1


def test_a_retry_under_a_new_op_id_does_not_duplicate_the_case(push, ani, upt_a):
    case_id = uuid.uuid4()
    push(ani, [create_op(case_id)])

    [retry] = push(ani, [create_op(case_id)])

    assert retry["status"] == "applied"
    assert retry["case"]["version"] == 1
    assert Case.objects.count() == 1
    assert CaseEvent.objects.filter(case_id=case_id, kind="created").count() == 1


def test_a_case_id_taken_by_someone_else_is_rejected_with_conflict(push, ani, hadi, upt_a):
    case_id = uuid.uuid4()
    push(ani, [create_op(case_id)])

    [result] = push(hadi, [create_op(case_id)])

    assert result["status"] == "rejected"
    assert result["error"]["code"] == "conflict"
    assert Case.objects.get(pk=case_id).reported_by == ani


def test_an_update_on_the_current_version_is_applied(push, ani, upt_a):
    case_id = uuid.uuid4()
    push(ani, [create_op(case_id)])

    [result] = push(ani, [update_op(case_id, 1, summary="Lansia sudah makan")])

    assert result["status"] == "applied"
    assert result["case"]["summary"] == "Lansia sudah makan"
    assert result["case"]["version"] == 2


def test_a_stale_update_of_other_fields_is_merged(push, ani, budi, upt_a):
    case_id = uuid.uuid4()
    push(ani, [create_op(case_id)])
    push(budi, [update_op(case_id, 1, severity="critical")], device_id="hp-budi")

    [result] = push(ani, [update_op(case_id, 1, summary="Ditemukan di pasar")])

    assert result["status"] == "merged"
    assert result["case"]["severity"] == "critical"
    assert result["case"]["summary"] == "Ditemukan di pasar"
    assert result["case"]["version"] == 3


def test_a_stale_update_of_a_field_changed_on_the_server_is_a_conflict_and_writes_nothing(push, ani, budi, upt_a):
    case_id = uuid.uuid4()
    push(ani, [create_op(case_id)])
    push(budi, [update_op(case_id, 1, severity="critical")], device_id="hp-budi")

    [result] = push(ani, [update_op(case_id, 1, severity="low", summary="Sudah tenang")])

    assert result["status"] == "conflict"
    assert result["conflicts"] == ["severity"]
    assert result["case"]["severity"] == "critical"
    case = Case.objects.get(pk=case_id)
    assert (case.severity, case.summary, case.version) == ("critical", "Lansia tidur di emper toko", 2)


def test_the_conflict_is_resolved_by_a_new_operation_on_the_server_version(push, ani, budi, upt_a):
    case_id = uuid.uuid4()
    push(ani, [create_op(case_id)])
    push(budi, [update_op(case_id, 1, severity="critical")], device_id="hp-budi")
    [conflict] = push(ani, [update_op(case_id, 1, severity="low")])

    [result] = push(ani, [update_op(case_id, conflict["case"]["version"], severity="low")])

    assert result["status"] == "applied"
    assert Case.objects.get(pk=case_id).severity == "low"


def test_person_is_replaced_whole_not_merged_key_by_key(push, ani, upt_a):
    case_id = uuid.uuid4()
    push(ani, [create_op(case_id, person={"name": "Mbah Sarmi", "age_estimate": 80, "sex": "female", "nik": None})])

    [result] = push(ani, [update_op(case_id, 1, person={"name": "Mbah Sarmini", "sex": "female"})])

    assert result["status"] == "applied"
    assert result["case"]["person"]["age_estimate"] is None


def test_an_action_still_allowed_is_applied_whatever_the_base_version(push, ani, budi, upt_a):
    case_id = uuid.uuid4()
    push(ani, [create_op(case_id)])
    push(ani, [update_op(case_id, 1, summary="Diperbarui")])

    [result] = push(budi, [action_op(case_id, "acknowledge", base_version=1)], device_id="hp-budi")

    assert result["status"] == "applied"
    assert result["case"]["status"] == "acknowledged"


def test_an_action_against_a_state_that_moved_on_is_rejected_as_invalid_transition(push, ani, budi, eko, upt_a):
    case_id = uuid.uuid4()
    push(ani, [create_op(case_id)])
    push(eko, [action_op(case_id, "acknowledge")], device_id="pc-eko")

    [result] = push(budi, [action_op(case_id, "acknowledge")], device_id="hp-budi")

    assert result["status"] == "rejected"
    assert result["error"]["code"] == "invalid_transition"


def test_an_action_the_role_may_not_do_is_rejected_as_forbidden(push, ani, upt_a):
    case_id = uuid.uuid4()
    push(ani, [create_op(case_id)])

    [result] = push(ani, [action_op(case_id, "acknowledge")])

    assert result["status"] == "rejected"
    assert result["error"]["code"] == "forbidden"


def test_dispatch_resolve_and_comment_through_push(push, ani, budi, upt_a):
    case_id = uuid.uuid4()
    push(ani, [create_op(case_id)])

    results = push(
        budi,
        [
            action_op(case_id, "dispatch", assignee="ani"),
            {
                "op_id": str(uuid.uuid4()),
                "kind": "case.comment",
                "case_id": str(case_id),
                "fields": {"id": str(uuid.uuid4()), "text": "Segera ke lokasi"},
            },
        ],
        device_id="hp-budi",
    )
    results += push(
        ani, [action_op(case_id, "start"), action_op(case_id, "resolve", note="Dipulangkan", outcome="returned_home")]
    )

    assert [r["status"] for r in results] == ["applied"] * 4
    case = Case.objects.get(pk=case_id)
    assert (case.status, case.assignee, case.outcome) == ("resolved", ani, "returned_home")


def test_a_rejected_operation_does_not_block_the_ones_behind_it(push, ani, upt_a):
    good_id = uuid.uuid4()

    results = push(ani, [create_op(summary=""), create_op(good_id), update_op(uuid.uuid4(), 1, summary="x")])

    assert [r["status"] for r in results] == ["rejected", "applied", "rejected"]
    assert list(results[0]["error"]["fields"]) == ["summary"]
    assert results[2]["error"]["code"] == "not_found"
    assert list(Case.objects.values_list("pk", flat=True)) == [good_id]


def test_an_unknown_kind_is_rejected_not_a_400(push, ani, upt_a):
    [result] = push(ani, [{"op_id": str(uuid.uuid4()), "kind": "case.delete", "case_id": str(uuid.uuid4())}])

    assert result["status"] == "rejected"
    assert "kind" in result["error"]["fields"]


def test_id_inside_fields_is_rejected(push, ani, upt_a):
    op = create_op()
    op["fields"]["id"] = op["case_id"]

    [result] = push(ani, [op])

    assert result["status"] == "rejected"
    assert "id" in result["error"]["fields"]


def test_unknown_keys_in_an_operation_are_rejected(push, ani, upt_a):
    op = create_op()
    op["priority"] = "urgent"

    [result] = push(ani, [op])

    assert result["status"] == "rejected"
    assert result["error"]["fields"] == {"priority": ["Kolom tidak dikenal."]}


def test_client_time_is_stored_but_never_orders_or_dates_anything(push, ani, upt_a):
    op = create_op()
    op["client_time"] = "2031-01-01T00:00:00Z"  # a phone whose clock is years ahead

    [result] = push(ani, [op])

    assert result["status"] == "applied"
    stored = SyncOperation.objects.get(op_id=op["op_id"])
    assert stored.client_time is not None and stored.client_time.year == 2031
    case = Case.objects.get(pk=op["case_id"])
    assert case.ack_due_at is not None
    assert case.created_at.year == 2026 and case.ack_due_at.year == 2026


def test_a_replay_of_a_rejected_operation_returns_the_same_rejection(push, ani, upt_a):
    op = create_op(summary="")
    [first] = push(ani, [op])
    op["fields"]["summary"] = "Sekarang diisi"  # same op_id, other content: still the first answer

    [again] = push(ani, [op])

    assert again == first
    assert Case.objects.count() == 0
