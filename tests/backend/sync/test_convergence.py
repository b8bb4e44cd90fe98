"""Property: devices that lose responses, retry, duplicate and interleave their pushes leave the server
in exactly the state of one model that applies each operation once, in the order the server first
received it; and every replay of an operation returns the answer first recorded.
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from accounts.models import User
from cases.models import Case
from sync.models import CaseChange, SyncOperation
from sync.services import parse_push, sync_push
from tests.backend.sync.conftest import create_op, update_op

EDITABLE = {"summary": ["Lansia di pasar", "Anak jalanan", "Sudah ditangani"], "severity": ["low", "high", "critical"]}
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def canonical(result: dict[str, Any]) -> str:
    return json.dumps(result, sort_keys=True, cls=DjangoJSONEncoder)


@dataclass
class ModelCase:
    """What the server must hold: fields, version, and the version at which each field last changed."""

    owner: str
    fields: dict[str, str]
    version: int = 1
    field_versions: dict[str, int] = field(default_factory=dict)


@dataclass
class Device:
    user: User
    name: str
    outbox: list[dict[str, Any]] = field(default_factory=list)
    known_versions: dict[str, int] = field(default_factory=dict)


class SyncConvergence(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        SyncOperation.objects.all().delete()
        CaseChange.objects.all().delete()
        Case.objects.all().delete()
        ani, budi = User.objects.get(username="ani"), User.objects.get(username="budi")
        self.devices = [Device(ani, "ani-hp-1"), Device(ani, "ani-hp-2"), Device(budi, "budi-hp")]
        self.model: dict[str, ModelCase] = {}
        self.first_results: dict[tuple[str, str], str] = {}  # (username, op_id) -> first answer
        self.random = random.Random(0)

    # --- the model of the server ------------------------------------------------------------------

    def _model_apply(self, user: User, op: dict[str, Any]) -> str:
        case_id = op["case_id"]
        if op["kind"] == "case.create":
            if case_id in self.model:
                return "applied" if self.model[case_id].owner == user.username else "rejected"
            self.model[case_id] = ModelCase(user.username, {k: op["fields"][k] for k in EDITABLE})
            return "applied"
        case = self.model.get(case_id)
        if case is None:
            return "rejected"  # its create has not reached the server yet
        base, fields = op["base_version"], op["fields"]
        if any(case.field_versions.get(name, 1) > base for name in fields):
            return "conflict"
        changed = {name: value for name, value in fields.items() if case.fields[name] != value}
        if changed:
            case.version += 1
            for name, value in changed.items():
                case.fields[name] = value
                case.field_versions[name] = case.version
        return "applied" if base == case.version - (1 if changed else 0) else "merged"

    # --- what devices do --------------------------------------------------------------------------

    @rule(device=st.integers(0, 1), summary=st.sampled_from(EDITABLE["summary"]))
    def field_worker_logs_a_case(self, device: int, summary: str) -> None:
        op = create_op(summary=summary, severity="high")
        self.devices[device].outbox.append(op)
        self.devices[device].known_versions[op["case_id"]] = 1

    @precondition(lambda self: any(d.known_versions for d in self.devices))
    @rule(data=st.data(), name=st.sampled_from(sorted(EDITABLE)))
    def someone_edits_a_case_they_know(self, data: st.DataObject, name: str) -> None:
        device = data.draw(st.sampled_from([d for d in self.devices if d.known_versions]))
        case_id = data.draw(st.sampled_from(sorted(device.known_versions)))
        value = data.draw(st.sampled_from(EDITABLE[name]))
        device.outbox.append(update_op(case_id, device.known_versions[case_id], **{name: value}))

    @rule(device=st.integers(0, 2), lose_response=st.booleans(), duplicate=st.booleans(), take=st.integers(1, 5))
    def device_pushes(self, device: int, lose_response: bool, duplicate: bool, take: int) -> None:
        phone = self.devices[device]
        batch = phone.outbox[:take]
        if not batch:
            return
        if duplicate:
            batch = batch + [self.random.choice(batch)]
        results = sync_push(user=phone.user, request=parse_push({"device_id": phone.name, "operations": batch}))
        for op, result in zip(batch, results, strict=True):
            key = (phone.user.username, op["op_id"])
            if key in self.first_results:
                assert canonical(result) == self.first_results[key], "a replay changed its answer"
            else:
                expected = self._model_apply(phone.user, op)
                assert result["status"] == expected, (op, result)
                self.first_results[key] = canonical(result)
        if lose_response:
            return  # the phone never heard back: it keeps the operations and their op_ids
        for op, result in zip(batch, results, strict=True):
            if op in phone.outbox:
                phone.outbox.remove(op)
            if result["case"]:
                phone.known_versions[op["case_id"]] = result["case"]["version"]

    @rule(device=st.integers(0, 2))
    def device_learns_the_server_versions(self, device: int) -> None:
        phone = self.devices[device]
        for case in Case.objects.filter(pk__in=list(phone.known_versions)):
            phone.known_versions[str(case.pk)] = case.version
        if phone.user.username == "budi":  # the commander sees every case of his UPT
            for case in Case.objects.all():
                phone.known_versions[str(case.pk)] = case.version

    # --- what must always hold --------------------------------------------------------------------

    @invariant()
    def the_server_holds_exactly_the_model(self) -> None:
        stored = {str(c.pk): c for c in Case.objects.all()}
        assert sorted(stored) == sorted(self.model), "a case was lost or duplicated"
        for case_id, expected in self.model.items():
            case = stored[case_id]
            assert {name: getattr(case, name) for name in EDITABLE} == expected.fields
            assert case.version == expected.version


@pytest.mark.django_db
def test_devices_converge_to_the_single_device_model(ani, budi, upt_a):
    run_state_machine_as_test(
        SyncConvergence,
        settings=settings(
            max_examples=15 if IN_CI else 40,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )


@pytest.mark.django_db
def test_the_model_and_the_server_agree_on_a_known_story(ani, budi, upt_a):
    """A fixed story the property explores at random: a lost response, a retry and a conflict."""
    machine = SyncConvergence()
    machine.field_worker_logs_a_case(0, "Lansia di pasar")
    machine.device_pushes(0, lose_response=True, duplicate=True, take=1)
    machine.device_pushes(0, lose_response=False, duplicate=False, take=1)
    machine.device_learns_the_server_versions(2)
    case_id = next(iter(machine.model))
    machine.devices[2].outbox.append(update_op(case_id, 1, severity="critical"))
    machine.devices[0].outbox.append(update_op(case_id, 1, severity="low"))
    machine.device_pushes(2, lose_response=False, duplicate=False, take=1)
    machine.device_pushes(0, lose_response=False, duplicate=False, take=1)
    machine.the_server_holds_exactly_the_model()
    assert Case.objects.get(pk=case_id).severity == "critical"
