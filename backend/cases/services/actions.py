"""The workflow actions (API.md's table; the rules themselves live in `cases.workflow`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from cases import clocks
from cases.models import Case, CaseEvent, EventKind, Status
from cases.services._write import enqueue_case_assigned, enqueue_case_routed, lock_case, save_user_change
from cases.validation import validate_action_params
from cases.workflow import Action, check_action, reopen_target
from core.exceptions import FieldsInvalid
from geo.models import Upt


def _act(
    *, actor: User, case: Case, action: Action, kind: EventKind, apply: Any, data: dict[str, Any] | None = None
) -> tuple[Case, CaseEvent]:
    """Lock, check (scope → permission → state, on the current row), apply, and record."""
    case = lock_case(case)
    check_action(actor, action, case)
    now = timezone.now()
    previous_upt_id, previous_assignee_id = case.upt_id, case.assignee_id
    from_status = case.status
    extra = apply(case, now) or {}
    event = save_user_change(
        case=case,
        actor=actor,
        kind=kind,
        data={"from": from_status, "to": case.status, **(data or {}), **extra},
        now=now,
        previous_upt_id=previous_upt_id,
        previous_assignee_id=previous_assignee_id,
    )
    return case, event


def case_acknowledge(*, actor: User, case: Case) -> Case:
    def apply(case: Case, now: Any) -> None:
        case.status = Status.ACKNOWLEDGED
        case.acknowledged_at = case.acknowledged_at or now
        clocks.stop_ack_clock(case)

    with transaction.atomic():
        case, _ = _act(actor=actor, case=case, action=Action.ACKNOWLEDGE, kind=EventKind.ACKNOWLEDGED, apply=apply)
    return case


def case_dispatch(*, actor: User, case: Case, assignee_username: str) -> Case:
    """Assign (or reassign) the case to an active field worker of the case's UPT."""

    def apply(case: Case, now: Any) -> dict[str, Any]:
        assignee = User.objects.filter(
            username=assignee_username, role=Role.FIELD_WORKER, is_active=True, upt__isnull=False
        ).first()
        if assignee is None or case.upt_id is None or assignee.upt_id != case.upt_id:
            raise FieldsInvalid({"assignee": ["Harus petugas lapangan aktif dari UPT kasus ini."]})
        previous = case.assignee.username if case.assignee else None
        case.assignee = assignee
        case.status = Status.DISPATCHED
        case.dispatched_at = case.dispatched_at or now
        clocks.stop_ack_clock(case)
        return {"assignee": {"before": previous, "after": assignee.username}}

    with transaction.atomic():
        case, event = _act(actor=actor, case=case, action=Action.DISPATCH, kind=EventKind.DISPATCHED, apply=apply)
        enqueue_case_assigned(case, event)
    return case


def case_start(*, actor: User, case: Case) -> Case:
    def apply(case: Case, now: Any) -> None:
        case.status = Status.IN_PROGRESS

    with transaction.atomic():
        case, _ = _act(actor=actor, case=case, action=Action.START, kind=EventKind.STARTED, apply=apply)
    return case


def case_resolve(*, actor: User, case: Case, note: str, outcome: str) -> Case:
    def apply(case: Case, now: Any) -> None:
        case.status = Status.RESOLVED
        case.resolution_note = note
        case.outcome = outcome
        case.resolved_at = now
        clocks.stop_all_clocks(case)

    with transaction.atomic():
        case, _ = _act(
            actor=actor,
            case=case,
            action=Action.RESOLVE,
            kind=EventKind.RESOLVED,
            apply=apply,
            data={"note": note, "outcome": outcome},
        )
    return case


def case_close(*, actor: User, case: Case, note: str) -> Case:
    def apply(case: Case, now: Any) -> None:
        case.status = Status.CLOSED
        case.closed_at = now
        clocks.stop_all_clocks(case)

    with transaction.atomic():
        case, _ = _act(
            actor=actor, case=case, action=Action.CLOSE, kind=EventKind.CLOSED, apply=apply, data={"note": note}
        )
    return case


def case_reopen(*, actor: User, case: Case, note: str) -> Case:
    """Back to work: in progress with its assignee, else acknowledged; the resolve clock starts again."""

    def apply(case: Case, now: Any) -> None:
        case.status = reopen_target(case)
        case.resolved_at = None
        case.closed_at = None
        clocks.restart_resolve_clock(case, now=now)

    with transaction.atomic():
        case, _ = _act(
            actor=actor, case=case, action=Action.REOPEN, kind=EventKind.REOPENED, apply=apply, data={"note": note}
        )
    return case


def case_refer(*, actor: User, case: Case, upt_code: str, note: str) -> Case:
    """Hand the case to another UPT: it starts again there as new, unassigned, with fresh clocks."""

    def apply(case: Case, now: Any) -> dict[str, Any]:
        target = Upt.objects.filter(code=upt_code, is_active=True).first()
        if target is None:
            raise FieldsInvalid({"upt": ["UPT tidak dikenal."]})
        if target.pk == case.upt_id:
            raise FieldsInvalid({"upt": ["Kasus sudah berada di UPT ini."]})
        previous = case.upt.code if case.upt else None
        case.upt = target
        case.assignee = None
        case.status = Status.NEW
        case.was_referred = True
        case.acknowledged_at = None
        case.dispatched_at = None
        case.routed_notified_at = None
        clocks.start_clocks(case, now=now)
        return {"upt": {"before": previous, "after": target.code}}

    with transaction.atomic():
        case, _ = _act(
            actor=actor, case=case, action=Action.REFER, kind=EventKind.REFERRED, apply=apply, data={"note": note}
        )
        enqueue_case_routed(case)
    return case


def case_act(*, actor: User, case: Case, action: str, params: Mapping[str, Any] | None) -> Case:
    """Any workflow action by name with its raw parameters: the sync push's `case.action` and the REST
    action endpoints. Scope (404), permission (403) and state (409) are checked before the parameters
    (400), so a caller learns first whether the action is theirs to do at all; each action re-checks
    on the locked row."""
    try:
        chosen = Action(action)
    except ValueError:
        raise FieldsInvalid({"action": ["Tindakan tidak dikenal."]}) from None
    check_action(actor, chosen, case)
    body = validate_action_params(chosen, params)
    if chosen == Action.ACKNOWLEDGE:
        return case_acknowledge(actor=actor, case=case)
    if chosen == Action.DISPATCH:
        return case_dispatch(actor=actor, case=case, assignee_username=body["assignee"])
    if chosen == Action.START:
        return case_start(actor=actor, case=case)
    if chosen == Action.RESOLVE:
        return case_resolve(actor=actor, case=case, note=body["note"], outcome=body["outcome"])
    if chosen == Action.CLOSE:
        return case_close(actor=actor, case=case, note=body["note"])
    if chosen == Action.REOPEN:
        return case_reopen(actor=actor, case=case, note=body["note"])
    return case_refer(actor=actor, case=case, upt_code=body["upt"], note=body["note"])
