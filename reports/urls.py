from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.report_index, name="index"),
    path("reports/monthly/", views.monthly, name="monthly"),
    path("reports/consent/", views.consent, name="consent"),
    path("reports/partnership/", views.partnership, name="partnership"),
]
