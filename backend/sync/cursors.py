"""Opaque pull cursors: signed, bound to one user, expiring with the change feed's retention."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing

from core.exceptions import CursorExpired
from sync.feed import Snapshot

# Change rows are kept this long (pruned daily); a cursor older than that could skip what was pruned,
# so it is refused with 410 and the client does a full pull.
CHANGE_RETENTION = timedelta(days=30)
CURSOR_MAX_AGE = CHANGE_RETENTION - timedelta(days=1)
SALT = "jsc.sync.pull-cursor"


@dataclass(frozen=True)
class PullCursor:
    """Where a user's pulls stand.

    `seen`: the snapshot whose changes the client already has (None: it has nothing, a full pull).
    `sweep`: the snapshot that the pages of the current pull are cut at (None: start a new pull).
    `after`: the last case id returned by the previous page of the current pull.
    """

    user_id: int
    seen: Snapshot | None
    sweep: Snapshot | None = None
    after: uuid.UUID | None = None

    def encode(self) -> str:
        payload = {
            "u": self.user_id,
            "seen": self.seen.text() if self.seen else None,
            "sweep": self.sweep.text() if self.sweep else None,
            "after": str(self.after) if self.after else None,
        }
        return signing.TimestampSigner(salt=SALT).sign(json.dumps(payload, separators=(",", ":")))

    @classmethod
    def decode(cls, token: str, *, user_id: int) -> PullCursor:
        try:
            payload = json.loads(signing.TimestampSigner(salt=SALT).unsign(token, max_age=CURSOR_MAX_AGE))
            if payload["u"] != user_id:
                raise ValueError("cursor of another user")
            return cls(
                user_id=user_id,
                seen=Snapshot.parse(payload["seen"]) if payload["seen"] else None,
                sweep=Snapshot.parse(payload["sweep"]) if payload["sweep"] else None,
                after=uuid.UUID(payload["after"]) if payload["after"] else None,
            )
        except (signing.BadSignature, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise CursorExpired() from exc
