"""Performance budget of the field app on a cheap phone over a poor network, measured in Chromium.

Starts its own server (gunicorn, production settings, SQLite in a temporary directory), then with
CDP emulation (150 ms latency, 1.6 Mbit/s down, 750 kbit/s up, CPU 4x slower) measures:

1. first load of /app/ on an empty cache until the sign-in form's `login-submit` is painted;
2. an offline cold start (service worker installed and stopped, network off) until the main
   screen's `nav-new-case` is painted;
3. the case list with 2,000 cases in IndexedDB (put there by the app's own pull of 2,000 cases
   pushed to the server through the sync API), from the route change until the list is painted
   (first row painted; the time until all rows are in the page is printed too);

and prints each against its budget (5 s, 1.5 s, 300 ms), with the app's size from size.mjs.
Times are measured inside the page (`performance.now()` at the first animation frame after the
element appears).

    .venv/bin/python bench/pwa/budget.py [--cases 2000] [--runs 3]

Needs the built app (`cd frontend_pwa && npm run build`), node, and Chromium at /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from playwright.sync_api import Geolocation, Page, sync_playwright

REPO = Path(__file__).resolve().parents[2]
BACKEND = REPO / "backend"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
USERNAME, PASSWORD = "bench.petugas", "bench-password-2026"
TUBAN: Geolocation = {"latitude": -6.93, "longitude": 111.95, "accuracy": 12}
SLOW_3G = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
CPU_SLOWDOWN = 4
BUDGET_MS = {"first_load": 5_000, "offline_start": 1_500, "list": 300}
TIMEOUT_MS = 120_000

# Records, for each watched test id, when it was first painted (ms since navigation start).
WATCH_SCRIPT = """
window.__painted = {};
const ids = ["login-submit", "nav-new-case", "case-item"];
const check = () => {
  for (const id of ids) {
    if (id in window.__painted || window.__painted["pending-" + id]) continue;
    if (document.querySelector(`[data-testid="${id}"]`)) {
      window.__painted["pending-" + id] = true;
      requestAnimationFrame(() => { window.__painted[id] = performance.now(); });
    }
  }
};
new MutationObserver(check).observe(document, { childList: true, subtree: true });
"""

# From the route change to the first case painted (the app paints a first screen of rows, then adds
# the others a slice per task), and to all of them in the page; the list view is left first so that
# it is rebuilt.
LIST_SCRIPT = """
async (expected) => {
  const count = () => document.querySelectorAll('[data-testid="case-item"]').length;
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  location.hash = "#/attention";
  while (count() > 0) await frame();
  await frame();
  const started = performance.now();
  location.hash = "#/";
  while (count() === 0) await frame();
  const firstScreen = performance.now() - started;
  while (count() < expected) await frame();
  return [firstScreen, performance.now() - started];
}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(workdir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "CELERY_BROKER_URL": "memory://",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-" + "k" * 40,
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BACKEND, env=env, check=True, stdout=subprocess.DEVNULL)


def prepare(env: dict[str, str]) -> None:
    manage(env, "migrate", "--noinput")
    manage(
        env,
        "shell",
        "-c",
        "from geo.models import Upt, ServiceArea, Region\n"
        "upt, _ = Upt.objects.get_or_create(\n"
        "    code='RSBG-TUBAN', defaults=dict(name='UPT RSBG Tuban', lat=-6.95, lng=111.9))\n"
        "ServiceArea.objects.get_or_create(region=Region.objects.get(code='35.23'), defaults=dict(upt=upt))\n",
    )
    manage(env, "add_user", USERNAME, "--role", "field_worker", "--upt", "RSBG-TUBAN", "--password", PASSWORD)


@contextmanager
def gunicorn(env: dict[str, str], port: int, log: Any) -> Iterator[None]:
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=BACKEND,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield
    finally:
        server.terminate()
        server.wait(timeout=30)


