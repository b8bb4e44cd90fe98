"""Pull: every case in scope, then every change since the cursor, each once per page, latest state."""

from __future__ import annotations

import uuid

import pytest
import time_machine

from sync.cursors import CURSOR_MAX_AGE
from tests.backend.sync.conftest import action_op, create_op, update_op

# Each request commits, as in production: on PostgreSQL the cursor's snapshot tells transactions apart,
# so writes and pulls must not share the test's one transaction.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def ids(changes):
    return sorted(change["id"] for change in changes)


def test_a_full_pull_brings_everything_the_user_may_see_and_nothing_else(push, pull, ani, citra, budi, upt_a, upt_b):
    mine = [uuid.uuid4() for _ in range(3)]
    push(ani, [create_op(case_id) for case_id in mine])
    push(citra, [create_op(lat=-8.17, lng=113.70)], device_id="hp-citra")  # Jember, UPT B

    changes, _ = pull(ani)
    commander_changes, _ = pull(budi)

    assert ids(changes) == sorted(map(str, mine))
    assert ids(commander_changes) == sorted(map(str, mine))


def test_paging_with_a_small_limit_yields_each_case_exactly_once(push, pull, ani, upt_a):
    created = [uuid.uuid4() for _ in range(7)]
    push(ani, [create_op(case_id) for case_id in created])

    changes, _ = pull(ani, limit=2)

    assert ids(changes) == sorted(map(str, created))


def test_an_incremental_pull_brings_only_what_changed_since_the_cursor(push, pull, ani, upt_a):
    first, second = uuid.uuid4(), uuid.uuid4()
    push(ani, [create_op(first), create_op(second)])
    _, cursor = pull(ani)

    push(ani, [update_op(second, 1, summary="Sudah dibawa ke UPT")])
    changes, cursor = pull(ani, cursor)

    assert [(c["id"], c["summary"], c["version"]) for c in changes] == [(str(second), "Sudah dibawa ke UPT", 2)]
    assert pull(ani, cursor)[0] == []


def test_several_changes_to_one_case_come_once_in_the_latest_state(push, pull, ani, upt_a):
    case_id = uuid.uuid4()
    push(ani, [create_op(case_id)])
    _, cursor = pull(ani)
    push(ani, [update_op(case_id, 1, summary="satu"), update_op(case_id, 2, summary="dua")])

    changes, _ = pull(ani, cursor, limit=1)

    assert [(c["id"], c["summary"]) for c in changes] == [(str(case_id), "dua")]


def test_a_case_referred_away_is_removed_for_the_old_upt_and_arrives_at_the_new(
    push, pull, ani, budi, dewi, upt_a, upt_b
):
    case_id = uuid.uuid4()
    push(ani, [create_op(case_id)])
    _, budi_cursor = pull(budi)
    _, dewi_cursor = pull(dewi)

    [referred] = push(
        budi, [action_op(case_id, "refer", upt=upt_b.code, note="Keluarga di Jember")], device_id="hp-budi"
    )
    budi_changes, _ = pull(budi, budi_cursor)
    dewi_changes, _ = pull(dewi, dewi_cursor)

    assert referred["status"] == "applied"
    assert budi_changes == [{"id": str(case_id), "removed": True}]
    assert [(c["id"], c["upt"]["code"], c["status"]) for c in dewi_changes] == [(str(case_id), upt_b.code, "new")]


def test_a_reassigned_field_worker_gets_a_removal_and_the_new_one_the_case(
    push, pull, ani, budi, hadi, make_user, upt_a
):
    case_id = uuid.uuid4()
    push(budi, [create_op(case_id)], device_id="hp-budi")
    push(budi, [action_op(case_id, "dispatch", assignee="hadi")], device_id="hp-budi")
    _, hadi_cursor = pull(hadi)
    _, ani_cursor = pull(ani)

    push(budi, [action_op(case_id, "dispatch", assignee="ani")], device_id="hp-budi")

    assert pull(hadi, hadi_cursor)[0] == [{"id": str(case_id), "removed": True}]
    assert [c["assignee"] for c in pull(ani, ani_cursor)[0]] == ["ani"]


def test_managers_see_server_made_changes_like_escalation_in_the_next_pull(push, pull, eko, ani, upt_a):
    from cases.models import Case
    from sync.feed import record_case_change

    case_id = uuid.uuid4()
    push(ani, [create_op(case_id)])
    _, cursor = pull(eko)

    case = Case.objects.get(pk=case_id)
    Case.objects.filter(pk=case_id).update(escalation_level=1)
    record_case_change(case=case, previous_upt_id=case.upt_id, previous_assignee_id=None)

    changes, _ = pull(eko, cursor)
    assert [(c["id"], c["escalation_level"], c["version"]) for c in changes] == [(str(case_id), 1, 1)]


def test_a_forged_cursor_is_410(api, ani):
    response = api(ani).get("/api/v1/sync/pull/", {"cursor": "eyJ1IjoxfQ:forged:signature"})

    assert response.status_code == 410
    assert response.json()["error"]["code"] == "cursor_expired"


def test_another_users_cursor_is_410(pull, api, ani, hadi, upt_a):
    _, cursor = pull(ani)

    response = api(hadi).get("/api/v1/sync/pull/", {"cursor": cursor})

    assert response.status_code == 410


def test_a_cursor_older_than_the_retention_is_410(pull, api, ani, upt_a):
    with time_machine.travel("2026-11-01T00:00:00Z", tick=False):
        _, cursor = pull(ani)

    with time_machine.travel("2026-11-01T00:00:00Z", tick=False) as traveller:
        traveller.shift(CURSOR_MAX_AGE.total_seconds() + 60)
        response = api(ani).get("/api/v1/sync/pull/", {"cursor": cursor})

    assert response.status_code == 410


def test_a_recent_cursor_is_still_served(pull, api, ani, upt_a):
    with time_machine.travel("2026-11-01T00:00:00Z", tick=False):
        _, cursor = pull(ani)

    with time_machine.travel("2026-11-20T00:00:00Z", tick=False):
        response = api(ani).get("/api/v1/sync/pull/", {"cursor": cursor})

    assert response.status_code == 200


def test_limit_outside_1_to_1000_is_a_400(api, ani):
    for limit in ("0", "1001", "abc", "-5"):
        response = api(ani).get("/api/v1/sync/pull/", {"limit": limit})
        assert response.status_code == 400
        assert "limit" in response.json()["error"]["fields"]


def test_pull_needs_authentication(api):
    assert api(None).get("/api/v1/sync/pull/").status_code == 401


def test_person_data_in_a_pull_is_logged_and_hidden_from_admins(push, pull, ani, fajar, upt_a):
    from cases.models import PersonalDataAccess

    push(ani, [create_op(person={"name": "Mbah Sarmi", "age_estimate": 80, "sex": "female", "nik": None})])

    [mine], _ = pull(ani)
    [admins], _ = pull(fajar)

    assert mine["person"]["name"] == "Mbah Sarmi"
    assert admins["person"] is None
    assert PersonalDataAccess.objects.filter(user=ani, via="sync.pull").count() == 1
    assert not PersonalDataAccess.objects.filter(user=fajar).exists()
