"""Case items on agendas: listing a case is a disclosure to every agency attending, through the
consent gate, all or nothing; its details reach only the people covered, once they have affirmed
the meeting's confidentiality statement; repeats are flagged; calendars never carry the case."""

from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Agency, AgencyKind
from audit.models import AuditEvent, Verb
from core.authority import NotPermitted
from core.roles import Role
from meetings import permissions, selectors, services
from meetings.calendars import feeds
from meetings.calendars.schedule import LONDON
from meetings.models import Action, AgendaItem, ConfidentialityAffirmation, Refused, Response
from meetings.services import CaseItemRefused
from sharing.models import (
    Disclosure,
    DisclosureMethod,
    LawfulBasis,
    PersonTold,
    Purpose,
)
from sharing.services import (
    DisclosureRefused,
    RefusalReason,
    give_sight_of_case,
    revoke_consent,
)
from sharing.services import disclosures as disclosure_services
from tests.meetings.case_items import (
    CASE_ACTION,
    CATEGORIES,
    GENERAL_ACTION,
    GENERAL_MINUTES,
    MINUTES,
    SUMMARY,
    affirm,
)
from tests.sample_files import PDF

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock", "agreements")]


def _meeting_url(meeting):
    return reverse("meetings:meeting-detail", args=[meeting.pk])


def _form_data(case, **fields):
    data = {
        "case": case.pk,
        "heading": "new referral",
        "purpose": Purpose.RISK_ASSESSMENT,
        "categories": CATEGORIES,
        "content": SUMMARY,
        "necessity": "She is at high risk of serious harm; agencies need to plan her safety.",
        "lawful_basis": LawfulBasis.PUBLIC_TASK,
        "special_category_condition": "sch1_para18",
        "person_told": PersonTold.TOLD,
    }
    data.update(fields)
    return data


# The gate -----------------------------------------------------------------------------------


def test_a_case_item_is_refused_as_a_whole_when_one_attending_agency_lacks_consent(
    meeting, case, consent, police, idva_service, partner_user, add_item
):
    consent(case, [police, partner_user.agency])
    events_before = AuditEvent.objects.count()

    with pytest.raises(CaseItemRefused) as refused:
        add_item(meeting, case)

    assert [agency for agency, _ in refused.value.refusals] == [idva_service]
    assert "Independent DV Advisers" in str(refused.value)
    assert not AgendaItem.objects.filter(case=case).exists()
    assert not Disclosure.objects.filter(case=case).exists()
    # The one thing written is the refusal, on record for the uncovered agency alone.
    refusal = AuditEvent.objects.get(sequence__gt=events_before)
    assert refusal.verb == Verb.DISCLOSURE_REFUSED
    assert (refusal.object_type, refusal.object_id) == ("sharing.case", str(case.pk))
    assert refusal.detail["recipient_id"] == idva_service.pk
    assert refusal.detail["reason"] == "wrong_agency"


