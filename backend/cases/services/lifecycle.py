"""Creating a case and changing its fields."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Role, User
from cases import clocks
from cases.models import OPEN_STATUSES, Case, CaseEvent, EventKind, Status
from cases.references import next_reference
from cases.routing import route
from cases.selectors import can_edit_fields, can_see_case
from cases.services._write import enqueue_case_routed, lock_case, save_user_change
from core.exceptions import Conflict, FieldsInvalid, Forbidden, NotFound
from escalation.policy import Sla
from sync.feed import record_case_change

# Roles that do casework; admins have a technical role and log no cases.
CASEWORK_ROLES = frozenset({Role.FIELD_WORKER, Role.UPT_COMMANDER, Role.MANAGER})
# Changes to these are recorded in the timeline as "changed", never with their values.
PERSONAL_FIELDS = frozenset({"person", "complainant"})


class StaleVersion(Conflict):
    """The client's `If-Match` version is not the current one; `case` is the current state."""

    def __init__(self, case: Case) -> None:
        super().__init__("Kasus telah diubah oleh orang lain; muat ulang versi terbaru.")
        self.case = case


def field_value(case: Case, name: str) -> Any:
    """A writable field's current value, in the shape `validate_case_fields` produces."""
    if name == "category":
        return case.category_id
    if name == "location":
        if case.lat is None or case.lng is None:
            return None
        return {"lat": case.lat, "lng": case.lng, "accuracy_m": case.accuracy_m}
    return getattr(case, name)


def _set_field(case: Case, name: str, value: Any) -> None:
    if name == "category":
        case.category_id = value
    elif name == "location":
        case.lat, case.lng, case.accuracy_m = (
            (value["lat"], value["lng"], value["accuracy_m"]) if value else (None,) * 3
        )
    else:
        setattr(case, name, value)


def existing_for(case_id: UUID, actor: User) -> Case:
    """A create retried with an id already stored: the same reporter gets it back; anyone else a 409."""
    case = Case.objects.select_related("region", "upt", "reported_by", "assignee").get(pk=case_id)
    if case.reported_by_id != actor.pk:
        raise Conflict("Id kasus ini sudah dipakai.")
    return case


def build_case(
    *, actor: User, case_id: UUID, fields: dict[str, Any], client_time: datetime | None, now: datetime
) -> Case:
    """An unsaved case from validated fields: not yet routed, referenced or on the clock."""
    fields = dict(fields)
    observed_at = fields.pop("observed_at", None) or min(client_time or now, now)
    case = Case(
        id=case_id,
        reported_by=actor,
        status=fields.pop("status", Status.NEW),
        resolution_note=fields.pop("resolution_note", ""),
        outcome=fields.pop("outcome", None),
        observed_at=observed_at,
        created_at=now,
        updated_at=now,
        version=1,
        field_versions={},
    )
    for name, value in fields.items():
        _set_field(case, name, value)
    return case


def start_case_clocks(case: Case, *, now: datetime, sla: Sla | None = None) -> None:
    clocks.start_clocks(case, now=now, sla=sla)
    if case.status == Status.RESOLVED:  # "handled on the spot"
        clocks.stop_all_clocks(case)
        case.resolved_at = now


def created_event(case: Case, *, actor: User, now: datetime) -> CaseEvent:
    return CaseEvent(
        case=case,
        kind=EventKind.CREATED,
        actor=actor,
        at=now,
        data={
            "status": case.status,
            "region": case.region_id,
            "upt": case.upt.code if case.upt else None,
            **({"outcome": case.outcome} if case.outcome else {}),
        },
    )


def case_create(
    *, actor: User, case_id: UUID | None, fields: dict[str, Any], client_time: datetime | None = None
) -> tuple[Case, bool]:
    """Store a new case (routed, referenced, clocks started) from validated fields; idempotent by id.

    Returns (case, created). The same id again by the same user returns the stored case unchanged.
    """
    if actor.role not in CASEWORK_ROLES or not actor.is_active:
        raise Forbidden()
    case_id = case_id or uuid.uuid4()
    if Case.objects.filter(pk=case_id).exists():
        return existing_for(case_id, actor), False

    now = timezone.now()
    case = build_case(actor=actor, case_id=case_id, fields=fields, client_time=client_time, now=now)
    case.region, case.upt = route(lat=case.lat, lng=case.lng)
    start_case_clocks(case, now=now)

    with transaction.atomic():
        case.reference = next_reference(now)
        try:
            with transaction.atomic():
                case.save(force_insert=True)
        except IntegrityError:
            # The same id committed by a concurrent request (a retry racing its original).
            if not Case.objects.filter(pk=case_id).exists():
                raise
            return existing_for(case_id, actor), False
        created_event(case, actor=actor, now=now).save(force_insert=True)
        record_case_change(case=case, previous_upt_id=None, previous_assignee_id=None)
        enqueue_case_routed(case)
    return case, True


