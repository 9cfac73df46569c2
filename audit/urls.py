from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("audit/", views.event_list, name="event-list"),
    path("audit/export.csv", views.event_export, name="event-export"),
    path("audit/verify/", views.chain_verify, name="chain-verify"),
    path("audit/<str:object_type>/<str:object_id>/", views.object_trail, name="object-trail"),
]
