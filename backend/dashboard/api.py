"""The map, report and export endpoints (API.md, "Maps and reports"). Queries live in the selectors."""

from __future__ import annotations

from typing import Any, cast

from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from core.openapi import error_responses
from dashboard import exports, reports, selectors
from dashboard.params import (
    CaseFilterInput,
    ClusterInput,
    ExportInput,
    OverdueListInput,
    SummaryInput,
    filters_from,
    parse_query,
)
from dashboard.schema import (
    DATE_PARAMETERS,
    FILTER_PARAMETERS,
    INCLUDE_PERSON_PARAMETER,
    LIMIT_PARAMETER,
    ZOOM_PARAMETER,
    ClustersOut,
    MapFeatureCollectionOut,
    OverdueListOut,
    RegionsOut,
    SummaryOut,
)

ERRORS = error_responses(
    400,
    403,
    descriptions={400: "Invalid parameter: `invalid` with `fields`", 403: "`forbidden`: field workers and admins"},
)


def caller(request: Request) -> User:
    """The authenticated user (the permission classes have already refused anonymous callers)."""
    return cast(User, request.user)


class CanReadDashboard(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return selectors.can_read_dashboard(request.user)


class CanExport(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return selectors.can_export(request.user)


class DashboardAPIView(APIView):
    permission_classes = [IsAuthenticated, CanReadDashboard]
    renderer_classes = [JSONRenderer]


@extend_schema(
    tags=["maps"],
    summary="Cases as GeoJSON points (at most 5000)",
    parameters=FILTER_PARAMETERS,
    responses={
        200: MapFeatureCollectionOut,
        **ERRORS,
        **error_responses(
            400, descriptions={400: "`invalid` (with `fields`), or `too_many`: use /api/v1/map/clusters/"}
        ),
    },
)
class MapCasesGeoJSON(DashboardAPIView):
    def get(self, request: Request) -> Response:
        filters = filters_from(parse_query(CaseFilterInput, request.query_params))
        features = selectors.map_features(user=caller(request), filters=filters, now=timezone.now())
        return Response({"type": "FeatureCollection", "features": features})


@extend_schema(
    tags=["maps"],
    summary="Cases clustered on a grid whose cell size follows the zoom",
    description=(
        "Grid aggregation in the database; a cluster sits at the average position of its members. "
        "Up to zoom 9, without category, date or overdue filters, the counts come from a grid rebuilt every "
        "minute (at most a few minutes old) and the bbox is applied to whole 12-km grid cells."
    ),
    parameters=[ZOOM_PARAMETER, *FILTER_PARAMETERS],
    responses={200: ClustersOut, **ERRORS},
)
class MapClusters(DashboardAPIView):
    def get(self, request: Request) -> Response:
        params = parse_query(ClusterInput, request.query_params)
        clusters = selectors.map_clusters(
            user=caller(request), filters=filters_from(params), zoom=params["zoom"], now=timezone.now()
        )
        return Response({"clusters": clusters})


@extend_schema(
    tags=["maps"],
    summary="Case counts per kabupaten/kota (all, open, overdue), for a choropleth",
    parameters=FILTER_PARAMETERS,
    responses={200: RegionsOut, **ERRORS},
)
class MapRegions(DashboardAPIView):
    def get(self, request: Request) -> Response:
        filters = filters_from(parse_query(CaseFilterInput, request.query_params))
        return Response(selectors.region_counts(user=caller(request), filters=filters, now=timezone.now()))


@extend_schema(
    tags=["maps"],
    summary="Overdue open cases, the latest first (by the missed deadline)",
    parameters=[*FILTER_PARAMETERS, LIMIT_PARAMETER],
    responses={200: OverdueListOut, **ERRORS},
)
class MapOverdue(DashboardAPIView):
    def get(self, request: Request) -> Response:
        params = parse_query(OverdueListInput, request.query_params)
        results = selectors.overdue_cases(
            user=caller(request), filters=filters_from(params), now=timezone.now(), limit=params["limit"]
        )
        return Response({"results": results})


@extend_schema(
    tags=["reports"],
    summary="Counts, response times and SLA breaches of the cases created in a date range",
    parameters=DATE_PARAMETERS,
    responses={200: SummaryOut, **ERRORS},
)
class ReportSummary(DashboardAPIView):
    def get(self, request: Request) -> Response:
        params = parse_query(SummaryInput, request.query_params)
        summary = reports.report_summary(
            user=caller(request),
            since=params.get("since"),
            until=params.get("until"),
            upts=params.get("upt", ()),
            now=timezone.now(),
        )
        return Response(summary)


class FirstRendererNegotiation(BaseContentNegotiation):
    """Exports answer in their own format whatever `Accept` says; errors still go out as JSON."""

    def select_parser(self, request: Request, parsers: Any) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Request, renderers: Any, format_suffix: str | None = None) -> Any:
        return renderers[0], renderers[0].media_type


class ExportView(APIView):
    permission_classes = [IsAuthenticated, CanExport]
    renderer_classes: list[type[BaseRenderer]] = [JSONRenderer]
    content_negotiation_class = FirstRendererNegotiation
    content_type = ""
    filename = ""

    def stream(self, chunks: Any, *, include_person: bool) -> Any:
        raise NotImplementedError

    def get(self, request: Request) -> StreamingHttpResponse:
        params = parse_query(ExportInput, request.query_params)
        include_person = bool(params.get("include_person"))
        now = timezone.now()
        cases = selectors.map_cases(user=caller(request), filters=filters_from(params), now=now)
        records = exports.export_records(cases, include_person=include_person)
        chunks = exports.logged_in_chunks(
            records, user=caller(request), via=f"export {self.filename}", now=now, enabled=include_person
        )
        response = StreamingHttpResponse(
            self.stream(chunks, include_person=include_person), content_type=self.content_type
        )
        stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M")
        name, extension = self.filename.rsplit(".", 1)
        response["Content-Disposition"] = f'attachment; filename="jsc-{name}-{stamp}.{extension}"'
        response["Cache-Control"] = "no-store"
        return response


@extend_schema(
    tags=["exports"],
    summary="Cases as CSV (UTF-8 with BOM), streamed; managers only",
    parameters=[*FILTER_PARAMETERS, INCLUDE_PERSON_PARAMETER],
    responses={
        (200, "text/csv"): OpenApiTypes.STR,
        **error_responses(400, 403, descriptions={403: "`forbidden`: managers only"}),
    },
)
class ExportCasesCSV(ExportView):
    content_type = "text/csv; charset=utf-8"
    filename = "cases.csv"

    def stream(self, chunks: Any, *, include_person: bool) -> Any:
        return exports.csv_stream(chunks, include_person=include_person)


@extend_schema(
    tags=["exports"],
    summary="Cases as a GeoJSON FeatureCollection, streamed; managers only",
    parameters=[*FILTER_PARAMETERS, INCLUDE_PERSON_PARAMETER],
    responses={
        (200, "application/geo+json"): OpenApiTypes.OBJECT,
        **error_responses(400, 403, descriptions={403: "`forbidden`: managers only"}),
    },
)
class ExportCasesGeoJSON(ExportView):
    content_type = "application/geo+json; charset=utf-8"
    filename = "cases.geojson"

    def stream(self, chunks: Any, *, include_person: bool) -> Any:
        return exports.geojson_stream(chunks)
