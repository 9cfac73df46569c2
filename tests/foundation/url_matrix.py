"""Machinery for the permission matrix: the project's URL patterns, the personas who ask, the
demo records the URLs are filled with, and one isolated request whose answer is named in the
matrix's words ("ok", "login", "403", "404", "405", …)."""

import copy
import re
from dataclasses import dataclass
from datetime import timedelta
from io import StringIO

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from agencies import demo as agencies_demo
from agencies.models import Agency, Contact, LocalAuthority, ReferralRoute, User
from agencies.services import invite_person
from audit.models import AuditEvent, Verb
from core.roles import Role
from meetings import links
from meetings import services as meeting_services
from meetings.calendars import feeds
from meetings.models import (
    Action,
    ActionUpdate,
    AgendaItem,
    Attendance,
    CalendarFeed,
    Forum,
    MeetingStatus,
    MinutesComment,
)
from notifications.models import Notification
from sharing import services as sharing_services
from sharing.models import (
    Case,
    ConcernSource,
    ConsentRequest,
    ConsentRequestStatus,
    DataCategory,
    Disclosure,
    Escalation,
    Purpose,
    Referral,
    ReferralStatus,
)

# Outcomes, as the matrix writes them.
OK = "ok"  # 2xx, or a redirect anywhere but the sign-in page
SHOWN = "ok, nothing written"  # as "ok", for a POST the page must answer without acting on it
LOGIN = "login"  # a redirect to the sign-in page

# Personas: the demo's person in each role, a partner user of another agency, and nobody.
ADMIN = "administrator"
PARTNERSHIPS = "partnership manager"
OFFICER = "safeguarding officer"
MANAGER = "safeguarding manager"
AUTHORITY = "authority"
COMPLIANCE = "compliance reviewer"
PARTNER = "partner"
OTHER_PARTNER = "partner of another agency"
ANONYMOUS = "anonymous"
PERSONAS = (
    ADMIN,
    PARTNERSHIPS,
    OFFICER,
    MANAGER,
    AUTHORITY,
    COMPLIANCE,
    PARTNER,
    OTHER_PARTNER,
    ANONYMOUS,
)
METHODS = ("GET", "POST")

# Events that record a look, a download or a refusal rather than a change. Any other verb
# written by a refused request means the refusal came after a write; a verb added later counts
# as a write until it is listed here.
RECORD_ONLY_VERBS = {
    Verb.VIEWED,
    Verb.VIEW_DENIED,
    Verb.EXPORTED,
    Verb.DOWNLOADED,
    Verb.DISCLOSURE_REFUSED,
    Verb.SIGN_IN_FAILED,
}

# The other agency's partner works for the police, an agency with its own disclosures and
# none of the partner's meetings.
OTHER_PARTNER_AGENCY = "Greater Manchester Police Public Protection"
OTHER_PARTNER_EMAIL = "police-partner@demo.partnerhub.test"


SIGNED_IN = frozenset(PERSONAS) - {ANONYMOUS}


def only(*allowed, refused: str = "404", but: dict[str, str] | None = None) -> dict[str, str]:
    """The answer for each persona: "ok" for the `allowed` personas (names or sets of names),
    `refused` for the other signed-in ones, the sign-in page for nobody, then the exceptions in
    `but`."""
    names = set()
    for entry in allowed:
        names |= {entry} if isinstance(entry, str) else set(entry)
    answers = {persona: OK if persona in names else refused for persona in SIGNED_IN}
    answers[ANONYMOUS] = OK if ANONYMOUS in names else LOGIN
    answers.update(but or {})
    return answers


@dataclass(frozen=True)
class At:
    """One URL filled with one named sample (None for a URL without parameters), and the
    answer each persona gets to GET and to POST; POST answers as GET unless declared. POSTs
    carry `data`, empty unless a row needs a valid form to show who may act."""

    sample: str | None
    get: dict[str, str]
    post: dict[str, str] | None = None
    data: dict | None = None

    def answers(self, method: str) -> dict[str, str]:
        return self.post if method == "POST" and self.post is not None else self.get


@dataclass(frozen=True)
class Pattern:
    name: str
    route: str
    parameters: frozenset[str]


