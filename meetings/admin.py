"""Forum kinds are reference data: administrators add and retire them here."""

from django.contrib import admin

from meetings.models import ForumKind


@admin.register(ForumKind)
class ForumKindAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "default_level", "discusses_cases", "is_active"]
    list_filter = ["is_active", "default_level"]
    search_fields = ["name", "code"]

    def has_delete_permission(self, request, obj=None):
        # Retired (in use off), never deleted: forums keep pointing at their kind.
        return False
