"""Demo data for `seed_demo`: UPTs and service areas, users for every role, and realistic cases.

Everything is deterministic (usernames from UPT codes, case ids by uuid5, attributes from a random
generator seeded by the case's number), so running the seed again creates nothing new. Every person
in a demo case has an obviously fictional name ("Warga Fiktif 0017") and no NIK.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import shapely
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from shapely.geometry.base import BaseGeometry

from accounts.models import Role, User
from accounts.services import user_create
from geo.importing import Progress, no_progress, read_csv
from geo.lookup import boundary_geometry
from geo.models import Region, Upt
from geo.services import UptImportResult, upts_seed_demo

DEMO_PASSWORD = "jsc-demo-2026"  # noqa: S105 (printed for the demo; only used when settings.DEMO_MODE)
DEMO_CASE_NAMESPACE = uuid.UUID("9b0f3a52-5c1e-4d7e-9a53-2f6c1d0e8a11")
MANAGERS = (("manajer1", "Manajer Demo Satu"), ("manajer2", "Manajer Demo Dua"))
ADMIN = ("admin.demo", "Admin Demo")


def demo_case_id(number: int) -> uuid.UUID:
    return uuid.uuid5(DEMO_CASE_NAMESPACE, f"jsc-demo-case-{number}")


# --- UPTs and users --------------------------------------------------------------------------------


def demo_upts_seed(data_dir: Path) -> UptImportResult:
    upt_rows = read_csv(data_dir / "demo_upts.csv", required=("code", "name", "region_code", "lat", "lng"))
    area_rows = read_csv(data_dir / "demo_upt_service_areas.csv", required=("region_code", "region_name", "upt_code"))
    return upts_seed_demo(upt_rows=upt_rows, area_rows=area_rows)


@dataclass
class DemoUser:
    username: str
    role: str
    upt_code: str | None
    full_name: str
    created: bool


def _slug(upt: Upt) -> str:
    return upt.code.lower()


def demo_user_specs() -> list[tuple[str, str, Upt | None, str]]:
    """(username, role, upt, full name): a commander and two field workers per UPT, managers, an admin."""
    specs: list[tuple[str, str, Upt | None, str]] = []
    for upt in Upt.objects.filter(is_active=True).order_by("code"):
        specs.append((f"komandan.{_slug(upt)}", Role.UPT_COMMANDER, upt, f"Komandan Demo {upt.code}"))
        for number in (1, 2):
            specs.append((f"petugas{number}.{_slug(upt)}", Role.FIELD_WORKER, upt, f"Petugas Demo {number} {upt.code}"))
    specs += [(username, Role.MANAGER, None, name) for username, name in MANAGERS]
    specs.append((ADMIN[0], Role.ADMIN, None, ADMIN[1]))
    return specs


def demo_users_seed(*, demo_mode: bool) -> list[DemoUser]:
    """Create the demo users that do not exist yet (existing ones are left as they are). In demo mode
    they get DEMO_PASSWORD; otherwise no usable password (set one with the admin or changepassword)."""
    users: list[DemoUser] = []
    existing = set(User.objects.values_list("username", flat=True))
    with transaction.atomic():
        for username, role, upt, full_name in demo_user_specs():
            created = username not in existing
            if created:
                user_create(
                    username=username,
                    role=role,
                    upt=upt,
                    full_name=full_name,
                    password=DEMO_PASSWORD if demo_mode else None,
                )
            users.append(DemoUser(username, role, upt.code if upt else None, full_name, created))
    return users


# --- cases -----------------------------------------------------------------------------------------

# (category code, weight, summaries, age range of the person or None when no single person)
CASE_KINDS: tuple[tuple[str, int, tuple[str, ...], tuple[int, int] | None], ...] = (
    ("PPKS08", 14, ("Lansia tinggal sendiri tanpa perawatan", "Lansia terlantar di emperan toko"), (62, 90)),
    ("PPKS11", 12, ("Gelandangan tidur di halte", "Tunawisma di kolong jembatan"), (25, 70)),
    ("PPKS04", 9, ("Anak jalanan mengamen di perempatan", "Anak berjualan tisu di lampu merah"), (7, 16)),
    ("PPKS12", 8, ("Pengemis di depan pasar", "Pengemis membawa balita di alun-alun"), (20, 75)),
    ("PPKS09", 7, ("Penyandang disabilitas tanpa pendamping", "Disabilitas netra tersesat di terminal"), (18, 70)),
    ("PPKS19", 6, ("Dugaan korban kekerasan dalam rumah tangga", "Korban penganiayaan butuh pendampingan"), (18, 55)),
    ("PPKS06", 5, ("Anak diduga korban kekerasan", "Anak ditelantarkan setelah dianiaya"), (4, 15)),
    ("PPKS02", 5, ("Anak terlantar tanpa wali", "Anak ditinggal orang tua bekerja"), (3, 15)),
    ("PPKS24", 6, ("Keluarga miskin tanpa penghasilan", "Rumah tidak layak huni, keluarga kekurangan pangan"), None),
    ("PPKS18", 2, ("Dugaan korban perdagangan orang dipulangkan", "Pekerja dijanjikan kerja, ditahan agen"), (17, 35)),
    ("PPKS20", 3, ("Pekerja migran dideportasi, terlantar", "Mantan pekerja migran butuh pemulangan"), (22, 50)),
    ("PPKS21", 3, ("Korban banjir mengungsi di balai desa", "Warga terdampak tanah longsor"), None),
    ("PPKS13", 4, ("Pemulung tidur di TPA", "Pemulung lansia sakit di gubuk"), (30, 75)),
    ("PPKS17", 2, ("Korban penyalahgunaan NAPZA butuh rujukan", "Remaja kecanduan lem"), (15, 35)),
    ("PPKS25", 3, ("Keluarga dengan konflik berat, anak terancam", "Keluarga dengan anggota ODGJ dipasung"), None),
    ("PPKS15", 2, ("Mantan warga binaan tanpa tempat tinggal", "Bekas narapidana ditolak keluarga"), (25, 60)),
)
SEVERITIES = (("low", 3), ("medium", 4), ("high", 2), ("critical", 1))
SOURCES = (("field_outreach", 6), ("public_report", 3), ("hotline", 1), ("social_media", 2), ("agency_referral", 1))
PLACES = ("Jl. Raya", "Pasar", "Terminal", "Alun-alun", "Stasiun", "Desa", "Kelurahan", "Jembatan")
OUTCOMES = ("handled_on_the_spot", "returned_home", "admitted_to_upt", "referred_to_hospital", "refused_service")
# Share of cases by status: new, then resolved on the spot (made through case creation), the rest new.
RESOLVED_SHARE = 0.3


def _weighted(rng: random.Random, choices: Iterable[tuple[Any, int]]) -> Any:
    items = list(choices)
    return rng.choices([item for item, _ in items], weights=[weight for _, weight in items])[0]


def _point_in(rng: random.Random, region: Region, geometry: BaseGeometry | None) -> tuple[float, float]:
    """A random point inside the region's polygon, or within ~1 km of its label point without one."""
    if geometry is not None:
        lng_min, lat_min, lng_max, lat_max = geometry.bounds
        for _ in range(500):
            lat, lng = rng.uniform(lat_min, lat_max), rng.uniform(lng_min, lng_max)
            if geometry.contains(shapely.Point(lng, lat)):
                return round(lat, 6), round(lng, 6)
    return round(region.label_lat + rng.uniform(-0.009, 0.009), 6), round(
        region.label_lng + rng.uniform(-0.009, 0.009), 6
    )


