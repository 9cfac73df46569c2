from django.urls import path

from agencies import views

app_name = "agencies"

urlpatterns = [
    path("people/invite/", views.invitation_create, name="invitation-create"),
    path("people/<int:pk>/areas/", views.areas_edit, name="areas-edit"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("directory/", views.agency_list, name="agency-list"),
    path("directory/export.csv", views.agency_export, name="agency-export"),
    path("directory/import/", views.directory_import, name="directory-import"),
    path(
        "directory/import/confirm/",
        views.directory_import_confirm,
        name="directory-import-confirm",
    ),
    path(
        "directory/import/<str:what>-template.csv",
        views.import_template,
        name="import-template",
    ),
    path("directory/new/", views.agency_create, name="agency-create"),
    path(
        "directory/agreements-due-for-review/",
        views.agreements_due_for_review,
        name="agreement-review-list",
    ),
    path("directory/<int:pk>/", views.agency_detail, name="agency-detail"),
    path("directory/<int:pk>/edit/", views.agency_edit, name="agency-edit"),
    path("directory/<int:pk>/deactivate/", views.agency_deactivate, name="agency-deactivate"),
    path("directory/<int:pk>/reactivate/", views.agency_reactivate, name="agency-reactivate"),
    path("directory/<int:pk>/contacts/new/", views.contact_create, name="contact-create"),
    path(
        "directory/<int:pk>/contacts/<int:contact_pk>/edit/",
        views.contact_edit,
        name="contact-edit",
    ),
    path(
        "directory/<int:pk>/contacts/<int:contact_pk>/deactivate/",
        views.contact_deactivate,
        name="contact-deactivate",
    ),
    path(
        "directory/<int:pk>/contacts/<int:contact_pk>/reactivate/",
        views.contact_reactivate,
        name="contact-reactivate",
    ),
]
