"""Every meetings write service checks who acts, whatever the caller: a view, a command or a
task. The table runs each service as each persona and expects it done or refused with the one
shared refusal, `NotPermitted`, and nothing written on refusal."""

from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from agencies.models import Agency
from audit.models import AuditEvent
from core.authority import NotPermitted
from core.roles import Role
from meetings import services
from meetings.calendars import delivery
from meetings.calendars.schedule import LONDON
from meetings.models import Closure, Outcome, Response
from sharing.models import DataCategory, LawfulBasis, PersonTold, Purpose
from sharing.services import DecisionRecord
from tests.factories import CaseFactory, ConsentFactory
from tests.sample_files import PDF

pytestmark = pytest.mark.django_db

# The MARAC meets on 10 February, 10 March and 14 April 2026: at noon on 10 March the first two
# have started and April's is ahead.
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=LONDON)
CATEGORIES = [DataCategory.IDENTITY, DataCategory.VULNERABILITIES]

PERSONAS = [
    "administrator",
    "partnership_manager",
    "officer",
    "manager",
    "authority_user",
    "compliance_reviewer",
    "partner_user",
    "police_officer",
]
MANAGERS = {"administrator", "partnership_manager"}
CASE_WORKERS = {"officer", "manager"}


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _decision():
    return DecisionRecord(
        necessity="She is at high risk of serious harm; agencies need to plan her safety.",
        lawful_basis=LawfulBasis.PUBLIC_TASK,
        special_category_condition="sch1_para18",
        person_told=PersonTold.TOLD,
    )


@pytest.fixture
def world(
    marac, generate, partnership_manager, partner_user, police, idva_service, officer,
    authority_user, make_user,
):  # fmt: skip
    february, march, april = generate(marac, date(2026, 2, 1), date(2026, 4, 30))
    Agency.objects.filter(pk__in=[police.pk, idva_service.pk, partner_user.agency_id]).update(
        information_sharing_agreement_signed_on=date(2025, 1, 1),
        information_sharing_agreement_review_due_on=date(2030, 1, 1),
    )
    item = services.add_agenda_item(
        meeting=april, title="Referral pathway", actor=partnership_manager
    )
    services.add_agenda_item(meeting=april, title="Training", actor=partnership_manager)
    action = services.create_action(
        meeting=february,
        description="Chase the GP letter",
        owner_agency=police,
        due_on=date(2026, 3, 1),
        actor=partnership_manager,
    )
    return SimpleNamespace(
        forum=marac,
        february=february,
        march=march,
        april=april,
        item=item,
        action=action,
        manager=partnership_manager,
        partner=partner_user,
        officer=officer,
        authority=authority_user,
        agencies=[police, idva_service, partner_user.agency],
        make_user=make_user,
    )


def _case(world):
    case = CaseFactory(actor=world.officer)
    ConsentFactory(
        case=case,
        recipients=world.agencies,
        purposes=[Purpose.RISK_ASSESSMENT],
        categories=CATEGORIES,
        valid_from=NOW - timedelta(days=1),
        valid_until=NOW + timedelta(days=365),
        granted_at=None,
        actor=world.authority,
    )
    return case


def _list(world, case, actor):
    return services.add_case_item(
        meeting=world.april,
        case=case,
        title="new referral",
        categories=CATEGORIES,
        purpose=Purpose.RISK_ASSESSMENT,
        content="High risk after an assault; the IDVA is supporting her.",
        record_of_decision=_decision(),
        actor=actor,
    )


def _partner_attendance(world):
    return world.april.attendances.get(person=world.partner)


# Each service: (setup run as those allowed, returning the call to make as the actor).


def _save_forum(world):
    forum = world.forum
    forum.name = "Manchester MARAC (city)"
    return lambda actor: services.save_forum(
        forum=forum,
        member_agencies=list(forum.member_agencies.all()),
        members=list(forum.members.all()),
        changed_fields=["name"],
        actor=actor,
    )


