"""Benchmark of offline sync: 20,000 `case.create` pushed in batches of 100 through gunicorn
(2 workers) on PostgreSQL from a separate process, then pulled back with a fresh cursor.

Prints push operations/s, pull cases/s, p50/p95 request latency, peak server memory, and the floor
measured in the same run on the same database: the same rows inserted with psycopg `executemany`
and read back with one SELECT, with the ratio of each.

    .venv/bin/python bench/sync.py [--cases 20000] [--batch 100] [--devices 1]

Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/jsc_bench_sync,
recreated) and Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/13, flushed).
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from queue import Empty
from typing import Any
from urllib.parse import urlsplit

import psycopg
from tqdm import tqdm

REPO = Path(__file__).resolve().parents[1]
BACKEND = REPO / "backend"
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jsc_bench_sync")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
BOUNDARIES = REPO.parent / "shared" / "data" / "jatim_kabupaten.geojson"
USERNAME, PASSWORD = "bench.petugas", "bench-password-2026"
TUBAN = (-6.8976, 112.0649)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


PORT = int(os.environ.get("BENCH_PORT") or free_port())


def server_env() -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "CELERY_BROKER_URL": REDIS_URL,
        "REDIS_URL": REDIS_URL,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def manage(*args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BACKEND, env=server_env(), check=True, stdout=subprocess.DEVNULL
    )


def username(device: int) -> str:
    return USERNAME if device == 0 else f"{USERNAME}{device + 1}"


def prepare_database(devices: int) -> None:
    parts = urlsplit(DATABASE_URL)
    admin = parts._replace(path="/postgres").geturl()
    name = parts.path.lstrip("/")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    manage("migrate", "--noinput")
    manage(
        "shell",
        "-c",
        (
            "from geo.models import Upt, ServiceArea, Region\n"
            "upt, _ = Upt.objects.get_or_create(\n"
            "    code='RSBG-TUBAN', defaults=dict(name='UPT RSBG Tuban', lat=-6.95, lng=111.9))\n"
            "ServiceArea.objects.get_or_create(region=Region.objects.get(code='35.23'), defaults=dict(upt=upt))\n"
        ),
    )
    if BOUNDARIES.exists():  # as in production: points are routed by polygon, not by nearest label point
        manage("import_regions", str(BOUNDARIES))
    for device in range(devices):
        manage("add_user", username(device), "--role", "field_worker", "--upt", "RSBG-TUBAN", "--password", PASSWORD)


def rss_kib(pid: int) -> int:
    total = 0
    pids = [pid] + [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    for each in pids:
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total


class MemoryWatch(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, rss_kib(self.pid))
            time.sleep(0.1)


def request(
    conn: http.client.HTTPConnection, method: str, path: str, body: object = None, token: str | None = None
) -> tuple[int, dict, float]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    started = time.perf_counter()
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    payload = json.loads(response.read())
    return response.status, payload, time.perf_counter() - started


def make_operations(count: int) -> list[dict]:
    return [
        {
            "op_id": str(uuid.uuid4()),
            "kind": "case.create",
            "case_id": str(uuid.uuid4()),
            "client_time": "2026-11-30T01:00:00Z",
            "fields": {
                "category": "PPKS11",
                "severity": "medium",
                "summary": f"Gelandangan di emper toko #{n}",
                "location": {
                    "lat": TUBAN[0] + (n % 100) * 1e-4,
                    "lng": TUBAN[1] + (n // 100 % 100) * 1e-4,
                    "accuracy_m": 10.0,
                },
                "observed_at": "2026-11-30T01:00:00Z",
            },
        }
        for n in range(count)
    ]


def client(device: int, cases: int, batch: int, start_line: Any, results: multiprocessing.Queue) -> None:
    """One device (its own field worker), in its own process: push everything, then pull everything.
    Devices start pushing together (`start_line`) and pull once all have pushed."""
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    credentials = {"username": username(device), "password": PASSWORD}
    status, login, _ = request(conn, "POST", "/api/v1/auth/token/", credentials)
    assert status == 200, login
    token = login["token"]
    operations = make_operations(cases)
    latencies: list[float] = []
    start_line.wait()
    push_started = time.monotonic()
    batches = range(0, cases, batch)
    for start in tqdm(batches, desc="push", unit="batch", file=sys.stderr, disable=device > 0):
        status, body, elapsed = request(
            conn,
            "POST",
            "/api/v1/sync/push/",
            {"device_id": f"bench-{device}", "operations": operations[start : start + batch]},
            token,
        )
        assert status == 200 and all(r["status"] == "applied" for r in body["results"]), body
        latencies.append(elapsed)
    push_ended = time.monotonic()
    start_line.wait()
    if device == 0:
        # Planner statistics, as autovacuum keeps them on a running server: right after loading 20,000
        # rows into an empty table there are none, and the pull would be planned as for an empty table.
        with psycopg.connect(DATABASE_URL, autocommit=True) as db:
            db.execute("ANALYZE")
    start_line.wait()

    pull_latencies: list[float] = []
    pulled, cursor = 0, None
    pull_started = time.monotonic()
    while True:
        path = "/api/v1/sync/pull/?limit=1000" + (f"&cursor={cursor}" if cursor else "")
        status, body, elapsed = request(conn, "GET", path, token=token)
        assert status == 200, body
        pull_latencies.append(elapsed)
        pulled += len(body["changes"])
        cursor = body["cursor"]
        if not body["has_more"]:
            break
    results.put(
        {
            "push": (push_started, push_ended),
            "push_latencies": latencies,
            "pulled": pulled,
            "pull": (pull_started, time.monotonic()),
            "pull_latencies": pull_latencies,
        }
    )


def floor(cases: int, batch: int) -> dict[str, float]:
    """The same rows written and read by hand: executemany per batch of `batch`, one SELECT back."""
    with psycopg.connect(DATABASE_URL) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_floor_case")
        conn.execute("CREATE TABLE bench_floor_case (LIKE cases_case INCLUDING DEFAULTS INCLUDING INDEXES)")
        conn.commit()
        columns = (
            "id",
            "reference",
            "category_id",
            "severity",
            "status",
            "summary",
            "description",
            "address",
            "lat",
            "lng",
            "accuracy_m",
            "source",
            "people_count",
            "reported_by_id",
            "was_referred",
            "resolution_note",
            "clock_started_at",
            "ack_due_at",
            "due_at",
            "escalation_level",
            "ack_escalation_level",
            "resolve_escalation_level",
            "observed_at",
            "created_at",
            "updated_at",
            "version",
            "field_versions",
        )
        sql = f"INSERT INTO bench_floor_case ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
        rows = [
            (
                uuid.uuid4(),
                f"FLOOR-{n:08d}",
                "PPKS11",
                "medium",
                "new",
                f"Gelandangan #{n}",
                "",
                "",
                TUBAN[0],
                TUBAN[1],
                10.0,
                "field_outreach",
                1,
                1,
                False,
                "",
                "2026-11-30T01:00:00Z",
                "2026-11-30T09:00:00Z",
                "2026-12-07T01:00:00Z",
                0,
                0,
                0,
                "2026-11-30T01:00:00Z",
                "2026-11-30T01:00:00Z",
                "2026-11-30T01:00:00Z",
                1,
                "{}",
            )
            for n in range(cases)
        ]
        started = time.perf_counter()
        with conn.cursor() as cur:
            for start in range(0, cases, batch):
                cur.executemany(sql, rows[start : start + batch])
                conn.commit()
        insert_seconds = time.perf_counter() - started
        started = time.perf_counter()
        fetched = conn.execute("SELECT * FROM bench_floor_case").fetchall()
        select_seconds = time.perf_counter() - started
        assert len(fetched) == cases
        conn.execute("DROP TABLE bench_floor_case")
        conn.commit()
    return {"insert_per_s": cases / insert_seconds, "select_per_s": cases / select_seconds}


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument(
        "--devices", type=int, default=1, help="field workers pushing and pulling at the same time (default 1)"
    )
    args = parser.parse_args()
    args.cases -= args.cases % args.devices

    print(
        f"sync benchmark: {args.cases} case.create in batches of {args.batch} from {args.devices} device(s),"
        " gunicorn 2 workers, PostgreSQL"
    )
    prepare_database(args.devices)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "--threads",
            "1",
            "--timeout",
            "300",
        ],
        cwd=BACKEND,
        env=server_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        time.sleep(1)
        idle_kib = rss_kib(server.pid)
        watch = MemoryWatch(server.pid)
        watch.start()
        queue: multiprocessing.Queue = multiprocessing.Queue()
        start_line = multiprocessing.Barrier(args.devices)
        per_device = args.cases // args.devices
        devices = [
            multiprocessing.Process(target=client, args=(device, per_device, args.batch, start_line, queue))
            for device in range(args.devices)
        ]
        for device in devices:
            device.start()
        results: list[dict[str, Any]] = []
        while len(results) < len(devices):
            try:
                results.append(queue.get(timeout=1))
            except Empty:
                failed = [device.exitcode for device in devices if device.exitcode not in (None, 0)]
                if failed:
                    raise SystemExit(f"a device process failed (exit codes {failed})") from None
        for device in devices:
            device.join()
        watch.stop.set()
    finally:
        server.terminate()
        server.wait(timeout=30)

    base = floor(args.cases, args.batch)
    push_seconds = max(r["push"][1] for r in results) - min(r["push"][0] for r in results)
    pull_seconds = max(r["pull"][1] for r in results) - min(r["pull"][0] for r in results)
    pulled = sum(r["pulled"] for r in results)
    push_rate, pull_rate = args.cases / push_seconds, pulled / pull_seconds
    push_lat = [latency for r in results for latency in r["push_latencies"]]
    pull_lat = [latency for r in results for latency in r["pull_latencies"]]
    assert pulled == args.cases, f"pulled {pulled} of {args.cases}"
    print()
    print(
        f"push: {push_rate:8.0f} ops/s   (target >= 1500)   floor executemany {base['insert_per_s']:8.0f} rows/s"
        f"   ratio {push_rate / base['insert_per_s']:.3f}"
    )
    print(
        f"      request p50 {percentile(push_lat, 50) * 1000:6.0f} ms   p95 {percentile(push_lat, 95) * 1000:6.0f} ms"
        f"   ({len(push_lat)} requests of {args.batch})"
    )
    print(
        f"pull: {pull_rate:8.0f} cases/s (target >= 10000)  floor one SELECT    {base['select_per_s']:8.0f} rows/s"
        f"   ratio {pull_rate / base['select_per_s']:.3f}"
    )
    print(
        f"      request p50 {percentile(pull_lat, 50) * 1000:6.0f} ms   p95 {percentile(pull_lat, 95) * 1000:6.0f} ms"
        f"   ({len(pull_lat)} pages of up to 1000)"
    )
    print(
        f"server memory (gunicorn master + 2 workers): idle {idle_kib / 1024:.0f} MiB, peak {watch.peak / 1024:.0f} MiB"
    )


if __name__ == "__main__":
    main()
