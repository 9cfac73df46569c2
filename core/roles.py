"""The roles people hold, as Django groups, and the model permissions each carries.

Groups are created by a migration; their permissions are re-synced after every migrate so a
permission added by a later app migration reaches the roles without a hand step.
"""

from django.db.models import TextChoices


class Role(TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    PARTNERSHIP_MANAGER = "partnership manager", "Partnership manager"
    SAFEGUARDING_OFFICER = "safeguarding officer", "Safeguarding officer"
    SAFEGUARDING_MANAGER = "safeguarding manager", "Safeguarding manager"
    AUTHORITY = "authority", "Authority"
    COMPLIANCE_REVIEWER = "compliance reviewer", "Compliance reviewer"
    PARTNER = "partner", "Partner agency user"


# app_label.codename. A name no installed model declares stops migrate (a typo would otherwise
# leave a role silently without a right); one whose model is not migrated yet waits for it.
ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.ADMINISTRATOR: {
        "agencies.add_user",
        "agencies.change_user",
        "agencies.view_user",
        "agencies.invite_user",
        "agencies.add_agency",
        "agencies.change_agency",
        "agencies.view_agency",
        "agencies.add_contact",
        "agencies.change_contact",
        "agencies.view_contact",
        "agencies.import_directory",
        "agencies.change_localauthority",
        "agencies.add_localauthority",
        "agencies.view_localauthority",
        "agencies.change_region",
        "agencies.view_region",
        "sharing.add_vulnerabilityindicator",
        "sharing.change_vulnerabilityindicator",
        "sharing.view_vulnerabilityindicator",
        "sharing.add_concernsource",
        "sharing.change_concernsource",
        "sharing.view_concernsource",
        "sharing.add_referralkind",
        "sharing.change_referralkind",
        "sharing.view_referralkind",
        "audit.view_auditevent",
        # Notification e-mails that failed, and why, in the administration site.
        "notifications.view_notification",
        "meetings.add_forum",
        "meetings.change_forum",
        "meetings.view_forum",
        "meetings.write_schedule_rule",
        "meetings.add_meeting",
        "meetings.change_meeting",
        "meetings.view_meeting",
        "meetings.add_forumkind",
        "meetings.change_forumkind",
        "meetings.view_forumkind",
    },
    Role.PARTNERSHIP_MANAGER: {
        "agencies.add_agency",
        "agencies.change_agency",
        "agencies.view_agency",
        "agencies.add_contact",
        "agencies.change_contact",
        "agencies.view_contact",
        "agencies.import_directory",
        "meetings.add_forum",
        "meetings.change_forum",
        "meetings.view_forum",
        "meetings.add_meeting",
        "meetings.change_meeting",
        "meetings.view_meeting",
        "reports.view_partnership_report",
        "reports.view_small_numbers",
    },
    Role.SAFEGUARDING_OFFICER: {
        "agencies.view_agency",
        "agencies.view_contact",
        "sharing.add_case",
        "sharing.change_case",
        "sharing.add_referral",
        "sharing.change_referral",
        "sharing.add_consentrequest",
        "sharing.add_disclosure",
        "sharing.view_disclosure",
        "sharing.add_decisionnottoshare",
        "sharing.add_escalation",
        "meetings.view_forum",
        "meetings.view_meeting",
        "meetings.add_case_item",
    },
    Role.SAFEGUARDING_MANAGER: {
        "agencies.view_agency",
        "agencies.view_contact",
        "sharing.add_case",
        "sharing.change_case",
        "sharing.view_case",
        "sharing.view_all_cases",
        "sharing.add_referral",
        "sharing.change_referral",
        "sharing.view_referral",
        "sharing.add_consentrequest",
        "sharing.add_disclosure",
        "sharing.view_disclosure",
        "sharing.decide_escalation",
        "sharing.add_escalation",
        "audit.view_auditevent",
        "meetings.view_forum",
        "meetings.view_meeting",
        "meetings.add_case_item",
        "reports.view_monthly_report",
        "reports.view_consent_report",
        "reports.view_partnership_report",
        "reports.view_small_numbers",
    },
    Role.AUTHORITY: {
        "agencies.view_agency",
        "sharing.view_case",
        "sharing.view_all_cases",
        "sharing.grant_consent",
        "sharing.view_consent",
        "sharing.view_disclosure",
        "meetings.view_forum",
        "meetings.view_meeting",
        "reports.view_monthly_report",
        "reports.view_consent_report",
    },
    Role.COMPLIANCE_REVIEWER: {
        "agencies.view_agency",
        "sharing.view_case",
        "sharing.view_all_cases",
        "sharing.view_consent",
        "sharing.view_disclosure",
        "audit.view_auditevent",
        "audit.export_auditevent",
        "audit.verify_auditevent",
        "reports.view_monthly_report",
        "reports.view_consent_report",
        "reports.view_small_numbers",
    },
    Role.PARTNER: {
        "agencies.view_agency",
        "agencies.view_contact",
        "agencies.change_own_agency",
        "sharing.view_received_disclosure",
    },
}


def _declared_permissions() -> set[str]:
    """Every app_label.codename the installed models declare, migrated or not."""
    from django.apps import apps
    from django.contrib.auth import get_permission_codename

    declared = set()
    for model in apps.get_models():
        options = model._meta
        codenames = [
            get_permission_codename(action, options) for action in options.default_permissions
        ]
        codenames += [codename for codename, _ in options.permissions]
        declared.update(f"{options.app_label}.{codename}" for codename in codenames)
    return declared


def sync_role_permissions(sender, **kwargs):
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission
    from django.core.exceptions import ImproperlyConfigured

    # post_migrate is sent once per app with models; act once, after the last one, when every
    # app's permissions exist.
    last_app = [config for config in apps.get_app_configs() if config.models_module][-1]
    if sender.label != last_app.label:
        return

    declared = _declared_permissions()
    unknown = sorted(
        f"{role.value}: {name}"
        for role in Role
        for name in ROLE_PERMISSIONS[role]
        if name not in declared
    )
    if unknown:
        raise ImproperlyConfigured(
            "ROLE_PERMISSIONS names permissions no model declares: " + ", ".join(unknown)
        )

    permissions = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = {permissions[name] for name in ROLE_PERMISSIONS[role] if name in permissions}
        group.permissions.set(wanted)
