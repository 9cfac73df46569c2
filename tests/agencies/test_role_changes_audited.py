"""Changing what a person may do in the administration site is recorded as a permission change."""

import pytest
from django.contrib.auth.models import Group

from audit.models import Verb
from tests.agencies.admin_site import admin_change, events_about

pytestmark = pytest.mark.django_db


def test_giving_a_person_a_role_in_the_admin_is_audited(
    admin_site_client, site_administrator, officer
):
    admin_change(
        admin_site_client, officer, groups=[Group.objects.get(name="safeguarding manager").pk]
    )
    [event] = events_about(officer)
    assert event.verb == Verb.PERMISSION_CHANGED
    assert event.detail == {"added": ["safeguarding manager"], "removed": ["safeguarding officer"]}
    assert event.changed_fields == ["groups"]
    assert event.actor == site_administrator


def test_giving_a_person_the_administration_site_is_a_permission_change(admin_site_client, officer):
    admin_change(admin_site_client, officer, is_staff=True)
    [event] = events_about(officer)
    assert (event.verb, event.changed_fields) == (Verb.PERMISSION_CHANGED, ["is_staff"])
