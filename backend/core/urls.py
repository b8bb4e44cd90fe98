from django.urls import path
from django.views.generic import RedirectView

from core import views

urlpatterns = [
    path("", RedirectView.as_view(url="/app/", permanent=False)),
    path("healthz", views.healthz, name="healthz"),
]
