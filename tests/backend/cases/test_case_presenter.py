"""The hand-built case payload (sync push/pull, case list, detail) says exactly what `CaseOutput`, the
schema's declaration of the case resource, says: same keys in the same order, same values, for every
kind of case and every viewer."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cases.models import Case, PersonalDataAccess
from cases.presenters import case_rows, present_rows, row_of
from cases.selectors import cases_for_display, cases_visible_to
from cases.serializers import CaseOutput, present_case, present_cases
from tests.backend.cases.test_person_visibility import api_put_photo
from tests.factories import CaseFactory

PERSON = {"name": "Mbah Sarmi", "age_estimate": 78, "sex": "female", "nik": "3523014505460001"}
COMPLAINANT = {"name": "Pak RT", "phone": "081234567890"}


@pytest.fixture
def assorted_cases(ani, gita, budi, citra) -> list:
    """One of each shape: plain, with person data and a photo, without location or UPT, resolved."""
    with_photo = CaseFactory(
        reported_by=ani, assignee=gita, status="dispatched", person=PERSON, complainant=COMPLAINANT, severity="high"
    )
    assert api_put_photo(with_photo, budi) == 201
    return [
        CaseFactory(reported_by=ani),
        with_photo,
        CaseFactory(reported_by=ani, lat=None, lng=None, accuracy_m=None, address="Pasar Baru", upt=None, region=None),
        CaseFactory(
            reported_by=ani,
            status="resolved",
            outcome="returned_home",
            resolution_note="Diantar pulang ke keluarga.",
            person={"name": "Budi kecil", "age_estimate": None, "sex": "unknown", "nik": None},
            observed_at=datetime(2026, 11, 29, 23, 59, 59, 123456, tzinfo=UTC),
        ),
        CaseFactory(reported_by=citra, upt=citra.upt),
    ]


def declared(case: Case, viewer) -> dict:
    return dict(CaseOutput(case, context={"viewer": viewer}).data)


@pytest.mark.parametrize("persona", ["ani", "gita", "budi", "citra", "eko", "fajar"])
def test_every_viewer_gets_what_case_output_declares(personas, gita, assorted_cases, persona) -> None:
    viewer = {**personas, "gita": gita}[persona]
    for case in cases_for_display(viewer).filter(pk__in=[case.pk for case in assorted_cases]):
        expected = declared(case, viewer)
        from_instance = present_case(case, viewer=viewer, via="test")
        from_row = present_rows(case_rows(Case.objects.filter(pk=case.pk)), viewer=viewer, via="test")[0]
        assert list(from_instance) == list(expected)
        assert from_instance == expected
        assert from_row == expected


def test_the_assorted_cases_cover_what_a_payload_can_hold(eko, assorted_cases) -> None:
    shown = present_cases(list(cases_for_display(eko)), viewer=eko, via="test")
    assert any(case["attachments"] for case in shown)
    assert any(case["location"] is None and case["upt"] is None for case in shown)
    assert any(case["assignee"] is not None for case in shown)
    assert any(case["outcome"] is not None for case in shown)
    assert any(case["observed_at"].endswith(".123456Z") for case in shown)


def test_rows_of_a_queryset_match_rows_of_instances(eko, assorted_cases) -> None:
    rows = {row["id"]: row for row in case_rows(cases_visible_to(eko))}
    for case in cases_for_display(eko):
        assert rows[case.pk] == row_of(case)


def test_each_read_of_person_data_is_logged_once_per_case(ani, fajar, assorted_cases) -> None:
    PersonalDataAccess.objects.all().delete()
    present_rows(case_rows(Case.objects.all()), viewer=ani, via="sync.pull")
    logged = sorted(str(access.case_id) for access in PersonalDataAccess.objects.filter(user=ani, via="sync.pull"))
    with_person_data = sorted(str(case.pk) for case in assorted_cases if case.reported_by == ani and case.person)
    assert logged == with_person_data
    present_rows(case_rows(Case.objects.all()), viewer=fajar, via="sync.pull")
    assert not PersonalDataAccess.objects.filter(user=fajar).exists()
