"""manage.py import_users FILE.csv: all rows or none; random passwords printed once."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User

HEADER = "username,full_name,role,upt_code,email,phone\n"
GOOD_ROWS = (
    "sari,Sari Wulandari,field_worker,RSBG-TUBAN,sari@example.org,0812-3456-7890\n"
    "tono,Tono Prasetyo,upt_commander,PSTW-JEMBER,,\n"
    "wati,Wati Lestari,manager,,,\n"
)


def import_users(tmp_path: Path, text: str) -> str:
    path = tmp_path / "users.csv"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("import_users", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_imports_every_row_and_prints_each_password_once(upt_a, upt_b, tmp_path):
    output = import_users(tmp_path, HEADER + GOOD_ROWS)

    sari = User.objects.get(username="sari")
    assert (sari.role, sari.upt, sari.email, sari.phone) == (
        "field_worker",
        upt_a,
        "sari@example.org",
        "0812-3456-7890",
    )
    assert User.objects.get(username="tono").upt == upt_b
    assert User.objects.get(username="wati").upt is None
    line = next(line for line in output.splitlines() if line.startswith("sari "))
    password = line.split()[-1]
    assert len(password) == 16
    assert sari.check_password(password)


def test_email_and_phone_columns_are_optional(upt_a, tmp_path):
    import_users(tmp_path, "username,full_name,role,upt_code\nsari,Sari,field_worker,RSBG-TUBAN\n")

    assert User.objects.filter(username="sari").exists()


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ("budi2,Budi,field_worker,NOPE-UPT,,\n", "unknown UPT 'NOPE-UPT'"),
        ("budi2,Budi,field_worker,,,\n", "must belong to a UPT"),
        ("budi2,Budi,manager,RSBG-TUBAN,,\n", "belongs to no UPT"),
        ("budi2,Budi,chief,,,\n", "unknown role 'chief'"),
        ("budi 2,Budi,manager,,,\n", "username"),
        ("ani,Ani Lagi,manager,,,\n", "already exists"),
        ("sari,Sari Dua,manager,,,\n", "already on line 2"),
        ("budi2,,manager,,,\n", "full_name: is required"),
        ("budi2,Budi,manager,,not-an-email,\n", "not an email address"),
        ("budi2,Budi,manager,,,call me\n", "not a phone number"),
    ],
)
def test_one_bad_row_refuses_the_whole_file(ani, upt_b, tmp_path, bad_row, message):
    before = set(User.objects.values_list("username", flat=True))

    with pytest.raises(CommandError, match=message):
        import_users(tmp_path, HEADER + GOOD_ROWS + bad_row)

    assert set(User.objects.values_list("username", flat=True)) == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("username,full_name,role\nsari,Sari,manager\n", "missing column"),
        ("username,full_name,role,upt_code,password\nsari,Sari,manager,,x\n", "unknown column"),
        (HEADER, "no rows"),
        (HEADER + "sari,Sari,manager,,,,extra\n", "more values than columns"),
    ],
)
def test_a_malformed_file_is_refused(db, tmp_path, text, message):
    with pytest.raises(CommandError, match=message):
        import_users(tmp_path, text)

    assert not User.objects.exists()


def test_a_file_that_is_not_utf8_is_refused(db, tmp_path):
    path = tmp_path / "users.csv"
    path.write_bytes((HEADER + "s\xe4ri,S\xe4ri,manager,,,\n").encode("latin-1"))

    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_users", str(path), stdout=io.StringIO(), stderr=io.StringIO())
