from django.contrib import admin
from django.db import models

from agencies import services
from agencies.models import Agency, Contact, LocalAuthority, Region, User
from audit.models import Verb
from audit.services import client_ip, record


class AuditedAdmin(admin.ModelAdmin):
    """Saves made here go on record as the directory's own pages put them: who, when, and the
    names of the fields that changed (never their values, which may be personal data)."""

    # Fields whose changes are recorded in their own terms instead (creation lists every field).
    fields_recorded_elsewhere: tuple[str, ...] = ()
    # A website typed without a scheme is taken as https, as on the directory's own forms.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        recorded = {
            "actor": request.user,
            "target": form.instance,
            "ip_address": client_ip(request),
        }
        if not change:
            record(verb=Verb.CREATED, changed_fields=form.changed_data, **recorded)
            return
        fields = [name for name in form.changed_data if name not in self.fields_recorded_elsewhere]
        if "is_active" in fields:
            fields.remove("is_active")
            verb = Verb.REACTIVATED if form.instance.is_active else Verb.DEACTIVATED
            record(verb=verb, changed_fields=["is_active"], **recorded)
        if fields:
            record(verb=Verb.CHANGED, changed_fields=fields, **recorded)


class RetiredNotDeletedAdmin(AuditedAdmin):
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


# Besides roles (groups), these decide what a person may do, so they are permission changes.
ADMINISTRATION_FLAGS = ("is_staff", "is_superuser")
# A person's deactivation and move to another agency go through the services that keep their
# moment, so nothing given before them (a calendar feed address) outlives them.
MEMBERSHIP_FIELDS = ("is_active", "agency")


@admin.register(User)
class UserAdmin(AuditedAdmin):
    list_display = ["full_name", "email", "agency", "is_active"]
    list_filter = ["is_active", "groups"]
    search_fields = ["full_name", "email"]
    exclude = ["password", "user_permissions"]
    readonly_fields = ["last_login", "date_joined", "agency_since", "deactivated_at"]
    filter_horizontal = ["assigned_local_authorities"]
    fields_recorded_elsewhere = ("groups", *ADMINISTRATION_FLAGS, *MEMBERSHIP_FIELDS)

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        columns = {field.name for field in obj._meta.concrete_fields}
        obj.save(
            update_fields=[
                name
                for name in form.changed_data
                if name in columns and name not in MEMBERSHIP_FIELDS
            ]
        )
        by = {"actor": request.user, "ip_address": client_ip(request)}
        if "agency" in form.changed_data:
            services.move_person(person=obj, agency=form.cleaned_data["agency"], **by)
        if "is_active" in form.changed_data:
            if form.cleaned_data["is_active"]:
                services.reactivate_person(person=obj, **by)
            else:
                services.deactivate_person(person=obj, **by)

    def save_related(self, request, form, formsets, change):
        before = set(form.instance.groups.values_list("name", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(form.instance.groups.values_list("name", flat=True))
        changed = [name for name in ADMINISTRATION_FLAGS if name in form.changed_data]
        detail = {}
        if before != after:
            changed.append("groups")
            detail = {"added": sorted(after - before), "removed": sorted(before - after)}
        if changed:
            record(
                verb=Verb.PERMISSION_CHANGED,
                actor=request.user,
                target=form.instance,
                changed_fields=changed,
                detail=detail,
                ip_address=client_ip(request),
            )
