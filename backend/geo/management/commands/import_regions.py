"""`manage.py import_regions PATH.geojson`: the kabupaten/kota boundaries, all 38 or nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from geo.importing import ImportRefused
from geo.services import regions_import


class Command(BaseCommand):
    help = (
        "Load kabupaten/kota boundaries from a GeoJSON FeatureCollection (features with properties code, name, type)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="GeoJSON file (WGS84, [longitude, latitude])")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            collection = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise CommandError(f"{path}: no such file") from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"{path}: not a JSON file ({exc})") from exc
        try:
            result = regions_import(
                collection=collection,
                progress=lambda features: tqdm(features, desc="Memeriksa wilayah", unit="fitur", file=self.stderr),
            )
        except ImportRefused as refused:
            raise CommandError(refused.report()) from refused
        by_type = ", ".join(f"{count} {kind}" for kind, count in result.by_type.items())
        self.stdout.write(self.style.SUCCESS(f"Loaded the boundaries of {result.loaded} regions ({by_type})."))
        if result.repaired:
            self.stdout.write(f"Repaired invalid geometry (make_valid): {', '.join(result.repaired)}")
