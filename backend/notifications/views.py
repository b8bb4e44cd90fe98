from __future__ import annotations

import uuid

from django.conf import settings
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.exceptions import FieldsInvalid, NotFound
from core.openapi import error_responses
from notifications.models import Notification
from notifications.selectors import notifications_of
from notifications.serializers import (
    ClientConfigOutput,
    NotificationOutput,
    PushSubscriptionInput,
    PushSubscriptionOutput,
    VapidPublicKeyOutput,
)
from notifications.services import notification_mark_read, push_subscription_save

UNREAD_VALUES = {"0": False, "1": True, "false": False, "true": True}
PAGE_ERRORS = {
    400: "`invalid` unread, page or page_size (`error.fields`).",
    404: "`not_found`: a page past the last one.",
}


@extend_schema(
    tags=["notifications"],
    parameters=[
        OpenApiParameter("unread", str, enum=[*UNREAD_VALUES], description="`1` (or `true`): only those not read yet"),
    ],
    responses={200: NotificationOutput(many=True), **error_responses(400, 404, descriptions=PAGE_ERRORS)},
)
class NotificationListView(generics.ListAPIView):
    """The caller's own notifications, newest first."""

    serializer_class = NotificationOutput

    def get_queryset(self) -> QuerySet[Notification]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Notification.objects.none()
        raw_unread = self.request.query_params.get("unread") or "0"
        if raw_unread not in UNREAD_VALUES:
            raise FieldsInvalid({"unread": ["Diharapkan 1 atau 0."]})
        unread_only = UNREAD_VALUES[raw_unread]
        return notifications_of(user=self.request.user, unread_only=unread_only)  # type: ignore[arg-type]


class NotificationReadView(APIView):
    @extend_schema(
        tags=["notifications"],
        request=None,
        responses={
            200: NotificationOutput,
            **error_responses(404, descriptions={404: "`not_found`: no such notification of the caller's."}),
        },
    )
    def post(self, request: Request, notification_id: uuid.UUID) -> Response:
        """Mark one of the caller's notifications read; someone else's answers 404."""
        try:
            notification = notification_mark_read(user=request.user, notification_id=notification_id)  # type: ignore[arg-type]
        except Notification.DoesNotExist as exc:
            raise NotFound() from exc
        return Response(NotificationOutput(notification).data)


class PushSubscriptionView(APIView):
    @extend_schema(
        tags=["notifications"],
        request=PushSubscriptionInput,
        responses={201: PushSubscriptionOutput, 200: PushSubscriptionOutput, **error_responses(400)},
    )
    def post(self, request: Request) -> Response:
        """Register this browser for Web Push (idempotent by endpoint: 201 the first time, then 200)."""
        data = PushSubscriptionInput(data=request.data)
        data.is_valid(raise_exception=True)
        subscription, created = push_subscription_save(
            user=request.user,  # type: ignore[arg-type]
            endpoint=data.validated_data["endpoint"],
            p256dh=data.validated_data["keys"]["p256dh"],
            auth=data.validated_data["keys"]["auth"],
        )
        return Response(
            PushSubscriptionOutput(subscription).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class VapidPublicKeyView(APIView):
    @extend_schema(tags=["notifications"], responses={200: VapidPublicKeyOutput, **error_responses()})
    def get(self, request: Request) -> Response:
        """The application server key for `PushManager.subscribe()`."""
        return Response({"public_key": settings.VAPID_PUBLIC_KEY})


class ClientConfigView(APIView):
    """Public settings the PWA needs before anyone logs in (nothing secret)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(tags=["config"], responses={200: ClientConfigOutput}, auth=[])
    def get(self, request: Request) -> Response:
        return Response({"map_tile_url": settings.MAP_TILE_URL, "vapid_public_key": settings.VAPID_PUBLIC_KEY})