def api(port: int, method: str, path: str, body: object = None, token: str | None = None) -> Any:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    headers = {"Content-Type": "application/json", "Host": "localhost"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    payload = json.loads(response.read())
    assert response.status == 200, payload
    return payload


def seed_cases(port: int, count: int) -> None:
    """`count` cases of the bench user, pushed through the sync API as another device would."""
    token = api(port, "POST", "/api/v1/auth/token/", {"username": USERNAME, "password": PASSWORD})["token"]
    for start in range(0, count, 100):
        operations = [
            {
                "op_id": str(uuid.uuid4()),
                "kind": "case.create",
                "case_id": str(uuid.uuid4()),
                "client_time": "2026-11-30T01:00:00Z",
                "fields": {
                    "category": "PPKS11",
                    "severity": ("low", "medium", "high", "critical")[n % 4],
                    "summary": f"Gelandangan di emper toko #{n}",
                    "location": {"lat": -6.93 + (n % 50) * 1e-4, "lng": 111.95 + (n // 50) * 1e-4, "accuracy_m": 10.0},
                    "observed_at": "2026-11-30T01:00:00Z",
                },
            }
            for n in range(start, min(start + 100, count))
        ]
        body = api(port, "POST", "/api/v1/sync/push/", {"device_id": "bench-seed", "operations": operations}, token)
        assert all(result["status"] == "applied" for result in body["results"]), body


def emulate(page: Page, *, network: bool = True) -> Any:
    cdp = page.context.new_cdp_session(page)
    if network:
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    return cdp


def painted(page: Page, testid: str) -> float:
    page.wait_for_function(f"() => window.__painted && window.__painted[{testid!r}] !== undefined", timeout=TIMEOUT_MS)
    return float(page.evaluate(f"window.__painted[{testid!r}]"))


def wait_synced(page: Page, before: str | None) -> None:
    page.wait_for_function(
        "(before) => { const at = document.querySelector('[data-testid=sync-status]')?.dataset.lastSync;"
        " return Boolean(at) && (!before || at > before) && document.getElementById('app').dataset.syncing === '0'; }",
        arg=before,
        timeout=TIMEOUT_MS * 3,
    )


def measure(base_url: str, cases: int, runs: int, port: int, profile_dir: Path) -> dict[str, Any]:
    figures: dict[str, Any] = {"first_load": [], "offline_start": [], "list": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)

        # 1. First load, empty cache: a new context per run.
        for _ in range(runs):
            context = browser.new_context(base_url=base_url)
            context.add_init_script(WATCH_SCRIPT)
            page = context.new_page()
            emulate(page)
            page.goto("/app/", wait_until="commit", timeout=TIMEOUT_MS)
            figures["first_load"].append(painted(page, "login-submit"))
            context.close()

        # Sign in (throttled too: informative), let the service worker install and the first sync end.
        # From here on a real profile on disk, as on a phone (an ordinary Playwright context keeps
        # IndexedDB in memory, which reads a few MB of cases much faster than a phone's flash does).
        context = playwright.chromium.launch_persistent_context(
            str(profile_dir),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            base_url=base_url,
            geolocation=TUBAN,
            permissions=["geolocation"],
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(WATCH_SCRIPT)
        page = context.new_page()
        emulate(page)
        page.goto("/app/")
        page.get_by_test_id("login-username").fill(USERNAME)
        page.get_by_test_id("login-password").fill(PASSWORD)
        started = time.perf_counter()
        page.get_by_test_id("login-submit").click()
        page.get_by_test_id("nav-new-case").wait_for()
        figures["login_to_main_ms"] = (time.perf_counter() - started) * 1000
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=TIMEOUT_MS)
        wait_synced(page, None)
        page.close()

        # 2. Offline cold start: the service worker stopped, the network off, a new page.
        context.set_offline(True)
        for _ in range(runs):
            figures["offline_start"].append(offline_start(context))

        # 3. 2,000 cases pushed to the server by another device, pulled by the app, then listed.
        context.set_offline(False)
        page = context.new_page()
        opened_at = browser_now()
        page.goto("/app/")
        page.get_by_test_id("nav-new-case").wait_for()
        wait_synced(page, opened_at)
        seed_started = time.perf_counter()
        seed_cases(port, cases)
        figures["seed_s"] = time.perf_counter() - seed_started
        emulate(page)
        before = page.get_by_test_id("sync-status").get_attribute("data-last-sync")
        pull_started = time.perf_counter()
        page.get_by_test_id("sync-now").click()
        wait_synced(page, before)
        figures["pull_s"] = time.perf_counter() - pull_started
        page.wait_for_function(
            f"() => document.querySelectorAll('[data-testid=case-item]').length >= {cases}", timeout=TIMEOUT_MS
        )
        for _ in range(runs):
            first_screen, all_rows = page.evaluate(LIST_SCRIPT, cases)
            figures["list"].append(float(first_screen))
            figures.setdefault("list_all", []).append(float(all_rows))
        page.close()

        context.set_offline(True)
        figures["offline_start_with_cases"] = offline_start(context, "case-item")
        context.close()
        browser.close()
    return figures


def browser_now() -> str:
    """Now, as the page's `new Date().toISOString()` would write it (same machine, same clock)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def offline_start(context: Any, testid: str = "nav-new-case") -> float:
    page = context.new_page()
    cdp = emulate(page, network=False)
    cdp.send("ServiceWorker.enable")
    cdp.send("ServiceWorker.stopAllWorkers")
    page.goto("/app/", wait_until="commit", timeout=TIMEOUT_MS)
    at = painted(page, testid)
    page.close()
    return at


def app_size() -> str:
    result = subprocess.run(["node", str(REPO / "bench" / "pwa" / "size.mjs")], capture_output=True, text=True)
    lines = result.stdout.strip().splitlines()
    return "\n".join(line for line in lines if line.startswith(("app JS", "budget")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not (REPO / "frontend_pwa" / "dist" / "index.html").exists():
        sys.exit("the field app is not built: cd frontend_pwa && npm ci && npm run build")

    with tempfile.TemporaryDirectory(prefix="jsc-pwa-budget-") as tmp:
        env = server_env(Path(tmp))
        prepare(env)
        port = free_port()
        with open(Path(tmp) / "server.log", "w") as log, gunicorn(env, port, log):
            figures = measure(f"http://localhost:{port}", args.cases, args.runs, port, Path(tmp) / "profile")

    def row(label: str, values: list[float], budget_ms: int) -> str:
        worst, median = max(values), statistics.median(values)
        verdict = "OK" if worst <= budget_ms else "OVER BUDGET"
        return f"{label:<62} median {median:6.0f} ms  worst {worst:6.0f} ms  budget <= {budget_ms} ms  {verdict}"

    print(f"Chromium, CDP: latency 150 ms, 1.6 Mbit/s down, 750 kbit/s up, CPU x{CPU_SLOWDOWN}; {args.runs} runs each")
    print(row("first load of /app/, empty cache, until login-submit painted", figures["first_load"], 5000))
    print(row("offline cold start (SW stopped, offline) until nav-new-case", figures["offline_start"], 1500))
    print(row(f"case list with {args.cases} cases in IndexedDB, until painted", figures["list"], 300))
    all_rows = statistics.median(figures["list_all"])
    print(f"  (informative) the same list until all {args.cases} rows are in the page: median {all_rows:.0f} ms")
    print(f"  (informative) sign-in to main screen, throttled: {figures['login_to_main_ms']:.0f} ms")
    print(f"  (informative) seeding {args.cases} cases through /sync/push/: {figures['seed_s']:.1f} s")
    print(f"  (informative) the app's pull of {args.cases} cases (sync now, throttled): {figures['pull_s']:.1f} s")
    with_cases = figures["offline_start_with_cases"]
    print(f"  (informative) offline cold start until the {args.cases} cases are painted: {with_cases:.0f} ms")
    print(app_size())


if __name__ == "__main__":
    main()
