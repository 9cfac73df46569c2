"""Benchmark scenarios. Each fills what it needs and reports through `measure`."""

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.test import Client

from agencies.models import Agency, AgencyKind, User
from audit.models import Verb
from audit.services import record


def _signed_in_client(role: str) -> Client:
    agency, _ = Agency.objects.get_or_create(
        name="Bench Housing Provider", defaults={"kind": AgencyKind.HOUSING_PROVIDER}
    )
    email = f"bench-{role.replace(' ', '-')}@example.org"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, full_name="Bench Person", agency=agency)
        user.groups.add(Group.objects.get(name=role))
        TOTP.activate(user, generate_totp_secret())
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    return client


def audit_append(measure):
    actor = User.objects.first()
    measure("audit: append one event to the chain", lambda: record(verb=Verb.VIEWED, actor=actor))


def home_page(measure):
    client = _signed_in_client("safeguarding officer")
    measure("page: home dashboard", lambda: client.get("/"))


def case_list(measure, cases=5_000):
    """All cases as a manager at scale: unfiltered, filtered by indicator, and one case page."""
    from datetime import date

    from agencies.models import LocalAuthority
    from sharing.models import Case, CaseIndicator, ConcernSource, VulnerabilityIndicator

    client = _signed_in_client("safeguarding manager")
    officer = User.objects.get(email="bench-safeguarding-manager@example.org")
    if not Case.objects.exists():
        authorities = list(LocalAuthority.objects.all())
        indicators = list(VulnerabilityIndicator.objects.all()[:5])
        created = Case.objects.bulk_create(
            Case(
                reference=f"PH-2026-{n:06d}",
                given_names=f"Given{n}",
                family_name=f"Family{n}",
                date_of_birth=date(1970 + n % 40, 1 + n % 12, 1 + n % 28),
                support_type="s95",
                accommodation_type="dispersed",
                local_authority=authorities[n % len(authorities)],
                household_type="single",
                concern_source=ConcernSource.objects.first(),
                concern_received_on=date(2026, 1, 1),
                risk_level=("low", "medium", "high")[n % 3],
                created_by=officer,
            )
            for n in range(1, cases + 1)
        )
        CaseIndicator.objects.bulk_create(
            CaseIndicator(
                case=case, indicator=i, identified_on=date(2026, 1, 2), identified_by=officer
            )
            for case in created
            for i in indicators
        )
    indicator = VulnerabilityIndicator.objects.first()
    first = Case.objects.order_by("pk").first()
    measure(f"page: all cases ({cases:,})", lambda: client.get("/cases/"))
    measure(
        "page: all cases, by indicator", lambda: client.get(f"/cases/?indicator={indicator.pk}")
    )
    measure("page: all cases, search by name", lambda: client.get("/cases/?q=family42"))
    measure("page: one case", lambda: client.get(f"/cases/{first.pk}/"))


def directory_pages(measure, agencies=500, contacts_per_agency=4):
    from tests.agencies.scale import fill_directory

    created = fill_directory(
        agencies=agencies, contacts_per_agency=contacts_per_agency, prefix="Bench agency"
    )
    client = _signed_in_client("partnership manager")
    measure("page: directory list (500 agencies)", lambda: client.get("/directory/"))
    measure(
        "page: directory search and filter",
        lambda: client.get("/directory/?q=contact+12&agreement=current&page=2"),
    )
    measure("page: one agency", lambda: client.get(f"/directory/{created[10].pk}/"))


def audit_verify(measure, events=100_000):
    """verify_audit over a long chain; the chain is extended in bulk with correct hashes."""
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    from audit.chain import row_digest
    from audit.models import AuditEvent
    from audit.selectors import chain_head

    head = chain_head() or {"sequence": 0, "row_hash": "0" * 64}
    batch = []
    for sequence in range(head["sequence"] + 1, events + 1):
        values = {
            "sequence": sequence,
            "occurred_at": timezone.now(),
            "actor_id": None,
            "actor_label": "bench@example.org",
            "verb": Verb.VIEWED.value,
            "object_type": "sharing.case",
            "object_id": str(sequence % 5_000),
            "object_label": f"PH-{sequence % 5_000:05d}",
            "changed_fields": [],
            "detail": {},
            "ip_address": "192.0.2.1",
            "previous_hash": head["row_hash"],
        }
        values["row_hash"] = head["row_hash"] = row_digest(values)
        batch.append(AuditEvent(**values))
        if len(batch) == 5_000:
            AuditEvent.objects.bulk_create(batch)
            batch = []
    AuditEvent.objects.bulk_create(batch)
    total = AuditEvent.objects.count()
    measure(
        f"audit: verify_audit over {total:,} events",
        lambda: call_command("verify_audit", stdout=StringIO()),
        repeat=3,
    )