def case_update(*, actor: User, case: Case, fields: dict[str, Any]) -> Case:
    """Change writable fields (validated, partial). Only fields whose value really changes count;
    nothing changed → nothing written and the version stays."""
    with transaction.atomic():
        case = lock_case(case)
        return _update_locked(actor=actor, case=case, fields=fields)


def case_update_checked(*, actor: User, case: Case, expected_version: int, fields: dict[str, Any]) -> Case:
    """`case_update` if the case is still at `expected_version` (HTTP If-Match), checked under the
    row lock so that two editors of the same version cannot both win; else `StaleVersion`."""
    with transaction.atomic():
        case = lock_case(case)
        _check_may_edit(actor, case)
        if case.version != expected_version:
            raise StaleVersion(case)
        return _update_locked(actor=actor, case=case, fields=fields)


def case_update_offline(
    *, actor: User, case: Case, base_version: int, fields: dict[str, Any]
) -> tuple[Case, list[str], bool]:
    """An edit made offline on `base_version` (sync `case.update`), judged under the row lock.

    Returns (case, conflicts, merged). Fields the server changed after `base_version` are conflicts,
    and nothing is written; otherwise the edit is applied, `merged` when the case had moved on since
    (other fields changed meanwhile). A field never changed since creation last changed at version 1.
    """
    with transaction.atomic():
        case = lock_case(case)
        _check_may_edit(actor, case)
        if base_version > case.version:
            raise FieldsInvalid({"base_version": [f"Lebih baru dari versi di server ({case.version})."]})
        conflicts = sorted(name for name in fields if case.field_versions.get(name, 1) > base_version)
        if conflicts:
            return case, conflicts, False
        merged = base_version < case.version
        return _update_locked(actor=actor, case=case, fields=fields), [], merged


def _check_may_edit(actor: User, case: Case) -> None:
    if not can_see_case(actor, case):
        raise NotFound()
    if not can_edit_fields(actor, case):
        raise Forbidden()


def _update_locked(*, actor: User, case: Case, fields: dict[str, Any]) -> Case:
    _check_may_edit(actor, case)
    changed = {name: value for name, value in fields.items() if field_value(case, name) != value}
    if not changed:
        return case
    resulting_address = changed.get("address", case.address)
    resulting_location = changed.get("location", field_value(case, "location"))
    if resulting_location is None and not resulting_address:
        raise FieldsInvalid({"location": ["Lokasi hanya boleh kosong jika alamat diisi."]})

    now = timezone.now()
    previous_upt_id, previous_assignee_id = case.upt_id, case.assignee_id
    data: dict[str, Any] = {}
    for name, value in changed.items():
        if name in PERSONAL_FIELDS:
            data[name] = {"changed": True}
        else:
            data[name] = {"before": field_value(case, name), "after": value}
        _set_field(case, name, value)
        case.field_versions = {**case.field_versions, name: case.version + 1}

    routed = False
    if "location" in changed:
        region, upt = route(lat=case.lat, lng=case.lng)
        case.region = region
        # Only a case nobody has taken up yet follows its location to another UPT.
        if case.status == Status.NEW and not case.was_referred and upt != case.upt:
            routed = True
            case.upt = upt
            case.routed_notified_at = None
    if ({"severity", "category"} & changed.keys()) and case.status in OPEN_STATUSES:
        clocks.recompute_running_clocks(case)

    save_user_change(
        case=case,
        actor=actor,
        kind=EventKind.UPDATED,
        data={"fields": data},
        now=now,
        previous_upt_id=previous_upt_id,
        previous_assignee_id=previous_assignee_id,
    )
    if routed:
        CaseEvent.objects.create(
            case=case, kind=EventKind.ROUTED, actor=None, at=now, data={"upt": case.upt.code if case.upt else None}
        )
        enqueue_case_routed(case)
    return case