def url_patterns(skip_prefixes: tuple[str, ...]) -> list[Pattern]:
    """Every named URL pattern the resolver knows, with its namespaced name, except those under
    `skip_prefixes`; an unnamed pattern is listed by its route, so it cannot hide."""
    found = []

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if route.startswith(skip_prefixes):
                continue
            if isinstance(entry, URLResolver):
                inner = ":".join(part for part in (namespace, entry.namespace) if part)
                walk(entry, route, inner)
            elif isinstance(entry, URLPattern):
                name = entry.name or route
                if entry.name and namespace:
                    name = f"{namespace}:{entry.name}"
                found.append(Pattern(name, route, frozenset(entry.pattern.converters)))

    walk(get_resolver(), "", "")
    return found


@dataclass(frozen=True)
class Demo:
    """A signed-in client per persona, and the named records URLs are filled with."""

    clients: dict[str, Client]
    samples: dict[str, dict]


def _client(person) -> Client:
    # A server error is an answer to compare, not an exception that stops the crawl.
    client = Client(raise_request_exception=False)
    if person is not None:
        if not Authenticator.objects.filter(user=person).exists():
            TOTP.activate(person, generate_totp_secret())
        client.force_login(person)
    return client


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def seed_demo() -> Demo:
    """Seed the demo, add what it lacks for a telling answer (a case the officer does not hold, a
    partner at another agency, papers, a consent letter, a pending invitation), and name the
    records each URL is filled with."""
    call_command("seed_demo", stdout=StringIO())
    people = {
        role: User.objects.get(email=email) for email, _, _, role, _ in agencies_demo.DEMO_PEOPLE
    }
    officer, manager = people[Role.SAFEGUARDING_OFFICER], people[Role.SAFEGUARDING_MANAGER]
    partner = people[Role.PARTNER]
    police = Agency.objects.get(name=OTHER_PARTNER_AGENCY)
    other_partner = User.objects.create_user(
        email=OTHER_PARTNER_EMAIL, password=None, full_name="Paula Police", agency=police
    )
    other_partner.groups.add(Group.objects.get(name=Role.PARTNER.value))

    amina = Case.objects.get(authority_reference="DEMO-AS-104233")
    closed = Case.objects.filter(status="closed", assigned_officers=officer).first()
    # Every demo case is the demo officer's; this one is held by the manager alone.
    unassigned = sharing_services.open_case(
        case=Case(
            authority_reference="MATRIX-1",
            given_names="Nadia",
            family_name="Matrix",
            date_of_birth=amina.date_of_birth,
            sex_or_gender="Female",
            nationality="SY",
            language="ara",
            support_type="s95",
            accommodation_type="dispersed",
            address="1 Test Street",
            postcode="M1 1AA",
            household_type="single",
            risk_level="low",
            local_authority=LocalAuthority.objects.get(code="E08000003"),
            concern_source=ConcernSource.objects.order_by("pk").first(),
            concern_received_on=timezone.localdate(),
            user_agreement="given",
            user_agreement_on=timezone.localdate(),
            user_agreement_method="in_person",
        ),
        officers=[manager],
        actor=manager,
    )
    now = timezone.now()
    letter = sharing_services.record_written_consent(
        case=amina,
        recipients=[police],
        purposes=[Purpose.SAFEGUARDING_REFERRAL],
        categories=[DataCategory.IDENTITY],
        valid_from=now,
        valid_until=now + timedelta(days=30),
        granted_by_official="Jo Official, Safeguarding Hub lead",
        granted_at=now,
        evidence=SimpleUploadedFile("letter.pdf", PDF),
        actor=officer,
    )
    invitation = invite_person(
        full_name="Ivy Invited",
        email="invited@demo.partnerhub.test",
        agency=partner.agency,
        roles=[Group.objects.get(name=Role.PARTNER.value)],
        invited_by=people[Role.ADMINISTRATOR],
    )

    marac = Forum.objects.get(name="Manchester MARAC")
    board = Forum.objects.get(name="Internal Safeguarding Board")
    case_meeting = marac.meetings.filter(agenda_items__case=amina).order_by("-start").first()
    upcoming = (
        marac.meetings.filter(
            start__gte=now, status=MeetingStatus.SCHEDULED, attendances__person=partner
        )
        .filter(agenda_items__isnull=False)
        .distinct()
        .order_by("start")
        .first()
    )
    board_meeting = board.meetings.filter(start__lt=now).order_by("-start").first()
    board_upcoming = board.meetings.filter(start__gte=now).order_by("start").first()
    item = upcoming.agenda_items.filter(case=None).order_by("position").first()
    # The demo's latest case meeting also heard a second case, which the partner's agency was
    # not given: its item, papers and actions are the partner's to be refused.
    case_item = case_meeting.agenda_items.exclude(case=None).exclude(case=amina).get()
    organiser = people[Role.PARTNERSHIP_MANAGER]
    paper = meeting_services.add_paper(
        item=item, uploaded=SimpleUploadedFile("agenda.pdf", PDF), actor=organiser
    )
    case_paper = meeting_services.add_paper(
        item=AgendaItem.objects.get(pk=case_item.pk),
        uploaded=SimpleUploadedFile("risk.pdf", PDF),
        actor=officer,
    )
    # An action on the MARAC's case item, which the officer who listed the case owns: only
    # those shown the item read it, and nobody else who was not shown it writes on it.
    case_action = meeting_services.create_action(
        meeting=case_meeting,
        agenda_item=case_item,
        description="Share the safety plan with the police",
        due_on=timezone.localdate() + timedelta(days=7),
        owner=officer,
        actor=officer,
    )
    review = (
        ActionUpdate.objects.filter(reviewed_at__forum=marac, action__status="open")
        .order_by("-pk")
        .first()
    )
    by_link = Referral.objects.filter(case=amina, route=ReferralRoute.SECURE_LINK).first()
    mail.outbox = []
    sharing_services.reissue_link(referral=by_link, actor=officer)
    link_token = re.search(r"/links/([^/\s]+)/", mail.outbox[-1].body).group(1)
    partner_feed = feeds.token_for(CalendarFeed.objects.get(user=partner))
    organiser_feed = feeds.token_for(CalendarFeed.objects.get(user=organiser))

    # Directory contacts the demo names on seats, who answer and comment through signed links.
    contact_seat = (
        Attendance.objects.filter(meeting=upcoming, contact__isnull=False).order_by("pk").first()
    )
    minutes_seat = next(
        attendance
        for attendance in Attendance.objects.filter(contact__isnull=False)
        .select_related("meeting")
        .order_by("-meeting__start", "pk")
        if (minutes := meeting_services.current_minutes(attendance.meeting)) is not None
        and minutes.takes_comments
    )
    invitation_token = links.invitation_token(contact_seat)

    def contact_of(agency):
        return Contact.objects.filter(agency=agency).order_by("pk").first()

    samples = {
        "partnership manager": {"pk": organiser.pk},
        "pending invitation": {"token": invitation.url.rstrip("/").rsplit("/", 1)[-1]},
        "agencies template": {"what": "agencies"},
        "partner's agency": {"pk": partner.agency_id},
        "another agency": {"pk": police.pk},
        "partner's agency contact": {
            "pk": partner.agency_id,
            "contact_pk": contact_of(partner.agency).pk,
        },
        "another agency's contact": {"pk": police.pk, "contact_pk": contact_of(police).pk},
        "assigned case": {"pk": amina.pk},
        "unassigned case": {"pk": unassigned.pk},
        "assigned closed case": {"pk": closed.pk},
        "assigned case indicator": {
            "pk": amina.pk,
            "indicator_pk": amina.indicators.filter(ended_on__isnull=True).first().pk,
        },
        "undecided escalation": {
            "pk": Escalation.objects.filter(decided_at__isnull=True).order_by("pk").first().pk
        },
        "draft referral": {
            "pk": Referral.objects.get(case=amina, status=ReferralStatus.DRAFT).pk,
        },
        "referral to the partner's agency": {
            "pk": Referral.objects.filter(
                agency=partner.agency, status__in=[ReferralStatus.SENT, ReferralStatus.ACKNOWLEDGED]
            )
            .order_by("pk")
            .first()
            .pk
        },
        "referral sent as a document": {
            "pk": Referral.objects.filter(case=amina, route=ReferralRoute.OWN_CHANNEL).first().pk
        },
        "referral sent by secure link": {"pk": by_link.pk},
        "secure link": {"token": link_token},
        "unknown secure link": {"token": "not-a-link"},
        "sent referral": {
            "pk": Referral.objects.filter(status=ReferralStatus.SENT).order_by("pk").first().pk
        },
        "pending consent request": {
            "pk": ConsentRequest.objects.filter(status=ConsentRequestStatus.PENDING)
            .order_by("pk")
            .first()
            .pk
        },
        "current consent": {
            "pk": amina.consents.filter(revoked_at__isnull=True, evidence="")
            .order_by("-pk")
            .first()
            .pk
        },
        "consent with a letter": {"pk": letter.pk},
        "disclosure to the partner's agency": {
            "pk": Disclosure.objects.filter(recipient=partner.agency).order_by("pk").first().pk
        },
        "disclosure to another agency": {
            "pk": Disclosure.objects.filter(recipient=police).order_by("pk").first().pk
        },
        "partner's forum": {"pk": marac.pk},
        "internal forum": {"pk": board.pk},
        "case meeting": {"pk": case_meeting.pk},
        "partner's upcoming meeting": {"pk": upcoming.pk},
        "internal meeting": {"pk": board_meeting.pk},
        "internal upcoming meeting": {"pk": board_upcoming.pk},
        "case meeting, approve": {"pk": case_meeting.pk, "step": "approve"},
        "comment on internal minutes": {
            "pk": MinutesComment.objects.filter(minutes__meeting__forum=board)
            .order_by("pk")
            .first()
            .pk
        },
        "internal meeting, approve": {"pk": board_meeting.pk, "step": "approve"},
        "carried-over action": {"pk": review.reviewed_at_id, "action_pk": review.action_id},
        "partner's attendance": {"pk": Attendance.objects.get(meeting=upcoming, person=partner).pk},
        "another's attendance": {"pk": Attendance.objects.get(meeting=upcoming, person=officer).pk},
        "empty seat": {
            # Seats name their agency's single point of contact; one whose contact has a
            # Partnerhub account (so is invited by name, not by seat) is left to be filled.
            "pk": Attendance.objects.filter(meeting__start__gte=now, person=None, contact=None)
            .order_by("pk")
            .first()
            .pk
        },
        "contact's invitation": {"token": invitation_token},
        "altered contact link": {"token": invitation_token[:-2] + "xx"},
        "contact's paper": {"pk": paper.pk, "token": invitation_token},
        "case item paper, contact's link": {"pk": case_paper.pk, "token": invitation_token},
        "contact's minutes": {
            "token": links.minutes_token(
                minutes_seat, meeting_services.current_minutes(minutes_seat.meeting)
            )
        },
        "agenda item": {"pk": item.pk},
        "case item": {"pk": case_item.pk},
        "paper": {"pk": paper.pk},
        "case item paper": {"pk": case_paper.pk},
        "partner's action": {"pk": Action.objects.filter(owner=partner).order_by("pk").first().pk},
        "case item action": {"pk": case_action.pk},
        "internal action": {"pk": Action.objects.filter(meeting__forum=board).first().pk},
        "partner's calendar": {"token": partner_feed},
        "unknown calendar": {"token": "not-a-calendar"},
        "organiser's calendar, a forum": {"token": organiser_feed, "pk": marac.pk},
        "partner's calendar, partner's forum": {"token": partner_feed, "pk": marac.pk},
        "case audit trail": {"object_type": "sharing.case", "object_id": str(amina.pk)},
        "partner's notification": {
            "pk": Notification.objects.filter(recipient=partner).order_by("pk").first().pk
        },
    }
    personas = {
        ADMIN: people[Role.ADMINISTRATOR],
        PARTNERSHIPS: organiser,
        OFFICER: officer,
        MANAGER: manager,
        AUTHORITY: people[Role.AUTHORITY],
        COMPLIANCE: people[Role.COMPLIANCE_REVIEWER],
        PARTNER: partner,
        OTHER_PARTNER: other_partner,
        ANONYMOUS: None,
    }
    return Demo(
        clients={name: _client(person) for name, person in personas.items()}, samples=samples
    )


def outcome_of(response) -> str:
    if response.status_code in (301, 302, 303, 307, 308):
        login = reverse("account_login")
        return LOGIN if response["Location"].startswith(login) else OK
    if 200 <= response.status_code < 300:
        return OK
    return str(response.status_code)


def matches(expected: str, got: str, written: list[str]) -> bool:
    return got == expected or (expected == SHOWN and got == OK and not written)


def ask(client: Client, method: str, path: str, data=None) -> tuple[str, list[str]]:
    """The answer to one request, and the changes it recorded, with nothing kept afterwards: the
    request runs in a transaction that is rolled back, and the client's cookies (its session and
    messages) are put back, so no answer depends on the requests before it."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        last = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
        response = client.post(path, data or {}) if method == "POST" else client.get(path)
        written = sorted(
            set(
                AuditEvent.objects.filter(sequence__gt=last or 0)
                .exclude(verb__in=RECORD_ONLY_VERBS)
                .values_list("verb", flat=True)
            )
        )
        transaction.set_rollback(True)
    client.cookies = cookies
    return outcome_of(response), written
