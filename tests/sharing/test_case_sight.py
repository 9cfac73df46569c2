"""A manager gives a colleague sight of a case (a django-guardian grant on that case): they can
read it, not change it, and it is in the audit log; partners never get sight this way."""

import pytest
from django.test import Client

from audit.models import AuditEvent, Verb
from core.roles import Role
from sharing.permissions import cases_visible_to
from sharing.services import SightRefused, give_sight_of_case, withdraw_sight_of_case


@pytest.mark.django_db
def test_a_colleague_given_sight_reads_the_case_but_cannot_change_it(
    manager_client, manager, make_user, case
):
    colleague = make_user(Role.SAFEGUARDING_OFFICER, full_name="Cover Officer")
    client = Client()
    client.force_login(colleague)
    assert client.get(f"/cases/{case.pk}/").status_code == 404

    response = manager_client.post(f"/cases/{case.pk}/sight/", {"person": colleague.pk})
    assert response.status_code == 302
    assert list(cases_visible_to(user=colleague)) == [case]
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    assert client.get(f"/cases/{case.pk}/edit/").status_code == 404
    assert AuditEvent.objects.filter(
        verb=Verb.PERMISSION_CHANGED, object_id=str(case.pk), detail__person_id=colleague.pk
    ).exists()

    withdraw_sight_of_case(case=case, person=colleague, actor=manager)
    assert client.get(f"/cases/{case.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_partner_user_is_never_given_sight_of_a_case(manager, partner_user, case):
    with pytest.raises(SightRefused, match="through a disclosure"):
        give_sight_of_case(case=case, person=partner_user, actor=manager)
    assert not cases_visible_to(user=partner_user).exists()


@pytest.mark.django_db
def test_only_managers_decide_who_else_sees_a_case(officer_client, case):
    assert officer_client.get(f"/cases/{case.pk}/sight/").status_code == 404


@pytest.mark.django_db
def test_visible_cases_are_one_query_however_many_grants(
    make_user, manager, make_case, django_assert_num_queries
):
    colleague = make_user(Role.SAFEGUARDING_OFFICER)
    for _ in range(5):
        give_sight_of_case(case=make_case(), person=colleague, actor=manager)
    with django_assert_num_queries(1):
        assert len(list(cases_visible_to(user=colleague))) == 5


@pytest.mark.django_db
@pytest.mark.parametrize("withdraw", ["abc", "²", "-1", "99999999999999999999999", ""])
def test_withdrawing_sight_from_an_id_that_is_not_a_number_is_not_found(
    manager_client, case, withdraw
):
    response = manager_client.post(f"/cases/{case.pk}/sight/", {"withdraw": withdraw})
    assert response.status_code == 404
