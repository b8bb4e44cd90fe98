"""Reads of accounts."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Role, User


def users_for_dispatch(*, actor: User, upt_code: str | None, role: str | None) -> QuerySet[User]:
    """Active users a commander or manager may pick (the dispatch dropdown).

    Commanders see their own UPT only: without `upt_code` it defaults to theirs, and another UPT's code
    gives an empty list (a filter that matches nothing, like any other). Managers see any UPT, or all
    users when no code is given. Everyone else sees nobody (the view answers 403 first)."""
    users = User.objects.filter(is_active=True).select_related("upt").order_by("username")
    if actor.role == Role.UPT_COMMANDER and actor.upt_id is not None:
        users = users.filter(upt_id=actor.upt_id)
    elif actor.role != Role.MANAGER:
        return users.none()
    if upt_code:
        users = users.filter(upt__code=upt_code)
    if role:
        users = users.filter(role=role)
    return users


def may_list_users(user: User) -> bool:
    return user.is_active and user.role in (Role.UPT_COMMANDER, Role.MANAGER)
