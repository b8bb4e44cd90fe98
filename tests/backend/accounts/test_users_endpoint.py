"""GET /api/v1/users/: the dispatch dropdown, for commanders (own UPT) and managers (any UPT)."""

from __future__ import annotations


def usernames(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [user["username"] for user in response.json()]


def test_a_commander_lists_the_field_workers_of_their_upt(personas, api):
    response = api(personas["budi"]).get("/api/v1/users/", {"upt": "RSBG-TUBAN", "role": "field_worker"})

    assert response.json() == [
        {"username": "ani", "full_name": "Ani", "role": "field_worker"},
        {"username": "hadi", "full_name": "Hadi", "role": "field_worker"},
    ]


def test_a_commander_without_upt_parameter_gets_their_own_upt(personas, api):
    assert usernames(api(personas["budi"]).get("/api/v1/users/")) == ["ani", "budi", "hadi"]


def test_a_commander_asking_for_another_upt_gets_an_empty_list(personas, api):
    assert usernames(api(personas["budi"]).get("/api/v1/users/", {"upt": "PSTW-JEMBER"})) == []


def test_a_manager_lists_any_upt(personas, api):
    assert usernames(api(personas["eko"]).get("/api/v1/users/", {"upt": "PSTW-JEMBER", "role": "field_worker"})) == [
        "citra"
    ]
    assert usernames(api(personas["eko"]).get("/api/v1/users/", {"role": "upt_commander"})) == ["budi", "dewi"]


def test_inactive_users_are_not_offered(personas, api):
    personas["hadi"].is_active = False
    personas["hadi"].save()

    assert usernames(api(personas["budi"]).get("/api/v1/users/", {"role": "field_worker"})) == ["ani"]


def test_field_workers_and_admins_are_forbidden(personas, api):
    for name in ("ani", "fajar"):
        response = api(personas[name]).get("/api/v1/users/")
        assert response.status_code == 403, name
        assert response.json()["error"]["code"] == "forbidden"


def test_an_unknown_role_is_400(personas, api):
    response = api(personas["eko"]).get("/api/v1/users/", {"role": "chief"})

    assert response.status_code == 400
    assert "role" in response.json()["error"]["fields"]


def test_anonymous_is_401(api):
    assert api(None).get("/api/v1/users/").status_code == 401


def test_empty_filters_are_no_filters(personas, api):
    """`?upt=&role=` is what a form with nothing chosen sends: the same as no filter."""
    assert usernames(api(personas["budi"]).get("/api/v1/users/", {"upt": "", "role": ""})) == ["ani", "budi", "hadi"]


def test_an_unknown_role_is_a_400(personas, api):
    response = api(personas["eko"]).get("/api/v1/users/", {"role": "superhero"})

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["role"]
