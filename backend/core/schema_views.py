"""The OpenAPI schema and its docs page, answering errors (a POST, an unknown format) in the JSON
envelope like every other URL under /api/: drf-spectacular's views render them as YAML or HTML."""

from __future__ import annotations

from typing import Any

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response


class _ErrorsAsJson:
    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(response, Response) and response.status_code >= 400:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = "application/json"
        return super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]


class ApiSchemaView(_ErrorsAsJson, SpectacularAPIView):
    pass


class ApiDocsView(_ErrorsAsJson, SpectacularSwaggerView):
    pass
