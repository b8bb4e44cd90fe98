"""`POST /cases/{id}/<action>/`: one view per workflow action, each answering the updated case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar
from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from cases import services
from cases.models import Case
from cases.openapi import CASE_ID, errors
from cases.serializers import CaseOutput, DispatchInput, EmptyInput, NoteInput, ReferInput, ResolveInput
from cases.views import answer_case, get_visible_case, user_of
from cases.workflow import Action, check_action
from core.serializers import StrictInputSerializer

Perform = Callable[[User, Case, dict[str, Any]], Case]


class CaseActionView(APIView):
    """Scope (404), permission (403) and state (409) are checked before the body (400), so that a
    caller learns first whether the action is theirs to do at all."""

    action: ClassVar[Action]
    body: ClassVar[type[StrictInputSerializer]]
    perform: ClassVar[Perform]

    def post(self, request: Request, case_id: UUID) -> Response:
        user = user_of(request)
        case = get_visible_case(user, case_id)
        check_action(user, self.action, case)
        body = self.body(data=request.data if request.data is not None else {})
        body.is_valid(raise_exception=True)
        case = type(self).perform(user, case, dict(body.validated_data))
        return answer_case(request, case, via=f"case_{self.action}")


def action_view(action: Action, body: type[StrictInputSerializer], perform: Perform, summary: str) -> type[APIView]:
    def post(self: CaseActionView, request: Request, case_id: UUID) -> Response:
        return CaseActionView.post(self, request, case_id)

    documented = extend_schema(
        operation_id=f"cases_{action.value}",
        parameters=[CASE_ID],
        request=body,
        responses={200: CaseOutput, **errors(400, 403, 404, 409)},
        summary=summary,
    )(post)
    return type(
        f"Case{action.value.capitalize()}View",
        (CaseActionView,),
        {"action": action, "body": body, "perform": staticmethod(perform), "post": documented},
    )


ACTION_VIEWS: dict[Action, type[APIView]] = {
    Action.ACKNOWLEDGE: action_view(
        Action.ACKNOWLEDGE,
        EmptyInput,
        lambda user, case, body: services.case_acknowledge(actor=user, case=case),
        "Acknowledge (commander of the UPT, manager)",
    ),
    Action.DISPATCH: action_view(
        Action.DISPATCH,
        DispatchInput,
        lambda user, case, body: services.case_dispatch(actor=user, case=case, assignee_username=body["assignee"]),
        "Dispatch to a field worker of the case's UPT",
    ),
    Action.START: action_view(
        Action.START,
        EmptyInput,
        lambda user, case, body: services.case_start(actor=user, case=case),
        "Start work (the assignee)",
    ),
    Action.RESOLVE: action_view(
        Action.RESOLVE,
        ResolveInput,
        lambda user, case, body: services.case_resolve(
            actor=user, case=case, note=body["note"], outcome=body["outcome"]
        ),
        "Resolve with a note and an outcome",
    ),
    Action.CLOSE: action_view(
        Action.CLOSE,
        NoteInput,
        lambda user, case, body: services.case_close(actor=user, case=case, note=body["note"]),
        "Close",
    ),
    Action.REOPEN: action_view(
        Action.REOPEN,
        NoteInput,
        lambda user, case, body: services.case_reopen(actor=user, case=case, note=body["note"]),
        "Reopen a resolved or closed case",
    ),
    Action.REFER: action_view(
        Action.REFER,
        ReferInput,
        lambda user, case, body: services.case_refer(actor=user, case=case, upt_code=body["upt"], note=body["note"]),
        "Refer to another UPT",
    ),
}
