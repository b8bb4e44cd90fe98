"""Reads of cases, always scoped by role (API.md, "Who sees what")."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Q, QuerySet

from accounts.models import Role, User
from cases.models import Case
from core.exceptions import NotFound


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Field workers: cases they reported or are assigned to. Commanders: every case of their UPT.
    Managers and admins: all. Anyone else: none."""
    cases = Case.objects.all()
    if not user.is_authenticated or not user.is_active:
        return cases.none()
    if user.role in (Role.MANAGER, Role.ADMIN):
        return cases
    if user.role == Role.UPT_COMMANDER and user.upt_id is not None:
        return cases.filter(upt_id=user.upt_id)
    if user.role == Role.FIELD_WORKER:
        return cases.filter(Q(reported_by=user) | Q(assignee=user))
    return cases.none()


def can_see_person(user: User, case: Case) -> bool:
    """Person, complainant and photos: the reporter, the assignee, the UPT's commanders, managers.
    Admins are a technical role, not casework: they do not see them."""
    return sees_person(user, upt_id=case.upt_id, reported_by_id=case.reported_by_id, assignee_id=case.assignee_id)


def sees_person(user: User, *, upt_id: int | None, reported_by_id: int, assignee_id: int | None) -> bool:
    """`can_see_person` from a case's scope columns (a row read without building the model)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role == Role.MANAGER:
        return True
    if user.role == Role.UPT_COMMANDER:
        return upt_id is not None and upt_id == user.upt_id
    return user.pk in (reported_by_id, assignee_id)


def can_edit_fields(user: User, case: Case) -> bool:
    """Who may change a case's fields: the reporter, the assignee, the UPT's commanders, managers."""
    return can_see_person(user, case)


def can_see_case(user: User, case: Case) -> bool:
    """The same rule as `cases_visible_to`, for one case already in hand."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role in (Role.MANAGER, Role.ADMIN):
        return True
    if user.role == Role.UPT_COMMANDER:
        return user.upt_id is not None and case.upt_id == user.upt_id
    if user.role == Role.FIELD_WORKER:
        return user.pk in (case.reported_by_id, case.assignee_id)
    return False


def cases_for_display(user: User) -> QuerySet[Case]:
    """`cases_visible_to` with what the case resource shows loaded up front (no query per case)."""
    return (
        cases_visible_to(user)
        .select_related("region", "upt", "reported_by", "assignee")
        .prefetch_related("attachments")
    )


def visible_case_or_404(user: User, case_id: UUID) -> Case:
    """The case if `user` may see it; otherwise 404, never 403, so that existence does not leak."""
    case = cases_for_display(user).filter(pk=case_id).first()
    if case is None:
        raise NotFound()
    return case
