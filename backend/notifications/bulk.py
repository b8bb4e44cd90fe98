"""Set-based inserts that skip rows violating a unique constraint and say which rows they inserted.

A sweep after downtime may record tens of thousands of rows at once; on PostgreSQL they go through
COPY into a temporary table and one `INSERT ... SELECT ... ON CONFLICT DO NOTHING RETURNING`, which
costs a fraction of building and binding model instances. Other databases use `bulk_create`.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Model

SQLITE_CHUNK = 900  # ids per IN (...) on SQLite: under its parameter limit


def insert_ignoring_conflicts(model: type[Model], columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> set[Any]:
    """Insert `rows` (values for the fields named in `columns`, by attname; JSON as dicts or lists) into
    `model`'s table; rows
    that collide with an existing one on a unique constraint are skipped. Returns the primary keys
    inserted by this call when the primary key is among `columns` (or on PostgreSQL always).
    Must run inside a transaction."""
    if not rows:
        return set()
    if connection.vendor == "postgresql":
        return _copy_insert(model, columns, rows)
    model._default_manager.bulk_create(
        [model(**dict(zip(columns, row, strict=True))) for row in rows], ignore_conflicts=True, batch_size=500
    )
    pk_name = model._meta.pk.attname
    if pk_name not in columns:
        return set()
    position = list(columns).index(pk_name)
    ids = [row[position] for row in rows]
    found: set[Any] = set()
    for start in range(0, len(ids), SQLITE_CHUNK):
        chunk = ids[start : start + SQLITE_CHUNK]
        found.update(model._default_manager.filter(pk__in=chunk).values_list("pk", flat=True))
    return found


def _column(model: type[Model], attname: str) -> str:
    return next(field.column for field in model._meta.concrete_fields if field.attname == attname)


def _copy_insert(model: type[Model], columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> set[Any]:
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(_column(model, name)) for name in columns)
    pk = quote(model._meta.pk.column)
    staging = quote(f"staging_{uuid.uuid4().hex[:12]}")
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS SELECT {names} FROM {table} WITH NO DATA")
        with cursor.cursor.copy(f"COPY {staging} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(tuple(json.dumps(v) if isinstance(v, dict | list) else v for v in row))
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM {staging} ON CONFLICT DO NOTHING RETURNING {pk}"
        )
        inserted = {row[0] for row in cursor.fetchall()}
        cursor.execute(f"DROP TABLE {staging}")
    return inserted
