"""Writes of accounts: users, login tokens, sessions. Views, commands and the admin all call these."""

from __future__ import annotations

import logging
import secrets
import string
from collections.abc import Iterable
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from accounts.models import ROLES_WITH_UPT, AuthToken, Role, User, UserSession
from geo.importing import CsvRow, ImportRefused, Progress, no_progress
from geo.models import Upt

logger = logging.getLogger(__name__)

PASSWORD_ALPHABET = string.ascii_letters + string.digits
USER_CSV_FIELDS = ("role", "full_name", "email", "phone")


# --- tokens and sessions ------------------------------------------------------------------------------


def token_issue(*, user: User, user_agent: str = "") -> tuple[AuthToken, str]:
    """A new token for one login (one device); other tokens of the user stay valid.
    Returns the row and the raw token, which is shown once and never stored."""
    token, raw = AuthToken.issue(user=user, user_agent=user_agent)
    User.objects.filter(pk=user.pk).update(last_login=token.created_at)
    return token, raw


def token_revoke(*, token: AuthToken) -> None:
    AuthToken.objects.filter(pk=token.pk).delete()


def tokens_purge_expired() -> int:
    """Delete expired tokens (they are refused anyway); for a periodic clean-up."""
    deleted, _ = AuthToken.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


def session_record(*, user: User, session_key: str) -> None:
    """Remember which session belongs to whom, at login, so deactivation can end it. Records of the
    user's sessions that expired meanwhile are dropped here (database sessions), so they never pile up."""
    UserSession.objects.update_or_create(session_key=session_key, defaults={"user": user})
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        from django.contrib.sessions.models import Session

        live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
        UserSession.objects.filter(user=user).exclude(session_key__in=live).delete()


def session_forget(*, session_key: str) -> None:
    UserSession.objects.filter(session_key=session_key).delete()


def user_sessions_end(*, user: User) -> int:
    """Delete every recorded session of the user from the session store, whatever its engine."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(user=user, session_key__in=keys).delete()
    return len(keys)


def user_tokens_revoke(*, user: User) -> int:
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted


# --- users ----------------------------------------------------------------------------------------------


def user_deactivate(*, actor: User | None, user: User) -> None:
    """Deactivate the user and end every token and session of theirs at once.

    A session this missed (its key rotated after login) cannot authenticate either: Django's
    ModelBackend refuses inactive users, and the token check does too."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
        tokens = user_tokens_revoke(user=user)
    sessions = user_sessions_end(user=user)
    logger.info(
        "user %s deactivated by %s: %d token(s), %d session(s) revoked",
        user.pk,
        actor.pk if actor else "system",
        tokens,
        sessions,
    )


def generate_password(length: int = 16) -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))


def user_validate(
    *,
    username: str,
    role: str,
    upt: Upt | None,
    full_name: str = "",
    email: str = "",
    phone: str = "",
) -> dict[str, list[str]]:
    """Every problem with a user to be created, by field (empty when fine). Does not write."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    try:
        UnicodeUsernameValidator()(username)
        if not username or len(username) > 150:
            raise ValidationError("length")
    except ValidationError:
        add("username", "must be 1..150 letters, digits or @ . + - _")
    else:
        if User.objects.filter(username__iexact=username).exists():
            add("username", f"{username!r} already exists")
    if role not in Role.values:
        add("role", f"unknown role {role!r} (one of {', '.join(Role.values)})")
    elif role in ROLES_WITH_UPT and upt is None:
        add("upt", f"a {role} must belong to a UPT")
    elif role not in ROLES_WITH_UPT and upt is not None:
        add("upt", f"a {role} belongs to no UPT")
    if upt is not None and not upt.is_active:
        add("upt", f"UPT {upt.code} is inactive")
    if len(full_name) > 150:
        add("full_name", "at most 150 characters")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            add("email", f"{email!r} is not an email address")
    if phone and (len(phone) > 30 or not all(ch.isdigit() or ch in "+-() " for ch in phone)):
        add("phone", f"{phone!r} is not a phone number")
    return errors


def user_create(
    *,
    username: str,
    role: str,
    upt: Upt | None = None,
    full_name: str = "",
    password: str | None = None,
    email: str = "",
    phone: str = "",
) -> User:
    """Create a user. `password=None` leaves it unusable (set later through a reset link or the admin).
    Admins are also Django staff and superusers (they run the admin site); nobody else is.
    Raises ValidationError (by field) and writes nothing when anything is wrong."""
    errors = user_validate(username=username, role=role, upt=upt, full_name=full_name, email=email, phone=phone)
    user = User(
        username=username,
        role=role,
        upt=upt,
        full_name=full_name,
        email=email,
        phone=phone,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    if password is not None and not errors:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    return user


def users_import(*, rows: Iterable[CsvRow], progress: Progress = no_progress) -> list[tuple[User, str]]:
    """Create users from CSV rows (username, full_name, role, upt_code[, email][, phone]), all or none.

    Passwords never travel in the file: each user gets a random one, returned once beside the user for
    the operator to hand over (they should change it after the first login). Raises ImportRefused
    listing every bad row; writes nothing then."""
    rows = list(rows)
    upts = {upt.code: upt for upt in Upt.objects.all()}
    errors: list[str] = []
    seen: dict[str, int] = {}
    valid: list[dict[str, Any]] = []
    for line, values in progress(rows):
        username, upt_code = values.get("username", ""), values.get("upt_code", "")
        upt = upts.get(upt_code) if upt_code else None
        row_errors = user_validate(
            username=username,
            role=values.get("role", ""),
            upt=upt,
            full_name=values.get("full_name", ""),
            email=values.get("email", ""),
            phone=values.get("phone", ""),
        )
        if upt_code and upt is None:
            row_errors["upt"] = [f"unknown UPT {upt_code!r}"]
        if not values.get("full_name"):
            row_errors.setdefault("full_name", []).append("is required")
        if username.casefold() in seen:
            row_errors.setdefault("username", []).append(f"already on line {seen[username.casefold()]}")
        seen.setdefault(username.casefold(), line)
        for name, messages in row_errors.items():
            errors.extend(f"line {line}: {name}: {message}" for message in messages)
        if not row_errors:
            valid.append({"username": username, "upt": upt, **{k: values.get(k, "") for k in USER_CSV_FIELDS}})
    if errors:
        raise ImportRefused(errors)
    if not valid:
        raise ImportRefused(["the file has no rows"])
    created: list[tuple[User, str]] = []
    with transaction.atomic():
        for item in valid:
            password = generate_password()
            user = user_create(
                username=item["username"],
                role=item["role"],
                upt=item["upt"],
                full_name=item["full_name"],
                email=item["email"],
                phone=item["phone"],
                password=password,
            )
            created.append((user, password))
    return created
