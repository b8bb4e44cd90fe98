from typing import Any

from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response


class CursorlessPagination(PageNumberPagination):
    """`{"next", "previous", "results"}` as API.md shows; `page_size` up to 500."""

    page_size_query_param = "page_size"
    max_page_size = 500

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
