"""`make run`: migrate, seed an empty database, then run web, worker and beat together.

This is the embedded default (SQLite and Celery's filesystem transport under var/): everything a
newcomer needs with only Python and Node. Production runs the same three commands as separate
services (docker-compose.yml).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from core.commands import beat_command, web_command, worker_command


class Command(BaseCommand):
    help = "Migrate, seed the demo on an empty database, then run the web server, a Celery worker and beat."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--demo-cases", type=int, default=300)

    def handle(self, *args: Any, host: str, port: int, demo_cases: int, **options: Any) -> None:
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=1)
        if not get_user_model().objects.exists():
            self.stdout.write(self.style.MIGRATE_HEADING("Empty database: loading the demo (UPTs, users, cases)"))
            call_command("seed_demo", cases=demo_cases)
        call_command("collectstatic", interactive=False, verbosity=0)

        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        commands = {
            "web": web_command(f"{host}:{port}"),
            "worker": worker_command(),
            "beat": beat_command(settings.CELERY_BEAT_SCHEDULE_FILENAME),
        }
        processes = {name: subprocess.Popen(cmd, cwd=settings.BACKEND_DIR, env=env) for name, cmd in commands.items()}
        self.stdout.write(self.style.SUCCESS(f"\nJatim Sosial Care is running at http://{host}:{port}/"))
        self.stdout.write(
            f"  field app: http://{host}:{port}/app/   dashboard: http://{host}:{port}/dashboard/\n"
            f"  API docs:  http://{host}:{port}/api/v1/docs/   admin: http://{host}:{port}/admin/\n"
        )
        self._print_demo_logins()
        self.stdout.write("Press Ctrl+C to stop.\n")
        self._supervise(processes)

    def _print_demo_logins(self) -> None:
        from geo.demo import DEMO_PASSWORD, demo_user_specs

        usernames = [spec[0] for spec in demo_user_specs()]
        present = set(get_user_model().objects.filter(username__in=usernames).values_list("username", flat=True))
        if not settings.DEMO_MODE or not present:
            return
        examples = [name for name in usernames if name in present]
        picks = {
            "field worker": next((n for n in examples if n.startswith("petugas1.")), None),
            "UPT commander": next((n for n in examples if n.startswith("komandan.")), None),
            "manager": next((n for n in examples if n.startswith("manajer")), None),
            "admin": next((n for n in examples if n.startswith("admin")), None),
        }
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD!r}; `manage.py seed_demo` lists them all):")
        for role, username in picks.items():
            if username:
                self.stdout.write(f"  {role:<14} {username}")
        self.stdout.write("")

    def _supervise(self, processes: dict[str, subprocess.Popen[bytes]]) -> None:
        """Run until Ctrl+C or until one process dies; then stop the others, so nothing lingers."""

        def stop(signum: int, frame: object) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        exit_code = 0
        try:
            while True:
                for name, process in processes.items():
                    if process.poll() is not None:
                        self.stderr.write(f"{name} stopped (exit {process.returncode}); stopping the others.")
                        exit_code = process.returncode or 1
                        raise KeyboardInterrupt
                time.sleep(1)
        except KeyboardInterrupt:
            pass
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.terminate()
            for process in processes.values():
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
        if exit_code:
            sys.exit(exit_code)
