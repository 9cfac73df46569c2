from allauth.account.models import EmailAddress
from django import forms
from django.contrib import admin
from django.db import models

from agencies import permissions, selectors, services
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


# Roles (groups) and administration-site access decide what a person may do: they change only
# through services.change_roles, which records a permission change and refuses one's own
# account. Superuser is never given here: that is createsuperuser's job, at the server.
ROLE_FIELDS = ("groups", "is_staff")
# A person's deactivation and move to another agency go through the services that keep their
# moment, so nothing given before them (a calendar feed address) outlives them.
MEMBERSHIP_FIELDS = ("is_active", "agency")


# allauth's own list of addresses would let an administrator give anyone a sign-in address
# off the record and past the checks below; a person's address is kept on their account.
if admin.site.is_registered(EmailAddress):
    admin.site.unregister(EmailAddress)


class PersonForm(forms.ModelForm):
    def clean_email(self):
        email = services.normalise_email(self.cleaned_data["email"])
        person = self.instance if self.instance.pk else None
        if selectors.email_address_taken(email, by_other_than=person):
            raise forms.ValidationError("Someone else already signs in with this e-mail address")
        return email


@admin.register(User)
class UserAdmin(AuditedAdmin):
    form = PersonForm
    list_display = ["full_name", "email", "agency", "is_active"]
    list_filter = ["is_active", "groups"]
    search_fields = ["full_name", "email"]
    exclude = ["password", "user_permissions"]
    readonly_fields = [
        "is_superuser",
        "last_login",
        "date_joined",
        "agency_since",
        "deactivated_at",
    ]
    filter_horizontal = ["assigned_local_authorities"]
    fields_recorded_elsewhere = ("email", *ROLE_FIELDS, *MEMBERSHIP_FIELDS)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not permissions.can_change_roles_of(request.user, obj):
            fields += ROLE_FIELDS
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and not permissions.can_change_account(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            # Saved without site access at first, so change_roles gives it as a permission change.
            obj.is_staff = False
            super().save_model(request, obj, form, change)
            return
        columns = {field.name for field in obj._meta.concrete_fields}
        obj.save(
            update_fields=[
                name
                for name in form.changed_data
                if name in columns and name not in ("email", *ROLE_FIELDS, *MEMBERSHIP_FIELDS)
            ]
        )
        by = {"actor": request.user, "ip_address": client_ip(request)}
        if "email" in form.changed_data:
            services.change_email(person=obj, email=form.cleaned_data["email"], **by)
        if "agency" in form.changed_data:
            services.move_person(person=obj, agency=form.cleaned_data["agency"], **by)
        if "is_active" in form.changed_data:
            if form.cleaned_data["is_active"]:
                services.reactivate_person(person=obj, **by)
            else:
                services.deactivate_person(person=obj, **by)

    def save_related(self, request, form, formsets, change):
        # Taken out of what the form saves itself, so the roles change only through the service.
        roles = form.cleaned_data.pop("groups", None)
        super().save_related(request, form, formsets, change)
        is_staff = form.cleaned_data.get("is_staff")
        if roles is not None or is_staff is not None:
            services.change_roles(
                person=form.instance,
                actor=request.user,
                roles=roles,
                is_staff=is_staff,
                ip_address=client_ip(request),
            )