@dataclass
class DemoCasePlan:
    number: int
    case_id: uuid.UUID
    actor: User
    fields: dict[str, Any]
    age: timedelta


def plan_case(
    number: int,
    *,
    now: datetime,
    regions: list[Region],
    geometries: dict[str, BaseGeometry],
    reporters: dict[str, list[User]],
    fallback_reporter: User,
) -> DemoCasePlan:
    rng = random.Random(f"jsc-demo-{number}")
    region = rng.choice(regions)
    lat, lng = _point_in(rng, region, geometries.get(region.code))
    category, _, summaries, ages = _weighted(rng, ((kind, kind[1]) for kind in CASE_KINDS))
    source = _weighted(rng, SOURCES)
    # Mostly recent cases, some weeks old: the map and the overdue list both have something to show.
    age = timedelta(minutes=int(rng.expovariate(1 / (3 * 24 * 60))) % (60 * 24 * 60))
    person = None
    if ages is not None and rng.random() < 0.8:
        person = {
            "name": f"Warga Fiktif {number:04d}",
            "age_estimate": rng.randint(*ages) if rng.random() < 0.9 else None,
            "sex": rng.choice(("male", "female", "unknown")),
            "nik": None,
        }
    fields: dict[str, Any] = {
        "category": category,
        "severity": _weighted(rng, SEVERITIES),
        "summary": rng.choice(summaries),
        "description": "Data demo, bukan kasus nyata. / Demo data, not a real case.",
        "address": f"{rng.choice(PLACES)} {region.name.replace('Kabupaten ', '').replace('Kota ', '')} (demo)",
        "location": {"lat": lat, "lng": lng, "accuracy_m": float(rng.choice((5, 8, 12, 20, 35, 60)))},
        "source": source,
        "people_count": 1 if person else rng.randint(2, 12),
        "person": person,
        "complainant": (
            {"name": f"Pelapor Fiktif {number:04d}", "phone": f"0800000{number % 100000:05d}"}
            if source == "public_report"
            else None
        ),
        "observed_at": now - age - timedelta(minutes=rng.randint(5, 120)),
    }
    if rng.random() < RESOLVED_SHARE:
        fields |= {
            "status": "resolved",
            "resolution_note": "Ditangani tim JSC (demo). / Handled by the JSC team (demo).",
            "outcome": rng.choice(OUTCOMES),
        }
    area = getattr(region, "service_area", None)
    team = reporters.get(area.upt.code, []) if area else []
    actor = rng.choice(team) if team else fallback_reporter
    return DemoCasePlan(number=number, case_id=demo_case_id(number), actor=actor, fields=fields, age=age)


