"""`manage.py import_users FILE.csv`: production set-up of users, all rows or none.

Columns: username, full_name, role, upt_code[, email][, phone]. Passwords are never in the file: each
user gets a random password, printed once in the table at the end; hand each one over privately.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from accounts.services import users_import
from geo.importing import ImportRefused, read_csv


class Command(BaseCommand):
    help = "Create users from a CSV (username,full_name,role,upt_code[,email][,phone]); prints their passwords once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            rows = read_csv(path, required=("username", "full_name", "role", "upt_code"), optional=("email", "phone"))
            created = users_import(
                rows=rows, progress=lambda items: tqdm(items, desc="Memeriksa", unit="baris", file=self.stderr)
            )
        except ImportRefused as refused:
            raise CommandError(refused.report()) from refused
        self.stdout.write(self.style.SUCCESS(f"Created {len(created)} user(s). Passwords are shown only this once:"))
        table = [("username", "role", "upt", "full name", "password")] + [
            (user.username, user.role, user.upt.code if user.upt else "-", user.full_name, password)
            for user, password in created
        ]
        widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
        for row in table:
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
