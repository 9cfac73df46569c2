"""Deactivating a person and moving them to another agency, by the service or in the
administration site: each keeps the moment it happened and goes on record once."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from agencies import services
from audit.models import Verb
from tests.agencies.admin_site import admin_change, events_about

pytestmark = pytest.mark.django_db


def _history(person) -> list[tuple[str, list[str]]]:
    return [(event.verb, event.changed_fields) for event in events_about(person)]


def test_deactivation_keeps_its_moment_through_a_later_reactivation(officer, administrator):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        left = timezone.now()
        assert services.deactivate_person(person=officer, actor=administrator)
        clock.shift(timedelta(days=30))
        assert not services.deactivate_person(person=officer, actor=administrator)
        assert services.reactivate_person(person=officer, actor=administrator)
    officer.refresh_from_db()
    assert officer.is_active
    assert officer.deactivated_at == left
    assert _history(officer) == [
        (Verb.DEACTIVATED, ["deactivated_at", "is_active"]),
        (Verb.REACTIVATED, ["is_active"]),
    ]
    assert {event.actor for event in events_about(officer)} == {administrator}


def test_a_move_to_another_agency_keeps_when_it_happened_and_where_from(
    officer, administrator, provider, manchester_police
):
    assert officer.agency_since is None
    moved = timezone.now()
    with time_machine.travel(moved, tick=False):
        assert services.move_person(person=officer, agency=manchester_police, actor=administrator)
        assert not services.move_person(
            person=officer, agency=manchester_police, actor=administrator
        )
    officer.refresh_from_db()
    assert (officer.agency, officer.agency_since) == (manchester_police, moved)
    [event] = events_about(officer)
    assert (event.verb, event.changed_fields) == (Verb.CHANGED, ["agency", "agency_since"])
    assert event.detail == {"from_agency_id": provider.pk, "to_agency_id": manchester_police.pk}


def test_deactivating_and_reactivating_in_the_admin_goes_through_the_service(
    admin_site_client, site_administrator, officer
):
    admin_change(admin_site_client, officer, is_active=False)
    officer.refresh_from_db()
    assert not officer.is_active
    left = officer.deactivated_at
    assert left is not None
    admin_change(admin_site_client, officer, is_active=True)
    officer.refresh_from_db()
    assert (officer.is_active, officer.deactivated_at) == (True, left)
    assert _history(officer) == [
        (Verb.DEACTIVATED, ["deactivated_at", "is_active"]),
        (Verb.REACTIVATED, ["is_active"]),
    ]


def test_moving_a_person_in_the_admin_keeps_when_and_saves_their_other_changes(
    admin_site_client, officer, manchester_police
):
    admin_change(
        admin_site_client, officer, agency=manchester_police.pk, job_title="Police liaison"
    )
    officer.refresh_from_db()
    assert (officer.agency, officer.job_title) == (manchester_police, "Police liaison")
    assert officer.agency_since is not None
    assert sorted(_history(officer)) == [
        (Verb.CHANGED, ["agency", "agency_since"]),
        (Verb.CHANGED, ["job_title"]),
    ]


def test_nobody_edits_by_hand_when_a_person_left_or_moved(admin_site_client, officer):
    form = admin_site_client.get(f"/admin/agencies/user/{officer.pk}/change/").context["adminform"]
    assert {"agency_since", "deactivated_at"} <= set(form.readonly_fields)
    assert not {"agency_since", "deactivated_at"} & set(form.form.fields)
