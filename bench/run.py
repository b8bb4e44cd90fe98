"""`make bench`: every benchmark, one after the other, each printing its figures and its floor.

Benchmarks are not tests: they print what they measure (targets are goals, not gates). They need
PostgreSQL and Redis as in CI and a built PWA. Each benchmark that writes cases gets a database of
its own on BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432), created when missing:
the escalation benchmark replaces every case of its database, the map benchmark keeps its million.

    .venv/bin/python bench/run.py [NAME ...]     # NAME: sync, escalation, map, pwa-size, pwa-budget
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PYTHON = sys.executable

BENCHMARKS: dict[str, list[str]] = {
    "sync": [PYTHON, str(BENCH / "sync.py")],
    "escalation": [PYTHON, str(BENCH / "escalation.py")],
    "map": [PYTHON, str(BENCH / "map.py")],
    "pwa-size": ["node", str(BENCH / "pwa" / "size.mjs")],
    "pwa-budget": [PYTHON, str(BENCH / "pwa" / "budget.py")],
}


POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
OWN_DATABASE = {"escalation": "jsc_bench_escalation", "map": "jsc_bench_map"}


def environment(name: str) -> dict[str, str]:
    """The benchmark's variables: its own database (created if missing) and the benchmarks' Redis."""
    if name not in OWN_DATABASE:
        return dict(os.environ)
    import psycopg

    with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [OWN_DATABASE[name]]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{OWN_DATABASE[name]}"')
    return {
        **os.environ,
        "DATABASE_URL": f"{POSTGRES_URL}/{OWN_DATABASE[name]}",
        "CELERY_BROKER_URL": REDIS_URL,
        "REDIS_URL": REDIS_URL,
    }


def main(names: list[str]) -> int:
    chosen = names or list(BENCHMARKS)
    unknown = [name for name in chosen if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
        return 2
    failed: list[str] = []
    for name in chosen:
        command = BENCHMARKS[name]
        script = Path(command[1])
        if not script.exists() or shutil.which(command[0]) is None and not Path(command[0]).exists():
            print(f"\n== {name}: skipped ({script.name} or {command[0]} not available)")
            continue
        print(f"\n== {name}", flush=True)
        started = time.monotonic()
        if subprocess.run(command, cwd=BENCH.parent, env=environment(name)).returncode != 0:
            failed.append(name)
        print(f"== {name}: {time.monotonic() - started:.0f} s", flush=True)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
