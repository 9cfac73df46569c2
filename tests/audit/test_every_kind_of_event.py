"""The audit log page, each of its filters and each record's trail render every kind of event:
with and without a record id, with and without a person; and its paging refuses any position
that is not plain ASCII digits rather than failing."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent, Verb
from audit.services import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def every_kind(officer):
    """For each verb: one event about a record, one about a kind of record only (an export or
    an import), and one by nobody (the system)."""
    for verb in Verb:
        record(
            verb=verb,
            actor=officer,
            object_type="sharing.case",
            object_id="7",
            object_label="PH-2026-000007",
        )
        record(verb=verb, actor=officer, object_type="agencies.agency", detail={"rows": 3})
        record(verb=verb, actor_label="", object_label=f"{verb.value} page")


def test_the_log_shows_every_kind_of_event_with_or_without_a_record_or_a_person(
    every_kind, compliance_client
):
    pages, query = [], {}
    while True:
        response = compliance_client.get(reverse("audit:event-list"), query)
        assert response.status_code == 200
        pages.append(response.content.decode())
        if response.context["page"].older is None:
            break
        query = {"before": response.context["page"].older}
    html = "".join(pages)
    for verb in Verb:
        assert f"{verb.value} page" in html
        assert verb.label in html
    assert "The system" in html


@pytest.mark.parametrize("verb", list(Verb))
def test_filtering_by_each_kind_of_event_shows_only_that_kind(
    every_kind, manager_client, manager, verb
):
    response = manager_client.get(reverse("audit:event-list"), {"verb": verb.value})
    assert response.status_code == 200
    shown = response.context["page"].events
    assert {event.verb for event in shown} == {verb.value}
    # The manager's own sign-in aside, exactly the three made above.
    assert [event.object_type for event in shown if event.actor_id != manager.pk] == [
        "",
        "agencies.agency",
        "sharing.case",
    ]
    assert "agencies.agency" in response.content.decode()


def test_exported_events_can_be_found_by_filter_after_a_real_directory_export(
    compliance_client, compliance_reviewer
):
    assert compliance_client.get(reverse("agencies:agency-export")).status_code == 200
    response = compliance_client.get(reverse("audit:event-list"), {"verb": "exported"})
    assert response.status_code == 200
    assert [event.actor_label for event in response.context["page"].events] == [
        compliance_reviewer.email
    ]


@pytest.mark.parametrize(
    "object_type",
    ["sharing.case", "agencies.agency", "audit.checkpoint", "audit.auditevent", "meetings.action"],
)
def test_filtering_by_each_kind_of_record_renders(every_kind, manager_client, object_type):
    response = manager_client.get(reverse("audit:event-list"), {"object_type": object_type})
    assert response.status_code == 200
    assert all(event.object_type == object_type for event in response.context["page"].events)


def test_a_records_trail_shows_every_kind_of_event_about_it(every_kind, manager_client):
    response = manager_client.get(
        reverse("audit:object-trail", kwargs={"object_type": "sharing.case", "object_id": "7"}),
        {"before": str(AuditEvent.objects.count() + 1)},
    )
    assert response.status_code == 200
    assert {event.verb for event in response.context["page"].events} >= {
        verb.value for verb in list(Verb)[-16:]
    }


@pytest.mark.parametrize("position", ["²", "٣", "1²", "-1", " 5", "99999999999999999999", "1e3"])
@pytest.mark.parametrize("cursor", ["before", "after"])
def test_a_position_that_is_not_plain_ascii_digits_is_ignored_not_a_server_error(
    every_kind, manager_client, cursor, position
):
    for path in (
        reverse("audit:event-list"),
        reverse("audit:object-trail", kwargs={"object_type": "sharing.case", "object_id": "7"}),
    ):
        response = manager_client.get(path, {cursor: position})
        assert response.status_code == 200
        assert response.context["page"].newer is None  # read as the newest page
