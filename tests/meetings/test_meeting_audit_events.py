"""Meetings on the audit log: reading a meeting's case items or an action is a "viewed" event,
every refused meeting, paper or minutes page is a refusal event, and no label or detail carries
the free text of an action, a paper's file name, minutes or a case item."""

import json
from datetime import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent, Verb
from meetings import services
from meetings.calendars.schedule import LONDON
from tests.meetings.case_items import CASE_ACTION, MINUTES, SUMMARY, affirm
from tests.sample_files import PDF

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock", "agreements")]

PAPER_NAME = "Haddad-risk-assessment-Zebracorn.pdf"


def _viewed(person, target):
    return AuditEvent.objects.filter(
        verb=Verb.VIEWED,
        actor_id=person.pk,
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
    )


def _refusals(person, page):
    return AuditEvent.objects.filter(verb=Verb.VIEW_DENIED, actor_id=person.pk, detail__page=page)


def test_reading_a_meeting_with_case_items_shown_is_recorded_with_the_cases(
    listed, meeting, case, partner_client, partner_user
):
    partner_client.get(reverse("meetings:meeting-detail", args=[meeting.pk]))
    assert not _viewed(partner_user, meeting).exists()  # not yet affirmed: nothing shown

    affirm(partner_client, meeting)
    partner_client.get(reverse("meetings:meeting-detail", args=[meeting.pk]))

    viewed = _viewed(partner_user, meeting).get()
    assert viewed.detail == {"case_ids": [case.pk]}
    assert viewed.object_label == f"Manchester MARAC, {timezone.localtime(meeting.start):%-d %B %Y}"


def test_a_meeting_without_case_items_shown_is_not_a_view_of_case_information(
    meeting, partner_client, partner_user
):
    partner_client.get(reverse("meetings:meeting-detail", args=[meeting.pk]))
    assert not _viewed(partner_user, meeting).exists()


def test_reading_an_action_is_recorded_once_per_page_view(discussed, police_officer, client):
    case_action, _general = discussed
    client.force_login(police_officer)
    for _ in range(2):
        assert (
            client.get(reverse("meetings:action-detail", args=[case_action.pk])).status_code == 200
        )
    viewed = _viewed(police_officer, case_action)
    assert viewed.count() == 2
    assert (
        viewed.first().object_label
        == f"Action {case_action.pk} at meeting {case_action.meeting_id}"
    )


def test_a_meeting_the_person_is_not_invited_to_is_a_recorded_refusal(
    meeting, make_user, make_agency, client
):
    stranger = make_user("partner", agency=make_agency("Salford Women's Aid"))
    client.force_login(stranger)
    assert client.get(reverse("meetings:meeting-detail", args=[meeting.pk])).status_code == 404
    refusal = _refusals(stranger, "meetings:meeting-detail").get()
    assert refusal.detail["ids"] == {"pk": meeting.pk}
    assert refusal.detail["status"] == 404
    assert refusal.object_label == f"meetings:meeting-detail pk={meeting.pk}"


def test_a_paper_an_uncovered_partner_may_not_open_is_a_recorded_refusal(
    listed, meeting, officer, latecomer, client
):
    paper = services.add_paper(
        item=listed,
        uploaded=SimpleUploadedFile(PAPER_NAME, PDF, content_type="application/pdf"),
        actor=officer,
    )
    client.force_login(latecomer)
    affirm(client, meeting)
    assert client.get(reverse("meetings:paper-download", args=[paper.pk])).status_code == 404
    assert _refusals(latecomer, "meetings:paper-download").get().detail["ids"] == {"pk": paper.pk}


def test_minutes_a_manager_may_not_read_are_a_recorded_refusal(
    discussed, meeting, partnership_manager, partnership_manager_client
):
    edit = reverse("meetings:minutes-edit", args=[meeting.pk])
    circulate = reverse("meetings:minutes-transition", args=[meeting.pk, "circulate"])
    assert partnership_manager_client.get(edit).status_code == 404
    assert partnership_manager_client.post(circulate).status_code == 404
    assert _refusals(partnership_manager, "meetings:minutes-edit").count() == 1
    refused = _refusals(partnership_manager, "meetings:minutes-transition").get()
    # The step is text from the URL, so only the numeric id is kept.
    assert refused.detail["ids"] == {"pk": meeting.pk}
    assert refused.detail["method"] == "POST"


def test_no_label_or_detail_carries_free_text_from_meetings(
    discussed, listed, meeting, case, officer, police_officer, client
):
    services.add_paper(
        item=listed,
        uploaded=SimpleUploadedFile(PAPER_NAME, PDF, content_type="application/pdf"),
        actor=officer,
    )
    client.force_login(police_officer)
    client.get(reverse("meetings:action-detail", args=[discussed[0].pk]))
    events = list(AuditEvent.objects.values("object_label", "detail", "actor_label"))
    written = json.dumps(events)
    for free_text in (CASE_ACTION, MINUTES, SUMMARY, PAPER_NAME, listed.title, case.family_name):
        assert free_text not in written
    labels = {event["object_label"] for event in events}
    assert f"Action {discussed[0].pk} at meeting {meeting.pk}" in labels
    assert f"Agenda item {listed.pk} at meeting {meeting.pk}" in labels


def test_opening_the_minutes_to_edit_them_is_recorded_as_viewing_them(
    discussed, meeting, officer, officer_client
):
    affirm(officer_client, meeting)
    assert officer_client.get(reverse("meetings:minutes-edit", args=[meeting.pk])).status_code == (
        200
    )
    minutes = meeting.minutes_versions.get()
    viewed = _viewed(officer, minutes).get()
    assert viewed.detail == {"page": "edit"}
    assert viewed.object_label == f"Minutes of meeting {meeting.pk}, version {minutes.version}"


def test_lists_of_actions_are_recorded_as_viewed_when_they_list_any(
    discussed, marac, police_officer, partnership_manager, client, make_user, make_agency
):
    client.force_login(police_officer)
    assert client.get(reverse("meetings:action-mine")).status_code == 200
    assert AuditEvent.objects.get(verb=Verb.VIEWED, actor_id=police_officer.pk).detail == {
        "list": "my actions"
    }

    with time_machine.travel(datetime(2026, 3, 20, 9, 0, tzinfo=LONDON), tick=False):
        client.force_login(partnership_manager)
        overdue = client.get(reverse("meetings:forum-overdue-actions", args=[marac.pk]))
    assert overdue.status_code == 200
    viewed = AuditEvent.objects.get(verb=Verb.VIEWED, actor_id=partnership_manager.pk)
    assert (viewed.object_type, viewed.object_id, viewed.detail) == (
        "meetings.forum",
        str(marac.pk),
        {"list": "overdue actions"},
    )

    nobody = make_user("partner", agency=make_agency("Salford Women's Aid"))
    client.force_login(nobody)
    client.get(reverse("meetings:action-mine"))
    assert not AuditEvent.objects.filter(verb=Verb.VIEWED, actor_id=nobody.pk).exists()
