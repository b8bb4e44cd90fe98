"""Profile of the sync endpoints in-process (pyinstrument), on the database `bench/sync.py` prepared.

Pushes `--batches` batches of 100 `case.create` through Django's test client (the full middleware and
DRF stack, no network), then pulls them back in pages of 1000, and prints one profile for each.

    .venv/bin/python bench/sync.py --cases 1000     # prepares jsc_bench_sync and its user
    .venv/bin/python bench/profile_sync.py [--batches 20] [--html DIR]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "backend"))

# bench/sync.py, by path: its name is also the backend's `sync` app.
_spec = importlib.util.spec_from_file_location("bench_sync", REPO / "bench" / "sync.py")
assert _spec is not None and _spec.loader is not None
bench_sync = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_sync)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--html", type=Path, help="also write push.html and pull.html here")
    args = parser.parse_args()

    os.environ.update({**bench_sync.server_env(), "ALLOWED_HOSTS": "testserver"})
    import django

    django.setup()
    from django.test import Client
    from pyinstrument import Profiler

    client = Client()
    login = client.post(
        "/api/v1/auth/token/",
        {"username": bench_sync.USERNAME, "password": bench_sync.PASSWORD},
        content_type="application/json",
    )
    auth = {"Authorization": f"Bearer {login.json()['token']}"}
    operations = bench_sync.make_operations(args.batches * 100)

    profiles: dict[str, Profiler] = {}
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    with profiler:
        for start in range(0, len(operations), 100):
            body = json.dumps({"device_id": "profile", "operations": operations[start : start + 100]})
            response = client.post("/api/v1/sync/push/", body, content_type="application/json", headers=auth)
            assert response.status_code == 200, response.content
    print(f"push: {len(operations) / (time.perf_counter() - started):.0f} ops/s in-process")
    profiles["push"] = profiler

    profiler = Profiler(interval=0.0005)
    pulled, cursor, started = 0, "", time.perf_counter()
    with profiler:
        while True:
            response = client.get(f"/api/v1/sync/pull/?limit=1000{'&cursor=' + cursor if cursor else ''}", headers=auth)
            page = json.loads(response.content)
            pulled += len(page["changes"])
            cursor = page["cursor"]
            if not page["has_more"]:
                break
    print(f"pull: {pulled / (time.perf_counter() - started):.0f} cases/s in-process ({pulled} cases)")
    profiles["pull"] = profiler

    for name, each in profiles.items():
        print(f"\n==== {name}")
        print(each.output_text(unicode=True, color=False, show_all=False))
        if args.html:
            args.html.mkdir(parents=True, exist_ok=True)
            (args.html / f"{name}.html").write_text(each.output_html())


if __name__ == "__main__":
    main()