def test_the_page_names_each_agency_that_lacks_consent_and_why(
    meeting, case, consent, police, officer_client
):
    consent(case, [police])
    response = officer_client.post(
        reverse("meetings:case-item-create", args=[meeting.pk]), _form_data(case)
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Independent DV Advisers: No consent from the Authority names Independent DV" in page
    assert "Partner Charity: No consent from the Authority names Partner Charity" in page
    assert "Greater Manchester Police:" not in page
    assert not AgendaItem.objects.filter(case=case).exists()


def test_the_refusal_links_to_a_consent_request_for_exactly_the_agencies_not_covered(
    meeting, case, consent, police, idva_service, partner_user, officer_client
):
    consent(case, [police])
    response = officer_client.post(
        reverse("meetings:case-item-create", args=[meeting.pk]), _form_data(case)
    )

    link = response.context["consent_request_url"]
    assert "Request consent for these agencies" in response.content.decode()
    request_page = officer_client.get(link)
    form = request_page.context["form"]
    assert sorted(int(pk) for pk in form["recipients"].value()) == sorted(
        [idva_service.pk, partner_user.agency_id]
    )
    assert form["purposes"].value() == [Purpose.RISK_ASSESSMENT]
    assert sorted(form["categories"].value()) == sorted(CATEGORIES)
    assert str(meeting.forum) in form["necessity"].value()


def test_an_agency_lacking_only_an_agreement_gets_no_consent_request(
    meeting, case, consent, attending, police, officer_client
):
    consent(case, attending)
    Agency.objects.filter(pk=police.pk).update(
        information_sharing_agreement_review_due_on=date(2026, 1, 1)
    )
    response = officer_client.post(
        reverse("meetings:case-item-create", args=[meeting.pk]), _form_data(case)
    )
    assert "due for review" in response.content.decode()
    assert "consent_request_url" not in response.context


def test_an_agency_without_a_current_agreement_is_named_too(
    meeting, case, consent, attending, police, add_item
):
    consent(case, attending)
    Agency.objects.filter(pk=police.pk).update(
        information_sharing_agreement_review_due_on=date(2026, 1, 1)
    )
    with pytest.raises(CaseItemRefused) as refused:
        add_item(meeting, case)
    assert [agency for agency, _ in refused.value.refusals] == [police]
    assert "due for review" in refused.value.refusals[0][1]


def test_with_consent_for_every_attending_agency_each_gets_one_disclosure_at_the_meeting(
    listed, case, attending, provider
):
    disclosures = list(Disclosure.objects.filter(case=case))

    assert sorted(d.recipient_id for d in disclosures) == sorted(a.pk for a in attending)
    assert provider.pk not in {d.recipient_id for d in disclosures}
    for disclosure in disclosures:
        assert disclosure.method == DisclosureMethod.MEETING
        assert (disclosure.source_type, disclosure.source_id) == (
            "meetings.agendaitem",
            str(listed.pk),
        )
        assert disclosure.content.text == SUMMARY
    assert listed.title == f"{case.reference}: new referral"
    assert case.family_name not in listed.title
    assert str(listed) == "1. Case item"


def test_a_case_item_added_through_the_page_lands_on_the_agenda(
    meeting, case, consent, attending, officer_client
):
    consent(case, attending)
    response = officer_client.post(
        reverse("meetings:case-item-create", args=[meeting.pk]), _form_data(case)
    )
    assert response.status_code == 302, response.content.decode()
    assert Disclosure.objects.filter(case=case).count() == 3


def test_if_the_gate_refuses_in_a_race_nothing_is_kept(
    meeting, case, consent, attending, idva_service, add_item, monkeypatch
):
    # The check before writing passes, then disclose() finds the consent gone for one agency
    # (SQLite takes no row locks, so a revocation can land between the two).
    consent(case, attending)
    real_disclose = disclosure_services.disclose

    def revoked_for_the_idva(**kwargs):
        if kwargs["recipient"].pk == idva_service.pk:
            raise DisclosureRefused(RefusalReason.REVOKED, "The consent was revoked")
        return real_disclose(**kwargs)

    monkeypatch.setattr(disclosure_services, "disclose", revoked_for_the_idva)

    with pytest.raises(CaseItemRefused) as refused:
        add_item(meeting, case)

    assert [agency for agency, _ in refused.value.refusals] == [idva_service]
    assert not AgendaItem.objects.filter(case=case).exists()
    assert not Disclosure.objects.filter(case=case).exists()
    assert not AuditEvent.objects.filter(verb=Verb.DISCLOSED).exists()
    refusal = AuditEvent.objects.get(verb=Verb.DISCLOSURE_REFUSED)
    assert refusal.detail["recipient_id"] == idva_service.pk


def test_an_agency_that_declined_is_not_given_the_case(
    meeting, case, consent, police, idva_service, partner_user, add_item
):
    attendance = meeting.attendances.get(person=partner_user)
    services.respond(attendance=attendance, response=Response.DECLINED, actor=partner_user)
    consent(case, [police, idva_service])

    item = add_item(meeting, case)

    recipients = set(Disclosure.objects.filter(case=case).values_list("recipient_id", flat=True))
    assert recipients == {police.pk, idva_service.pk}
    assert item.case_id == case.pk


def test_a_forum_that_does_not_discuss_cases_refuses_case_items(
    make_forum, generate, case, consent, police, add_item, officer_client
):
    locality = make_forum(kind="locality-forum", member_agencies=[police])
    meeting = generate(locality, date(2026, 2, 1), date(2026, 2, 28))[0]
    consent(case, [police])

    with pytest.raises(Refused, match="does not discuss individual cases"):
        add_item(meeting, case)

    assert not Disclosure.objects.exists()
    page = reverse("meetings:case-item-create", args=[meeting.pk])
    assert officer_client.get(page).status_code == 404


@pytest.mark.parametrize("persona", ["partnership_manager", "other_officer"])
def test_only_someone_who_may_change_the_case_lists_it(
    request, persona, meeting, case, consent, attending, add_item, make_user
):
    consent(case, attending)
    actor = (
        make_user(Role.SAFEGUARDING_OFFICER)
        if persona == "other_officer"
        else request.getfixturevalue(persona)
    )
    with pytest.raises(NotPermitted, match="may not list this case"):
        add_item(meeting, case, actor=actor)
    assert not Disclosure.objects.exists()


def test_the_case_item_page_is_not_found_for_those_who_cannot_list_cases(
    meeting, partnership_manager_client, partner_client
):
    url = reverse("meetings:case-item-create", args=[meeting.pk])
    assert partnership_manager_client.get(url).status_code == 404
    assert partner_client.get(url).status_code == 404


def test_the_title_never_carries_the_persons_name(meeting, case, consent, attending, add_item):
    consent(case, attending)
    with pytest.raises(Refused, match="name out of the title"):
        add_item(meeting, case, title=f"{case.given_names} – new referral")
    assert not Disclosure.objects.exists()


def test_a_case_item_cannot_be_changed_once_shared(
    listed, partnership_manager, partnership_manager_client
):
    listed.description = "Something else"
    with pytest.raises(Refused, match="cannot be changed"):
        services.change_agenda_item(
            item=listed, changed_fields=["description"], actor=partnership_manager
        )
    edit = reverse("meetings:agenda-item-edit", args=[listed.pk])
    assert partnership_manager_client.get(edit).status_code == 404


# Who sees the details -----------------------------------------------------------------------


def test_a_covered_partner_sees_the_case_only_after_affirming_confidentiality(
    listed, meeting, case, partner_client, partner_user
):
    before = partner_client.get(_meeting_url(meeting)).content.decode()
    assert "Case item (details restricted)" in before
    assert case.reference not in before
    assert SUMMARY not in before

    affirm(partner_client, meeting)

    after = partner_client.get(_meeting_url(meeting)).content.decode()
    assert case.reference in after
    assert SUMMARY in after
    assert case.family_name not in after
    assert (
        ConfidentialityAffirmation.objects.filter(meeting=meeting, person=partner_user).count() == 1
    )
    affirm(partner_client, meeting)
    assert (
        ConfidentialityAffirmation.objects.filter(meeting=meeting, person=partner_user).count() == 1
    )


def test_an_agency_invited_after_the_case_was_listed_does_not_see_it(
    listed, meeting, marac, case, consent, make_agency, make_user, client, partnership_manager
):
    latecomer = make_agency(
        "Manchester Adult Social Care",
        kind=AgencyKind.ADULT_SOCIAL_CARE,
        information_sharing_agreement_signed_on=date(2025, 1, 1),
        information_sharing_agreement_review_due_on=date(2030, 1, 1),
    )
    marac.member_agencies.add(latecomer)
    social_worker = make_user(Role.PARTNER, agency=latecomer)
    services.invite(
        meeting=meeting, agency=latecomer, person=social_worker, actor=partnership_manager
    )
    paper = services.add_paper(
        item=listed,
        uploaded=SimpleUploadedFile("risk.pdf", PDF, content_type="application/pdf"),
        actor=listed.case.assigned_officers.get(),
    )
    client.force_login(social_worker)
    affirm(client, meeting)

    page = client.get(_meeting_url(meeting)).content.decode()

    assert "Case item (details restricted)" in page
    assert case.reference not in page and SUMMARY not in page and "risk.pdf" not in page
    assert client.get(reverse("meetings:paper-download", args=[paper.pk])).status_code == 404


def test_papers_of_a_case_item_reach_only_covered_people_who_affirmed(
    listed, meeting, officer, partner_client
):
    paper = services.add_paper(
        item=listed,
        uploaded=SimpleUploadedFile("risk.pdf", PDF, content_type="application/pdf"),
        actor=officer,
    )
    url = reverse("meetings:paper-download", args=[paper.pk])
    assert partner_client.get(url).status_code == 404
    affirm(partner_client, meeting)
    assert partner_client.get(url).status_code == 200


def test_only_those_working_on_the_case_add_papers_to_its_item(listed, partnership_manager_client):
    url = reverse("meetings:paper-upload", args=[listed.pk])
    assert partnership_manager_client.get(url).status_code == 404


def test_team_staff_see_the_case_they_may_view_once_affirmed_and_others_do_not(
    listed, meeting, case, officer_client, partnership_manager_client
):
    assert case.reference not in officer_client.get(_meeting_url(meeting)).content.decode()
    affirm(officer_client, meeting)
    assert case.reference in officer_client.get(_meeting_url(meeting)).content.decode()

    # The partnership manager runs the meeting but may not see the case, and their agency (the
    # provider) is never disclosed to.
    affirm(partnership_manager_client, meeting)
    page = partnership_manager_client.get(_meeting_url(meeting)).content.decode()
    assert "Case item (details restricted)" in page and case.reference not in page


def test_the_newly_invited_agency_is_shared_with_through_the_same_gate(
    listed, meeting, marac, case, consent, make_agency, make_user, partnership_manager,
    officer_client, client,
):  # fmt: skip
    latecomer = make_agency(
        "Manchester Adult Social Care",
        kind=AgencyKind.ADULT_SOCIAL_CARE,
        information_sharing_agreement_signed_on=date(2025, 1, 1),
        information_sharing_agreement_review_due_on=date(2030, 1, 1),
    )
    marac.member_agencies.add(latecomer)
    social_worker = make_user(Role.PARTNER, agency=latecomer)
    services.invite(
        meeting=meeting, agency=latecomer, person=social_worker, actor=partnership_manager
    )
    affirm(officer_client, meeting)
    page = officer_client.get(_meeting_url(meeting)).content.decode()
    assert "Not shared with Manchester Adult Social Care" in page
    share = reverse("meetings:case-item-share", args=[listed.pk])
    form = officer_client.get(share).content.decode()
    assert "Manchester Adult Social Care" in form

    refused = officer_client.post(share, _form_data(case))
    assert "Manchester Adult Social Care: No consent from the Authority names" in (
        refused.content.decode()
    )
    assert not Disclosure.objects.filter(recipient=latecomer).exists()

    consent(case, [latecomer])
    assert officer_client.post(share, _form_data(case)).status_code == 302
    disclosure = Disclosure.objects.get(recipient=latecomer)
    assert disclosure.source_id == str(listed.pk)
    assert disclosure.content.text == SUMMARY
    client.force_login(social_worker)
    affirm(client, meeting)
    assert case.reference in client.get(_meeting_url(meeting)).content.decode()
    assert "Not shared with" not in officer_client.get(_meeting_url(meeting)).content.decode()


# Minutes and actions of a meeting that discussed cases ------------------------------------


@pytest.fixture
def circulated(discussed, meeting, officer):
    """The minutes circulated by the officer on the case: released to the agencies given it."""
    services.circulate_minutes(minutes=services.current_minutes(meeting), actor=officer)
    return discussed


def test_minutes_and_case_actions_reach_a_covered_partner_but_not_an_uncovered_one(
    circulated, meeting, partner_client, latecomer, client
):
    case_action, _general = circulated
    client.force_login(latecomer)
    for person in (partner_client, client):
        affirm(person, meeting)

    covered = partner_client.get(_meeting_url(meeting)).content.decode()
    uncovered = client.get(_meeting_url(meeting)).content.decode()

    assert MINUTES in covered and CASE_ACTION in covered and GENERAL_ACTION in covered
    assert GENERAL_MINUTES in covered and GENERAL_MINUTES in uncovered
    assert MINUTES not in uncovered and CASE_ACTION not in uncovered
    assert "One part of these minutes is about a case not shared with you" in uncovered
    assert "Action on a case item (details restricted)" in uncovered
    assert GENERAL_ACTION in uncovered
    detail = reverse("meetings:action-detail", args=[case_action.pk])
    assert CASE_ACTION in partner_client.get(detail).content.decode()
    assert CASE_ACTION not in client.get(detail).content.decode()


def test_minutes_of_a_meeting_with_cases_wait_for_the_confidentiality_statement(
    circulated, meeting, partner_client
):
    before = partner_client.get(_meeting_url(meeting)).content.decode()
    assert MINUTES not in before and CASE_ACTION not in before
    assert GENERAL_MINUTES in before
    assert "case parts wait for you to affirm the confidentiality statement" in before
    affirm(partner_client, meeting)
    assert MINUTES in partner_client.get(_meeting_url(meeting)).content.decode()


def test_team_staff_who_may_not_see_the_case_neither_read_nor_edit_its_minutes(
    discussed, meeting, officer_client, partnership_manager_client
):
    for staff in (officer_client, partnership_manager_client):
        affirm(staff, meeting)
    assert MINUTES in officer_client.get(_meeting_url(meeting)).content.decode()
    page = partnership_manager_client.get(_meeting_url(meeting)).content.decode()
    assert MINUTES not in page and CASE_ACTION not in page
    edit = reverse("meetings:minutes-edit", args=[meeting.pk])
    assert partnership_manager_client.get(edit).status_code == 404


def test_the_officer_on_the_case_keeps_the_minutes_its_partnership_manager_may_not_read(
    discussed, meeting, officer_client, partnership_manager_client
):
    for staff in (officer_client, partnership_manager_client):
        affirm(staff, meeting)
    circulate = reverse("meetings:minutes-transition", args=[meeting.pk, "circulate"])
    approve = reverse("meetings:minutes-transition", args=[meeting.pk, "approve"])
    assert partnership_manager_client.post(circulate).status_code == 404
    assert "Circulate minutes" in officer_client.get(_meeting_url(meeting)).content.decode()
    officer_client.post(circulate)
    assert partnership_manager_client.post(approve).status_code == 404
    officer_client.post(approve)
    current = meeting.minutes_versions.order_by("-version").first()
    assert current.status == "approved"
    assert current.approved_by.full_name == "Sam Officer"


def test_circulating_case_minutes_releases_them_to_each_agency_given_the_case(
    discussed, meeting, officer, attending, partner_client, listed
):
    affirm(partner_client, meeting)
    assert MINUTES not in partner_client.get(_meeting_url(meeting)).content.decode()
    assert (
        "not been circulated to you yet"
        in partner_client.get(_meeting_url(meeting)).content.decode()
    )

    minutes = services.circulate_minutes(minutes=services.current_minutes(meeting), actor=officer)

    part = minutes.case_parts.get()
    released = Disclosure.objects.filter(
        source_type="meetings.minutescasepart", source_id=str(part.pk)
    )
    assert sorted(released.values_list("recipient_id", flat=True)) == sorted(
        agency.pk for agency in attending
    )
    assert not Disclosure.objects.filter(source_type="meetings.minutes").exists()
    assert {(d.case_id, d.method, d.purpose) for d in released} == {
        (listed.case_id, "meeting", Purpose.RISK_ASSESSMENT)
    }
    assert {d.content.text for d in released} == {MINUTES}
    assert MINUTES in partner_client.get(_meeting_url(meeting)).content.decode()


def test_minutes_are_not_circulated_to_an_agency_whose_consent_was_revoked_since_the_meeting(
    discussed, meeting, officer, officer_client, partner_client, authority_user, listed
):
    consent = listed.case.consents.get()
    revoke_consent(consent=consent, reason="She withdrew her agreement.", actor=authority_user)
    affirm(officer_client, meeting)
    circulate = reverse("meetings:minutes-transition", args=[meeting.pk, "circulate"])

    page = officer_client.post(circulate, follow=True).content.decode()

    assert "The minutes cannot be circulated" in page and listed.case.reference in page
    minutes = services.current_minutes(meeting)
    assert minutes.status == "draft"
    assert not Disclosure.objects.filter(source_type="meetings.minutescasepart").exists()
    refused = AuditEvent.objects.filter(
        verb=Verb.DISCLOSURE_REFUSED, object_label=listed.case.reference
    )
    assert refused.count() == 3
    assert all(event.detail["reason"] == "revoked" for event in refused)
    affirm(partner_client, meeting)
    assert MINUTES not in partner_client.get(_meeting_url(meeting)).content.decode()


def test_a_correction_reaches_the_agencies_only_once_it_is_circulated_in_turn(
    circulated, meeting, officer, partner_client, listed
):
    services.approve_minutes(minutes=services.current_minutes(meeting), actor=officer)
    services.correct_minutes(
        meeting=meeting,
        body=GENERAL_MINUTES,
        case_parts={listed.pk: "Corrected: the IDVA flags the address."},
        reason="Who acts",
        actor=officer,
    )
    affirm(partner_client, meeting)
    page = partner_client.get(_meeting_url(meeting)).content.decode()
    assert MINUTES in page and "Corrected: the IDVA" not in page

    services.circulate_minutes(minutes=services.current_minutes(meeting), actor=officer)
    assert "Corrected: the IDVA" in partner_client.get(_meeting_url(meeting)).content.decode()
    assert Disclosure.objects.filter(source_type="meetings.minutescasepart").count() == 6


def test_someone_given_sight_of_the_case_keeps_its_minutes_but_may_not_circulate_them(
    discussed, meeting, manager, make_user, listed, client
):
    colleague = make_user(Role.SAFEGUARDING_OFFICER)
    give_sight_of_case(case=listed.case, person=colleague, actor=manager)
    client.force_login(colleague)
    affirm(client, meeting)
    minutes = services.current_minutes(meeting)

    page = client.get(_meeting_url(meeting)).content.decode()
    assert MINUTES in page and "Circulate minutes" not in page
    with pytest.raises(NotPermitted, match="circulate these minutes"):
        services.circulate_minutes(minutes=minutes, actor=colleague)
    minutes.refresh_from_db()
    assert minutes.status == "draft"
    assert not Disclosure.objects.filter(source_type="meetings.minutescasepart").exists()


def test_an_action_on_a_case_item_is_given_by_someone_shown_it_never_blind(
    listed, meeting, police, officer_client, partnership_manager_client, partnership_manager
):
    for staff in (officer_client, partnership_manager_client):
        affirm(staff, meeting)
    create = reverse("meetings:action-create", args=[meeting.pk])
    data = {
        "description": CASE_ACTION,
        "agenda_item": listed.pk,
        "owner_agency": police.pk,
        "due_on": "2026-03-01",
    }
    blind = partnership_manager_client.post(create, data)
    assert blind.status_code == 200
    assert listed.title not in blind.content.decode()
    assert not listed.actions.exists()

    offered = officer_client.get(create).content.decode()
    assert listed.title in offered and "The meeting as a whole" not in offered
    assert officer_client.post(create, data).status_code == 302
    assert listed.actions.get().created_by.full_name == "Sam Officer"
    with pytest.raises(NotPermitted, match="may not give this action"):
        services.create_action(
            meeting=meeting,
            agenda_item=listed,
            description="Blind",
            owner_agency=police,
            due_on=date(2026, 3, 1),
            actor=partnership_manager,
        )


def test_the_owner_of_an_action_on_a_case_item_reads_it(discussed, meeting, police_officer, client):
    case_action, _general = discussed
    client.force_login(police_officer)
    page = client.get(reverse("meetings:action-detail", args=[case_action.pk])).content.decode()
    assert CASE_ACTION in page


def test_a_partner_invited_only_to_a_later_meeting_sees_no_earlier_actions(
    discussed, meetings, marac, make_agency, make_user, partnership_manager, client,
    partner_client,
):  # fmt: skip
    _february, march, _april = meetings
    newcomer = make_user(Role.PARTNER, agency=make_agency("Salford Women's Aid"))
    marac.member_agencies.add(newcomer.agency)
    services.invite(
        meeting=march, agency=newcomer.agency, person=newcomer, actor=partnership_manager
    )
    client.force_login(newcomer)
    affirm(client, march)

    later = client.get(_meeting_url(march)).content.decode()

    assert GENERAL_ACTION not in later and CASE_ACTION not in later
    assert "No open actions carried over." in later
    assert GENERAL_ACTION in partner_client.get(_meeting_url(march)).content.decode()


# Giving a case item's action to an agency is a release -------------------------------------


@pytest.fixture
def outsider(make_agency, make_user, marac):
    """A partner whose agency the Authority never consented to give the case."""
    agency = make_agency(
        "Salford Women's Aid",
        information_sharing_agreement_signed_on=date(2025, 1, 1),
        information_sharing_agreement_review_due_on=date(2030, 1, 1),
    )
    marac.member_agencies.add(agency)
    return make_user(Role.PARTNER, agency=agency)


@pytest.fixture
def officer_shown(listed, meeting, officer):
    services.affirm_confidentiality(meeting=meeting, actor=officer)
    return officer


def _give(meeting, item, agency, actor):
    return services.create_action(
        meeting=meeting,
        agenda_item=item,
        description=CASE_ACTION,
        owner_agency=agency,
        due_on=date(2026, 3, 1),
        actor=actor,
    )


def test_an_action_on_a_case_item_is_refused_to_an_agency_the_case_was_never_given(
    listed, meeting, case, officer_shown, outsider, client
):
    with pytest.raises(CaseItemRefused) as refused:
        _give(meeting, listed, outsider.agency, officer_shown)

    assert "Salford Women's Aid" in str(refused.value)
    assert [agency for agency, _ in refused.value.refusals] == [outsider.agency]
    assert not listed.actions.exists()
    assert not Disclosure.objects.filter(recipient=outsider.agency).exists()
    refusal = AuditEvent.objects.get(verb=Verb.DISCLOSURE_REFUSED)
    assert refusal.detail["recipient_id"] == outsider.agency_id
    client.force_login(outsider)
    assert CASE_ACTION not in client.get(reverse("meetings:action-mine")).content.decode()


def test_the_action_page_names_the_agency_the_case_was_never_given(
    listed, meeting, officer_shown, outsider, officer_client
):
    response = officer_client.post(
        reverse("meetings:action-create", args=[meeting.pk]),
        {
            "description": CASE_ACTION,
            "agenda_item": listed.pk,
            "owner_agency": outsider.agency_id,
            "due_on": "2026-03-01",
        },
    )
    assert response.status_code == 200
    assert "Salford Women&#x27;s Aid: No consent from the Authority names" in (
        response.content.decode()
    )
    assert not listed.actions.exists()


def test_an_action_given_to_a_covered_agency_reaches_it_through_the_gate(
    listed, meeting, case, police, officer_shown, police_officer, client
):
    action = _give(meeting, listed, police, officer_shown)

    disclosure = Disclosure.objects.get(source_type="meetings.action", source_id=str(action.pk))
    assert (disclosure.recipient, disclosure.case) == (police, case)
    assert disclosure.content.text == CASE_ACTION
    assert disclosure.method == DisclosureMethod.MEETING
    client.force_login(police_officer)
    assert CASE_ACTION in client.get(reverse("meetings:action-mine")).content.decode()
    page = client.get(reverse("meetings:action-detail", args=[action.pk])).content.decode()
    assert CASE_ACTION in page


def test_giving_a_case_action_to_an_uncovered_agency_later_is_refused_then_released(
    listed, meeting, case, police, officer_shown, outsider, consent, client
):
    action = _give(meeting, listed, police, officer_shown)

    with pytest.raises(CaseItemRefused, match="Salford Women's Aid"):
        services.reassign_action(action=action, owner_agency=outsider.agency, actor=officer_shown)

    action.refresh_from_db()
    assert action.owner_agency == police
    assert not Disclosure.objects.filter(recipient=outsider.agency).exists()
    assert AuditEvent.objects.get(verb=Verb.DISCLOSURE_REFUSED).detail["recipient_id"] == (
        outsider.agency_id
    )

    consent(case, [outsider.agency])
    services.reassign_action(action=action, owner_agency=outsider.agency, actor=officer_shown)

    action.refresh_from_db()
    assert action.owner_agency == outsider.agency
    released = Disclosure.objects.get(recipient=outsider.agency)
    assert (released.source_type, released.source_id) == ("meetings.action", str(action.pk))
    client.force_login(outsider)
    assert CASE_ACTION in client.get(reverse("meetings:action-mine")).content.decode()


def test_a_case_action_that_reached_an_agency_without_the_gate_stays_restricted_there(
    listed, meeting, officer, outsider, client, marac, partnership_manager
):
    services.invite(
        meeting=meeting, agency=outsider.agency, person=outsider, actor=partnership_manager
    )
    # Written before the gate guarded actions: owned by an agency never given the case.
    action = Action.objects.create(
        meeting=meeting,
        agenda_item=listed,
        description=CASE_ACTION,
        owner_agency=outsider.agency,
        due_on=date(2026, 3, 1),
        created_by=officer,
    )
    client.force_login(outsider)
    pages = [
        reverse("meetings:action-detail", args=[action.pk]),
        reverse("meetings:action-mine"),
        reverse("meetings:forum-detail", args=[marac.pk]),
        _meeting_url(meeting),
    ]
    affirm(client, meeting)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert CASE_ACTION not in response.content.decode(), url
    assert not permissions.may_update_action(outsider, action)


# A meeting's minutes stay as confidential as what they contain -----------------------------


def test_turning_off_a_forums_case_discussion_leaves_its_case_minutes_restricted(
    discussed, meeting, marac, partnership_manager, partnership_manager_client, latecomer,
    client, officer_client,
):  # fmt: skip
    marac.discusses_cases = False
    services.save_forum(
        forum=marac,
        member_agencies=list(marac.member_agencies.all()),
        members=list(marac.members.all()),
        changed_fields=["discusses_cases"],
        actor=partnership_manager,
    )
    client.force_login(latecomer)
    for person in (client, partnership_manager_client, officer_client):
        affirm(person, meeting)

    for person in (client, partnership_manager_client):
        page = person.get(_meeting_url(meeting)).content.decode()
        assert MINUTES not in page
        assert "The minutes have not been circulated to you yet" in page
    assert MINUTES in officer_client.get(_meeting_url(meeting)).content.decode()

    # Nor does anyone not shown the case items keep them, through the page or the service.
    edit = reverse("meetings:minutes-edit", args=[meeting.pk])
    assert partnership_manager_client.get(edit).status_code == 404
    minutes = services.current_minutes(meeting)
    with pytest.raises(NotPermitted):
        services.circulate_minutes(minutes=minutes, actor=partnership_manager)
    with pytest.raises(NotPermitted):
        services.write_minutes(meeting=meeting, body="Rewritten", actor=partnership_manager)
    minutes.refresh_from_db()
    assert (minutes.status, minutes.body) == ("draft", GENERAL_MINUTES)
    assert minutes.case_parts.get().body == MINUTES


def test_a_partnership_manager_not_shown_a_case_item_cannot_write_on_its_action(
    discussed, meeting, partnership_manager, partnership_manager_client
):
    case_action, general = discussed
    affirm(partnership_manager_client, meeting)
    url = reverse("meetings:action-detail", args=[case_action.pk])

    page = partnership_manager_client.get(url).content.decode()
    assert "Add an update" not in page and CASE_ACTION not in page
    partnership_manager_client.post(url, {"form": "update", "note": "Blind note"})
    assert not case_action.updates.exists()
    with pytest.raises(NotPermitted):
        services.update_action(
            action=case_action, note="Blind note", in_progress=False, actor=partnership_manager
        )
    assert services.update_action(
        action=general, note="Pathway drafted", in_progress=True, actor=partnership_manager
    )


def test_a_later_meeting_does_not_offer_a_blind_review_of_a_case_action(
    discussed, meetings, partnership_manager, client, clock
):
    case_action, general = discussed
    march = meetings[1]
    clock.move_to(datetime(2026, 3, 10, 12, 0, tzinfo=LONDON))
    client.force_login(partnership_manager)
    affirm(client, march)

    page = client.get(_meeting_url(march)).content.decode()
    review = reverse("meetings:action-review", args=[march.pk, case_action.pk])
    assert review not in page
    assert reverse("meetings:action-review", args=[march.pk, general.pk]) in page
    assert client.get(review).status_code == 404


# Repeats ------------------------------------------------------------------------------------


def test_a_case_listed_again_within_12_months_at_the_forum_is_a_repeat(
    meetings, marac, case, consent, attending, add_item, officer, officer_client,
    partnership_manager,
):  # fmt: skip
    consent(case, attending)
    a_year_before = services.create_meeting(
        forum=marac,
        start=datetime(2025, 2, 11, 10, 0, tzinfo=LONDON),
        end=datetime(2025, 2, 11, 12, 0, tzinfo=LONDON),
        location="Manchester Town Hall",
        online_url="",
        actor=partnership_manager,
    )
    add_item(a_year_before, case)
    _february, march, april = meetings
    add_item(march, case)
    add_item(april, case)

    def tagged(meeting):
        page = selectors.meeting_page(meeting=meeting, user=officer)
        return [item.is_repeat for item in page.agenda if item.case_id]

    for meeting in (a_year_before, march, april):
        services.affirm_confidentiality(meeting=meeting, actor=officer)
    assert tagged(a_year_before) == [False]
    assert tagged(march) == [False]
    assert tagged(april) == [True]
    assert "Repeat" in officer_client.get(_meeting_url(april)).content.decode()


# Query counts and calendars -----------------------------------------------------------------


def _page_queries(client, meeting) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_meeting_url(meeting)).status_code == 200
    return len(queries)


