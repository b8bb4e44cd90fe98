"""The case state machine: which action, from which status, by whom (API.md's table, in one place)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from accounts.models import Role, User
from cases.models import OPEN_STATUSES, Case, Status
from cases.selectors import can_see_case
from core.exceptions import Forbidden, InvalidTransition, NotFound


class Capacity(StrEnum):
    """In which capacity a user may act on a given case."""

    ASSIGNEE = "assignee"
    COMMANDER = "commander"  # a commander of the case's UPT
    MANAGER = "manager"


class Action(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    DISPATCH = "dispatch"
    START = "start"
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"
    REFER = "refer"


@dataclass(frozen=True)
class Rule:
    from_statuses: frozenset[str]
    who: frozenset[Capacity]


_ALL = frozenset(Status.values)
_OPEN = frozenset(OPEN_STATUSES)
_CMD_MGR = frozenset({Capacity.COMMANDER, Capacity.MANAGER})

RULES: dict[Action, Rule] = {
    Action.ACKNOWLEDGE: Rule(frozenset({Status.NEW}), _CMD_MGR),
    Action.DISPATCH: Rule(_OPEN, _CMD_MGR),
    Action.START: Rule(frozenset({Status.DISPATCHED}), frozenset({Capacity.ASSIGNEE})),
    Action.RESOLVE: Rule(_OPEN, frozenset({Capacity.ASSIGNEE, Capacity.COMMANDER, Capacity.MANAGER})),
    Action.CLOSE: Rule(_ALL - {Status.CLOSED}, _CMD_MGR),
    Action.REOPEN: Rule(frozenset({Status.RESOLVED, Status.CLOSED}), _CMD_MGR),
    Action.REFER: Rule(_OPEN, _CMD_MGR),
}


def capacities(user: User, case: Case) -> frozenset[Capacity]:
    held: set[Capacity] = set()
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.role == Role.MANAGER:
        held.add(Capacity.MANAGER)
    if user.role == Role.UPT_COMMANDER and case.upt_id is not None and case.upt_id == user.upt_id:
        held.add(Capacity.COMMANDER)
    if case.assignee_id is not None and case.assignee_id == user.pk:
        held.add(Capacity.ASSIGNEE)
    return frozenset(held)


def may(user: User, action: Action, case: Case) -> bool:
    """Whether `user` may do `action` on `case` right now (role and status)."""
    rule = RULES[action]
    return bool(capacities(user, case) & rule.who) and case.status in rule.from_statuses


def check_action(user: User, action: Action, case: Case) -> None:
    """Scope first (404, existence does not leak), then permission (403), then state (409)."""
    if not can_see_case(user, case):
        raise NotFound()
    rule = RULES[action]
    if not capacities(user, case) & rule.who:
        raise Forbidden()
    if case.status not in rule.from_statuses:
        raise InvalidTransition()


def reopen_target(case: Case) -> Status:
    return Status.IN_PROGRESS if case.assignee_id is not None else Status.ACKNOWLEDGED
