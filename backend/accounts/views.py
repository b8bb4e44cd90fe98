from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate, login, logout
from django.views.decorators.csrf import ensure_csrf_cookie
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.authentication import CsrfSessionAuthentication
from accounts.models import AuthToken, User
from accounts.serializers import (
    LoginInput,
    MeOutput,
    SessionOutput,
    TokenOutput,
    UserListItemOutput,
    UserListQuery,
)
from accounts.throttles import login_attempt_begin
from core.openapi import error_responses

BAD_CREDENTIALS = "Nama pengguna atau kata sandi salah. / Wrong username or password."

LOGIN_ERRORS = error_responses(
    400,
    401,
    429,
    authenticated=False,
    descriptions={
        400: "`invalid`: missing or unknown fields",
        401: "`not_authenticated`: wrong username or password",
        429: "`throttled`: too many failed logins for this username (5/min) or this client address "
        "(60/min); successful logins do not count. See the Retry-After header.",
    },
)


def me_data(user: User) -> dict[str, Any]:
    return dict(MeOutput(user).data)


class LoginView(APIView):
    """Shared by the token and session logins: check the input, the throttle, then the password."""

    authentication_classes: list[type] = []  # a stale token or session must not stand in the way of a login
    permission_classes = [AllowAny]

    def get_authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'

    def authenticate_credentials(self, request: Request) -> User:
        credentials = LoginInput(data=request.data)
        credentials.is_valid(raise_exception=True)
        username, password = credentials.validated_data["username"], credentials.validated_data["password"]
        attempt = login_attempt_begin(request, username)
        user = authenticate(request._request, username=username, password=password)
        if not isinstance(user, User):  # wrong password, unknown or inactive user: one answer for all
            attempt.failed()
            raise exceptions.AuthenticationFailed(BAD_CREDENTIALS)
        attempt.succeeded()
        return user


class TokenLoginView(LoginView):
    @extend_schema(
        operation_id="auth_token",
        summary="Log in: a new bearer token for this device",
        description="Each login issues a new token; tokens of other devices stay valid. "
        "Throttling counts failed attempts only.",
        request=LoginInput,
        responses={200: TokenOutput, **LOGIN_ERRORS},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        user = self.authenticate_credentials(request)
        token, raw = services.token_issue(user=user, user_agent=request.headers.get("User-Agent", ""))
        return Response({"token": raw, "expires_at": token.expires_at, "user": me_data(user)})


class SessionLoginView(LoginView):
    @extend_schema(
        operation_id="auth_session_csrf",
        summary="Get the CSRF cookie before a session login",
        description="Sets the `csrftoken` cookie; send its value as `X-CSRFToken` with the POST.",
        responses={204: None},
        auth=[],
    )
    def get(self, request: Request) -> Response:
        return Response(status=204)

    @extend_schema(
        operation_id="auth_session",
        summary="Log in with a session cookie (the same-origin PWA and dashboard)",
        description="CSRF-protected (`X-CSRFToken` header from the `csrftoken` cookie); the same throttling "
        "as the token login. Sets the session cookie.",
        request=LoginInput,
        responses={
            200: SessionOutput,
            **LOGIN_ERRORS,
            **error_responses(403, authenticated=False, descriptions={403: "`forbidden`: CSRF check failed"}),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        CsrfSessionAuthentication().enforce_csrf(request)
        user = self.authenticate_credentials(request)
        login(request._request, user, backend="django.contrib.auth.backends.ModelBackend")
        return Response({"user": me_data(user)})


session_login_view = ensure_csrf_cookie(SessionLoginView.as_view())


class LogoutView(APIView):
    @extend_schema(
        operation_id="auth_logout",
        summary="Log out: revoke the bearer token used, or end the session",
        description="Other devices' tokens stay valid.",
        request=None,
        responses={204: None, **error_responses()},
    )
    def post(self, request: Request) -> Response:
        if isinstance(request.auth, AuthToken):
            services.token_revoke(token=request.auth)
        else:
            logout(request._request)
        return Response(status=204)


class MeView(APIView):
    @extend_schema(operation_id="me", summary="The logged-in user", responses={200: MeOutput, **error_responses()})
    def get(self, request: Request) -> Response:
        return Response(me_data(request.user))  # type: ignore[arg-type]


class UserListView(APIView):
    @extend_schema(
        operation_id="users_list",
        summary="Users to dispatch to (commanders and managers)",
        description="Active users, ordered by username, not paginated (a UPT team is small). "
        "Commanders see their own UPT only: `upt` defaults to theirs, and another UPT's code gives an "
        "empty list. Managers see any UPT (`upt` optional: all users without it). Others get 403.",
        parameters=[UserListQuery],
        responses={
            200: UserListItemOutput(many=True),
            **error_responses(
                400, 403, descriptions={400: "`invalid` role", 403: "`forbidden`: not a commander or manager"}
            ),
        },
    )
    def get(self, request: Request) -> Response:
        actor: User = request.user  # type: ignore[assignment]
        if not selectors.may_list_users(actor):
            raise exceptions.PermissionDenied()
        query = UserListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        users = selectors.users_for_dispatch(
            actor=actor,
            upt_code=query.validated_data.get("upt") or None,
            role=query.validated_data.get("role") or None,
        )
        return Response(UserListItemOutput(users, many=True).data)
