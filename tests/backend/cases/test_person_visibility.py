"""Person data, complainant and photos: shown only to the reporter, the assignee, the UPT's commanders
and managers, and every such read is logged."""

from __future__ import annotations

import uuid

import pytest

from cases.models import PersonalDataAccess
from tests.backend.cases.conftest import image_bytes
from tests.factories import CaseFactory

PERSON = {"name": "Mbah Sarmi", "age_estimate": 78, "sex": "female", "nik": "3523014505460001"}
COMPLAINANT = {"name": "Pak RT", "phone": "081234567890"}


@pytest.fixture
def case(ani, gita, budi):
    case = CaseFactory(reported_by=ani, assignee=gita, status="dispatched", person=PERSON, complainant=COMPLAINANT)
    assert api_put_photo(case, budi) == 201  # a photo, uploaded by the commander
    PersonalDataAccess.objects.all().delete()
    return case


def api_put_photo(case, user) -> int:
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user=user)
    url = f"/api/v1/cases/{case.id}/attachments/{uuid.uuid4()}/"
    return client.put(url, image_bytes(), content_type="image/jpeg").status_code


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("ani", True), ("gita", True), ("budi", True), ("eko", True), ("fajar", False)],
)
def test_who_is_shown_the_person(api, personas, gita, case, persona, shown) -> None:
    user = {**personas, "gita": gita}[persona]

    body = api(user).get(f"/api/v1/cases/{case.id}/").json()

    assert (body["person"], body["complainant"]) == ((PERSON, COMPLAINANT) if shown else (None, None))
    assert len(body["attachments"]) == (1 if shown else 0)
    assert PersonalDataAccess.objects.filter(user=user, case=case).count() == (1 if shown else 0)


def test_a_case_without_personal_data_logs_nothing(api, ani, budi) -> None:
    case = CaseFactory(reported_by=ani)

    api(budi).get(f"/api/v1/cases/{case.id}/")

    assert not PersonalDataAccess.objects.exists()


def test_a_list_page_logs_one_row_per_case_shown_in_one_insert(
    api, ani, budi, django_assert_max_num_queries, case
) -> None:
    for _ in range(4):
        CaseFactory(reported_by=ani, person=PERSON)

    with django_assert_max_num_queries(10):
        response = api(budi).get("/api/v1/cases/")

    assert len(response.json()["results"]) == 5
    assert PersonalDataAccess.objects.filter(user=budi, what="person").count() == 5


def test_the_admin_list_shows_no_person_data_and_logs_nothing(api, fajar, case) -> None:
    results = api(fajar).get("/api/v1/cases/").json()["results"]

    assert [r["person"] for r in results] == [None]
    assert not PersonalDataAccess.objects.exists()


def test_the_access_log_says_who_and_when(api, eko, case) -> None:
    api(eko).get(f"/api/v1/cases/{case.id}/")

    entry = PersonalDataAccess.objects.get()
    assert (entry.user, entry.case, entry.what, entry.via) == (eko, case, "person", "case_detail")
    assert entry.at is not None


def test_person_data_never_travels_in_the_events(api, ani, case) -> None:
    api(ani).patch(
        f"/api/v1/cases/{case.id}/", {"person": {**PERSON, "name": "Sarminah"}}, format="json", HTTP_IF_MATCH='"2"'
    )

    events = api(ani).get(f"/api/v1/cases/{case.id}/events/").json()

    assert "Sarminah" not in str(events) and "3523014505460001" not in str(events)
