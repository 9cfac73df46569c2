from django.contrib import admin

from agencies.models import Agency, Contact, LocalAuthority, Region, User
from audit.models import Verb
from audit.services import client_ip, record


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

    def save_related(self, request, form, formsets, change):
        before = set(form.instance.groups.values_list("name", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(form.instance.groups.values_list("name", flat=True))
        if before != after:
            # A change of roles is a change of who may see case information: always on record.
            record(
                verb=Verb.PERMISSION_CHANGED,
                actor=request.user,
                target=form.instance,
                changed_fields=["groups"],
                detail={"added": sorted(after - before), "removed": sorted(before - after)},
                ip_address=client_ip(request),
            )
