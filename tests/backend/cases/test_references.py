"""References `JSC-<year>-<6 digits>`: per Jakarta year, never duplicated, even under concurrency."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime

import pytest
from django.db import connection

from cases.models import Case, ReferenceCounter
from cases.references import next_reference
from cases.services import case_create
from cases.validation import validate_case_fields


@pytest.mark.django_db
def test_numbers_follow_each_other() -> None:
    now = datetime(2026, 3, 1, tzinfo=UTC)

    assert [next_reference(now) for _ in range(3)] == ["JSC-2026-000001", "JSC-2026-000002", "JSC-2026-000003"]


@pytest.mark.django_db
def test_the_year_is_jakartas() -> None:
    # 31 Dec 2026 18:00 UTC is already 1 Jan 2027 in Jakarta (UTC+7).
    assert next_reference(datetime(2026, 12, 31, 18, 0, tzinfo=UTC)) == "JSC-2027-000001"
    assert next_reference(datetime(2026, 12, 31, 16, 0, tzinfo=UTC)) == "JSC-2026-000001"


@pytest.mark.django_db
def test_each_year_counts_on_its_own() -> None:
    ReferenceCounter.objects.create(year=2025, last=41)

    assert next_reference(datetime(2025, 6, 1, tzinfo=UTC)) == "JSC-2025-000042"
    assert next_reference(datetime(2026, 6, 1, tzinfo=UTC)) == "JSC-2026-000001"


# Real commits from several connections; `serialized_rollback` restores the reference data (regions,
# categories) that migrations load and that a transactional test's flush would otherwise remove.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_creators_never_share_a_reference(ani, budi, eko) -> None:
    fields = validate_case_fields(
        {"category": "PPKS11", "severity": "low", "summary": "Uji bersamaan", "address": "Tuban"},
        partial=False,
        for_create=True,
    )
    users = [ani, budi, eko] * 4
    barrier = threading.Barrier(len(users))
    errors: list[BaseException] = []

    def create(user) -> None:
        try:
            barrier.wait()
            case_create(actor=user, case_id=uuid.uuid4(), fields=fields)
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    references = list(Case.objects.values_list("reference", flat=True))
    assert len(references) == len(users) == len(set(references))
    assert ReferenceCounter.objects.get().last == len(users)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_create_retried_concurrently_stores_one_case(ani) -> None:
    fields = validate_case_fields(
        {"category": "PPKS11", "severity": "low", "summary": "Uji ulang", "address": "Tuban"},
        partial=False,
        for_create=True,
    )
    case_id = uuid.uuid4()
    barrier = threading.Barrier(4)
    outcomes: list[bool] = []

    def create() -> None:
        try:
            barrier.wait()
            outcomes.append(case_create(actor=ani, case_id=case_id, fields=fields)[1])
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == [False, False, False, True]
    assert Case.objects.count() == 1
