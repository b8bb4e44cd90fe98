"""`manage.py import_upts FILE.csv`: UPTs and the regions they serve, all rows or none.

Columns: code, name, lat, lng, regions (`;`-separated region codes served, e.g. `35.22;35.23;35.24`).
A UPT already present (same code) is updated; a region listed moves to the UPT of its row.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from geo.importing import ImportRefused, read_csv
from geo.services import upt_import


class Command(BaseCommand):
    help = "Create or update UPTs and their service areas from a CSV (code,name,lat,lng,regions)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            rows = read_csv(path, required=("code", "name", "lat", "lng", "regions"))
            result = upt_import(
                rows=rows, progress=lambda items: tqdm(items, desc="Memeriksa", unit="baris", file=self.stderr)
            )
        except ImportRefused as refused:
            raise CommandError(refused.report()) from refused
        self.stdout.write(
            self.style.SUCCESS(
                f"UPTs: {len(result.created)} created, {len(result.updated)} updated, "
                f"{len(rows) - len(result.created) - len(result.updated)} unchanged; "
                f"{result.regions_assigned} service area(s) assigned."
            )
        )
        for move in result.regions_moved:
            self.stdout.write(f"  moved {move}")
