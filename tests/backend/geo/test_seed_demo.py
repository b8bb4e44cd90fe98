"""manage.py seed_demo: demo UPTs, service areas, boundaries, users and cases; idempotent."""

from __future__ import annotations

import importlib.util
import io

import pytest
from django.core.management import call_command

from accounts.models import Role, User
from geo.demo import DEMO_PASSWORD, demo_case_id
from geo.models import Region, ServiceArea, Upt


def seed(cases: int = 0) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--cases", str(cases), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def snapshot() -> tuple[int, ...]:
    return (
        Upt.objects.count(),
        ServiceArea.objects.count(),
        User.objects.count(),
        Region.objects.filter(boundary__isnull=False).count(),
    )


def test_every_region_is_served_by_exactly_one_demo_upt(db):
    seed()

    assert Upt.objects.count() == 12
    assert ServiceArea.objects.count() == 38
    assert ServiceArea.objects.filter(is_demo=True).count() == 38
    assert ServiceArea.objects.get(region_id="35.78").upt.code == "PRS-PMKS-SIDOARJO"


def test_users_for_every_role(db, settings):
    settings.DEMO_MODE = True
    output = seed()

    for upt in Upt.objects.all():
        members = User.objects.filter(upt=upt)
        assert members.filter(role=Role.UPT_COMMANDER).count() == 1
        assert members.filter(role=Role.FIELD_WORKER).count() == 2
    assert User.objects.filter(role=Role.MANAGER).count() == 2
    admin = User.objects.get(role=Role.ADMIN)
    assert admin.is_superuser and admin.is_staff
    assert User.objects.get(username="petugas1.rsbg-tuban").check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD in output
    assert "komandan.rsbg-tuban" in output


def test_outside_demo_mode_no_password_is_printed_or_usable(db, settings):
    settings.DEMO_MODE = False
    output = seed()

    assert DEMO_PASSWORD not in output
    assert not User.objects.get(username="manajer1").has_usable_password()


def test_imports_the_boundaries_when_none_are_imported(db, boundary_file):
    seed()

    assert Region.objects.filter(boundary__isnull=False).count() == 38


def test_running_it_twice_creates_nothing_new(db, settings):
    settings.DEMO_MODE = True
    seed()
    before = snapshot()

    output = seed()

    assert snapshot() == before
    assert "0 created" in output


def test_demo_case_ids_are_deterministic():
    assert demo_case_id(7) == demo_case_id(7)
    assert demo_case_id(7) != demo_case_id(8)


needs_cases = pytest.mark.skipif(
    importlib.util.find_spec("cases.services") is None, reason="needs cases.services.case_create (cases app)"
)


@needs_cases
def test_seeds_n_cases_once(db, settings):
    from cases.models import Case

    settings.DEMO_MODE = True
    seed(cases=12)
    assert Case.objects.count() == 12
    first = set(Case.objects.values_list("id", flat=True))

    seed(cases=12)
    assert set(Case.objects.values_list("id", flat=True)) == first

    seed(cases=15)
    assert Case.objects.count() == 15


@needs_cases
def test_demo_cases_are_varied_and_fictional(db, settings):
    from cases.models import Case

    settings.DEMO_MODE = True
    seed(cases=40)

    cases = list(Case.objects.all())
    assert len({case.category_id for case in cases}) >= 5
    assert len({case.severity for case in cases}) >= 3
    assert {case.status for case in cases} >= {"new", "resolved"}
    assert len({case.region_id for case in cases}) >= 10
    assert all(case.region_id is not None and case.upt_id is not None for case in cases)
    named = [case.person["name"] for case in cases if case.person]
    assert named and all(name.startswith("Warga Fiktif") for name in named)
    assert all(case.person["nik"] is None for case in cases if case.person)


def test_planned_demo_cases_lie_inside_east_java_with_fictional_people(db, boundary_file):
    from datetime import UTC, datetime

    from geo.demo import plan_case
    from geo.lookup import boundary_geometry, region_for_point

    seed()
    manager = User.objects.get(username="manajer1")
    regions = list(Region.objects.select_related("service_area__upt"))
    geometries = {region.code: boundary_geometry(region.boundary) for region in regions}
    now = datetime(2026, 3, 1, tzinfo=UTC)

    plans = [
        plan_case(n, now=now, regions=regions, geometries=geometries, reporters={}, fallback_reporter=manager)
        for n in range(30)
    ]

    for plan in plans:
        location = plan.fields["location"]
        assert region_for_point(location["lat"], location["lng"]) is not None
        assert plan.fields["observed_at"] < now
        if plan.fields["person"]:
            assert plan.fields["person"]["name"].startswith("Warga Fiktif")
            assert plan.fields["person"]["nik"] is None
    again = plan_case(3, now=now, regions=regions, geometries=geometries, reporters={}, fallback_reporter=manager)
    assert again.fields == plans[3].fields


def test_without_the_shared_data_it_says_what_is_missing(db, settings, tmp_path):
    from django.core.management import CommandError

    settings.SHARED_DATA_DIR = tmp_path

    with pytest.raises(CommandError, match="demo_upts.csv: no such file"):
        seed()
