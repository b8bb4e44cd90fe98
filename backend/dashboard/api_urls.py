from django.urls import URLPattern, URLResolver, path

from dashboard import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("map/cases.geojson", api.MapCasesGeoJSON.as_view(), name="map-cases-geojson"),
    path("map/clusters/", api.MapClusters.as_view(), name="map-clusters"),
    path("map/regions/", api.MapRegions.as_view(), name="map-regions"),
    path("map/overdue/", api.MapOverdue.as_view(), name="map-overdue"),
    path("reports/summary/", api.ReportSummary.as_view(), name="reports-summary"),
    path("exports/cases.csv", api.ExportCasesCSV.as_view(), name="export-cases-csv"),
    path("exports/cases.geojson", api.ExportCasesGeoJSON.as_view(), name="export-cases-geojson"),
]
