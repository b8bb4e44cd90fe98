from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

# Admin modules are imported explicitly, not autodiscovered: autodiscovery would import
# leaflet.admin, which needs GeoDjango and GDAL (not installed; see DESIGN.md).
import accounts.admin  # noqa: F401
import cases.admin  # noqa: F401
import escalation.admin  # noqa: F401
import geo.admin  # noqa: F401
import notifications.admin  # noqa: F401
from core.schema_views import ApiDocsView, ApiSchemaView

api_v1: list[URLPattern | URLResolver] = [
    path("", include("accounts.urls")),
    path("", include("geo.urls")),
    path("", include("cases.urls")),
    path("", include("sync.urls")),
    path("", include("notifications.urls")),
    path("", include("dashboard.api_urls")),
    path("schema/", ApiSchemaView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(url_name="schema"), name="docs"),
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("admin/", admin.site.urls),
    path("dashboard/", include("dashboard.urls")),
    path("", include("core.urls")),
]

handler400 = "core.errors.handler400"
handler403 = "core.errors.handler403"
handler404 = "core.errors.handler404"
handler500 = "core.errors.handler500"
