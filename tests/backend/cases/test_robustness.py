"""No body, however malformed, gets a 500: arbitrary JSON against create and update."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Case
from tests.factories import CaseFactory

FIELD_NAMES = [
    "id", "category", "severity", "summary", "description", "address", "location", "source", "people_count",
    "person", "complainant", "observed_at", "status", "resolution_note", "outcome", "version", "lat", "nik",
]  # fmt: skip

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(["PPKS11", "high", "resolved", "returned_home", "2026-11-30T08:00:00Z", "3523014505460001"]),
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["lat", "lng", "accuracy_m", "name", "nik", "age_estimate", "sex", "phone"]),
            children,
            max_size=4,
        )
    ),
    max_leaves=8,
)
bodies = st.dictionaries(st.sampled_from(FIELD_NAMES), json_values, max_size=8)

RELAXED = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@RELAXED
@given(body=bodies)
def test_create_answers_201_or_400(api, ani, body) -> None:
    before = Case.objects.count()

    response = api(ani).post("/api/v1/cases/", body, format="json")

    assert response.status_code in (200, 201, 400, 409), response.content
    if response.status_code == 400:
        assert response.json()["error"]["code"] == "invalid"
        assert Case.objects.count() == before


@pytest.fixture
def case(ani):
    return CaseFactory.create(reported_by=ani)


@RELAXED
@given(body=bodies)
def test_update_answers_200_or_400(api, ani, case, body) -> None:
    current = Case.objects.get(pk=case.pk).version

    response = api(ani).patch(f"/api/v1/cases/{case.id}/", body, format="json", HTTP_IF_MATCH=f'"{current}"')

    assert response.status_code in (200, 400), response.content
