from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/read/", views.mark_all_read, name="mark-all-read"),
    path("notifications/settings/", views.preferences, name="preferences"),
    path("notifications/settings/change/", views.change_preference, name="preference-change"),
    path("notifications/<int:pk>/", views.open_notification, name="open"),
]