def my_meetings(measure, forums=40):
    """A partnership manager invited to 40 fortnightly forums for a year: month and week views
    of my meetings, one forum page and one meeting page."""
    from datetime import date, time

    from django.utils import timezone

    from meetings import services as meetings_services
    from meetings.models import Forum, ForumKind

    client = _signed_in_client("partnership manager")
    manager = User.objects.get(email="bench-partnership-manager@example.org")
    seats = [
        Agency.objects.get_or_create(name=f"Bench partner {n}", defaults={"kind": AgencyKind.NGO})[
            0
        ]
        for n in range(20)
    ]
    kind = ForumKind.objects.get(code="marac")
    today = timezone.localdate()
    for number in range(forums):
        forum = Forum.objects.filter(name=f"Bench forum {number}").first()
        if forum is None:
            forum = meetings_services.save_forum(
                forum=Forum(
                    name=f"Bench forum {number}",
                    kind=kind,
                    level=kind.default_level,
                    discusses_cases=True,
                    schedule_rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY="
                    + ["MO", "TU", "WE", "TH", "FR"][number % 5],
                    schedule_starts_on=date(today.year - 1, 1, 1),
                    schedule_time=time(9 + number % 8, 0),
                    schedule_duration_minutes=90,
                    schedule_location="Bench room",
                ),
                member_agencies=seats,
                members=[manager],
                actor=manager,
            )
        meetings_services.schedule_series(
            forum=forum,
            start_date=date(today.year, 1, 1),
            end_date=date(today.year, 12, 31),
            actor=manager,
        )
    meeting = forum.meetings.order_by("start").last()
    month = f"/meetings/mine/?month={today:%Y-%m}"
    week = f"/meetings/mine/?view=week&date={today:%Y-%m-%d}"
    measure(f"page: my meetings, month view ({forums} forums)", lambda: client.get(month))
    measure(f"page: my meetings, week view ({forums} forums)", lambda: client.get(week))
    measure("page: forum", lambda: client.get(f"/forums/{forum.pk}/"))
    measure("page: meeting (21 invitations)", lambda: client.get(f"/meetings/{meeting.pk}/"))


def calendar_feed(measure):
    """The personal feed of the person from `my_meetings` (40 fortnightly forums, hundreds of
    meetings in its window), as a calendar client fetches it, and its 304 answer."""
    from django.urls import reverse

    from meetings import services as meetings_services
    from meetings.calendars import feeds

    manager = User.objects.get(email="bench-partnership-manager@example.org")
    feed = meetings_services.reset_calendar_feed(user=manager, actor=manager)
    url = reverse("meetings:calendar-feed", args=[feeds.token_for(feed)])
    client = Client(SERVER_NAME="127.0.0.1")
    etag = client.get(url)["ETag"]
    measure("feed: personal calendar (40 forums)", lambda: client.get(url))
    measure("feed: unchanged, 304", lambda: client.get(url, HTTP_IF_NONE_MATCH=etag))


def consent_gate(measure, disclosures=5_000):
    """disclose() itself (locks, checks, writes, audit) and the disclosure log at scale."""
    from datetime import date, timedelta

    from django.utils import timezone

    from sharing import services
    from sharing.models import Case, DataCategory, DisclosureMethod, Purpose

    client = _signed_in_client("safeguarding manager")
    officer = User.objects.get(email="bench-safeguarding-manager@example.org")
    police, _ = Agency.objects.get_or_create(
        name="Bench Police",
        defaults={
            "kind": AgencyKind.POLICE,
            "information_sharing_agreement_signed_on": date(2025, 1, 1),
            "information_sharing_agreement_review_due_on": date(2030, 1, 1),
        },
    )
    case = Case.objects.order_by("pk").first()
    now = timezone.now()
    # Only the Authority grants consent.
    _signed_in_client("authority")
    authority = User.objects.get(email="bench-authority@example.org")
    services.grant_consent(
        case=case, recipients=[police], purposes=[Purpose.SAFEGUARDING_REFERRAL],
        categories=[DataCategory.IDENTITY], valid_from=now - timedelta(days=1),
        valid_until=now + timedelta(days=30), actor=authority,
    )  # fmt: skip
    record_of_decision = services.DecisionRecord(
        necessity="bench", lawful_basis="public_task",
        special_category_condition="not_applicable", person_told="told",
    )  # fmt: skip

    def release():
        services.disclose(
            case=case, recipient=police, purpose=Purpose.SAFEGUARDING_REFERRAL,
            categories=[DataCategory.IDENTITY], content="bench", method=DisclosureMethod.PHONE,
            record_of_decision=record_of_decision, actor=officer,
        )  # fmt: skip

    measure("service: disclose() under a covering consent", release, repeat=200)
    while case.disclosures.count() < disclosures:
        release()
    measure(f"page: disclosure log ({disclosures:,})", lambda: client.get("/disclosures/"))
    measure("page: case with its disclosures", lambda: client.get(f"/cases/{case.pk}/"))


def reports(measure):
    """The three reports over the cases and disclosures the scenarios above filled. The monthly
    report's target at national scale is a p95 under 500 ms on PostgreSQL (issue 22)."""
    manager = _signed_in_client("safeguarding manager")
    authority = _signed_in_client("authority")
    partnerships = _signed_in_client("partnership manager")
    measure(
        "page: monthly report (as a manager)",
        lambda: manager.get("/reports/monthly/?month=2026-01"),
    )
    measure(
        "page: monthly report (the Authority, suppressed)",
        lambda: authority.get("/reports/monthly/?month=2026-01"),
    )
    measure(
        "download: monthly report as XLSX",
        lambda: manager.get("/reports/monthly/?month=2026-01&format=xlsx"),
    )
    measure(
        "page: consent compliance (a year)",
        lambda: manager.get("/reports/consent/?from=2026-01-01&to=2026-12-01"),
    )
    measure(
        "page: partnership activity (a year)",
        lambda: partnerships.get("/reports/partnership/?from=2026-01-01&to=2026-12-01"),
    )


ALL = [
    home_page,
    audit_append,
    case_list,
    consent_gate,
    reports,
    directory_pages,
    audit_verify,
    my_meetings,
    calendar_feed,
]
