"""`make bench`: every benchmark, one after the other, each printing its figures and its floor.

Benchmarks are not tests: they print what they measure (targets are goals, not gates). They need
PostgreSQL and Redis as in CI (see each script's docstring for its variables) and a built PWA.

    .venv/bin/python bench/run.py [NAME ...]     # NAME: sync, escalation, map, pwa-size, pwa-budget
"""

from __future__ import annotations

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
        if subprocess.run(command, cwd=BENCH.parent).returncode != 0:
            failed.append(name)
        print(f"== {name}: {time.monotonic() - started:.0f} s", flush=True)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
