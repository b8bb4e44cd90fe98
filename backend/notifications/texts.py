"""Notification texts: short, in the recipient's language (Bahasa Indonesia unless they chose English).

They name the case by its reference, category, severity and kabupaten/kota only. A notification
travels through mail servers and push services and lights up lock screens: never put a summary,
description, address, person name, NIK or photo in it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cases.models import Case
from notifications.models import Kind

SEVERITY = {
    "id": {"low": "Rendah", "medium": "Sedang", "high": "Tinggi", "critical": "Kritis"},
    "en": {"low": "Low", "medium": "Medium", "high": "High", "critical": "Critical"},
}
NO_REGION = {"id": "di luar Jawa Timur", "en": "outside East Java"}

TITLES = {
    "id": {
        Kind.CASE_ROUTED: "Kasus baru {reference}",
        Kind.CASE_ESCALATED: "Eskalasi level {level}: {reference}",
        Kind.CASE_ASSIGNED: "Kasus {reference} ditugaskan kepada Anda",
        Kind.CASE_UPDATED: "Kasus {reference} diperbarui",
    },
    "en": {
        Kind.CASE_ROUTED: "New case {reference}",
        Kind.CASE_ESCALATED: "Escalation level {level}: {reference}",
        Kind.CASE_ASSIGNED: "Case {reference} assigned to you",
        Kind.CASE_UPDATED: "Case {reference} updated",
    },
}
ESCALATION_REASON = {
    "id": {"ack": "Belum diterima melewati batas waktu.", "resolve": "Belum selesai melewati batas waktu."},
    "en": {"ack": "Not acknowledged in time.", "resolve": "Not resolved in time."},
}


@dataclass(frozen=True)
class Text:
    title: str
    body: str


def language_of(language: str) -> str:
    return "en" if language == "en" else "id"


def render(*, kind: str, case: Case, language: str, params: Mapping[str, Any] | None = None) -> Text:
    """Title and body of a notification about `case` (its category and region must be loaded)."""
    lang = language_of(language)
    params = params or {}
    category = case.category.name_en if lang == "en" else case.category.name
    region = case.region.name if case.region_id is not None and case.region is not None else NO_REGION[lang]
    title = TITLES[lang][Kind(kind)].format(reference=case.reference, level=params.get("level", ""))
    body = f"{category} · {SEVERITY[lang][case.severity]} · {region}"
    if kind == Kind.CASE_ESCALATED and params.get("clock") in ("ack", "resolve"):
        body = f"{body}. {ESCALATION_REASON[lang][params['clock']]}"
    return Text(title=title[:200], body=body[:500])
