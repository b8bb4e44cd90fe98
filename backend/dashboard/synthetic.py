"""Synthetic cases in bulk, for query-plan tests and the map benchmark (PostgreSQL only).

One `INSERT ... SELECT generate_series` statement: a realistic spread around the regions' label
points (denser in some regions than others), two years of history, statuses and milestones in
plausible proportions. Never used by the application itself.
"""

from __future__ import annotations

from django.db import connection

INSERT_SYNTHETIC_CASES = """
WITH regions AS (
    SELECT row_number() OVER (ORDER BY r.code) - 1 AS idx, r.code, r.label_lat, r.label_lng, sa.upt_id
    FROM geo_region r LEFT JOIN geo_servicearea sa ON sa.region_id = r.code
),
region_count AS (SELECT count(*) AS n FROM regions),
draws AS (
    SELECT g,
           floor(power(random(), 1.6) * (SELECT n FROM region_count))::int AS region_idx,
           random() AS r_status, random() AS r_severity, random() AS r_category, random() AS r_source,
           (random() + random() + random() - 1.5) * 0.16 AS d_lat,
           (random() + random() + random() - 1.5) * 0.22 AS d_lng,
           random() * 180 AS ack_minutes, random() * 10080 AS resolve_minutes,
           now() - random() * interval '730 days' AS created
    FROM generate_series(1, %(count)s) AS g
)
INSERT INTO cases_case (
    id, reference, category_id, severity, status, summary, description, address, lat, lng, accuracy_m,
    source, people_count, person, complainant, was_referred, resolution_note, outcome,
    clock_started_at, ack_due_at, due_at, escalation_level, ack_escalation_level, resolve_escalation_level,
    acknowledged_at, dispatched_at, resolved_at, closed_at, observed_at, created_at, updated_at,
    version, field_versions, reported_by_id, upt_id, region_id, assignee_id
)
SELECT
    md5(%(prefix)s || g::text)::uuid,
    %(prefix)s || lpad(g::text, 9, '0'),
    'PPKS' || lpad((1 + floor(power(d.r_category, 2) * 26))::int::text, 2, '0'),
    CASE WHEN d.r_severity < 0.1 THEN 'critical' WHEN d.r_severity < 0.35 THEN 'high'
         WHEN d.r_severity < 0.75 THEN 'medium' ELSE 'low' END,
    d.status,
    'Kasus sintetis ' || g,
    '', 'Jl. Contoh ' || (g %% 500),
    r.label_lat + d.d_lat, r.label_lng + d.d_lng, 10 + (g %% 40),
    CASE WHEN d.r_source < 0.6 THEN 'field_outreach' WHEN d.r_source < 0.8 THEN 'public_report'
         WHEN d.r_source < 0.9 THEN 'hotline' WHEN d.r_source < 0.95 THEN 'social_media' ELSE 'agency_referral' END,
    1 + (g %% 3),
    jsonb_build_object('name', 'Orang ' || g, 'age_estimate', 20 + g %% 60, 'sex', 'unknown', 'nik', NULL),
    NULL, false,
    CASE WHEN d.status IN ('resolved', 'closed') THEN 'Selesai ditangani' ELSE '' END,
    CASE WHEN d.status IN ('resolved', 'closed') THEN 'handled_on_the_spot' END,
    d.created,
    d.created + interval '2 hours', d.created + interval '3 days',
    0, 0, 0,
    CASE WHEN d.status <> 'new' THEN d.created + d.ack_minutes * interval '1 minute' END,
    CASE WHEN d.status IN ('dispatched', 'in_progress', 'resolved', 'closed')
         THEN d.created + (d.ack_minutes + 30) * interval '1 minute' END,
    CASE WHEN d.status IN ('resolved', 'closed') THEN d.created + d.resolve_minutes * interval '1 minute' END,
    CASE WHEN d.status = 'closed' THEN d.created + (d.resolve_minutes + 60) * interval '1 minute' END,
    d.created - interval '5 minutes', d.created, d.created,
    1, '{}'::jsonb, %(reporter_id)s, r.upt_id, r.code, NULL
FROM (
    SELECT draws.*,
           -- Recent cases are often still open; after a month nearly all are resolved or closed.
           CASE WHEN created < now() - interval '30 days' AND r_status BETWEEN 0.005 AND 0.85 THEN 'resolved'
                WHEN r_status < 0.06 THEN 'new' WHEN r_status < 0.12 THEN 'acknowledged'
                WHEN r_status < 0.18 THEN 'dispatched' WHEN r_status < 0.28 THEN 'in_progress'
                WHEN r_status < 0.85 THEN 'resolved' ELSE 'closed' END AS status
    FROM draws
) AS d
JOIN regions r ON r.idx = d.region_idx
ORDER BY d.created  -- cases arrive in time order, so a month of them sits together on disk
"""


def insert_synthetic_cases(*, count: int, reporter_id: int, prefix: str = "SYN-") -> None:
    """Insert `count` synthetic cases reported by `reporter_id`, then ANALYZE so plans see them."""
    if connection.vendor != "postgresql":
        raise RuntimeError("Synthetic bulk cases need PostgreSQL (generate_series, md5()::uuid).")
    with connection.cursor() as cursor:
        cursor.execute(INSERT_SYNTHETIC_CASES, {"count": count, "reporter_id": reporter_id, "prefix": prefix})
        cursor.execute("ANALYZE cases_case")
