"""Comments on a case's timeline."""

from __future__ import annotations

from uuid import UUID

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.models import Case, Comment, EventKind
from cases.selectors import can_edit_fields, can_see_case
from cases.services._write import lock_case, save_user_change
from core.exceptions import Conflict, FieldsInvalid, Forbidden, NotFound

MAX_COMMENT_LENGTH = 5000


def case_comment(*, actor: User, case: Case, comment_id: UUID, text: str) -> tuple[Comment, bool]:
    """Add a comment; idempotent by id (the same id by the same author on the same case returns it)."""
    with transaction.atomic():
        case = lock_case(case)
        if not can_see_case(actor, case):
            raise NotFound()
        if not can_edit_fields(actor, case):
            raise Forbidden()
        existing = Comment.objects.filter(pk=comment_id).first()
        if existing is not None:
            if existing.case_id != case.pk or existing.author_id != actor.pk:
                raise Conflict("Id komentar ini sudah dipakai.")
            return existing, False
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_COMMENT_LENGTH:
            raise FieldsInvalid({"text": ["Komentar wajib diisi, paling banyak 5000 karakter."]})
        now = timezone.now()
        comment = Comment.objects.create(id=comment_id, case=case, author=actor, text=text, created_at=now)
        save_user_change(
            case=case,
            actor=actor,
            kind=EventKind.COMMENTED,
            data={"comment_id": str(comment.id), "text": text},
            now=now,
            previous_upt_id=case.upt_id,
            previous_assignee_id=case.assignee_id,
        )
    return comment, True