def _backdate(case_id: uuid.UUID, age: timedelta) -> None:
    """Move a just-created demo case back in time as a whole (its server times and timeline), so demo
    data has ages and overdue cases. Demo data only: real cases are never rewritten."""
    from cases.models import Case, CaseEvent

    if age <= timedelta(0):
        return
    shifted = (
        "created_at",
        "updated_at",
        "clock_started_at",
        "ack_due_at",
        "due_at",
        "acknowledged_at",
        "dispatched_at",
        "resolved_at",
        "closed_at",
    )
    Case.objects.filter(pk=case_id).update(**{name: F(name) - age for name in shifted})
    CaseEvent.objects.filter(case_id=case_id).update(at=F("at") - age)


CaseCreate = Callable[..., Any]


def demo_cases_seed(*, total: int, case_create: CaseCreate, progress: Progress = no_progress) -> int:
    """Create the demo cases numbered 0..total-1 that do not exist yet; returns how many were created.

    `case_create` is cases.services.case_create(*, actor, case_id, fields, client_time=None)."""
    from cases.models import Case

    wanted = [demo_case_id(number) for number in range(total)]
    existing = set(Case.objects.filter(id__in=wanted).values_list("id", flat=True))
    missing = [number for number, case_id in enumerate(wanted) if case_id not in existing]
    if not missing:
        return 0
    regions = list(Region.objects.select_related("service_area__upt").order_by("code"))
    geometries = {region.code: boundary_geometry(region.boundary) for region in regions if region.boundary}
    for geometry in geometries.values():
        shapely.prepare(geometry)
    reporters: dict[str, list[User]] = {}
    for user in User.objects.filter(role=Role.FIELD_WORKER, is_active=True).select_related("upt"):
        if user.upt is not None:
            reporters.setdefault(user.upt.code, []).append(user)
    fallback = User.objects.filter(role=Role.MANAGER, is_active=True).order_by("username").first()
    if fallback is None:
        raise RuntimeError("demo cases need a manager: seed the demo users first")
    now = timezone.now()
    created = 0
    for number in progress(missing):
        plan = plan_case(
            number, now=now, regions=regions, geometries=geometries, reporters=reporters, fallback_reporter=fallback
        )
        with transaction.atomic():
            _, was_created = case_create(actor=plan.actor, case_id=plan.case_id, fields=plan.fields)
            if was_created:
                _backdate(plan.case_id, plan.age)
                created += 1
    return created
