"""`POST /cases/{id}/<action>/`: one view per workflow action, each answering the updated case."""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import services
from cases.openapi import CASE_ID, errors
from cases.selectors import visible_case_or_404
from cases.serializers import CaseOutput
from cases.validation import ACTION_INPUTS
from cases.views import answer_case, user_of
from cases.workflow import Action
from core.exceptions import FieldsInvalid

SUMMARIES = {
    Action.ACKNOWLEDGE: "Acknowledge (commander of the UPT, manager)",
    Action.DISPATCH: "Dispatch to a field worker of the case's UPT (commander, manager)",
    Action.START: "Start work (the assignee)",
    Action.RESOLVE: "Resolve with a note and an outcome (assignee, commander, manager)",
    Action.CLOSE: "Close (commander, manager)",
    Action.REOPEN: "Reopen a resolved or closed case (commander, manager)",
    Action.REFER: "Refer an open case to another UPT (commander, manager)",
}


class CaseActionView(APIView):
    action: ClassVar[Action]

    def post(self, request: Request, case_id: UUID) -> Response:
        user = user_of(request)
        case = visible_case_or_404(user, case_id)
        if request.data is None:  # a JSON `null` body: neither parameters nor no body (API.md)
            raise FieldsInvalid({"non_field": ["Diharapkan objek JSON."]})
        case = services.case_act(actor=user, case=case, action=self.action, params=request.data)
        return answer_case(request, case, via=f"case_{self.action}")


def action_view(action: Action) -> type[CaseActionView]:
    def post(self: CaseActionView, request: Request, case_id: UUID) -> Response:
        return CaseActionView.post(self, request, case_id)

    documented = extend_schema(
        operation_id=f"cases_{action.value}",
        parameters=[CASE_ID],
        request=ACTION_INPUTS[action],
        responses={200: CaseOutput, **errors(400, 403, 404, 409)},
        summary=SUMMARIES[action],
    )(post)
    return type(f"Case{action.value.capitalize()}View", (CaseActionView,), {"action": action, "post": documented})


ACTION_VIEWS: dict[Action, type[CaseActionView]] = {action: action_view(action) for action in Action}
