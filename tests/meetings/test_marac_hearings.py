"""A MARAC's decision on each case it heard: the outcome, the IDVA allocated and the referring
agency, recorded by those who work on the case item, once the meeting has started, which
tells sharing the case was heard; and each case's action plan, every action owned by an agency."""

from datetime import date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent, Verb
from core.authority import NotPermitted
from core.roles import Role
from meetings import forms, selectors, services
from meetings.calendars.schedule import LONDON
from meetings.models import CaseHearing, HearingOutcome
from meetings.refusals import Refused
from tests.factories import UserFactory
from tests.meetings.case_items import CASE_ACTION, affirm

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock", "agreements")]

DURING = datetime(2026, 2, 10, 11, 0, tzinfo=LONDON)


def _record(item, actor, **fields):
    values = {
        "outcome": HearingOutcome.ACTION_PLAN_AGREED,
        "referring_agency": fields.pop("referring_agency"),
        "idva_allocated": True,
        "idva_agency": fields.pop("idva_agency", None),
        "idva_name": "Jo Adviser",
        "notes": "Safety plan agreed.",
    }
    values.update(fields)
    return services.record_hearing(item=item, actor=actor, **values)


def test_the_officer_on_the_case_records_outcome_idva_and_referrer_once_the_meeting_started(
    listed, officer, police, idva_service
):
    with time_machine.travel(DURING):
        hearing = _record(listed, officer, referring_agency=police, idva_agency=idva_service)

    hearing.refresh_from_db()
    assert (hearing.outcome, hearing.referring_agency, hearing.idva_agency) == (
        HearingOutcome.ACTION_PLAN_AGREED,
        police,
        idva_service,
    )
    assert hearing.idva_name == "Jo Adviser"
    event = AuditEvent.objects.get(object_type="meetings.casehearing", object_id=str(hearing.pk))
    assert (event.verb, event.actor) == (Verb.CREATED, officer)
    listed.case.refresh_from_db()
    assert listed.case.last_heard_at_marac_on == date(2026, 2, 10)


def test_no_outcome_is_recorded_before_the_meeting_starts(listed, officer, police, idva_service):
    with pytest.raises(Refused, match="once the meeting has started"):
        _record(listed, officer, referring_agency=police, idva_agency=idva_service)
    assert not CaseHearing.objects.exists()


def test_people_who_do_not_work_on_the_case_may_not_record_it(
    listed, meeting, partner_user, partnership_manager, police, idva_service
):
    services.affirm_confidentiality(meeting=meeting, actor=partner_user)
    assert selectors.meeting_page(meeting=meeting, user=partner_user).agenda[0].details_shown
    with time_machine.travel(DURING):
        for person in (partner_user, partnership_manager):
            with pytest.raises(NotPermitted):
                _record(listed, person, referring_agency=police, idva_agency=idva_service)
    assert not CaseHearing.objects.exists()


def test_a_forum_that_is_not_a_marac_records_no_outcome(
    make_forum,
    generate,
    police,
    idva_service,
    partner_user,
    case,
    consent,
    attending,
    add_item,
    officer,
):
    review = make_forum(
        name="Ad hoc case review",
        kind="ad-hoc-case-review",
        member_agencies=[police, idva_service],
        members=[partner_user],
    )
    meeting = generate(review, date(2026, 2, 1), date(2026, 2, 28))[0]
    consent(case, attending)
    item = add_item(meeting, case)
    with time_machine.travel(meeting.start), pytest.raises(Refused, match="is not a MARAC"):
        _record(item, officer, referring_agency=police, idva_agency=idva_service)


def test_an_idva_allocated_names_its_agency_and_none_is_named_when_not(
    listed, officer, police, idva_service
):
    with time_machine.travel(DURING):
        with pytest.raises(Refused, match="agency of the IDVA"):
            _record(listed, officer, referring_agency=police)
        with pytest.raises(Refused, match="only when one is allocated"):
            _record(
                listed,
                officer,
                referring_agency=police,
                idva_allocated=False,
                idva_agency=idva_service,
            )
        with pytest.raises(Refused, match="Choose the outcome"):
            _record(listed, officer, referring_agency=police, idva_agency=idva_service, outcome="x")
    assert not CaseHearing.objects.exists()


def test_an_adjourned_case_counts_as_heard_for_repeat_referrals_only_once_a_later_outcome_hears_it(
    listed, officer, police, idva_service
):
    with time_machine.travel(DURING):
        _record(
            listed,
            officer,
            referring_agency=police,
            outcome=HearingOutcome.ADJOURNED,
            idva_allocated=False,
            idva_name="",
        )
        listed.case.refresh_from_db()
        assert listed.case.last_heard_at_marac_on is None
        _record(listed, officer, referring_agency=police, idva_agency=idva_service)
        _record(
            listed, officer, referring_agency=police, idva_agency=idva_service, notes="Revised."
        )

    listed.case.refresh_from_db()
    assert listed.case.last_heard_at_marac_on == date(2026, 2, 10)
    events = AuditEvent.objects.filter(object_type="meetings.casehearing").order_by("sequence")
    assert [event.verb for event in events] == [Verb.CREATED, Verb.CHANGED, Verb.CHANGED]
    assert events.last().changed_fields == ["notes"]


def _signed_in_during_the_meeting(client_class_, person, meeting):
    client = client_class_()
    client.force_login(person)
    affirm(client, meeting)
    return client


def test_the_outcome_form_refuses_an_allocated_idva_without_its_agency_at_the_field(
    listed, meeting, officer, client_class_, police
):
    url = reverse("meetings:case-hearing-record", args=[listed.pk])
    with time_machine.travel(DURING, tick=False):
        officer_client = _signed_in_during_the_meeting(client_class_, officer, meeting)
        response = officer_client.post(
            url,
            {
                "outcome": "action_plan_agreed",
                "referring_agency": police.pk,
                "idva_allocated": "yes",
            },
        )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "idva_agency": ["Choose the agency of the IDVA allocated"]
    }
    assert not CaseHearing.objects.exists()


