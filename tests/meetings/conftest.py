"""Forums and meetings ready for tests, built through the services as the pages build them,
and a MARAC that lists and discusses a case."""

from datetime import date, datetime, timedelta

import pytest
import time_machine

from agencies.models import Agency, AgencyKind
from core.roles import Role
from meetings import services
from meetings.calendars.schedule import LONDON
from meetings.models import ForumKind
from sharing.models import Purpose
from tests.factories import ConsentFactory, ForumFactory
from tests.meetings.case_items import (
    CASE_ACTION,
    CATEGORIES,
    GENERAL_ACTION,
    GENERAL_MINUTES,
    MINUTES,
    NOW,
    SUMMARY,
    decision_record,
)


@pytest.fixture
def police(make_agency):
    return make_agency("Greater Manchester Police", kind=AgencyKind.POLICE)


@pytest.fixture
def idva_service(make_agency):
    return make_agency("Independent DV Advisers", kind=AgencyKind.NGO)


@pytest.fixture
def make_forum(partnership_manager):
    def make(*, kind="marac", **fields):
        return ForumFactory(
            kind=ForumKind.objects.get(code=kind), actor=partnership_manager, **fields
        )

    return make


@pytest.fixture
def marac(make_forum, police, idva_service, partner_user, provider):
    """A monthly MARAC (second Tuesday, 10:00) with a named partner member and agency seats."""
    return make_forum(
        name="Manchester MARAC",
        member_agencies=[police, idva_service, provider],
        members=[partner_user],
    )


@pytest.fixture
def generate(partnership_manager):
    def run(forum, start, end):
        return services.schedule_series(
            forum=forum, start_date=start, end_date=end, actor=partnership_manager
        )

    return run


@pytest.fixture
def police_officer(make_user, police):
    return make_user(Role.PARTNER, agency=police, full_name="Dana Police")


# A MARAC that discusses a case -----------------------------------------------------------------


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def agreements(police, idva_service, partner_user):
    """Every agency at the MARAC has a current information sharing agreement."""
    Agency.objects.filter(pk__in=[police.pk, idva_service.pk, partner_user.agency_id]).update(
        information_sharing_agreement_signed_on=date(2025, 1, 1),
        information_sharing_agreement_review_due_on=date(2030, 1, 1),
    )


@pytest.fixture
def consent(authority_user):
    def grant(case, recipients, purposes=(Purpose.RISK_ASSESSMENT,)):
        return ConsentFactory(
            case=case,
            recipients=recipients,
            purposes=purposes,
            categories=CATEGORIES,
            valid_from=NOW - timedelta(days=1),
            valid_until=NOW + timedelta(days=365),
            granted_at=None,
            actor=authority_user,
        )

    return grant


@pytest.fixture
def meetings(marac, generate):
    """The MARAC on 10 February, 10 March and 14 April 2026."""
    return generate(marac, date(2026, 2, 1), date(2026, 4, 30))


@pytest.fixture
def meeting(meetings):
    return meetings[0]


@pytest.fixture
def attending(police, idva_service, partner_user):
    return [police, idva_service, partner_user.agency]


@pytest.fixture
def add_item(officer):
    def add(meeting, case, *, actor=None, **fields):
        values = {
            "title": "new referral",
            "categories": CATEGORIES,
            "purpose": Purpose.RISK_ASSESSMENT,
            "content": SUMMARY,
            "record_of_decision": decision_record(),
        }
        values.update(fields)
        return services.add_case_item(meeting=meeting, case=case, actor=actor or officer, **values)

    return add


@pytest.fixture
def listed(meeting, case, consent, attending, add_item):
    consent(case, attending)
    return add_item(meeting, case)


@pytest.fixture
def latecomer(meeting, marac, make_agency, make_user, partnership_manager):
    """A partner whose agency was invited after the case was listed, so was never covered."""
    agency = make_agency(
        "Manchester Adult Social Care",
        kind=AgencyKind.ADULT_SOCIAL_CARE,
        information_sharing_agreement_signed_on=date(2025, 1, 1),
        information_sharing_agreement_review_due_on=date(2030, 1, 1),
    )
    marac.member_agencies.add(agency)
    person = make_user(Role.PARTNER, agency=agency)
    services.invite(meeting=meeting, agency=agency, person=person, actor=partnership_manager)
    return person


@pytest.fixture
def discussed(listed, meeting, police, officer, partnership_manager):
    """The listed case discussed: minutes written by the officer on the case (a general part,
    and the case's part), who also gives the case item an action; the manager gives the
    meeting as a whole another."""
    services.affirm_confidentiality(meeting=meeting, actor=officer)
    with time_machine.travel(datetime(2026, 2, 10, 12, 0, tzinfo=LONDON)):
        services.write_minutes(
            meeting=meeting,
            body=GENERAL_MINUTES,
            case_parts={listed.pk: MINUTES},
            actor=officer,
        )
    case_action = services.create_action(
        meeting=meeting,
        agenda_item=listed,
        description=CASE_ACTION,
        owner_agency=police,
        due_on=date(2026, 3, 1),
        actor=officer,
    )
    general = services.create_action(
        meeting=meeting,
        description=GENERAL_ACTION,
        owner_agency=police,
        due_on=date(2026, 3, 1),
        actor=partnership_manager,
    )
    return case_action, general
