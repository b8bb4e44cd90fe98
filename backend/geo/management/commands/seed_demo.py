"""`manage.py seed_demo [--cases N]`: a demo installation (API.md "Operations").

The demo UPTs and service areas of SHARED_DATA_DIR/demo_upts.csv and demo_upt_service_areas.csv,
the boundaries of SHARED_DATA_DIR/jatim_kabupaten.geojson when none are imported yet, demo users for
every role, and demo cases up to N in all. Running it again with the same N creates nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from geo import demo
from geo.importing import ImportRefused
from geo.models import Region
from geo.services import regions_import


class Command(BaseCommand):
    help = "Seed the demo UPTs, service areas, boundaries, users and N cases (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=200, metavar="N", help="demo cases in all (default 200)")

    def handle(self, *args: Any, **options: Any) -> None:
        total: int = options["cases"]
        if total < 0:
            raise CommandError("--cases must be 0 or more")
        data_dir = Path(settings.SHARED_DATA_DIR)
        try:
            upts = demo.demo_upts_seed(data_dir)
        except ImportRefused as refused:
            raise CommandError(refused.report()) from refused
        self.stdout.write(
            f"UPT demo: {len(upts.created)} created, {upts.regions_assigned} service area(s) assigned "
            "(demo service areas, not an official assignment)."
        )
        self._boundaries(data_dir / "jatim_kabupaten.geojson")
        self._users()
        self._cases(total)

    def _boundaries(self, path: Path) -> None:
        if Region.objects.filter(boundary__isnull=False).exists():
            self.stdout.write("Boundaries: already imported.")
            return
        if not path.is_file():
            self.stdout.write(f"Boundaries: {path} not found; lookups use region label points.")
            return
        try:
            result = regions_import(collection=json.loads(path.read_text(encoding="utf-8")))
        except ImportRefused as refused:
            raise CommandError(refused.report()) from refused
        self.stdout.write(f"Boundaries: {result.loaded} regions imported from {path.name}.")

    def _users(self) -> None:
        users = demo.demo_users_seed(demo_mode=settings.DEMO_MODE)
        created = sum(user.created for user in users)
        self.stdout.write(f"Users: {created} created, {len(users) - created} already there.")
        if not settings.DEMO_MODE:
            self.stdout.write(
                "DEMO_MODE is off: demo users have no usable password; set one with the admin or changepassword."
            )
            return
        self.stdout.write(f"Demo users (password {demo.DEMO_PASSWORD!r} unless changed since):")
        width = max(len(user.username) for user in users)
        for user in users:
            self.stdout.write(f"  {user.username.ljust(width)}  {user.role:<13}  {user.upt_code or '-'}")

    def _cases(self, total: int) -> None:
        if total == 0:
            return
        try:
            from cases.services import case_create
        except ImportError:
            self.stdout.write(self.style.WARNING("Cases: skipped (cases.services.case_create is not available)."))
            return
        created = demo.demo_cases_seed(
            total=total,
            case_create=case_create,
            progress=lambda numbers: tqdm(numbers, desc="Kasus demo", unit="kasus", file=self.stderr),
        )
        self.stdout.write(f"Cases: {created} created; {total} demo cases in all.")
