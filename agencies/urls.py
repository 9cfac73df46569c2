from django.urls import path

from agencies import views

app_name = "agencies"

urlpatterns = [
    path("people/invite/", views.invitation_create, name="invitation-create"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation-accept"),
]
