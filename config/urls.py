from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from agencies import views as agencies_views
from home import metrics, views

# The admin signs in through allauth, so its sign-in asks for the second factor too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Partnerhub administration"

handler400 = "home.views.bad_request"
handler403 = "home.views.permission_denied"
handler404 = "home.views.page_not_found"
handler500 = "home.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("outbox/", views.outbox, name="outbox"),
    # Ahead of allauth's own: e-mail addresses are changed by an administrator, never added
    # or confirmed by the person (agencies.adapters).
    path("accounts/email/", agencies_views.email_address, name="account_email"),
    path("accounts/confirm-email/", agencies_views.email_confirmation_closed),
    path("accounts/confirm-email/<str:key>/", agencies_views.email_confirmation_closed),
    path("accounts/", include("allauth.urls")),
    path("", include("agencies.urls")),
    path("", include("sharing.urls")),
    path("", include("meetings.urls")),
    path("", include("reports.urls")),
    path("", include("audit.urls")),
    path("", include("notifications.urls")),
    path(
        "admin/r/<path:content_type_id>/<path:object_id>/",
        admin.site.admin_view(views.view_on_site),
    ),
    path("admin/", admin.site.urls),
]
