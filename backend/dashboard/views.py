"""The managers' pages: map, case summary, reports and the printable monthly report.

The pages are shells: their scripts (static files, no inline code: CSP) read the same API as everyone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from cases.models import Category, Outcome, PersonalDataAccess, Severity, Source, Status
from cases.selectors import can_see_person, cases_visible_to
from dashboard import reports
from dashboard.params import EARLIEST_DATE, LATEST_DATE
from dashboard.selectors import can_export, can_read_dashboard
from geo.models import Upt

EVENT_LABELS = {
    "created": "Dibuat / Created",
    "updated": "Diubah / Updated",
    "acknowledged": "Diterima / Acknowledged",
    "dispatched": "Ditugaskan / Dispatched",
    "started": "Mulai ditangani / Started",
    "resolved": "Selesai / Resolved",
    "closed": "Ditutup / Closed",
    "reopened": "Dibuka kembali / Reopened",
    "referred": "Dirujuk / Referred",
    "escalated": "Dieskalasi / Escalated",
    "commented": "Komentar / Comment",
    "attachment_added": "Foto ditambahkan / Photo added",
    "routed": "Diteruskan ke UPT / Routed",
}


def dashboard_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged-in managers and commanders only; others get a 403 rather than an empty map."""

    @login_required(login_url="dashboard:login")
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_read_dashboard(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


class DashboardLoginView(auth_views.LoginView):
    template_name = "dashboard/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return reverse("dashboard:map")


class DashboardLogoutView(auth_views.LogoutView):
    next_page = "dashboard:login"


def _user(request: HttpRequest) -> User:
    """The logged-in user (`dashboard_page` has already sent anonymous visitors to the login page)."""
    return cast(User, request.user)


def _visible_upts(request: HttpRequest) -> list[Upt]:
    user = _user(request)
    if user.role == Role.UPT_COMMANDER:
        return list(Upt.objects.filter(pk=user.upt_id or 0))
    return list(Upt.objects.filter(is_active=True))


@dashboard_page
def map_page(request: HttpRequest) -> HttpResponse:
    leaflet = settings.LEAFLET_CONFIG
    config = {
        "center": leaflet["DEFAULT_CENTER"],
        "zoom": leaflet["DEFAULT_ZOOM"],
        "minZoom": leaflet["MIN_ZOOM"],
        "maxZoom": leaflet["MAX_ZOOM"],
        "tileUrl": settings.MAP_TILE_URL,
        "tileAttribution": "&copy; OpenStreetMap contributors",
        "urls": {
            "boundaries": "/api/v1/regions/geojson/",
            "regions": reverse("map-regions"),
            "clusters": reverse("map-clusters"),
            "cases": reverse("map-cases-geojson"),
            "overdue": reverse("map-overdue"),
            "caseDetail": reverse("dashboard:case", args=["00000000-0000-0000-0000-000000000000"]),
        },
        "labels": {"status": dict(Status.choices), "severity": dict(Severity.choices)},
        "refreshSeconds": 60,
        "pointsFromZoom": 13,
    }
    return render(
        request,
        "dashboard/map.html",
        {
            "map_config": config,
            "statuses": Status.choices,
            "severities": Severity.choices,
            "categories": Category.objects.all(),
            "upts": _visible_upts(request),
            "can_export": can_export(request.user),
        },
    )


@dashboard_page
def case_page(request: HttpRequest, case_id: Any) -> HttpResponse:
    case = (
        cases_visible_to(_user(request))
        .select_related("category", "region", "upt", "reported_by", "assignee")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404
    show_person = can_see_person(_user(request), case)
    if show_person and (case.person or case.complainant):
        PersonalDataAccess.objects.create(
            user=_user(request), case=case, what=PersonalDataAccess.What.PERSON, via="dashboard", at=timezone.now()
        )
    events = [
        {
            "at": event.at,
            "kind": event.kind,
            "label": EVENT_LABELS.get(event.kind, event.kind),
            "actor": event.actor,
            "data": event.data,
        }
        for event in case.events.select_related("actor").order_by("at", "id")
    ]
    return render(
        request,
        "dashboard/case.html",
        {"case": case, "show_person": show_person, "events": events, "now": timezone.now()},
    )


@dashboard_page
def reports_page(request: HttpRequest) -> HttpResponse:
    config = {"urls": {"summary": reverse("reports-summary")}}
    return render(
        request,
        "dashboard/reports.html",
        {"reports_config": config, "upts": _visible_upts(request), "this_month": _this_month()},
    )


def _this_month() -> str:
    return timezone.localdate().strftime("%Y-%m")


def _parse_month(text: str) -> tuple[date, date] | None:
    try:
        year, month = (int(part) for part in text.split("-"))
        first = date(year, month, 1)
    except ValueError:
        return None
    if not (EARLIEST_DATE <= first <= LATEST_DATE):
        return None
    following = date(year + (month == 12), month % 12 + 1, 1)
    return first, date.fromordinal(following.toordinal() - 1)


@dashboard_page
def monthly_report_page(request: HttpRequest) -> HttpResponse:
    upts = _visible_upts(request)
    month_text = request.GET.get("month") or _this_month()
    month = _parse_month(month_text)
    upt = next((u for u in upts if u.code == request.GET.get("upt")), upts[0] if len(upts) == 1 else None)
    errors = []
    if month is None:
        errors.append("Bulan tidak valid (format YYYY-MM). / Invalid month (YYYY-MM).")
    if request.GET.get("upt") and upt is None:
        errors.append("UPT tidak dikenal. / Unknown UPT.")
    summary = None
    if month is not None and upt is not None:
        summary = reports.report_summary(
            user=_user(request),
            since=month[0],
            until=month[1],
            upts=(upt.code,),
            now=timezone.now(),
        )
    context = {
        "upts": upts,
        "upt": upt,
        "month_text": month_text,
        "month": month,
        "summary": summary,
        "errors": errors,
        "tables": _summary_tables(summary) if summary else [],
    }
    return render(request, "dashboard/monthly.html", context, status=400 if errors else 200)


def _summary_tables(summary: dict[str, Any]) -> list[tuple[str, list[tuple[str, int]]]]:
    """The summary's counts as (title, [(label, count)]) tables, labelled in Indonesian."""
    categories = dict(Category.objects.values_list("code", "name"))
    dimensions = [
        ("Status", "by_status", dict(Status.choices)),
        ("Tingkat keparahan / Severity", "by_severity", dict(Severity.choices)),
        ("Kategori PPKS / Category", "by_category", categories),
        ("Sumber / Source", "by_source", dict(Source.choices)),
        ("Hasil / Outcome", "by_outcome", {**dict(Outcome.choices), "none": "Belum ada / None yet"}),
    ]
    return [
        (title, [(labels.get(code, code), count) for code, count in summary[key].items() if count])
        for title, key, labels in dimensions
    ]
