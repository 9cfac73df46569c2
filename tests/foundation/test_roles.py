"""The role groups exist, carry the intended permissions, and shape the navigation."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from core import roles
from core.roles import Role
from home.context_processors import NAVIGATION

# Written from the design's description of each role, not copied from ROLE_PERMISSIONS, so a
# change there that takes away or hands out one of these rights fails here.
INTENDED = {
    Role.ADMINISTRATOR: (
        {
            "agencies.invite_user",
            "agencies.change_user",
            "agencies.change_agency",
            "sharing.change_vulnerabilityindicator",
            "meetings.change_forumkind",
            "meetings.write_schedule_rule",
            "audit.view_auditevent",
        },
        {
            "sharing.view_case",
            "sharing.view_all_cases",
            "sharing.grant_consent",
            "sharing.add_disclosure",
        },
    ),
    Role.PARTNERSHIP_MANAGER: (
        {
            "agencies.add_agency",
            "agencies.change_agency",
            "agencies.import_directory",
            "meetings.add_forum",
            "meetings.add_meeting",
        },
        {
            "agencies.invite_user",
            "sharing.view_case",
            "sharing.add_case",
            "sharing.add_disclosure",
            "audit.view_auditevent",
            "meetings.write_schedule_rule",
        },
    ),
    Role.SAFEGUARDING_OFFICER: (
        {
            "sharing.add_case",
            "sharing.change_case",
            "sharing.add_referral",
            "sharing.add_disclosure",
            "sharing.add_escalation",
            "meetings.add_case_item",
        },
        {
            "sharing.view_all_cases",
            "sharing.grant_consent",
            "sharing.decide_escalation",
            "agencies.change_agency",
            "audit.view_auditevent",
        },
    ),
    Role.SAFEGUARDING_MANAGER: (
        {
            "sharing.view_all_cases",
            "sharing.change_case",
            "sharing.decide_escalation",
            "sharing.add_disclosure",
            "audit.view_auditevent",
        },
        {"sharing.grant_consent", "agencies.invite_user", "agencies.change_agency"},
    ),
    Role.AUTHORITY: (
        {"sharing.grant_consent", "sharing.view_consent", "sharing.view_all_cases"},
        {
            "sharing.change_case",
            "sharing.add_disclosure",
            "sharing.add_referral",
            "agencies.change_agency",
            "audit.view_auditevent",
        },
    ),
    Role.COMPLIANCE_REVIEWER: (
        {
            "sharing.view_all_cases",
            "sharing.view_consent",
            "sharing.view_disclosure",
            "audit.view_auditevent",
        },
        {
            "sharing.add_case",
            "sharing.change_case",
            "sharing.change_referral",
            "sharing.add_disclosure",
            "sharing.grant_consent",
        },
    ),
    Role.PARTNER: (
        {
            "agencies.view_agency",
            "agencies.change_own_agency",
            "sharing.view_received_disclosure",
        },
        {
            "sharing.view_case",
            "sharing.view_all_cases",
            "sharing.view_disclosure",
            "agencies.change_agency",
            "meetings.add_meeting",
            "audit.view_auditevent",
        },
    ),
}

EVERYONE_SEES = {"Home", "Forums", "My meetings", "My actions", "My calendar"}
NAVIGATION_BY_PERSONA = {
    "administrator_client": {
        "Directory",
        "Agreements to review",
        "Minutes to finish",
        "Overdue actions",
        "Invite a person",
        "Audit log",
    },
    "partnership_manager_client": {
        "Directory",
        "Agreements to review",
        "Minutes to finish",
        "Overdue actions",
        "Reports",
    },
    "officer_client": {
        "Directory",
        "My cases",
        "Overdue referrals",
        "Referrals to chase",
        "My consent requests",
        "Disclosures",
    },
    "manager_client": {
        "Directory",
        "My cases",
        "All cases",
        "Overdue referrals",
        "Referrals to chase",
        "My consent requests",
        "Escalations",
        "Disclosures",
        "Reports",
        "Audit log",
    },
    "authority_client": {
        "Directory",
        "All cases",
        "Overdue referrals",
        "Consent requests",
        "Compliance",
        "Disclosures",
        "Reports",
    },
    "compliance_client": {
        "Directory",
        "All cases",
        "Overdue referrals",
        "Compliance",
        "Disclosures",
        "Reports",
        "Audit log",
    },
    "partner_client": {
        "Directory",
        "Shared with us",
        "Referrals to answer",
        "Our agency's actions",
    },
}

_NAVIGATION_LINK = re.compile(
    r'class="govuk-service-navigation__link" href="([^"]+)"[^>]*>(?:<strong[^>]*>)?([^<]+)<'
)


def _navigation_of(html: str) -> dict[str, str]:
    # A queue's label is followed by its count, in a tag of its own.
    return {unescape(label).strip(): url for url, label in _NAVIGATION_LINK.findall(html)}


@pytest.mark.django_db
def test_every_role_group_exists():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_each_role_holds_the_rights_it_needs_and_not_those_it_must_not(make_user, role):
    granted, refused = INTENDED[role]
    existing = {
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.values_list(
            "content_type__app_label", "codename"
        )
    }
    # A refusal of a permission that does not exist would pass whatever the role held.
    assert refused <= existing
    person = make_user(role)
    assert {name for name in granted if not person.has_perm(name)} == set()
    assert {name for name in refused if person.has_perm(name)} == set()


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_each_role_group_holds_every_permission_listed_for_it(role):
    held = {
        f"{app_label}.{codename}"
        for app_label, codename in Group.objects.get(name=role.value).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }
    assert held == roles.ROLE_PERMISSIONS[role]


@pytest.mark.django_db
def test_a_misspelt_permission_in_a_role_stops_migrate_naming_it(monkeypatch):
    from django.apps import apps

    monkeypatch.setitem(
        roles.ROLE_PERMISSIONS,
        Role.PARTNER,
        roles.ROLE_PERMISSIONS[Role.PARTNER] | {"sharing.view_recieved_disclosure"},
    )
    last_app = [config for config in apps.get_app_configs() if config.models_module][-1]
    with pytest.raises(ImproperlyConfigured, match=r"partner: sharing\.view_recieved_disclosure"):
        roles.sync_role_permissions(sender=last_app)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", sorted(NAVIGATION_BY_PERSONA))
def test_each_role_sees_the_navigation_it_may_use_and_every_link_opens(request, persona):
    client = request.getfixturevalue(persona)
    navigation = _navigation_of(client.get(reverse("home")).content.decode())
    assert set(navigation) == EVERYONE_SEES | NAVIGATION_BY_PERSONA[persona]
    for label, url in navigation.items():
        assert client.get(url).status_code == 200, label


@pytest.mark.django_db
@pytest.mark.parametrize("persona", sorted(NAVIGATION_BY_PERSONA))
def test_the_pages_behind_navigation_a_role_is_not_shown_are_closed_to_it(request, persona):
    client = request.getfixturevalue(persona)
    shown = EVERYONE_SEES | NAVIGATION_BY_PERSONA[persona]
    shown_urls = {reverse(url_name) for label, url_name, _ in NAVIGATION if label in shown}
    hidden = {
        label: reverse(url_name)
        for label, url_name, _ in NAVIGATION
        if label not in shown and reverse(url_name) not in shown_urls
    }
    assert {label: url for label, url in hidden.items() if client.get(url).status_code == 200} == {}
