"""For every meetings rule, the yes/no check and the queryset it derives from give the same
answer, whoever asks and whatever they ask about; and what one right implies of another holds
(whoever keeps minutes reads them, whoever writes on an action reads it, an agency never given a
case is shown nothing of it). Drawn personas (roles, agency, invited or not, affirmed or not,
assigned to or given sight of each case, owner of actions) against one meeting with two case
items listed through the gate, an ordinary item, actions of every kind and minutes, and a second
meeting without cases."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import transaction
from django.http import Http404
from guardian.shortcuts import assign_perm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agencies.models import Agency, User
from core.roles import Role
from meetings import permissions, services
from meetings.calendars.schedule import LONDON
from meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    ConfidentialityAffirmation,
    Meeting,
    Minutes,
    MinutesCasePart,
)
from sharing.models import DataCategory, LawfulBasis, PersonTold, Purpose
from sharing.permissions import cases_visible_to
from sharing.services import DecisionRecord, grant_consent
from tests.factories import CaseFactory

NOW = datetime(2026, 2, 2, 9, 0, tzinfo=LONDON)
CATEGORIES = [DataCategory.IDENTITY, DataCategory.VULNERABILITIES]
AGREEMENT = {
    "information_sharing_agreement_signed_on": date(2025, 1, 1),
    "information_sharing_agreement_review_due_on": date(2030, 1, 1),
}
ACTIONS = [
    "case-police",
    "case-late",
    "case-officer",
    "case-ungated",
    "ordinary",
    "meeting",
    "later",
]


ANY = st.booleans()
RARELY = st.sampled_from([False] * 7 + [True])


def _personas(roles, sight=ANY, superuser=RARELY):
    return st.fixed_dictionaries(
        {
            "roles": st.sets(st.sampled_from(roles), max_size=2),
            # "team" is the safeguarding team's own agency; "recipient" was given both cases at
            # the meeting, "late" only the second (it was invited after the first was listed),
            # "other" neither.
            "agency": st.sampled_from(["team", "recipient", "late", "other"]),
            "active": st.sampled_from([True, True, True, False]),
            "superuser": superuser,
            # For each of the two meetings: invited, and affirmed its confidentiality statement
            # (an affirmation outlives an invitation withdrawn afterwards).
            "meetings": st.lists(st.tuples(st.booleans(), st.booleans()), min_size=2, max_size=2),
            # For each of the two cases: assigned to it, and given sight of it by a manager.
            "cases": st.lists(st.tuples(st.booleans(), sight), min_size=2, max_size=2),
            "owns": st.sets(st.sampled_from(ACTIONS), max_size=3),
        }
    )


personas = _personas(list(Role))
# People who may not see the cases in sharing: roles that do not work on or oversee cases,
# given sight of none.
outsiders = _personas(
    [Role.ADMINISTRATOR, Role.PARTNERSHIP_MANAGER, Role.PARTNER],
    sight=st.just(False),
    superuser=st.just(False),
)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _open_case(officer, family_name):
    return CaseFactory(actor=officer, family_name=family_name)


def _list(meeting, case, officer):
    return services.add_case_item(
        meeting=meeting,
        case=case,
        title="new referral",
        categories=CATEGORIES,
        purpose=Purpose.RISK_ASSESSMENT,
        content="High risk after an assault; the IDVA is supporting her.",
        record_of_decision=DecisionRecord(
            necessity="She is at high risk of serious harm; agencies need to plan her safety.",
            lawful_basis=LawfulBasis.PUBLIC_TASK,
            special_category_condition="sch1_para18",
            person_told=PersonTold.TOLD,
        ),
        actor=officer,
    )


@pytest.fixture
def world(
    marac, generate, make_agency, officer, partnership_manager, authority_user, police,
    idva_service, partner_user, provider,
):  # fmt: skip
    """The MARAC of 10 February lists two cases through the gate, the second after a late
    agency was invited; it has an ordinary item, actions on each and circulated minutes with a part
    for each case. The MARAC of
    10 March has no case and its own action and minutes."""
    late = make_agency("Late Agency", **AGREEMENT)
    other = make_agency("Other Agency", **AGREEMENT)
    Agency.objects.filter(pk__in=[police.pk, idva_service.pk, partner_user.agency_id]).update(
        **AGREEMENT
    )
    first, second = generate(marac, date(2026, 2, 1), date(2026, 3, 31))
    cases = [_open_case(officer, "First"), _open_case(officer, "Second")]
    for case, recipients in zip(
        cases,
        [
            [police, idva_service, partner_user.agency],
            [police, idva_service, partner_user.agency, late],
        ],
        strict=True,
    ):
        grant_consent(
            case=case,
            recipients=recipients,
            purposes=[Purpose.RISK_ASSESSMENT],
            categories=CATEGORIES,
            valid_from=NOW - timedelta(days=1),
            valid_until=NOW + timedelta(days=365),
            actor=authority_user,
        )
    listed_first = _list(first, cases[0], officer)
    marac.member_agencies.add(late)
    services.invite(meeting=first, agency=late, actor=partnership_manager)
    listed_second = _list(first, cases[1], officer)
    ordinary = services.add_agenda_item(
        meeting=first, title="Referral pathway", actor=partnership_manager
    )
    later_item = services.add_agenda_item(
        meeting=second, title="Training plan", actor=partnership_manager
    )
    services.affirm_confidentiality(meeting=first, actor=officer)

    def give(actor, meeting=first, **fields):
        return services.create_action(
            meeting=meeting, description="Do it", due_on=date(2026, 3, 1), actor=actor, **fields
        ).pk

    actions = {
        "case-police": give(officer, agenda_item=listed_first, owner_agency=police),
        "case-late": give(officer, agenda_item=listed_second, owner_agency=late),
        "case-officer": give(officer, agenda_item=listed_first, owner=officer),
        # Written before the gate guarded actions: owned by an agency never given the case.
        "case-ungated": Action.objects.create(
            meeting=first,
            agenda_item=listed_first,
            description="Do it",
            owner_agency=other,
            due_on=date(2026, 3, 1),
            created_by=officer,
        ).pk,
        "ordinary": give(partnership_manager, agenda_item=ordinary, owner_agency=police),
        "meeting": give(partnership_manager, owner_agency=late),
        "later": give(partnership_manager, meeting=second, owner_agency=other),
    }
    with time_machine.travel(datetime(2026, 2, 10, 12, 0, tzinfo=LONDON)):
        minutes = services.write_minutes(
            meeting=first,
            body="Agreed the pathway.",
            case_parts={listed_first.pk: "Safety plan.", listed_second.pk: "Housing move."},
            actor=officer,
        )
        services.circulate_minutes(minutes=minutes, actor=officer)
    with time_machine.travel(datetime(2026, 3, 10, 12, 0, tzinfo=LONDON)):
        services.write_minutes(meeting=second, body="Agreed training.", actor=partnership_manager)
    return {
        "agencies": {"team": provider, "recipient": police, "late": late, "other": other},
        "meetings": [first, second],
        "cases": cases,
        "items": [listed_first, listed_second, ordinary, later_item],
        "actions": actions,
    }


def _make_persona(drawn, world) -> User:
    person = User.objects.create_user(
        email="drawn.persona@example.org",
        full_name="Drawn Persona",
        agency=world["agencies"][drawn["agency"]],
        is_active=drawn["active"],
        is_superuser=drawn["superuser"],
    )
    person.groups.set(Group.objects.filter(name__in=[role.value for role in drawn["roles"]]))
    for meeting, (invited, affirmed) in zip(world["meetings"], drawn["meetings"], strict=True):
        if invited:
            Attendance.objects.create(meeting=meeting, agency=person.agency, person=person)
        if affirmed:
            ConfidentialityAffirmation.objects.create(meeting=meeting, person=person)
    for case, (assigned, given_sight) in zip(world["cases"], drawn["cases"], strict=True):
        if assigned:
            case.assigned_officers.add(person)
        if given_sight:
            assign_perm("sharing.view_case", person, case)
    # Owners change by reassignment, through the gate or (before it guarded actions) not; drawn
    # directly, every pairing of owner and reach is tried.
    Action.objects.filter(pk__in=[world["actions"][key] for key in drawn["owns"]]).update(
        owner=person, owner_agency=person.agency
    )
    # Fresh from the database, so no permission is answered from a cache filled before the
    # relations above existed.
    return User.objects.get(pk=person.pk)


def _pks(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def _found(lookup, person, pk) -> bool:
    try:
        lookup(person, pk)
    except Http404:
        return False
    return True


@pytest.mark.django_db
@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(drawn=personas)
def test_every_meetings_yes_no_check_agrees_with_its_queryset(drawn, world):
    with transaction.atomic():
        person = _make_persona(drawn, world)
        meetings = list(Meeting.objects.select_related("forum").order_by("start"))
        items = list(AgendaItem.objects.select_related("meeting__forum", "case"))
        actions = list(Action.objects.select_related("agenda_item"))

        visible = _pks(permissions.visible_meetings(person))
        readable_minutes = _pks(permissions.minutes_readable_by(person))
        kept_minutes = _pks(permissions.minutes_kept_by(person))
        circulated_minutes = _pks(permissions.minutes_circulated_by(person))
        readable_versions = _pks(permissions.minutes_versions_readable_by(person))
        # Circulating is a release: only a keeper, and only one who may release every case.
        assert circulated_minutes <= kept_minutes
        for meeting in meetings:
            assert permissions.may_see_meeting(person, meeting) == (meeting.pk in visible), drawn
            assert _found(permissions.meeting_for, person, meeting.pk) == (meeting.pk in visible)
            assert permissions.minutes_rights(person, meeting) == (
                meeting.pk in readable_minutes,
                meeting.pk in kept_minutes,
                meeting.pk in circulated_minutes,
            ), drawn
            # One meeting's minutes, its terms answered first, as the meeting page reads them.
            minutes = permissions.minutes_of(person, meeting)
            assert _pks(minutes.versions) == readable_versions & _pks(
                Minutes.objects.filter(meeting=meeting)
            ), drawn
            assert permissions.may_keep_minutes(person, meeting) == (meeting.pk in kept_minutes)
            assert permissions.may_circulate_minutes(person, meeting) == (
                meeting.pk in circulated_minutes
            )
            given_on = {item.pk for item in permissions.action_agenda_items(person, meeting)}
            for item in (item for item in items if item.meeting_id == meeting.pk):
                assert permissions.may_give_action(person, meeting, item) == (
                    item.pk in given_on
                ), drawn

        shown = _pks(permissions.case_items_shown_to(person))
        assert permissions.case_items_shown(person, items) == shown, drawn
        seen_cases = _pks(cases_visible_to(user=person))
        for item in items:
            if item.case_id:
                assert permissions.may_own_case_action(person, item) == (
                    item.case_id in seen_cases
                ), drawn
            assert permissions.may_see_case_item(person, item) == (item.pk in shown), drawn
            expected = item.pk in shown if item.case_id else item.meeting_id in visible
            assert permissions.may_download_paper(person, item) == expected, drawn

        known = _pks(permissions.visible_actions(person))
        readable = _pks(permissions.actions_readable_by(person))
        writable = _pks(permissions.actions_writable_by(person))
        case_actions = {
            action.pk for action in actions if action.agenda_item_id and action.agenda_item.case_id
        }
        assert permissions.actions_restricted(person, actions) == case_actions - readable, drawn
        for action in actions:
            assert permissions.may_update_action(person, action) == (action.pk in writable)
            assert _found(permissions.action_for, person, action.pk) == (action.pk in known)

        parts = list(MinutesCasePart.objects.all())
        readable_parts = _pks(permissions.minutes_case_parts_readable_by(person))
        assert permissions.case_parts_shown(person, parts) == readable_parts, drawn
        for part in parts:
            assert permissions.case_parts_shown(person, [part]) == ({part.pk} & readable_parts), (
                drawn
            )
        # A case part is read only where its case item is shown, and its version's general
        # part is read.
        assert readable_parts <= {part.pk for part in parts if part.agenda_item_id in shown}
        versions = _pks(permissions.minutes_versions_readable_by(person))
        assert readable_parts <= {part.pk for part in parts if part.minutes_id in versions}

        # What one right implies of another.
        assert kept_minutes <= readable_minutes <= visible, drawn
        assert writable <= readable, drawn
        assert writable <= known, drawn
        assert shown <= {item.pk for item in items if item.case_id}, drawn
        # A case item is shown, and its papers given, only on a meeting the person may see.
        assert shown <= {item.pk for item in items if item.meeting_id in visible}, drawn
        transaction.set_rollback(True)


@pytest.mark.django_db
@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(drawn=outsiders)
def test_an_agency_is_shown_only_the_case_work_it_was_given(drawn, world):
    """Someone who may not see the cases in sharing is shown a case item only if their agency
    was given it, reads the part of the minutes about a case only if given that case (the
    late agency, given the second case only, reads the second part and never the first), and
    a case action only if shown its item or given the action itself."""
    with transaction.atomic():
        person = _make_persona(drawn, world)
        assert not cases_visible_to(user=person).exists(), drawn
        first = world["meetings"][0]
        listed_first, listed_second, _, _ = world["items"]
        given_to_agency = {
            "team": set(),
            "recipient": {listed_first.pk, listed_second.pk},
            "late": {listed_second.pk},
            "other": set(),
        }[drawn["agency"]]
        shown = _pks(permissions.case_items_shown_to(person))
        if permissions.may_see_meeting(person, first) and drawn["meetings"][0][1]:
            assert shown == given_to_agency, drawn
        else:
            assert shown == set(), drawn
        # The minutes' general part goes to everyone who may see the meeting; each case part
        # only where its case item was given to the agency.
        readable_minutes = _pks(permissions.minutes_readable_by(person))
        assert (first.pk in readable_minutes) == permissions.may_see_meeting(person, first)
        read = set(
            permissions.minutes_case_parts_readable_by(person).values_list(
                "agenda_item_id", flat=True
            )
        )
        if permissions.may_see_meeting(person, first) and drawn["meetings"][0][1]:
            assert read == given_to_agency, drawn
        else:
            assert read == set(), drawn
        actions = world["actions"]
        readable = _pks(permissions.actions_readable_by(person))
        released_to = {"recipient": "case-police", "late": "case-late"}.get(drawn["agency"])
        for key in ["case-police", "case-late", "case-officer", "case-ungated"]:
            action = Action.objects.get(pk=actions[key])
            if action.agenda_item_id not in shown and key != released_to:
                assert action.pk not in readable, (key, drawn)
        transaction.set_rollback(True)