def _create_meeting(world):
    start = datetime(2026, 3, 24, 10, 0, tzinfo=LONDON)
    return lambda actor: services.create_meeting(
        forum=world.forum,
        start=start,
        end=start + timedelta(hours=1),
        location="Town Hall",
        online_url="",
        actor=actor,
    )


def _reschedule(world):
    start = world.april.start + timedelta(hours=1)
    return lambda actor: services.reschedule_meeting(
        meeting=world.april,
        start=start,
        end=start + timedelta(hours=2),
        location="Town Hall",
        online_url="",
        actor=actor,
    )


def _invite(world):
    colleague = world.make_user(Role.PARTNER, agency=world.agencies[0])
    return lambda actor: services.invite(
        meeting=world.april, agency=world.agencies[0], person=colleague, actor=actor
    )


def _remove_invitation(world):
    return lambda actor: services.remove_invitation(
        attendance=_partner_attendance(world), actor=actor
    )


def _send_deputy(world):
    return lambda actor: services.send_deputy(
        attendance=_partner_attendance(world),
        deputy_name="Robin Deputy",
        deputy_email="robin@example.org",
        actor=actor,
    )


def _respond(world):
    return lambda actor: services.respond(
        attendance=_partner_attendance(world), response=Response.ACCEPTED, actor=actor
    )


def _record_attendance(world):
    entries = [(a, Outcome.ATTENDED, "", False) for a in world.march.attendances.all()]
    return lambda actor: services.record_attendance(
        meeting=world.march, entries=entries, actor=actor
    )


def _change_agenda_item(world):
    world.item.title = "Referral pathway, revised"
    return lambda actor: services.change_agenda_item(
        item=world.item, changed_fields=["title"], actor=actor
    )


def _add_paper(world):
    return lambda actor: services.add_paper(
        item=world.item,
        uploaded=SimpleUploadedFile("pathway.pdf", PDF, content_type="application/pdf"),
        actor=actor,
    )


def _add_case_item(world):
    case = _case(world)
    return lambda actor: _list(world, case, actor)


def _share_case_item(world):
    case = _case(world)
    services.respond(
        attendance=_partner_attendance(world), response="declined", actor=world.partner
    )
    item = _list(world, case, world.officer)
    services.respond(
        attendance=_partner_attendance(world), response="accepted", actor=world.partner
    )
    return lambda actor: services.share_case_item(
        item=item,
        purpose=Purpose.RISK_ASSESSMENT,
        categories=CATEGORIES,
        record_of_decision=_decision(),
        actor=actor,
    )


def _minutes(world, *steps):
    minutes = services.write_minutes(meeting=world.march, body="Agreed.", actor=world.manager)
    for step in steps:
        minutes = step(minutes=minutes, actor=world.manager)
    return minutes


def _circulate(world):
    minutes = _minutes(world)
    return lambda actor: services.circulate_minutes(minutes=minutes, actor=actor)


def _approve(world):
    minutes = _minutes(world, services.circulate_minutes)
    return lambda actor: services.approve_minutes(minutes=minutes, actor=actor)


def _correct(world):
    _minutes(world, services.circulate_minutes, services.approve_minutes)
    return lambda actor: services.correct_minutes(
        meeting=world.march, body="Agreed, corrected.", reason="A typo", actor=actor
    )


