from django.urls import URLPattern, URLResolver, path

from notifications import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("notifications/", views.NotificationListView.as_view(), name="notification-list"),
    path("notifications/<uuid:notification_id>/read/", views.NotificationReadView.as_view(), name="notification-read"),
    path("push/subscriptions/", views.PushSubscriptionView.as_view(), name="push-subscription"),
    path("push/vapid-public-key/", views.VapidPublicKeyView.as_view(), name="push-vapid-public-key"),
    path("config/", views.ClientConfigView.as_view(), name="client-config"),
]
