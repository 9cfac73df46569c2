from django.contrib import admin

from agencies.models import Agency, Contact, LocalAuthority, Region, User


class RetiredNotDeletedAdmin(admin.ModelAdmin):
    """Directory and reference data are taken out of use (active off), never deleted: cases,
    referrals and the audit log keep pointing at them."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Agency)
class AgencyAdmin(RetiredNotDeletedAdmin):
    list_display = ["name", "kind", "sector", "is_active"]
    list_filter = ["kind", "sector", "is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["local_authorities", "regions"]


@admin.register(Contact)
class ContactAdmin(RetiredNotDeletedAdmin):
    list_display = ["full_name", "agency", "job_title", "is_single_point_of_contact", "is_active"]
    list_filter = ["is_active", "is_single_point_of_contact"]
    search_fields = ["full_name", "email", "agency__name"]
    list_select_related = ["agency"]
    autocomplete_fields = ["agency", "user"]


@admin.register(Region)
class RegionAdmin(RetiredNotDeletedAdmin):
    list_display = ["name", "code", "is_active"]


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(RetiredNotDeletedAdmin):
    list_display = ["name", "code", "region", "is_active"]
    list_filter = ["region", "is_active"]
    search_fields = ["name", "code"]
    list_select_related = ["region"]


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["full_name", "email", "agency", "is_active"]
    list_filter = ["is_active", "groups"]
    search_fields = ["full_name", "email"]
    exclude = ["password", "user_permissions"]
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = ["assigned_local_authorities"]
