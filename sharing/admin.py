"""Administrators keep the reference lists: add entries, rename them, retire them. Nothing here
deletes one, since cases and referrals point at them; and cases and referrals themselves are
changed only through the application's pages and services."""

from django.contrib import admin

from sharing.models import ConcernSource, ReferralKind, VulnerabilityIndicator


class ReferenceDataAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_active", "position"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(VulnerabilityIndicator)
class VulnerabilityIndicatorAdmin(ReferenceDataAdmin):
    list_display = ["code", "name", "category", "applies_to", "is_active"]
    list_filter = ["is_active", "category", "applies_to"]


admin.site.register(ConcernSource, ReferenceDataAdmin)
admin.site.register(ReferralKind, ReferenceDataAdmin)
