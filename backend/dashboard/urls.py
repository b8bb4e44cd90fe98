from django.urls import URLPattern, URLResolver, path

from dashboard import views

app_name = "dashboard"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.map_page, name="map"),
    path("login/", views.DashboardLoginView.as_view(), name="login"),
    path("logout/", views.DashboardLogoutView.as_view(), name="logout"),
    path("cases/<uuid:case_id>/", views.case_page, name="case"),
    path("reports/", views.reports_page, name="reports"),
    path("reports/monthly/", views.monthly_report_page, name="monthly"),
]
