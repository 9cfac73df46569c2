"""The audit log and per-record trail pages, for managers and compliance reviewers."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent, Verb
from audit.services import record, verify_chain_in_background, verify_chain_now

LONDON = ZoneInfo("Europe/London")


def _events(count, **fields):
    for number in range(count):
        record(
            verb=fields.get("verb", Verb.CHANGED),
            actor_label=fields.get("actor_label", "officer@example.org"),
            object_type=fields.get("object_type", "sharing.case"),
            object_id=fields.get("object_id", str(number % 5)),
            object_label=fields.get("object_label", f"PH-{number % 5:04d}"),
            changed_fields=["status", "risk_level"],
            ip_address="192.0.2.7",
        )


def _trail(object_type, object_id):
    return reverse(
        "audit:object-trail", kwargs={"object_type": object_type, "object_id": object_id}
    )


@pytest.mark.django_db
def test_managers_and_compliance_reviewers_find_the_audit_log_in_the_menu(
    manager_client, compliance_client, officer_client, partner_client
):
    log = reverse("audit:event-list")
    for client in (manager_client, compliance_client):
        assert f'href="{log}"' in client.get(reverse("home")).content.decode()
        assert client.get(log).status_code == 200
    for client in (officer_client, partner_client):
        assert f'href="{log}"' not in client.get(reverse("home")).content.decode()
        assert client.get(log).status_code == 403
        assert client.get(_trail("sharing.case", "1")).status_code == 403


@pytest.mark.django_db
def test_the_log_shows_who_did_what_to_which_record_newest_first(compliance_client):
    record(
        verb=Verb.CREATED,
        actor_label="first@example.org",
        object_type="sharing.case",
        object_id="7",
        object_label="PH-0007",
    )
    record(
        verb=Verb.DISCLOSED,
        actor_label="second@example.org",
        object_type="sharing.case",
        object_id="7",
        object_label="PH-0007",
        changed_fields=["categories"],
    )
    html = compliance_client.get(reverse("audit:event-list")).content.decode()
    assert html.index("second@example.org") < html.index("first@example.org")
    assert "Disclosed" in html and "categories" in html
    assert f'href="{_trail("sharing.case", "7")}"' in html


@pytest.mark.django_db
def test_each_row_says_when_who_what_which_record_and_from_where(compliance_client):
    with time_machine.travel(datetime(2026, 7, 1, 9, 30, 5, tzinfo=LONDON), tick=False):
        changed = record(
            verb=Verb.CHANGED,
            actor_label="officer@example.org",
            object_type="sharing.case",
            object_id="7",
            object_label="PH-0007 <Ahmadi & Sons>",
            changed_fields=["status", "risk_level"],
            ip_address="192.0.2.7",
        )
        exported = record(verb=Verb.EXPORTED, object_type="sharing.disclosure")
    rows = compliance_client.get(reverse("audit:event-list")).content.decode()
    rows = {row.split("</td>")[0].rpartition(">")[2]: row for row in rows.split("<tr ")[2:]}

    row = rows[str(changed.sequence)]
    assert '<time datetime="2026-07-01T09:30:05+01:00">1 Jul 2026, 09:30:05</time>' in row
    assert "officer@example.org" in row and ">Changed<" in row
    assert (
        f'<a class="govuk-link" href="{_trail("sharing.case", "7")}">'
        "PH-0007 &lt;Ahmadi &amp; Sons&gt;</a>"
    ) in row
    assert ">sharing.case 7</span>" in row
    assert ">risk_level, status<" in row and ">192.0.2.7<" in row
    # An export is about many records: named by kind, with no trail; nobody and nowhere shown
    # as such.
    row = rows[str(exported.sequence)]
    assert ">The system<" in row and ">sharing.disclosure<" in row and "href" not in row
    assert row.count(">–<") == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"verb": "disclosed"}, "disclosed@example.org", "changed@example.org"),
        ({"actor": "DISCLOSED@"}, "disclosed@example.org", "changed@example.org"),
        ({"object_type": "agencies.agency"}, "changed@example.org", "disclosed@example.org"),
    ],
)
def test_the_log_filters_by_actor_verb_and_kind_of_record(manager_client, query, shown, hidden):
    _events(2, verb=Verb.CHANGED, actor_label="changed@example.org", object_type="agencies.agency")
    _events(2, verb=Verb.DISCLOSED, actor_label="disclosed@example.org")
    html = manager_client.get(reverse("audit:event-list"), query).content.decode()
    assert shown in html
    assert hidden not in html


@pytest.mark.django_db
def test_the_log_filters_by_whole_days_in_london_time(manager_client):
    moments = {
        "before@example.org": datetime(2026, 6, 30, 23, 30, tzinfo=LONDON),
        "during@example.org": datetime(2026, 7, 1, 0, 30, tzinfo=LONDON),
        "late@example.org": datetime(2026, 7, 2, 23, 59, tzinfo=LONDON),
        "after@example.org": datetime(2026, 7, 3, 0, 1, tzinfo=LONDON),
    }
    for label, moment in moments.items():
        with time_machine.travel(moment, tick=False):
            record(verb=Verb.VIEWED, actor_label=label)
    html = manager_client.get(
        reverse("audit:event-list"), {"occurred_from": "2026-07-01", "occurred_to": "2026-07-02"}
    ).content.decode()
    assert "during@example.org" in html and "late@example.org" in html
    assert "before@example.org" not in html and "after@example.org" not in html


@pytest.mark.django_db
def test_dates_typed_in_the_boxes_filter_the_log_and_its_export(compliance_client):
    typed = {"occurred_from-day": "1", "occurred_from-month": "7", "occurred_from-year": "2026"}
    html = compliance_client.get(reverse("audit:event-list"), typed).content.decode()
    assert "occurred_from-day=1&amp;occurred_from-month=7&amp;occurred_from-year=2026" in html


@pytest.mark.django_db
def test_impossible_dates_are_explained_at_the_field(manager_client):
    typed = {"occurred_from-day": "30", "occurred_from-month": "2", "occurred_from-year": "2026"}
    html = manager_client.get(reverse("audit:event-list"), typed).content.decode()
    assert "govuk-error-summary" in html
    assert "From must be a real date" in html
    assert (
        'name="occurred_from-day" type="text" inputmode="numeric" spellcheck="false" value="30"'
        in html
    )
    html = manager_client.get(
        reverse("audit:event-list"), {"occurred_from": "2026-07-02", "occurred_to": "2026-07-01"}
    ).content.decode()
    assert "Enter a ‘to’ date that is on or after the ‘from’ date" in html


@pytest.mark.django_db
def test_the_log_pages_back_through_older_events_and_forward_again(manager_client):
    _events(120)
    changed = list(
        AuditEvent.objects.filter(verb=Verb.CHANGED)
        .order_by("-sequence")
        .values_list("sequence", flat=True)
    )
    first = manager_client.get(reverse("audit:event-list"), {"verb": "changed"}).context["page"]
    assert [event.sequence for event in first.events] == changed[:50]
    assert first.newer is None
    second = manager_client.get(
        reverse("audit:event-list"), {"verb": "changed", "before": first.older}
    ).context["page"]
    assert [event.sequence for event in second.events] == changed[50:100]
    back = manager_client.get(
        reverse("audit:event-list"), {"verb": "changed", "after": second.newer}
    ).context["page"]
    assert back.events == first.events
    last = manager_client.get(
        reverse("audit:event-list"), {"before": second.older}
    ).content.decode()
    assert "Older<span" not in last and "Newer<span" in last
    assert (
        f"verb=changed&amp;before={first.older}"
        in manager_client.get(reverse("audit:event-list"), {"verb": "changed"}).content.decode()
    )


def _queries(client, path, query):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, query).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_log_and_a_trail_run_a_fixed_number_of_queries_at_scale(
    manager_client, django_assert_max_num_queries
):
    pages = [
        (reverse("audit:event-list"), {"verb": "changed", "before": "1000"}),
        (_trail("sharing.case", "3"), {"before": "1000"}),
    ]
    _events(5)
    few = [_queries(manager_client, path, query) for path, query in pages]
    _events(400)
    for (path, query), before in zip(pages, few, strict=True):
        with django_assert_max_num_queries(before):
            manager_client.get(path, {**query, "before": "300"})
    assert max(few) <= 12


@pytest.mark.django_db
def test_the_chain_check_beside_the_log_keeps_its_queries_fixed_however_many_checks_and_tasks(
    compliance_client, compliance_reviewer, database_queue, django_assert_max_num_queries
):
    log, query = reverse("audit:event-list"), {"verb": "changed", "before": "1000"}
    _events(5)
    verify_chain_now(actor=compliance_reviewer)
    few = _queries(compliance_client, log, query)
    _events(300)
    for _ in range(30):
        verify_chain_now(actor=compliance_reviewer)
        verify_chain_in_background.enqueue(compliance_reviewer.pk).db_result.set_successful({})
    verify_chain_in_background.enqueue(compliance_reviewer.pk)
    with django_assert_max_num_queries(few):
        page = compliance_client.get(log, {**query, "before": "300"}).content.decode()
    assert "A check of the chain is under way" in page
    assert few <= 14


@pytest.mark.django_db
def test_a_record_trail_shows_only_that_record_and_unknown_records_are_not_found(
    compliance_client,
):
    _events(3, object_id="41", object_label="PH-0041")
    _events(2, object_id="42", object_label="PH-0042")
    response = compliance_client.get(_trail("sharing.case", "41"))
    html = response.content.decode()
    assert "PH-0041" in html and "PH-0042" not in html
    assert len(response.context["page"].events) == 3
    assert compliance_client.get(_trail("sharing.case", "999")).status_code == 404


@pytest.mark.django_db
def test_other_apps_link_any_record_to_its_trail(provider):
    rendered = Template("{% load audit_trail %}{{ agency|audit_trail_url }}").render(
        Context({"agency": provider})
    )
    assert rendered == _trail("agencies.agency", str(provider.pk))
