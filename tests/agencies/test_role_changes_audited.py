"""Changing a person's roles in the administration site is recorded in the audit log."""

import pytest
from django.contrib.auth.models import Group

from audit.models import AuditEvent, Verb


@pytest.mark.django_db
def test_giving_a_person_a_role_in_the_admin_is_audited(make_user, officer):
    superuser = make_user(is_staff=True, is_superuser=True, full_name="Root Admin")
    from django.test import Client

    client = Client()
    client.force_login(superuser)
    page = client.get(f"/admin/agencies/user/{officer.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list | tuple)
    }
    data.update(
        email=officer.email,
        full_name=officer.full_name,
        agency=officer.agency_id,
        date_joined_0=officer.date_joined.strftime("%d/%m/%Y"),
        date_joined_1=officer.date_joined.strftime("%H:%M:%S"),
        groups=[Group.objects.get(name="safeguarding manager").pk],
        is_active="on",
    )
    data.pop("last_login", None)
    response = client.post(f"/admin/agencies/user/{officer.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(verb=Verb.PERMISSION_CHANGED, object_id=str(officer.pk))
    assert event.detail == {"added": ["safeguarding manager"], "removed": ["safeguarding officer"]}
    assert event.actor == superuser
