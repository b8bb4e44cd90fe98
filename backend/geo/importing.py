"""What every set-up import shares: reading a CSV, refusing a file as a whole, showing progress."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
Progress = Callable[[Iterable[T]], Iterable[T]]


def no_progress(items: Iterable[T]) -> Iterable[T]:
    return items


class ImportRefused(Exception):
    """The file has errors: nothing was written. `errors` names each one (line or feature first)."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors

    def report(self, limit: int = 50) -> str:
        shown = self.errors[:limit]
        more = len(self.errors) - len(shown)
        lines = [
            f"Berkas ditolak, tidak ada yang disimpan / File refused, nothing was saved ({len(self.errors)} error(s)):"
        ]
        lines += [f"  - {error}" for error in shown]
        if more:
            lines.append(f"  ... and {more} more")
        return "\n".join(lines)


CsvRow = tuple[int, dict[str, str]]  # (line number in the file, values by column)


def read_csv(path: Path, *, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> list[CsvRow]:
    """Rows of a UTF-8 CSV (a BOM from spreadsheets is fine) with stripped values; refuses a file whose
    header lacks a required column or has an unknown one."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [name.strip() for name in (reader.fieldnames or [])]
            missing = [name for name in required if name not in header]
            unknown = [name for name in header if name not in required and name not in optional]
            if missing or unknown:
                errors = []
                if missing:
                    errors.append(f"header: missing column(s) {', '.join(missing)}")
                if unknown:
                    errors.append(f"header: unknown column(s) {', '.join(unknown)}")
                raise ImportRefused(errors + [f"header: expected {','.join(required + optional)}"])
            reader.fieldnames = header
            rows: list[CsvRow] = []
            for row in reader:
                if None in row:
                    raise ImportRefused([f"line {reader.line_num}: more values than columns"])
                values = {key: (value or "").strip() for key, value in row.items()}
                if any(values.values()):
                    rows.append((reader.line_num, values))
            return rows
    except FileNotFoundError as exc:
        raise ImportRefused([f"{path}: no such file"]) from exc
    except UnicodeDecodeError as exc:
        raise ImportRefused([f"the file is not UTF-8 text ({exc.reason})"]) from exc
    except csv.Error as exc:
        raise ImportRefused([f"the file is not valid CSV ({exc})"]) from exc


def chunks(items: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
