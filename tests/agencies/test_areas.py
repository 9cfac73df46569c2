"""Partnership managers' areas: set by themselves or an administrator, and recorded."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent, Verb


@pytest.mark.django_db
def test_partnership_manager_chooses_their_own_areas(
    partnership_manager, partnership_manager_client, manchester, salford
):
    url = reverse("agencies:areas-edit", args=[partnership_manager.pk])
    assert partnership_manager_client.get(url).status_code == 200
    response = partnership_manager_client.post(
        url, {"local_authorities": [manchester.pk, salford.pk]}
    )
    assert response.status_code == 302
    assert set(partnership_manager.assigned_local_authorities.all()) == {manchester, salford}
    event = AuditEvent.objects.get(
        object_type="agencies.user", object_id=str(partnership_manager.pk), verb=Verb.CHANGED
    )
    assert event.verb == Verb.CHANGED
    assert event.changed_fields == ["assigned_local_authorities"]


@pytest.mark.django_db
def test_administrator_assigns_a_partnership_managers_areas(
    administrator_client, partnership_manager, manchester
):
    administrator_client.post(
        reverse("agencies:areas-edit", args=[partnership_manager.pk]),
        {"local_authorities": [manchester.pk]},
    )
    assert list(partnership_manager.assigned_local_authorities.all()) == [manchester]


@pytest.mark.django_db
def test_nobody_else_sets_someone_elses_areas(
    partnership_manager_client, officer_client, officer, make_user, manchester
):
    colleague = make_user("partnership manager")
    for client, person in [(partnership_manager_client, colleague), (officer_client, officer)]:
        url = reverse("agencies:areas-edit", args=[person.pk])
        assert client.post(url, {"local_authorities": [manchester.pk]}).status_code == 404
    assert not colleague.assigned_local_authorities.exists()