def test_the_meeting_page_runs_the_same_queries_whatever_the_number_of_case_items(
    meetings, make_case, consent, attending, add_item, officer_client, partner_client, police,
    officer,
):  # fmt: skip
    # Both pages carry over the first meeting's action; the second's carries over to the third.
    first, small, large = meetings
    for meeting, count in ((first, 1), (small, 1), (large, 6)):
        affirm(officer_client, meeting)
        affirm(partner_client, meeting)
        for _ in range(count):
            case = make_case()
            consent(case, attending)
            item = add_item(meeting, case)
            services.create_action(
                meeting=meeting,
                agenda_item=item,
                description=CASE_ACTION,
                owner_agency=police,
                due_on=date(2026, 3, 1),
                actor=officer,
            )

    for client in (officer_client, partner_client):
        assert _page_queries(client, small) == _page_queries(client, large)


def test_calendar_downloads_and_feeds_never_carry_the_case(
    listed, meeting, marac, case, partner_client, partner_user
):
    feed = services.reset_calendar_feed(user=partner_user, actor=partner_user)
    outputs = [
        partner_client.get(reverse("meetings:meeting-calendar", args=[meeting.pk])),
        partner_client.get(reverse("meetings:forum-calendar", args=[marac.pk])),
        partner_client.get(reverse("meetings:calendar-feed", args=[feeds.token_for(feed)])),
    ]
    for response in outputs:
        assert response.status_code == 200
        text = b"".join(response).decode() if response.streaming else response.content.decode()
        assert "BEGIN:VEVENT" in text
        for secret in (case.reference, case.given_names, case.family_name, SUMMARY[:20]):
            assert secret not in text


def test_affirming_is_recorded_in_the_audit_log(meeting, partner_user):
    affirmation = services.affirm_confidentiality(meeting=meeting, actor=partner_user)
    event = AuditEvent.objects.get(
        verb=Verb.CREATED,
        object_type="meetings.confidentialityaffirmation",
        object_id=str(affirmation.pk),
    )
    assert event.actor_id == partner_user.pk
    assert event.detail == {"meeting_id": meeting.pk}
