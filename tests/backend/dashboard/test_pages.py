"""The dashboard pages: login, who may open them, the case summary with its timeline and access log."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cases.models import CaseEvent, PersonalDataAccess
from tests.backend.dashboard.conftest import NOW

PERSON = {"name": "Mbah Sarinah", "age_estimate": 78, "sex": "female", "nik": "3523010101400001"}


def test_login_page_is_in_indonesian_and_logs_in(client, eko) -> None:
    page = client.get("/dashboard/login/")

    assert page.status_code == 200
    assert "Nama pengguna" in page.content.decode()
    response = client.post("/dashboard/login/", {"username": "eko", "password": "rahasia-uji-123"})
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"


def test_wrong_password_is_told_in_indonesian(client, eko) -> None:
    response = client.post("/dashboard/login/", {"username": "eko", "password": "salah-sekali"})

    assert response.status_code == 200
    assert "kata sandi salah" in response.content.decode()


def test_anonymous_visitors_are_sent_to_login(client, db) -> None:
    response = client.get("/dashboard/reports/")

    assert response.status_code == 302
    assert response["Location"].startswith("/dashboard/login/?next=")


@pytest.mark.parametrize("persona", ["eko", "budi"])
@pytest.mark.parametrize("url", ["/dashboard/", "/dashboard/reports/", "/dashboard/reports/monthly/"])
def test_managers_and_commanders_open_the_pages(client, personas, persona, url) -> None:
    client.force_login(personas[persona])

    response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["ani", "fajar"])
def test_field_workers_and_admins_are_refused(client, personas, persona) -> None:
    client.force_login(personas[persona])

    assert client.get("/dashboard/").status_code == 403


def test_map_page_has_no_inline_script_and_uses_local_assets(client, eko) -> None:
    client.force_login(eko)

    html = client.get("/dashboard/").content.decode()

    assert "leaflet/leaflet" in html
    assert "dashboard/vendor/markercluster/leaflet.markercluster.js" in html
    assert "dashboard/map.js" in html
    for script in html.split("<script")[1:]:
        head = script.split(">", 1)[0]
        assert "src=" in head or 'type="application/json"' in head, head


def test_case_page_shows_person_to_the_manager_and_logs_it(client, eko, make_case, ani, upt_a) -> None:
    case = make_case(reported_by=ani, upt=upt_a, person=PERSON, ack_due_at=NOW + timedelta(minutes=30))
    CaseEvent.objects.create(case=case, kind="created", actor=ani, at=case.created_at)
    CaseEvent.objects.create(
        case=case, kind="escalated", actor=None, at=case.created_at + timedelta(minutes=31), data={"level": 1}
    )
    client.force_login(eko)

    html = client.get(f"/dashboard/cases/{case.id}/").content.decode()

    assert case.reference in html
    assert "Mbah Sarinah" in html
    assert html.index("Dibuat / Created") < html.index("Dieskalasi / Escalated")
    [access] = PersonalDataAccess.objects.all()
    assert (access.user, access.case, access.what, access.via) == (eko, case, "person", "dashboard")


def test_commander_of_another_upt_does_not_find_the_case(client, dewi, make_case, ani, upt_a) -> None:
    case = make_case(reported_by=ani, upt=upt_a, person=PERSON)
    client.force_login(dewi)

    assert client.get(f"/dashboard/cases/{case.id}/").status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_commander_of_the_case_upt_sees_the_person(client, budi, make_case, ani, upt_a) -> None:
    case = make_case(reported_by=ani, upt=upt_a, person=PERSON)
    client.force_login(budi)

    assert "3523010101400001" in client.get(f"/dashboard/cases/{case.id}/").content.decode()
    assert PersonalDataAccess.objects.filter(user=budi, case=case, what="person").count() == 1


def test_monthly_report_of_a_upt(client, eko, make_case, ani, upt_a, frozen_now) -> None:
    make_case(reported_by=ani, upt=upt_a, severity="critical")
    client.force_login(eko)

    response = client.get("/dashboard/reports/monthly/", {"month": "2026-11", "upt": "RSBG-TUBAN"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "UPT Rehabilitasi Sosial Bina Grahita Tuban" in html
    assert "1 November 2026" in html or "November 2026" in html
    assert "Kritis" in html
    assert "print.css" in html


@pytest.mark.parametrize(
    "params", [{"month": "2026-13"}, {"month": "bulan-ini"}, {"month": "9999-12"}, {"upt": "NO-SUCH"}]
)
def test_monthly_report_refuses_bad_parameters(client, eko, params) -> None:
    client.force_login(eko)

    assert client.get("/dashboard/reports/monthly/", params).status_code == 400
