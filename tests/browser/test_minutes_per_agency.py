"""In real Chromium: after a MARAC that heard two cases, a partner whose agency was given only the
second reads the general part of the minutes and that case's part, never the first case's, and
the page says one part is withheld without naming it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agencies.models import AgencyKind
from core.roles import Role
from meetings import services
from meetings.models import Forum, ForumKind
from sharing.models import Purpose
from tests.factories import ConsentFactory
from tests.meetings.case_items import CATEGORIES, decision_record

GENERAL = "Apologies from probation; the pathway review is next month."
FIRST_PART = "The police will flag the address and review bail conditions."
SECOND_PART = "Midwifery will see her alone at every antenatal appointment."


def _list(meeting, case, recipients, officer, authority):
    now = timezone.now()
    ConsentFactory(
        case=case,
        recipients=recipients,
        purposes=[Purpose.RISK_ASSESSMENT],
        categories=CATEGORIES,
        valid_from=now - timedelta(days=1),
        valid_until=now + timedelta(days=180),
        granted_at=None,
        actor=authority,
    )
    return services.add_case_item(
        meeting=meeting,
        case=case,
        title="high-risk domestic abuse",
        categories=CATEGORIES,
        purpose=Purpose.RISK_ASSESSMENT,
        content="High risk after an assault last week.",
        record_of_decision=decision_record(),
        actor=officer,
    )


@pytest.mark.django_db(transaction=True)
def test_a_partner_covered_for_one_of_two_cases_reads_only_that_cases_minutes(
    browser_page, make_user, make_agreed_agency, make_case, officer, authority_user
):
    manager = make_user(Role.PARTNERSHIP_MANAGER, full_name="Priya Partnerships")
    police = make_agreed_agency("Greater Manchester Police", AgencyKind.POLICE)
    idva = make_agreed_agency("Safe Futures IDVA Service", AgencyKind.NGO)
    reader = make_user(Role.PARTNER, agency=idva, full_name="Ivy Advocate")
    kind = ForumKind.objects.get(code="marac")
    forum = services.save_forum(
        forum=Forum(
            name="Salford MARAC", kind=kind, level=kind.default_level, discusses_cases=True
        ),
        member_agencies=[police, officer.agency],
        members=[],
        actor=manager,
    )
    start = timezone.now() - timedelta(hours=3)
    meeting = services.create_meeting(
        forum=forum,
        start=start,
        end=start + timedelta(hours=2),
        location="Salford Civic Centre",
        online_url="",
        actor=manager,
    )
    first, second = make_case(), make_case()
    # The IDVA service joins after the first case is heard, so it is given the second only.
    heard_first = _list(meeting, first, [police], officer, authority_user)
    forum.member_agencies.add(idva)
    services.invite(meeting=meeting, agency=idva, person=reader, actor=manager)
    heard_second = _list(meeting, second, [police, idva], officer, authority_user)
    services.affirm_confidentiality(meeting=meeting, actor=officer)
    minutes = services.write_minutes(
        meeting=meeting,
        body=GENERAL,
        case_parts={heard_first.pk: FIRST_PART, heard_second.pk: SECOND_PART},
        actor=officer,
    )
    services.circulate_minutes(minutes=minutes, actor=officer)
    page = browser_page.page

    browser_page.sign_in(reader)
    browser_page.visit(f"/meetings/{meeting.pk}/")
    page.get_by_role("button", name="I affirm the confidentiality statement").click()
    page.get_by_text(GENERAL).wait_for()
    browser_page.check()
    assert page.get_by_text(SECOND_PART).is_visible()
    assert page.get_by_role("heading", name=f"Case {second.reference}").is_visible()
    assert page.get_by_text(FIRST_PART).count() == 0
    assert page.get_by_text(first.reference).count() == 0
    assert page.get_by_text("One part of these minutes is about a case not shared with you").count()
    browser_page.screenshot("meetings-minutes-per-agency")
