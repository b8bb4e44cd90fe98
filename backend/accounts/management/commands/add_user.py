"""`manage.py add_user USERNAME --role ROLE [--upt CODE] [--full-name NAME] (--password PW | --password-stdin)`"""

from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Role
from accounts.services import user_create
from geo.models import Upt


class Command(BaseCommand):
    help = "Create a user. Field workers and commanders need --upt; managers and admins take none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--upt", metavar="CODE", help="UPT code (field_worker, upt_commander)")
        parser.add_argument("--full-name", default="", metavar="NAME")
        parser.add_argument("--email", default="")
        parser.add_argument("--phone", default="")
        password = parser.add_mutually_exclusive_group(required=True)
        password.add_argument("--password", metavar="PW", help="visible in the shell history: prefer --password-stdin")
        password.add_argument("--password-stdin", action="store_true", help="read the password from standard input")

    def handle(self, *args: Any, **options: Any) -> None:
        upt = None
        if options["upt"]:
            upt = Upt.objects.filter(code=options["upt"]).first()
            if upt is None:
                known = ", ".join(Upt.objects.values_list("code", flat=True)) or "none yet: run import_upts"
                raise CommandError(f"Unknown UPT {options['upt']!r}. Known UPTs: {known}")
        password = sys.stdin.readline().rstrip("\r\n") if options["password_stdin"] else options["password"]
        if not password:
            raise CommandError("The password is empty.")
        try:
            user = user_create(
                username=options["username"],
                role=options["role"],
                upt=upt,
                full_name=options["full_name"],
                email=options["email"],
                phone=options["phone"],
                password=password,
            )
        except ValidationError as exc:
            lines = [f"  {name}: {message}" for name, messages in exc.message_dict.items() for message in messages]
            raise CommandError("User not created:\n" + "\n".join(lines)) from exc
        where = f" at {user.upt.code}" if user.upt else ""
        self.stdout.write(self.style.SUCCESS(f"Created {user.username} ({user.role}{where})."))
