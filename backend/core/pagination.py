from typing import Any

from django.core.paginator import Paginator
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from core.exceptions import FieldsInvalid

MAX_PAGE_SIZE = 500


def _positive_int(raw: str, *, maximum: int | None = None) -> int | None:
    if not raw.isdigit() or len(raw) > 9:  # isdigit refuses "-1", "1.5" and " 1"; 9 digits cannot overflow
        return None
    value = int(raw)
    if value < 1 or (maximum is not None and value > maximum):
        return None
    return value


class CursorlessPagination(PageNumberPagination):
    """`{"next", "previous", "results"}` as API.md shows; `page_size` 1..500.

    A `page` or `page_size` that is not a number in range (empty included) is the client's mistake (400,
    named in `error.fields`); a page past the last one does not exist (404)."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request: Request) -> int | None:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = _positive_int(raw, maximum=self.max_page_size)
        if size is None:
            raise FieldsInvalid({self.page_size_query_param: [f"Diharapkan bilangan bulat 1..{self.max_page_size}."]})
        return size

    def get_page_number(self, request: Request, paginator: Paginator) -> Any:
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        if raw in self.last_page_strings:
            return raw
        if _positive_int(raw) is None:
            raise FieldsInvalid({self.page_query_param: ["Diharapkan bilangan bulat mulai 1, atau 'last'."]})
        return raw

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
                parameter["description"] = "Page number from 1 (or `last`); past the last page: 404."
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
                parameter["description"] = f"Results per page, 1..{self.max_page_size} (default {self.page_size})."
        return parameters
