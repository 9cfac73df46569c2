"""Forums at scale: every kind, with member agencies and named members, fortnightly or monthly
meetings generated from their schedules, invitations as the services send them, minutes, and
the actions agreed at meetings held."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from agencies.models import LocalAuthority
from audit.models import Verb
from core.roles import Role
from home.scale import vocabulary
from home.scale.tables import insert, next_ids
from home.scale.world import World
from meetings.calendars import schedule
from meetings.models import (
    Action,
    ActionStatus,
    Attendance,
    Closure,
    Forum,
    ForumKind,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Outcome,
    Response,
)

KIND_WEIGHTS = {
    "marac": 25,
    "locality-forum": 15,
    "taf": 10,
    "safeguarding-working-group": 8,
    "operational-working-group": 8,
    "smp-regional-group": 6,
    "hscp": 6,
    "nhs-icb": 5,
    "joint-case-review": 5,
    "internal-safeguarding-board": 4,
    "smp-executive-board": 3,
    "ad-hoc-case-review": 3,
    "other": 2,
}
RHYTHMS = [
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
    "FREQ=MONTHLY;BYDAY=2WE",
    "FREQ=MONTHLY;BYDAY=1TH",
    "FREQ=MONTHLY;BYDAY=3TU",
    "FREQ=MONTHLY;BYDAY=4MO",
]
# How far back the series reach, and how far ahead meetings are already scheduled.
SERIES_BEGINS_DAYS_AGO = 700
SCHEDULED_AHEAD_DAYS = 90


def fill_forums(world: World) -> None:
    rng, size = world.random, world.size
    today = timezone.localdate(world.now)
    kinds = {kind.code: kind for kind in ForumKind.objects.filter(code__in=KIND_WEIGHTS)}
    managers = world.people[Role.PARTNERSHIP_MANAGER]
    team = [
        pk
        for role in (Role.SAFEGUARDING_OFFICER, Role.SAFEGUARDING_MANAGER)
        for pk in world.people[role]
    ]
    partners = world.people[Role.PARTNER]
    world.busy_person = managers[0]
    local_authorities = dict(
        LocalAuthority.objects.filter(
            pk__in=[pk for ids in world.local_authorities_of_region.values() for pk in ids]
        ).values_list("pk", "name")
    )
    taken = {name.lower() for name in Forum.objects.values_list("name", flat=True)}
    forum_ids = next_ids(Forum, size.forums)
    forums, member_agencies, quorum, members = [], [], [], []
    planned = []
    for number, pk in enumerate(forum_ids):
        kind = kinds[rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]]
        if number == 0:
            # The big forum is a MARAC, the kind whose pages carry the most: case items and
            # the confidentiality statement.
            kind = kinds["marac"]
        local_authority = rng.choice(sorted(local_authorities))
        region = None
        if kind.default_level == "strategic":
            region, local_authority = rng.choice(sorted(world.local_authorities_of_region)), None
        place = local_authorities[local_authority] if local_authority else "Regional"
        name, suffix = f"{place} {kind.name}", 2
        while name.lower() in taken:
            name, suffix = f"{place} {kind.name} ({suffix})", suffix + 1
        taken.add(name.lower())
        chair = rng.choice(managers)
        seats = rng.sample(world.recipients, min(len(world.recipients), rng.randint(4, 12)))
        named = set(rng.sample(team, min(len(team), rng.randint(2, 5))))
        named |= set(rng.sample(partners, min(len(partners), rng.randint(0, 3))))
        if number == 0:
            # The big forum, for the invitation fan-out and the forum page.
            named |= set(
                rng.sample(team + partners, min(len(team + partners), size.big_forum_members))
            )
        if number < size.busy_person_forums:
            named.add(world.busy_person)
        row = {
            "id": pk,
            "name": name,
            "kind_id": kind.pk,
            "level": kind.default_level,
            "discusses_cases": kind.discusses_cases,
            "region_id": region,
            "local_authority_id": local_authority,
            "chair_id": chair,
            "coordinating_agency_id": seats[0],
            "terms_of_reference": "",
            "schedule_rrule": rng.choice(RHYTHMS),
            "schedule_starts_on": today - timedelta(days=SERIES_BEGINS_DAYS_AGO),
            "schedule_time": time(rng.choice([9, 10, 11, 13, 14])),
            "schedule_duration_minutes": rng.choice([60, 90, 120]),
            "schedule_location": f"Meeting room {rng.randint(1, 9)}, {place} civic centre",
            "schedule_online_url": "",
            "organiser_email": "forums@scale.partnerhub.test",
            "is_active": True,
            "series_sequence": 0,
            "series_cancelled_at": None,
            "created_at": world.now - timedelta(days=SERIES_BEGINS_DAYS_AGO + 5),
        }
        forums.append(row)
        member_agencies += [{"forum_id": pk, "agency_id": agency} for agency in seats]
        quorum += [{"forum_id": pk, "agency_id": agency} for agency in seats[:2]]
        members += [{"forum_id": pk, "user_id": person} for person in sorted(named)]
        # The chair is invited to every meeting without being a named member, as the services
        # invite them.
        planned.append((row, seats, sorted(named | {chair})))
    insert(Forum, forums)
    insert(Forum.member_agencies.through, member_agencies)
    insert(Forum.quorum_agencies.through, quorum)
    insert(Forum.members.through, members)
    _fill_meetings(world, planned, today)


def _starts(row, count: int, today: date) -> list:
    forum = Forum(**{key: value for key, value in row.items() if key.startswith("schedule_")})
    starts = schedule.occurrences(
        forum,
        today - timedelta(days=SERIES_BEGINS_DAYS_AGO),
        today + timedelta(days=SCHEDULED_AHEAD_DAYS),
    )
    return starts[-count:]


def _fill_meetings(world: World, planned, today: date) -> None:
    rng, size = world.random, world.size
    per_forum = [size.meetings // len(planned)] * len(planned)
    per_forum[0] += size.meetings - sum(per_forum)
    meeting_ids = iter(next_ids(Meeting, size.meetings))
    meetings, invitations, minutes, held = [], [], [], []
    for (row, seats, named), count in zip(planned, per_forum, strict=True):
        people_agencies = {world.agency_of[person] for person in named}
        open_seats = [agency for agency in sorted(seats) if agency not in people_agencies]
        for start in _starts(row, count, today):
            pk = next(meeting_ids)
            end = schedule.meeting_end(start, row["schedule_duration_minutes"])
            status = MeetingStatus.SCHEDULED
            if end < world.now:
                status = rng.choices(
                    [MeetingStatus.HELD, MeetingStatus.CANCELLED, MeetingStatus.SCHEDULED],
                    weights=[90, 5, 5],
                )[0]
            meetings.append(
                {
                    "id": pk,
                    "forum_id": row["id"],
                    "sequence": 1 if status == "cancelled" else 0,
                    "title": "",
                    "start": start,
                    "end": end,
                    "original_start": start,
                    "location": row["schedule_location"],
                    "online_url": "",
                    "status": status,
                    "cancellation_reason": "Not quorate" if status == "cancelled" else "",
                    "created_at": row["created_at"],
                    "updated_at": row["created_at"],
                }
            )
            past = end < world.now
            for person in named:
                invitations.append(
                    _invitation(rng, pk, world.agency_of[person], person, None, past)
                )
            for agency in open_seats:
                contact = world.spoc_of_agency.get(agency)
                invitations.append(_invitation(rng, pk, agency, None, contact, past))
            if status == MeetingStatus.HELD:
                held.append((pk, row, end, named, seats))
                approved = rng.random() < 0.85
                minutes.append(
                    {
                        "meeting_id": pk,
                        "version": 1,
                        "body": "Attendance and apologies noted. Actions from the last meeting reviewed.",
                        "general_part_carries_cases": False,
                        "status": MinutesStatus.APPROVED if approved else MinutesStatus.DRAFT,
                        "correction_reason": "",
                        "created_by_id": row["chair_id"],
                        "created_at": end,
                        "circulated_by_id": row["chair_id"] if approved else None,
                        "circulated_at": end + timedelta(days=2) if approved else None,
                        "approved_by_id": row["chair_id"] if approved else None,
                        "approved_at": end + timedelta(days=9) if approved else None,
                        "comments_close_at": end + timedelta(days=8) if approved else None,
                    }
                )
            world.record(
                row["created_at"],
                row["chair_id"],
                Verb.CREATED,
                "meetings.meeting",
                pk,
                f"{row['name']}, {timezone.localtime(start):%-d %B %Y}",
                {"forum_id": row["id"], "from_schedule": True},
            )
    insert(Meeting, meetings)
    insert(Attendance, invitations)
    # Minutes written after their meeting may still be approved later than today's clock: keep
    # only those whose approval is already past.
    insert(
        Minutes,
        [entry for entry in minutes if (entry["approved_at"] or entry["created_at"]) < world.now],
    )
    _fill_actions(world, held)


def _invitation(rng, meeting, agency, person, contact, past) -> dict:
    if past:
        outcome = rng.choices([Outcome.ATTENDED, Outcome.APOLOGIES, Outcome.ABSENT], [75, 20, 5])[0]
        response = Response.DECLINED if outcome == Outcome.APOLOGIES else Response.ACCEPTED
    else:
        outcome, response = "", rng.choice([Response.INVITED, Response.ACCEPTED])
    return {
        "meeting_id": meeting,
        "agency_id": agency,
        "person_id": person,
        "contact_id": contact,
        "response": response,
        "outcome": outcome,
        "is_optional": False,
        "deputy_name": "",
        "deputy_person_id": None,
        "deputy_email": "",
        "sent_information_in_advance": False,
    }


def _fill_actions(world: World, held) -> None:
    rng, today = world.random, timezone.localdate(world.now)
    if not held:
        return
    rows = []
    for number, pk in enumerate(next_ids(Action, world.size.actions)):
        meeting, row, end, named, seats = held[number % len(held)]
        due_on = timezone.localdate(end) + timedelta(days=rng.randint(14, 60))
        if due_on > today:
            status = rng.choice([ActionStatus.OPEN, ActionStatus.IN_PROGRESS])
        else:
            status = rng.choices(
                [
                    ActionStatus.DONE,
                    ActionStatus.OPEN,
                    ActionStatus.IN_PROGRESS,
                    ActionStatus.CANCELLED,
                ],
                weights=[70, 12, 8, 10],
            )[0]
        closed = status in (ActionStatus.DONE, ActionStatus.CANCELLED)
        owned_by_person = rng.random() < 0.5
        rows.append(
            {
                "id": pk,
                "meeting_id": meeting,
                "agenda_item_id": None,
                "description": rng.choice(vocabulary.ACTION_DESCRIPTIONS),
                "owner_id": rng.choice(named) if owned_by_person else None,
                "owner_agency_id": None if owned_by_person else rng.choice(seats),
                "due_on": due_on,
                "status": status,
                "closure": {
                    ActionStatus.DONE: Closure.DONE,
                    ActionStatus.CANCELLED: Closure.NOT_POSSIBLE,
                }.get(status, ""),
                "closure_reason": "Circumstances changed."
                if status == ActionStatus.CANCELLED
                else "",
                "closed_by_id": row["chair_id"] if closed else None,
                "closed_at": min(
                    timezone.make_aware(datetime.combine(min(due_on, today), time(8))), world.now
                )
                if closed
                else None,
                "created_by_id": row["chair_id"],
                "created_at": end,
            }
        )
        world.record(
            end,
            row["chair_id"],
            Verb.CREATED,
            "meetings.action",
            pk,
            f"Action {pk} at meeting {meeting}",
            {"meeting_id": meeting},
        )
    insert(Action, rows)
