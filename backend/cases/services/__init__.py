"""Every write to a case goes through these functions (REST views, sync push and tasks alike)."""

from cases.services.actions import (
    case_acknowledge,
    case_act,
    case_close,
    case_dispatch,
    case_refer,
    case_reopen,
    case_resolve,
    case_start,
)
from cases.services.attachments import attachment_put
from cases.services.bulk import NewCase, cases_create_many
from cases.services.discussion import case_comment
from cases.services.lifecycle import (
    StaleVersion,
    case_create,
    case_update,
    case_update_checked,
    case_update_offline,
)

__all__ = [
    "NewCase",
    "cases_create_many",
    "StaleVersion",
    "attachment_put",
    "case_acknowledge",
    "case_act",
    "case_close",
    "case_comment",
    "case_create",
    "case_dispatch",
    "case_refer",
    "case_reopen",
    "case_resolve",
    "case_start",
    "case_update",
    "case_update_checked",
    "case_update_offline",
]
