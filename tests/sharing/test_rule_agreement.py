"""For every access rule, the yes/no check and the queryset it derives from give the same answer,
whoever asks and whatever they ask about: drawn personas (roles, agency, active or not, assigned
to a case or given sight of it, whether or not their role works on cases) against cases and
disclosures."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agencies.models import AgencyKind, User
from core.roles import Role
from sharing import permissions, services
from sharing.models import Case, DataCategory, Disclosure, DisclosureMethod, PersonTold, Purpose

CASE_RULES = [
    (permissions.can_view_case, permissions.cases_visible_to),
    (permissions.can_change_case, permissions.cases_changeable_by),
    (permissions.can_release, permissions.cases_releasable_by),
]

personas = st.fixed_dictionaries(
    {
        "roles": st.sets(st.sampled_from(list(Role)), max_size=2),
        "agency": st.sampled_from(["recipient", "other", "team"]),
        "active": st.sampled_from([True, True, True, False]),
        "superuser": st.sampled_from([False] * 7 + [True]),
        # For each of the two cases: assigned to it, and given sight of it by a manager.
        "relations": st.lists(st.tuples(st.booleans(), st.booleans()), min_size=2, max_size=2),
    }
)


@pytest.fixture
def shared_cases(make_case, make_agency, officer, authority_user):
    """Two cases, one disclosed to "recipient", the other to "other"."""
    agreement = {
        "information_sharing_agreement_signed_on": date(2025, 1, 1),
        "information_sharing_agreement_review_due_on": date(2030, 1, 1),
    }
    agencies = {
        "recipient": make_agency("Recipient Police", kind=AgencyKind.POLICE, **agreement),
        "other": make_agency("Other Trust", kind=AgencyKind.NHS_TRUST, **agreement),
        "team": officer.agency,
    }
    cases = [make_case(family_name="First"), make_case(family_name="Second")]
    now = timezone.now()
    for case, recipient in zip(cases, [agencies["recipient"], agencies["other"]], strict=True):
        services.grant_consent(
            case=case,
            recipients=[recipient],
            purposes=[Purpose.SAFEGUARDING_REFERRAL],
            categories=[DataCategory.IDENTITY],
            valid_from=now - timedelta(days=1),
            valid_until=now + timedelta(days=30),
            actor=authority_user,
        )
        services.disclose(
            case=case,
            recipient=recipient,
            purpose=Purpose.SAFEGUARDING_REFERRAL,
            categories=[DataCategory.IDENTITY],
            content="Name and date of birth.",
            method=DisclosureMethod.PHONE,
            record_of_decision=services.DecisionRecord(
                necessity="They need to know.",
                lawful_basis="public_task",
                special_category_condition="",
                person_told=PersonTold.TOLD,
            ),
            actor=officer,
        )
    return agencies, cases


def _make_persona(drawn, agencies, cases) -> User:
    person = User.objects.create_user(
        email="drawn.persona@example.org",
        full_name="Drawn Persona",
        agency=agencies[drawn["agency"]],
        is_active=drawn["active"],
        is_superuser=drawn["superuser"],
    )
    person.groups.set(Group.objects.filter(name__in=[role.value for role in drawn["roles"]]))
    for case, (assigned, given_sight) in zip(cases, drawn["relations"], strict=True):
        if assigned:
            case.assigned_officers.add(person)
        if given_sight:
            assign_perm("sharing.view_case", person, case)
    # Fresh from the database, so no permission is answered from a cache filled before the
    # relations above existed.
    return User.objects.get(pk=person.pk)


@pytest.mark.django_db
@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(drawn=personas)
def test_every_yes_no_check_agrees_with_its_queryset(drawn, shared_cases):
    agencies, cases = shared_cases
    with transaction.atomic():
        person = _make_persona(drawn, agencies, cases)
        loaded = [
            *Case.objects.filter(pk__in=[case.pk for case in cases]),
            *Case.objects.filter(pk__in=[case.pk for case in cases]).prefetch_related(
                "assigned_officers"
            ),
        ]
        for case in loaded:
            for check, queryset in CASE_RULES:
                expected = queryset(user=person).filter(pk=case.pk).exists()
                assert check(person, case) == expected, (check.__name__, drawn)
        # Whoever may release about a case may change it, and whoever may change it may see it.
        visible, changeable, releasable = (
            set(queryset(user=person).values_list("pk", flat=True)) for _, queryset in CASE_RULES
        )
        assert releasable <= changeable <= visible, drawn
        for disclosure in Disclosure.objects.all():
            expected = permissions.disclosures_visible_to(user=person).filter(pk=disclosure.pk)
            assert permissions.can_view_disclosure(person, disclosure) == expected.exists(), drawn
        transaction.set_rollback(True)


@pytest.mark.django_db
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(drawn=personas)
def test_an_assignment_never_lets_a_role_see_more_than_it_allows(drawn, shared_cases):
    """Someone whose role does not work on cases and does not see every case sees exactly the
    cases a manager gave them sight of, assigned or not; partner users see none."""
    agencies, cases = shared_cases
    with transaction.atomic():
        person = _make_persona(drawn, agencies, cases)
        if person.has_perm("sharing.change_case") or person.has_perm("sharing.view_all_cases"):
            transaction.set_rollback(True)
            return
        partner = person.has_perm("sharing.view_received_disclosure")
        expected = {
            case.pk
            for case, (_, given_sight) in zip(cases, drawn["relations"], strict=True)
            if given_sight and person.is_active and not partner
        }
        assert set(permissions.cases_visible_to(user=person).values_list("pk", flat=True)) == (
            expected
        )
        transaction.set_rollback(True)
