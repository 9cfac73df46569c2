from django.contrib import admin

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["sequence", "occurred_at", "actor_label", "verb", "object_type", "object_id"]
    # No filter on object_type: the admin would list its values with SELECT DISTINCT over the
    # whole log. The audit log page filters by it from the model list instead.
    list_filter = ["verb"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
