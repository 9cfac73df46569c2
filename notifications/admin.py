from django.contrib import admin

from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Where administrators see e-mails that failed, and why."""

    list_display = [
        "created_at",
        "recipient",
        "kind",
        "email_status",
        "email_attempts",
        "email_error",
    ]
    list_filter = ["email_status", "kind"]
    search_fields = ["recipient__email"]
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
