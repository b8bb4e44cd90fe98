from django.urls import URLPattern, URLResolver, path

from accounts import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("auth/token/", views.TokenLoginView.as_view(), name="auth-token"),
    path("auth/session/", views.session_login_view, name="auth-session"),
    path("auth/logout/", views.LogoutView.as_view(), name="auth-logout"),
    path("me/", views.MeView.as_view(), name="me"),
    path("users/", views.UserListView.as_view(), name="users"),
]
