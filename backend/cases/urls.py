from django.urls import URLPattern, URLResolver, path

from cases import views
from cases.action_views import ACTION_VIEWS

urlpatterns: list[URLPattern | URLResolver] = [
    path("categories/", views.CategoryListView.as_view(), name="category-list"),
    path("cases/", views.CaseListCreateView.as_view(), name="case-list"),
    path("cases/<uuid:case_id>/", views.CaseDetailView.as_view(), name="case-detail"),
    path("cases/<uuid:case_id>/events/", views.CaseEventListView.as_view(), name="case-events"),
    path("cases/<uuid:case_id>/comments/", views.CaseCommentView.as_view(), name="case-comments"),
    path(
        "cases/<uuid:case_id>/attachments/<uuid:attachment_id>/",
        views.AttachmentView.as_view(),
        name="case-attachment",
    ),
    *(
        path(f"cases/<uuid:case_id>/{action.value}/", view.as_view(), name=f"case-{action.value}")
        for action, view in ACTION_VIEWS.items()
    ),
]
