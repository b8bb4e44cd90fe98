"""Case exports (CSV, GeoJSON), streamed row by row so memory stays flat whatever the number of cases.

Person and complainant data are written only when asked for and allowed; every case whose personal
data leaves the system this way is recorded in `PersonalDataAccess` (bulk-inserted per chunk, before
the chunk is sent).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from accounts.models import User
from cases.models import Case, PersonalDataAccess

# Rows fetched per round trip from the server-side cursor, and rows per chunk sent (and logged) at once.
FETCH_SIZE = 1000
CHUNK_SIZE = 500

CASE_COLUMNS = (
    ("id", "id"),
    ("reference", "reference"),
    ("category", "category_id"),
    ("severity", "severity"),
    ("status", "status"),
    ("source", "source"),
    ("outcome", "outcome"),
    ("summary", "summary"),
    ("address", "address"),
    ("lat", "lat"),
    ("lng", "lng"),
    ("accuracy_m", "accuracy_m"),
    ("people_count", "people_count"),
    ("region", "region_id"),
    ("upt", "upt__code"),
    ("reported_by", "reported_by__username"),
    ("assignee", "assignee__username"),
    ("escalation_level", "escalation_level"),
    ("observed_at", "observed_at"),
    ("created_at", "created_at"),
    ("ack_due_at", "ack_due_at"),
    ("due_at", "due_at"),
    ("acknowledged_at", "acknowledged_at"),
    ("dispatched_at", "dispatched_at"),
    ("resolved_at", "resolved_at"),
    ("closed_at", "closed_at"),
)
PERSON_COLUMNS = (
    "person_name",
    "person_age_estimate",
    "person_sex",
    "person_nik",
    "complainant_name",
    "complainant_phone",
)
# Text typed by people (summaries, addresses, names) that a spreadsheet would run as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FREE_TEXT = frozenset({"summary", "address", "person_name", "complainant_name", "complainant_phone", "person_nik"})


def _iso(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value


def _person_values(person: dict | None, complainant: dict | None) -> dict[str, Any]:
    person = person if isinstance(person, dict) else {}
    complainant = complainant if isinstance(complainant, dict) else {}
    return {
        "person_name": person.get("name"),
        "person_age_estimate": person.get("age_estimate"),
        "person_sex": person.get("sex"),
        "person_nik": person.get("nik"),
        "complainant_name": complainant.get("name"),
        "complainant_phone": complainant.get("phone"),
    }


def export_records(cases: QuerySet[Case], *, include_person: bool) -> Iterator[dict[str, Any]]:
    """One dict per case, read from a server-side cursor in chunks (`iterator`), never all at once."""
    fields = [source for _, source in CASE_COLUMNS]
    if include_person:
        fields += ["person", "complainant"]
    for row in cases.order_by("created_at", "id").values(*fields).iterator(chunk_size=FETCH_SIZE):
        record = {name: _iso(row[source]) for name, source in CASE_COLUMNS}
        record["id"] = str(record["id"])
        if include_person:
            record.update(_person_values(row["person"], row["complainant"]))
        yield record


def logged_in_chunks(
    records: Iterable[dict[str, Any]], *, user: User, via: str, now: datetime, enabled: bool
) -> Iterator[list[dict[str, Any]]]:
    """Group records in chunks; when personal data is exported, log each chunk before it is sent."""
    chunk: list[dict[str, Any]] = []

    def flush() -> list[dict[str, Any]]:
        if enabled:
            PersonalDataAccess.objects.bulk_create(
                [
                    PersonalDataAccess(
                        user=user, case_id=record["id"], what=PersonalDataAccess.What.EXPORT, via=via, at=now
                    )
                    for record in chunk
                ]
            )
        return chunk

    for record in records:
        chunk.append(record)
        if len(chunk) >= CHUNK_SIZE:
            yield flush()
            chunk = []
    if chunk:
        yield flush()


def _spreadsheet_safe(name: str, value: Any) -> Any:
    if name in FREE_TEXT and isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_stream(chunks: Iterable[list[dict[str, Any]]], *, include_person: bool) -> Iterator[str]:
    """UTF-8 with a byte-order mark, so that spreadsheet programs pick the right encoding."""
    columns = [name for name, _ in CASE_COLUMNS] + (list(PERSON_COLUMNS) if include_person else [])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    yield "\ufeff" + buffer.getvalue()
    for chunk in chunks:
        buffer.seek(0)
        buffer.truncate()
        for record in chunk:
            writer.writerow([_spreadsheet_safe(name, record[name]) for name in columns])
        yield buffer.getvalue()


def geojson_stream(chunks: Iterable[list[dict[str, Any]]]) -> Iterator[str]:
    yield '{"type":"FeatureCollection","features":['
    first = True
    for chunk in chunks:
        parts = []
        for record in chunk:
            lat, lng = record.pop("lat"), record.pop("lng")
            geometry = {"type": "Point", "coordinates": [lng, lat]} if lat is not None and lng is not None else None
            feature = {"type": "Feature", "id": record["id"], "geometry": geometry, "properties": record}
            parts.append(("" if first else ",") + json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
            first = False
        yield "".join(parts)
    yield "]}"
