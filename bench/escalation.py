"""Escalation sweep benchmark on PostgreSQL: 1,000,000 cases, of which 10,000 overdue.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jsc_bench CELERY_BROKER_URL=redis://127.0.0.1:6379/3 \\
        .venv/bin/python bench/escalation.py [--cases 1000000] [--overdue 10000]

It migrates the database, replaces every case in it with generated ones (one INSERT ... SELECT
generate_series), then times: a sweep with nothing overdue, a sweep that escalates the overdue cases
(events, notifications and their delivery tasks published to the broker included), and the next
sweep (overdue cases, nothing new due). It prints the EXPLAIN of the selection queries. Targets:
nothing overdue <= 50 ms; 10,000 overdue <= 10 s. Use a database of its own: cases are deleted.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "backend"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("DEBUG", "0")  # as in production: no query log
os.environ.setdefault("SECRET_KEY", os.urandom(32).hex())
os.environ.setdefault("ALLOWED_HOSTS", "localhost")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from config.celery import app as celery_app  # noqa: E402
from escalation.selectors import cases_past_ack_deadline, cases_past_resolve_deadline  # noqa: E402
from escalation.services import escalation_sweep  # noqa: E402
from geo.models import ServiceArea, Upt  # noqa: E402
from notifications.models import Delivery, Notification  # noqa: E402
from notifications.selectors import cases_waiting_for_routed_notification, deliveries_waiting  # noqa: E402

NOW = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=10)  # the overdue cases' acknowledge deadline passed 5 minutes before


def setup_people() -> tuple[Upt, User]:
    upt, _ = Upt.objects.get_or_create(
        code="BENCH-TUBAN", defaults={"name": "UPT Bench Tuban", "lat": -6.95, "lng": 111.9}
    )
    ServiceArea.objects.update_or_create(region_id="35.23", defaults={"upt": upt})
    people: list[tuple[str, str, Upt | None]] = [
        ("bench_cmd1", Role.UPT_COMMANDER, upt),
        ("bench_cmd2", Role.UPT_COMMANDER, upt),
    ]
    people += [(f"bench_mgr{n}", Role.MANAGER, None) for n in (1, 2, 3)]
    for username, role, user_upt in people:
        User.objects.update_or_create(
            username=username, defaults={"role": role, "upt": user_upt, "email": f"{username}@jsc.local"}
        )
    reporter, _ = User.objects.update_or_create(username="bench_fw", defaults={"role": Role.FIELD_WORKER, "upt": upt})
    return upt, reporter


def generate_cases(*, total: int, overdue: int, upt: Upt, reporter: User) -> None:
    """`overdue` new cases whose acknowledge deadline is NOW + 5 min; 9% open cases with deadlines far
    ahead; the rest closed (no deadlines), as in a system that has run for years."""
    open_upto = overdue + total * 9 // 100
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE cases_case, cases_caseevent, escalation_escalationstep, notifications_notification, "
            "notifications_delivery CASCADE"
        )
        cursor.execute(
            """
            INSERT INTO cases_case (
                id, reference, category_id, severity, status, summary, description, address, lat, lng,
                source, people_count, region_id, upt_id, reported_by_id, was_referred, resolution_note,
                clock_started_at, ack_due_at, due_at, escalation_level, ack_escalation_level,
                resolve_escalation_level, routed_notified_at, observed_at, created_at, updated_at, version,
                field_versions
            )
            SELECT
                gen_random_uuid(), 'JSC-B-' || lpad(n::text, 8, '0'), 'PPKS' || lpad((n %% 26 + 1)::text, 2, '0'),
                (ARRAY['low', 'medium', 'high', 'critical'])[n %% 4 + 1],
                CASE WHEN n <= %(overdue)s THEN 'new' WHEN n <= %(open_upto)s THEN 'in_progress' ELSE 'closed' END,
                'Bench', '', '', -6.9 + (n %% 1000) / 10000.0, 112.0 + (n %% 997) / 10000.0,
                'field_outreach', 1, '35.23', %(upt)s, %(reporter)s, false, '',
                started, CASE WHEN n <= %(overdue)s THEN %(ack_due)s::timestamptz END,
                CASE WHEN n <= %(open_upto)s THEN %(now)s::timestamptz + interval '30 days' END,
                0, 0, 0, started, started, started, started, 1, '{}'::jsonb
            FROM generate_series(1, %(total)s) AS n,
                 LATERAL (SELECT %(now)s::timestamptz - n * interval '1 minute' AS started) AS s
            """,
            {
                "total": total,
                "overdue": overdue,
                "open_upto": open_upto,
                "upt": upt.pk,
                "reporter": reporter.pk,
                "now": NOW,
                "ack_due": NOW + timedelta(minutes=5),
            },
        )
        cursor.execute("VACUUM ANALYZE cases_case")


def reset_escalation() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE cases_caseevent, escalation_escalationstep, notifications_notification, "
            "notifications_delivery CASCADE"
        )
        cursor.execute(
            "UPDATE cases_case SET escalation_level = 0, ack_escalation_level = 0 WHERE escalation_level > 0"
        )
        cursor.execute("VACUUM ANALYZE cases_case")


def timed_sweep(now: datetime) -> tuple[float, object]:
    started = time.perf_counter()
    result = escalation_sweep(now=now)
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--overdue", type=int, default=10_000)
    parser.add_argument("--reuse", action="store_true", help="keep the cases of a previous run; reset their escalation")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    celery_app.conf.task_always_eager = False  # delivery tasks are really published to the broker

    call_command("migrate", verbosity=0)
    upt, reporter = setup_people()
    started = time.perf_counter()
    if args.reuse:
        reset_escalation()
        print(f"reused the {args.cases:,} cases of the previous run")
    else:
        generate_cases(total=args.cases, overdue=args.overdue, upt=upt, reporter=reporter)
        print(
            f"generated {args.cases:,} cases ({args.overdue:,} to be overdue) in {time.perf_counter() - started:.1f} s"
        )

    print("\nEXPLAIN ANALYZE, nothing overdue:")
    print(cases_past_ack_deadline(now=NOW).explain(analyze=True))
    print(cases_past_resolve_deadline(now=NOW).explain(analyze=True))
    print('(repair of lost "new case" notifications)')
    print(cases_waiting_for_routed_notification(before=NOW).values("id")[:1000].explain(analyze=True))
    print("(repair of lost deliveries)")
    print(deliveries_waiting(before=NOW).values("id")[:5000].explain(analyze=True))

    escalation_sweep(now=NOW)  # warm the connection and caches
    quiet = min(timed_sweep(NOW)[0] for _ in range(5))
    print(f"\nsweep, nothing overdue: {quiet * 1000:.1f} ms (target <= 50 ms)")

    busy, result = timed_sweep(LATER)
    notifications = Notification.objects.count()
    deliveries = Delivery.objects.count()
    print(
        f"sweep, {args.overdue:,} overdue: {busy:.2f} s (target <= 10 s): "
        f"{result.cases_escalated:,} cases escalated, {result.levels_recorded:,} levels, "  # type: ignore[attr-defined]
        f"{notifications:,} notifications, {deliveries:,} deliveries queued"
    )
    again, _ = timed_sweep(LATER)
    print(f"next sweep, {args.overdue:,} overdue and nothing new due: {again * 1000:.0f} ms")

    print("\nEXPLAIN ANALYZE, overdue cases:")
    print(cases_past_ack_deadline(now=LATER).explain(analyze=True))

    broker = celery_app.conf.broker_url
    if broker.startswith("redis://"):
        import redis

        redis.Redis.from_url(broker).delete("notifications")  # nobody consumes the bench's delivery tasks
        print(f"\n(delivery tasks removed from the `notifications` queue of {broker})")


if __name__ == "__main__":
    main()
