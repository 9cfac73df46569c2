"""The subject access copy: everything held about one person and every release of it, as a
page to print and as JSON, for those who may see "who received what" about the case."""

import json

import pytest
import time_machine
from django.db.models import Count
from django.urls import reverse

from audit.models import AuditEvent, Verb
from core.roles import Role
from meetings.models import AgendaItem
from sharing.models import Case, Disclosure
from tests.retention.test_apply_retention import SIX_YEARS_ON, _run

pytestmark = pytest.mark.django_db


def _copy(client, case) -> dict:
    answer = client.get(reverse("sharing:case-subject-access", args=[case.pk]) + "?format=json")
    assert answer.status_code == 200
    assert answer["Content-Disposition"].endswith(f'"{case.reference}-subject-access.json"')
    return json.loads(answer.content)


def test_the_copy_for_a_demo_person_lists_every_disclosure_made_about_them(demo_clients):
    case = (
        Case.objects.annotate(released=Count("disclosures"), listed=Count("agenda_items"))
        .filter(listed__gt=0)
        .order_by("-released", "pk")
        .first()
    )
    made = Disclosure.objects.filter(case=case)
    assert made.count() > 1
    client = demo_clients[Role.SAFEGUARDING_MANAGER]

    copy = _copy(client, case)

    listed = copy["sections"]["disclosures"]
    assert sorted(int(row["Disclosure"]) for row in listed) == sorted(
        made.values_list("pk", flat=True)
    )
    assert {row["To"] for row in listed} == set(made.values_list("recipient__name", flat=True))
    assert copy["sections"]["person"][0]["Family name"] == case.family_name
    meetings = copy["sections"]["meeting_case_items"]
    assert len(meetings) == AgendaItem.objects.filter(case=case).count()

    printed = client.get(reverse("sharing:case-subject-access", args=[case.pk]))
    text = printed.content.decode()
    assert "Everything Partnerhub holds about this person" in text
    for disclosure in made.select_related("recipient"):
        assert disclosure.content_digest in text
    assert "<script" not in text
    exports = AuditEvent.objects.filter(
        verb=Verb.EXPORTED, object_id=str(case.pk), detail__page="subject-access"
    )
    assert exports.count() == 2


def test_the_copy_says_what_retention_erased_and_keeps_the_digest(make_full_case, manager_client):
    case = make_full_case()
    with time_machine.travel(SIX_YEARS_ON):
        _run()

    (released,) = _copy(manager_client, case)["sections"]["disclosures"]
    assert released["What was released"] == "[erased under retention]"
    assert (
        released["Sha 256 of what was released"] == Disclosure.objects.get(case=case).content_digest
    )


def test_those_who_may_not_see_who_received_what_get_no_copy(make_full_case, partner_client):
    case = make_full_case(closed=False)
    answer = partner_client.get(
        reverse("sharing:case-subject-access", args=[case.pk]) + "?format=json"
    )
    assert answer.status_code == 404
    assert not AuditEvent.objects.filter(verb=Verb.EXPORTED, object_id=str(case.pk)).exists()
