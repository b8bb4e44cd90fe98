"""manage.py import_upts FILE.csv: UPTs and the regions they serve, all rows or none."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from geo.models import ServiceArea, Upt

HEADER = "code,name,lat,lng,regions\n"
GOOD = (
    "RSBG-TUBAN,UPT Rehabilitasi Sosial Bina Grahita Tuban,-6.95289,111.90033,35.22;35.23;35.24\n"
    "PSTW-JEMBER,UPT Pelayanan Sosial Tresna Werdha Jember,-8.21102,113.59514,35.08; 35.09 ;35.13\n"
    "PSTW-BLITAR,UPT Pelayanan Sosial Tresna Werdha Blitar,-8.06493,112.31737,\n"
)


def import_upts(tmp_path: Path, text: str) -> str:
    path = tmp_path / "upts.csv"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("import_upts", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def areas() -> dict[str, str]:
    return dict(ServiceArea.objects.values_list("region_id", "upt__code"))


def test_imports_upts_and_their_service_areas(db, tmp_path):
    output = import_upts(tmp_path, HEADER + GOOD)

    assert Upt.objects.count() == 3
    tuban = Upt.objects.get(code="RSBG-TUBAN")
    assert (tuban.lat, tuban.lng) == (-6.95289, 111.90033)
    assert areas() == {
        "35.22": "RSBG-TUBAN",
        "35.23": "RSBG-TUBAN",
        "35.24": "RSBG-TUBAN",
        "35.08": "PSTW-JEMBER",
        "35.09": "PSTW-JEMBER",
        "35.13": "PSTW-JEMBER",
    }
    assert not ServiceArea.objects.filter(is_demo=True).exists()
    assert "3 created, 0 updated" in output
    assert "6 service area(s) assigned" in output


def test_importing_again_updates_and_moves_regions(db, tmp_path):
    import_upts(tmp_path, HEADER + GOOD)

    output = import_upts(
        tmp_path,
        HEADER + "PSTW-BLITAR,UPT PSTW Blitar (baru),-8.06,112.31,35.05;35.24\n",
    )

    assert Upt.objects.get(code="PSTW-BLITAR").name == "UPT PSTW Blitar (baru)"
    assert areas()["35.24"] == "PSTW-BLITAR"
    assert areas()["35.23"] == "RSBG-TUBAN"
    assert "moved 35.24: RSBG-TUBAN → PSTW-BLITAR" in output


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ("RSBG-TUBAN,Duplicate,-7.0,112.0,\n", "code RSBG-TUBAN already on line 2"),
        ("NEW,New UPT,abc,112.0,\n", "lat and lng must be finite numbers"),
        ("NEW,New UPT,-7.0,nan,\n", "lat and lng must be finite numbers"),
        ("NEW,New UPT,-97.0,112.0,\n", "lat and lng must be finite numbers"),
        ("NEW,New UPT,112.0,-7.0,\n", "lat and lng must be finite numbers"),
        ("NEW,New UPT,-6.2,106.8,\n", "outside East Java"),
        ("NEW,New UPT,-7.0,112.0,35.99\n", "unknown region code '35.99'"),
        ("NEW,New UPT,-7.0,112.0,35.23\n", "region 35.23 is already served by RSBG-TUBAN"),
        ("NEW,,-7.0,112.0,\n", "name must be"),
        ("NEW UPT,Spaces,-7.0,112.0,\n", "without spaces"),
    ],
)
def test_one_bad_row_refuses_the_whole_file(db, tmp_path, bad_row, message):
    with pytest.raises(CommandError, match=message):
        import_upts(tmp_path, HEADER + GOOD + bad_row)

    assert not Upt.objects.exists()
    assert not ServiceArea.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("code,name,lat,lng\nX,Y,-7,112\n", "missing column"),
        (HEADER, "no rows"),
    ],
)
def test_a_malformed_file_is_refused(db, tmp_path, text, message):
    with pytest.raises(CommandError, match=message):
        import_upts(tmp_path, text)
