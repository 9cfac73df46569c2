"""An officer sees the cases assigned to them, managers, the Authority and compliance see all,
partner agencies see none here; any other case is a 404, recorded as refused."""

import pytest

from audit.models import AuditEvent, Verb
from core.roles import Role
from sharing import services
from sharing.permissions import can_change_case, can_view_case, cases_visible_to


@pytest.fixture
def two_cases(make_case, make_user, officer):
    colleague = make_user(Role.SAFEGUARDING_OFFICER)
    return make_case(officers=[officer]), make_case(officers=[colleague], actor=colleague)


@pytest.mark.django_db
def test_an_officer_sees_only_the_cases_assigned_to_them(two_cases, officer):
    mine, _ = two_cases
    assert list(cases_visible_to(user=officer)) == [mine]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["manager", "authority_user", "compliance_reviewer"])
def test_managers_the_authority_and_compliance_see_every_case(request, two_cases, persona):
    person = request.getfixturevalue(persona)
    assert set(cases_visible_to(user=person)) == set(two_cases)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["partner_user", "partnership_manager", "administrator"])
def test_partners_and_people_outside_the_safeguarding_team_see_no_case(request, two_cases, persona):
    assert list(cases_visible_to(user=request.getfixturevalue(persona))) == []


@pytest.mark.django_db
def test_viewing_a_case_is_recorded(officer_client, officer, two_cases):
    mine, _ = two_cases
    assert officer_client.get(f"/cases/{mine.pk}/").status_code == 200
    event = AuditEvent.objects.filter(verb=Verb.VIEWED).get()
    assert (event.object_type, event.object_id, event.actor_id) == (
        "sharing.case",
        str(mine.pk),
        officer.pk,
    )


@pytest.mark.django_db
def test_a_case_not_assigned_to_the_officer_is_not_found_and_the_attempt_recorded(
    officer_client, officer, two_cases
):
    _, theirs = two_cases
    response = officer_client.get(f"/cases/{theirs.pk}/")
    assert response.status_code == 404
    assert theirs.reference not in response.content.decode()
    event = AuditEvent.objects.filter(verb=Verb.VIEW_DENIED).get()
    assert (event.object_id, event.actor_id) == (str(theirs.pk), officer.pk)
    assert not AuditEvent.objects.filter(verb=Verb.VIEWED).exists()


@pytest.mark.django_db
def test_a_missing_case_and_a_forbidden_case_look_the_same(partner_client, two_cases):
    forbidden = partner_client.get(f"/cases/{two_cases[0].pk}/")
    missing = partner_client.get("/cases/999999/")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/cases/{pk}/edit/",
        "/cases/{pk}/close/",
        "/cases/{pk}/notes/new/",
        "/cases/{pk}/indicators/new/",
        "/cases/{pk}/escalate/",
        "/cases/{pk}/referrals/new/",
    ],
)
def test_the_authority_may_read_a_case_but_not_change_it(authority_client, case, path):
    assert authority_client.get(f"/cases/{case.pk}/").status_code == 200
    assert authority_client.get(path.format(pk=case.pk)).status_code == 404


@pytest.mark.django_db
def test_the_case_lists_are_for_the_safeguarding_team(
    officer_client, manager_client, partner_client, authority_client
):
    assert officer_client.get("/cases/mine/").status_code == 200
    assert officer_client.get("/cases/").status_code == 403
    assert manager_client.get("/cases/").status_code == 200
    assert authority_client.get("/cases/").status_code == 200
    assert partner_client.get("/cases/").status_code == 403
    assert partner_client.get("/cases/mine/").status_code == 403


@pytest.mark.django_db
def test_my_cases_lists_only_the_officers_own(officer_client, two_cases):
    mine, theirs = two_cases
    html = officer_client.get("/cases/mine/").content.decode()
    assert mine.reference in html
    assert theirs.reference not in html


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["send", "status"])
def test_a_referral_on_a_case_not_assigned_to_the_officer_is_not_found_and_recorded(
    officer_client, officer, two_cases, make_referral, page
):
    _, theirs = two_cases
    referral = make_referral(theirs, actor=theirs.assigned_officers.get())
    forbidden = officer_client.get(f"/referrals/{referral.pk}/{page}/")
    missing = officer_client.get(f"/referrals/999999/{page}/")
    assert forbidden.status_code == missing.status_code == 404
    assert theirs.reference not in forbidden.content.decode()
    denied = AuditEvent.objects.filter(verb=Verb.VIEW_DENIED, actor=officer)
    assert {event.object_id for event in denied} == {str(theirs.pk), "999999"}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["partnership_manager", "administrator", "partner_user"])
def test_being_assigned_to_a_case_does_not_let_a_role_without_case_work_see_it(
    request, client, case, persona
):
    # An assignment made outside the form (the admin, a shell, a role changed since) must not
    # widen what the role allows: the list, the page and the yes/no check all refuse.
    person = request.getfixturevalue(persona)
    case.assigned_officers.add(person)
    assert list(cases_visible_to(user=person)) == []
    assert not can_view_case(person, case)
    assert not can_change_case(person, case)
    client.force_login(person)
    assert client.get(f"/cases/{case.pk}/").status_code == 404


@pytest.mark.django_db
def test_an_officer_given_sight_reads_the_case_but_cannot_change_it(
    client, make_user, manager, case
):
    colleague = make_user(Role.SAFEGUARDING_OFFICER)
    services.give_sight_of_case(case=case, person=colleague, actor=manager)
    assert can_view_case(colleague, case) and list(cases_visible_to(user=colleague)) == [case]
    assert not can_change_case(colleague, case)
    client.force_login(colleague)
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    assert client.get(f"/cases/{case.pk}/edit/").status_code == 404
