from django.urls import URLPattern, URLResolver, path

from geo import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("regions/", views.RegionListView.as_view(), name="regions"),
    path("regions/geojson/", views.regions_geojson_view, name="regions-geojson"),
    path("upts/", views.UptListView.as_view(), name="upts"),
]
