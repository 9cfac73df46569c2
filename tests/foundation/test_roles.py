"""The role groups exist, carry the intended permissions, and shape the navigation."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from config.roles import Role


@pytest.mark.django_db
def test_every_role_group_exists():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "granted", "refused"),
    [
        (Role.ADMINISTRATOR, "agencies.invite_user", "sharing.grant_consent"),
        (Role.PARTNERSHIP_MANAGER, "agencies.change_agency", "agencies.invite_user"),
        (Role.PARTNER, "agencies.view_agency", "agencies.change_agency"),
    ],
)
def test_role_groups_carry_their_permissions(make_user, role, granted, refused):
    person = make_user(role)
    assert person.has_perm(granted)
    assert not person.has_perm(refused)


@pytest.mark.django_db
def test_navigation_shows_only_what_the_role_allows(administrator_client, officer_client):
    invite = reverse("agencies:invitation-create")
    assert f'href="{invite}"' in administrator_client.get(reverse("home")).content.decode()
    assert f'href="{invite}"' not in officer_client.get(reverse("home")).content.decode()