def test_the_outcome_form_records_no_idva_when_no_is_chosen(
    listed, meeting, officer, client_class_, police, idva_service
):
    with time_machine.travel(DURING, tick=False):
        officer_client = _signed_in_during_the_meeting(client_class_, officer, meeting)
        response = officer_client.post(
            reverse("meetings:case-hearing-record", args=[listed.pk]),
            {
                "outcome": "no_further_action",
                "referring_agency": police.pk,
                "idva_allocated": "no",
                "idva_agency": idva_service.pk,
                "idva_name": "Shown without JavaScript",
            },
        )
    assert response.status_code == 302
    hearing = CaseHearing.objects.get()
    assert (hearing.idva_allocated, hearing.idva_agency, hearing.idva_name) == (False, None, "")


# Action plans -------------------------------------------------------------------------------


def test_an_action_on_a_marac_case_item_is_refused_without_an_owning_agency(
    listed, meeting, officer, manager
):
    services.affirm_confidentiality(meeting=meeting, actor=officer)
    nobodys = UserFactory(roles=[Role.SAFEGUARDING_OFFICER], agency=None)
    with pytest.raises(Refused, match="each action in a MARAC action plan has one"):
        services.create_action(
            meeting=meeting,
            agenda_item=listed,
            description=CASE_ACTION,
            owner=nobodys,
            due_on=date(2026, 3, 1),
            actor=officer,
        )
    assert not listed.actions.exists()


def test_a_marac_case_action_keeps_an_owning_agency_when_given_to_someone_else(discussed, officer):
    case_action, _general = discussed
    nobodys = UserFactory(roles=[Role.SAFEGUARDING_OFFICER], agency=None)
    with pytest.raises(Refused, match="each action in a MARAC action plan has one"):
        services.reassign_action(action=case_action, owner=nobodys, actor=officer)
    case_action.refresh_from_db()
    assert (case_action.owner, case_action.owner_agency.name) == (None, "Greater Manchester Police")


def test_the_action_form_asks_for_the_owning_agency_of_a_marac_case_action(
    listed, meeting, officer
):
    nobodys = UserFactory(roles=[Role.SAFEGUARDING_OFFICER], agency=None, full_name="No Agency")
    form = forms.ActionForm(
        {
            "description": CASE_ACTION,
            "agenda_item": listed.pk,
            "owner": nobodys.pk,
            "due_on": "2026-03-01",
        },
        meeting=meeting,
        agenda_items=[listed],
    )
    assert not form.is_valid()
    assert form.errors["owner_agency"] == [
        "Choose the agency that owns this action: each action in a MARAC action plan has one"
    ]


# The meeting page -----------------------------------------------------------------------------


def test_outcome_and_action_plan_show_under_the_case_item_only_to_those_shown_it(
    discussed,
    listed,
    meeting,
    officer,
    officer_client,
    partner_client,
    latecomer,
    client_class_,
    police,
    idva_service,
):
    with time_machine.travel(DURING):
        _record(listed, officer, referring_agency=police, idva_agency=idva_service)
    url = reverse("meetings:meeting-detail", args=[meeting.pk])
    record_url = reverse("meetings:case-hearing-record", args=[listed.pk])
    with time_machine.travel(DURING, tick=False):
        during = _signed_in_during_the_meeting(client_class_, officer, meeting)
        assert record_url in during.get(url).content.decode()
    shown = officer_client.get(url).content.decode()
    # Before the meeting has started the outcome is not recorded, so it is not offered.
    assert record_url not in shown
    assert "Action plan agreed" in shown
    assert "Jo Adviser, Independent DV Advisers" in shown
    assert CASE_ACTION in shown

    late_client = client_class_()
    late_client.force_login(latecomer)
    affirm(late_client, meeting)
    for client in (partner_client, late_client):
        page = client.get(url).content.decode()
        assert "Case item (details restricted)" in page
        assert "Jo Adviser" not in page
        assert "Action plan agreed" not in page
        assert record_url not in page


def _page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_marac_meeting_page_runs_the_same_queries_for_one_case_heard_or_three(
    meetings,
    make_forum,
    generate,
    partner_user,
    make_case,
    consent,
    attending,
    add_item,
    officer,
    officer_client,
    police,
    idva_service,
):
    def hear(meeting, cases):
        services.affirm_confidentiality(meeting=meeting, actor=officer)
        for case in cases:
            consent(case, attending)
            services.create_action(
                meeting=meeting,
                agenda_item=add_item(meeting, case),
                description=CASE_ACTION,
                owner_agency=police,
                due_on=date(2026, 5, 1),
                actor=officer,
            )

    # Two MARACs' first meetings, so that neither has actions carried over to it.
    salford = make_forum(
        name="Salford MARAC", member_agencies=[police, idva_service], members=[partner_user]
    )
    one, three = generate(salford, date(2026, 2, 1), date(2026, 2, 28))[0], meetings[0]
    hear(one, [make_case()])
    hear(three, [make_case(), make_case(), make_case()])
    with time_machine.travel(datetime(2026, 3, 10, 12, 0, tzinfo=LONDON)):
        for item in [*one.agenda_items.all(), *three.agenda_items.all()]:
            _record(item, officer, referring_agency=police, idva_agency=idva_service)
    counts = [
        _page_queries(officer_client, reverse("meetings:meeting-detail", args=[meeting.pk]))
        for meeting in (one, three)
    ]
    assert counts[0] == counts[1]
