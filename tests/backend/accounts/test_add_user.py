"""manage.py add_user: role and UPT rules, clear errors."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User


def add_user(*args: str, stdin: str | None = None) -> str:
    out = io.StringIO()
    if stdin is not None:
        import sys

        original, sys.stdin = sys.stdin, io.StringIO(stdin)
        try:
            call_command("add_user", *args, stdout=out)
        finally:
            sys.stdin = original
    else:
        call_command("add_user", *args, stdout=out)
    return out.getvalue()


def test_adds_a_field_worker_of_a_upt(upt_a):
    output = add_user(
        "sari", "--role", "field_worker", "--upt", "RSBG-TUBAN", "--full-name", "Sari W", "--password", "kuat-sekali-99"
    )

    sari = User.objects.get(username="sari")
    assert (sari.role, sari.upt, sari.full_name) == ("field_worker", upt_a, "Sari W")
    assert sari.check_password("kuat-sekali-99")
    assert not sari.is_staff
    assert "Created sari" in output


def test_reads_the_password_from_stdin(db):
    add_user("wati", "--role", "manager", "--password-stdin", stdin="dari-stdin-123\n")

    assert User.objects.get(username="wati").check_password("dari-stdin-123")


def test_an_admin_is_staff_and_superuser(db):
    add_user("root2", "--role", "admin", "--password", "kuat-sekali-99")

    admin = User.objects.get(username="root2")
    assert admin.is_staff and admin.is_superuser and admin.upt is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--role", "field_worker", "--upt", "NOPE"), "Unknown UPT 'NOPE'"),
        (("--role", "field_worker"), "must belong to a UPT"),
        (("--role", "upt_commander"), "must belong to a UPT"),
        (("--role", "manager", "--upt", "RSBG-TUBAN"), "belongs to no UPT"),
        (("--role", "admin", "--upt", "RSBG-TUBAN"), "belongs to no UPT"),
        (("--role", "manager", "--password", "123"), "password"),
    ],
)
def test_refuses_with_a_clear_error_and_writes_nothing(upt_a, args, message):
    if "--password" not in args:
        args = (*args, "--password", "kuat-sekali-99")

    with pytest.raises(CommandError, match=message):
        add_user("baru", *args)

    assert not User.objects.filter(username="baru").exists()


def test_refuses_an_existing_username_whatever_its_case(ani):
    with pytest.raises(CommandError, match="already exists"):
        add_user("ANI", "--role", "manager", "--password", "kuat-sekali-99")


def test_needs_exactly_one_way_of_giving_the_password(db):
    with pytest.raises(CommandError):
        add_user("x", "--role", "manager")
