"""Keeps the record of which session belongs to whom (see UserSession). Every login path goes through
django.contrib.auth.login (API session login, admin, dashboard), so its signals are the one place that
sees them all; the receivers only call services."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from accounts import services
from accounts.models import User


@receiver(user_logged_in, dispatch_uid="accounts.record_session")
def record_session(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        services.session_record(user=user, session_key=session.session_key)


@receiver(user_logged_out, dispatch_uid="accounts.forget_session")
def forget_session(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        services.session_forget(session_key=session.session_key)
