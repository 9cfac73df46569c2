"""Forums and meetings ready for tests, built through the services as the pages build them."""

from datetime import date, time

import pytest

from agencies.models import AgencyKind
from config.roles import Role
from meetings import services
from meetings.models import Forum, ForumKind


@pytest.fixture
def police(make_agency):
    return make_agency("Greater Manchester Police", kind=AgencyKind.POLICE)


@pytest.fixture
def idva_service(make_agency):
    return make_agency("Independent DV Advisers", kind=AgencyKind.NGO)


@pytest.fixture
def make_forum(partnership_manager):
    counter = iter(range(1, 1_000_000))

    def make(*, kind="marac", member_agencies=(), members=(), **fields):
        forum_kind = ForumKind.objects.get(code=kind)
        values = {
            "name": f"Test forum {next(counter)}",
            "kind": forum_kind,
            "level": forum_kind.default_level,
            "discusses_cases": forum_kind.discusses_cases,
            "schedule_rrule": "FREQ=MONTHLY;BYDAY=2TU",
            "schedule_starts_on": date(2026, 1, 1),
            "schedule_time": time(10, 0),
            "schedule_duration_minutes": 120,
            "schedule_location": "Manchester Town Hall, Committee Room 2",
        }
        values.update(fields)
        return services.save_forum(
            forum=Forum(**values),
            member_agencies=list(member_agencies),
            members=list(members),
            actor=partnership_manager,
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
