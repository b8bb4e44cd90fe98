"""Nightly housekeeping: expired tokens and change-feed rows past the cursor retention go."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

import time_machine
from django.utils import timezone

from accounts.models import AuthToken
from cases.models import Case
from core.tasks import housekeeping
from sync.cursors import CHANGE_RETENTION
from sync.models import CaseChange
from tests.factories import CaseFactory


def test_housekeeping_removes_expired_tokens_and_old_change_rows(ani, upt_a):
    with time_machine.travel(timezone.now() - CHANGE_RETENTION - timedelta(days=2)):
        CaseChange.objects.create(case_id=cast(Case, CaseFactory(reported_by=ani)).pk, reported_by_id=ani.pk)
        AuthToken.issue(user=ani)
    recent = CaseChange.objects.create(case_id=cast(Case, CaseFactory(reported_by=ani)).pk, reported_by_id=ani.pk)
    AuthToken.issue(user=ani)

    housekeeping()

    assert list(CaseChange.objects.values_list("pk", flat=True)) == [recent.pk]
    assert AuthToken.objects.count() == 1