SERVICES = {
    "save_forum": (_save_forum, MANAGERS),
    "schedule_series": (
        lambda world: (
            lambda actor: services.schedule_series(
                forum=world.forum,
                start_date=date(2026, 5, 1),
                end_date=date(2026, 5, 31),
                actor=actor,
            )
        ),
        MANAGERS,
    ),
    "cancel_series": (
        lambda world: (
            lambda actor: services.cancel_series(
                forum=world.forum, reason="The forum merges", actor=actor
            )
        ),
        MANAGERS,
    ),
    "create_meeting": (_create_meeting, MANAGERS),
    "reschedule_meeting": (_reschedule, MANAGERS),
    "cancel_meeting": (
        lambda world: (
            lambda actor: services.cancel_meeting(
                meeting=world.april, reason="Room unavailable", actor=actor
            )
        ),
        MANAGERS,
    ),
    "mark_meeting_held": (
        lambda world: lambda actor: services.mark_meeting_held(meeting=world.march, actor=actor),
        MANAGERS,
    ),
    "invite": (_invite, MANAGERS),
    "remove_invitation": (_remove_invitation, MANAGERS),
    "send_deputy": (_send_deputy, MANAGERS | {"partner_user"}),
    "respond": (_respond, MANAGERS | {"partner_user"}),
    "record_attendance": (_record_attendance, MANAGERS),
    "add_agenda_item": (
        lambda world: (
            lambda actor: services.add_agenda_item(
                meeting=world.april, title="Any other business", actor=actor
            )
        ),
        MANAGERS,
    ),
    "change_agenda_item": (_change_agenda_item, MANAGERS),
    "move_agenda_item": (
        lambda world: (
            lambda actor: services.move_agenda_item(item=world.item, offset=1, actor=actor)
        ),
        MANAGERS,
    ),
    "add_paper": (_add_paper, MANAGERS),
    "add_case_item": (_add_case_item, CASE_WORKERS),
    "share_case_item": (_share_case_item, CASE_WORKERS),
    "affirm_confidentiality": (
        lambda world: (
            lambda actor: services.affirm_confidentiality(meeting=world.april, actor=actor)
        ),
        MANAGERS | CASE_WORKERS | {"authority_user", "partner_user"},
    ),
    "write_minutes": (
        lambda world: (
            lambda actor: services.write_minutes(meeting=world.march, body="Agreed.", actor=actor)
        ),
        MANAGERS,
    ),
    "circulate_minutes": (_circulate, MANAGERS),
    "approve_minutes": (_approve, MANAGERS),
    "correct_minutes": (_correct, MANAGERS),
    "create_action": (
        lambda world: (
            lambda actor: services.create_action(
                meeting=world.march,
                description="Update the referral pathway",
                owner_agency=world.agencies[1],
                due_on=date(2026, 4, 1),
                actor=actor,
            )
        ),
        MANAGERS,
    ),
    "update_action": (
        lambda world: (
            lambda actor: services.update_action(
                action=world.action, note="Letter chased", in_progress=True, actor=actor
            )
        ),
        MANAGERS | {"police_officer"},
    ),
    "close_action": (
        lambda world: (
            lambda actor: services.close_action(
                action=world.action, closure=Closure.DONE, reason="", actor=actor
            )
        ),
        MANAGERS | {"police_officer"},
    ),
    "review_action": (
        lambda world: (
            lambda actor: services.review_action(
                action=world.action, meeting=world.march, outcome=services.STILL_OPEN, actor=actor
            )
        ),
        MANAGERS,
    ),
    "reassign_action": (
        lambda world: (
            lambda actor: services.reassign_action(
                action=world.action, owner_agency=world.agencies[1], actor=actor
            )
        ),
        MANAGERS,
    ),
    "reset_calendar_feed": (
        lambda world: lambda actor: services.reset_calendar_feed(user=world.partner, actor=actor),
        {"administrator", "partner_user"},
    ),
    "requeue_undelivered": (
        lambda world: lambda actor: delivery.requeue_undelivered(forum=world.forum, actor=actor),
        MANAGERS,
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("service", sorted(SERVICES))
def test_each_meetings_write_service_checks_who_acts(request, world, service, persona):
    setup, allowed = SERVICES[service]
    call = setup(world)
    actor = request.getfixturevalue(persona)
    events_before = AuditEvent.objects.count()

    if persona in allowed:
        call(actor)
    else:
        with pytest.raises(NotPermitted):
            call(actor)
        assert AuditEvent.objects.count() == events_before
