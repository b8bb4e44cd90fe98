"""HTTP views of the case API: parse, call one service, present. Rules live in services and workflow."""

from __future__ import annotations

import re
from uuid import UUID

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from cases import services
from cases.filters import CaseFilter
from cases.models import Attachment, Case, Category, PersonalDataAccess
from cases.openapi import ATTACHMENT_ID, CASE_ID, IF_MATCH, errors
from cases.parsers import RawImageParser
from cases.selectors import can_edit_fields, can_see_person, cases_for_display, visible_case_or_404
from cases.serializers import (
    AttachmentOutput,
    CaseCreateRequest,
    CaseEventOutput,
    CaseOutput,
    CategoryOutput,
    CommentOutput,
    present_case,
    present_cases,
)
from cases.validation import CaseUpdateFieldsInput, CommentInput, validate_case_fields, validate_create_body
from core.exceptions import Conflict, FieldsInvalid, Forbidden, NotFound, PreconditionRequired
from core.openapi import error_responses

IF_MATCH_PATTERN = re.compile(r'^\s*(?:W/)?"?(\d{1,10})"?\s*$')


def user_of(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # IsAuthenticated has run
    return user


def answer_case(request: Request, case: Case, *, via: str, status_code: int = status.HTTP_200_OK) -> Response:
    """The case after a write, loaded with its relations. After a refer the actor may no longer see
    it; they still get the answer to their own action (person data as `CaseOutput` decides)."""
    user = user_of(request)
    fresh = cases_for_display(user).filter(pk=case.pk).first() or case
    return Response(present_case(fresh, viewer=user, via=via), status=status_code)


class CategoryListView(APIView):
    @extend_schema(responses={200: CategoryOutput(many=True), **errors()}, summary="The 26 PPKS categories")
    def get(self, request: Request) -> Response:
        return Response(CategoryOutput(Category.objects.all(), many=True).data)


class CaseListCreateView(GenericAPIView):
    filterset_class = CaseFilter
    serializer_class = CaseOutput

    def get_queryset(self) -> QuerySet[Case]:
        if getattr(self, "swagger_fake_view", False):
            return Case.objects.none()
        return cases_for_display(user_of(self.request))

    @extend_schema(
        responses={
            200: CaseOutput(many=True),
            **error_responses(
                400,
                404,
                descriptions={
                    400: "`invalid` filter, ordering, page or page_size (`error.fields`).",
                    404: "`not_found`: a page past the last one.",
                },
            ),
        },
        summary="Cases in the caller's scope",
    )
    def get(self, request: Request) -> Response:
        cases = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(cases)
        assert page is not None
        return self.get_paginated_response(present_cases(list(page), viewer=user_of(request), via="case_list"))

    @extend_schema(
        request=CaseCreateRequest,
        responses={
            201: CaseOutput,
            200: OpenApiResponse(CaseOutput, description="The same id again by the same user: the stored case."),
            **errors(400, 403, 409),
        },
        summary="Log a case (idempotent by id)",
    )
    def post(self, request: Request) -> Response:
        case_id, fields = validate_create_body(request.data)
        case, created = services.case_create(actor=user_of(request), case_id=case_id, fields=fields)
        return answer_case(request, case, via="case_create", status_code=201 if created else 200)


def expected_version(request: Request) -> int:
    header = request.headers.get("If-Match")
    if header is None:
        raise PreconditionRequired()
    match = IF_MATCH_PATTERN.match(header)
    if match is None:
        raise FieldsInvalid({"If-Match": ['Harus berupa versi kasus, mis. "3".']})
    return int(match.group(1))


class CaseDetailView(APIView):
    @extend_schema(parameters=[CASE_ID], responses={200: CaseOutput, **errors(404)}, summary="One case")
    def get(self, request: Request, case_id: UUID) -> Response:
        return answer_case(request, visible_case_or_404(user_of(request), case_id), via="case_detail")

    @extend_schema(
        parameters=[CASE_ID, IF_MATCH],
        request=CaseUpdateFieldsInput,
        responses={200: CaseOutput, **errors(400, 403, 404, 409, 428)},
        summary="Change fields (If-Match required)",
    )
    def patch(self, request: Request, case_id: UUID) -> Response:
        user = user_of(request)
        case = visible_case_or_404(user, case_id)
        if not can_edit_fields(user, case):
            raise Forbidden()
        version = expected_version(request)
        fields = validate_case_fields(request.data, partial=True, for_create=False)
        try:
            case = services.case_update_checked(actor=user, case=case, expected_version=version, fields=fields)
        except services.StaleVersion as stale:
            current = visible_case_or_404(user, stale.case.pk)
            raise Conflict(
                str(stale.detail), extra={"current": present_case(current, viewer=user, via="conflict")}
            ) from None
        return answer_case(request, case, via="case_update")


class CaseEventListView(APIView):
    @extend_schema(parameters=[CASE_ID], responses={200: CaseEventOutput(many=True), **errors(404)}, summary="Timeline")
    def get(self, request: Request, case_id: UUID) -> Response:
        user = user_of(request)
        case = visible_case_or_404(user, case_id)
        events = case.events.select_related("actor").order_by("at", "id")
        context = {"shows_person": can_see_person(user, case)}
        return Response(CaseEventOutput(events, many=True, context=context).data)


class CaseCommentView(APIView):
    @extend_schema(
        parameters=[CASE_ID],
        request=CommentInput,
        responses={201: CommentOutput, 200: CommentOutput, **errors(400, 403, 404, 409)},
        summary="Comment (idempotent by id)",
    )
    def post(self, request: Request, case_id: UUID) -> Response:
        user = user_of(request)
        case = visible_case_or_404(user, case_id)
        if not can_edit_fields(user, case):
            raise Forbidden()
        body = CommentInput(data=request.data)
        body.is_valid(raise_exception=True)
        comment, created = services.case_comment(
            actor=user, case=case, comment_id=body.validated_data["id"], text=body.validated_data["text"]
        )
        return Response(CommentOutput(comment).data, status=201 if created else 200)


class AttachmentView(APIView):
    parser_classes = [RawImageParser]

    @extend_schema(
        parameters=[CASE_ID, ATTACHMENT_ID],
        request={"image/jpeg": bytes, "image/png": bytes, "image/webp": bytes},
        responses={201: AttachmentOutput, 200: AttachmentOutput, **errors(400, 403, 404, 409, 413, 415)},
        summary="Upload a photo (raw body, at most 10 MB; metadata removed)",
    )
    def put(self, request: Request, case_id: UUID, attachment_id: UUID) -> Response:
        user = user_of(request)
        case = visible_case_or_404(user, case_id)
        if not can_edit_fields(user, case):
            raise Forbidden()
        data = request.data
        attachment, created = services.attachment_put(
            actor=user,
            case=case,
            attachment_id=attachment_id,
            content_type=request.content_type or "",
            data=data if isinstance(data, bytes) else b"",
        )
        return Response(AttachmentOutput(attachment).data, status=201 if created else 200)

    @extend_schema(
        parameters=[CASE_ID, ATTACHMENT_ID],
        responses={
            (200, "image/jpeg"): OpenApiResponse(bytes),
            (200, "image/png"): OpenApiResponse(bytes),
            (200, "image/webp"): OpenApiResponse(bytes),
            **errors(403, 404),
        },
        summary="The stored photo (to those who may see the case's person data)",
    )
    def get(self, request: Request, case_id: UUID, attachment_id: UUID) -> FileResponse:
        user = user_of(request)
        case = visible_case_or_404(user, case_id)
        attachment = Attachment.objects.filter(pk=attachment_id, case=case).first()
        if attachment is None:
            raise NotFound()
        if not can_see_person(user, case):
            raise Forbidden()
        PersonalDataAccess.objects.create(
            user=user, case=case, what=PersonalDataAccess.What.PHOTO, via="attachment", at=timezone.now()
        )
        response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
        response["Cache-Control"] = "private, no-store"
        return response
