"""Every URL the project serves, asked by every role, by a partner of another agency and by
nobody, with GET and POST, over the seeded demo's real records, answers exactly as declared here.

A URL pattern without a row fails the test by name: whoever adds a URL declares who may use it.
Each answer is "ok" (2xx, or a redirect anywhere but the sign-in page), "login" (a redirect to
the sign-in page), "ok, nothing written" (as "ok", with nothing written to the record), or the
status code ("403", "404", "405"). POSTs carry an empty body unless a row gives one; a role that
may use the page gets the form back with its errors or the action done ("ok"), one that may not
is refused, and a refused request must not have written anything to the record. Every
request runs in a transaction that is rolled back, so no answer depends on the ones before it.
"""

import logging

import pytest
from django.http import HttpResponseForbidden, HttpResponseNotFound
from django.urls import NoReverseMatch, reverse

import config.urls
from tests.foundation.url_matrix import (
    ADMIN,
    ANONYMOUS,
    AUTHORITY,
    COMPLIANCE,
    MANAGER,
    METHODS,
    OFFICER,
    OK,
    OTHER_PARTNER,
    PARTNER,
    PARTNERSHIPS,
    PERSONAS,
    SHOWN,
    SIGNED_IN,
    At,
    ask,
    matches,
    only,
    seed_demo,
    url_patterns,
)

# Not in the matrix, and only these: the admin (79 generated pages behind its own staff-only
# gate) and allauth's account pages (sign-in, password, e-mail address, authenticator), which
# every person uses alike for their own account and this folder's sign-in tests cover.
SKIPPED = ("admin/", "accounts/")

# Who is who, in the words the rules use.
DIRECTORY_MANAGERS = {ADMIN, PARTNERSHIPS}
MEETING_MANAGERS = {ADMIN, PARTNERSHIPS}
CASE_WORKERS = {OFFICER, MANAGER}  # an officer only on the cases assigned to them
SEES_EVERY_CASE = {MANAGER, AUTHORITY, COMPLIANCE}
SEES_EVERY_MEETING = {ADMIN, PARTNERSHIPS, OFFICER, MANAGER, AUTHORITY}
AUDITORS = {ADMIN, MANAGER, COMPLIANCE}
PARTNERS = {PARTNER, OTHER_PARTNER}
SHARING_REVIEWERS = {AUTHORITY, COMPLIANCE}
MONTHLY_READERS = {MANAGER, AUTHORITY, COMPLIANCE}
PARTNERSHIP_READERS = {MANAGER, PARTNERSHIPS}

NOT_ALLOWED = only(refused="405")  # a method the page does not take
POST_ONLY = NOT_ALLOWED  # as the GET answer of a page that only takes POST
# Token-addressed feeds answer nobody as they answer everybody.
FEED_OPEN = only(SIGNED_IN, ANONYMOUS)
FEED_NOT_FOUND = only(refused="404", but={ANONYMOUS: "404"})
FEED_NOT_ALLOWED = only(refused="405", but={ANONYMOUS: "405"})
LINK_OPEN = only(SIGNED_IN, ANONYMOUS)
LINK_REFUSED = only(refused="403", but={ANONYMOUS: "403"})

# One row per URL name: the samples it is filled with (named records from
# tests/foundation/url_matrix.py's seed_demo; add one there when no sample fits) and the answer
# each persona gets. `only(…)` says who gets "ok"; everyone else signed in gets its `refused`
# status and nobody the sign-in page; `but={persona: answer}` adds the exceptions.
MATRIX: dict[str, list[At]] = {
    "home": [At(None, only(SIGNED_IN))],
    "healthz": [At(None, only(SIGNED_IN, ANONYMOUS))],
    # For a Prometheus scraper with the token only; the tests set none, so it does not exist.
    "metrics": [At(None, only(refused="404", but={ANONYMOUS: "404"}))],
    # The local demo's outbox exists only with the file mail backend, which tests do not use.
    "outbox": [At(None, only(refused="404"))],
    # Notifications: each person's own; another's is a 404 like any object they may not see.
    "notifications:list": [At(None, only(SIGNED_IN), post=NOT_ALLOWED)],
    "notifications:mark-all-read": [At(None, POST_ONLY, post=only(SIGNED_IN))],
    "notifications:preferences": [At(None, only(SIGNED_IN), post=NOT_ALLOWED)],
    "notifications:preference-change": [At(None, only(SIGNED_IN))],
    "notifications:open": [At("partner's notification", only(PARTNER), post=NOT_ALLOWED)],
    # The directory ---------------------------------------------------------------------------
    "agencies:invitation-create": [At(None, only(ADMIN, refused="403"))],
    "agencies:areas-edit": [At("partnership manager", only(ADMIN, PARTNERSHIPS))],
    # Token-addressed: whoever holds the link may set the invited person's first password.
    "agencies:invitation-accept": [At("pending invitation", only(SIGNED_IN, ANONYMOUS))],
    "agencies:agency-list": [At(None, only(SIGNED_IN))],
    "agencies:agency-export": [At(None, only(SIGNED_IN))],
    "agencies:directory-import": [At(None, only(DIRECTORY_MANAGERS, refused="403"))],
    "agencies:directory-import-confirm": [
        At(None, POST_ONLY, post=only(DIRECTORY_MANAGERS, refused="403"))
    ],
    "agencies:import-template": [At("agencies template", only(DIRECTORY_MANAGERS, refused="403"))],
    "agencies:agency-create": [At(None, only(DIRECTORY_MANAGERS, refused="403"))],
    "agencies:agreement-review-list": [At(None, only(DIRECTORY_MANAGERS, refused="403"))],
    "agencies:agency-detail": [
        At("partner's agency", only(SIGNED_IN)),
        At("another agency", only(SIGNED_IN)),
    ],
    # A partner keeps their own agency's entry and contacts, nobody else's.
    "agencies:agency-edit": [
        At("partner's agency", only(DIRECTORY_MANAGERS, PARTNER)),
        At("another agency", only(DIRECTORY_MANAGERS, OTHER_PARTNER)),
    ],
    "agencies:agency-deactivate": [
        At("partner's agency", only(DIRECTORY_MANAGERS)),
    ],
    "agencies:agency-reactivate": [
        At("partner's agency", POST_ONLY, post=only(DIRECTORY_MANAGERS)),
    ],
    "agencies:contact-create": [
        At("partner's agency", only(DIRECTORY_MANAGERS, PARTNER)),
        At("another agency", only(DIRECTORY_MANAGERS, OTHER_PARTNER)),
    ],
    "agencies:contact-edit": [
        At("partner's agency contact", only(DIRECTORY_MANAGERS, PARTNER)),
        At("another agency's contact", only(DIRECTORY_MANAGERS, OTHER_PARTNER)),
    ],
    "agencies:contact-deactivate": [
        At("partner's agency contact", POST_ONLY, post=only(DIRECTORY_MANAGERS, PARTNER)),
        At("another agency's contact", POST_ONLY, post=only(DIRECTORY_MANAGERS, OTHER_PARTNER)),
    ],
    "agencies:contact-reactivate": [
        At("partner's agency contact", POST_ONLY, post=only(DIRECTORY_MANAGERS, PARTNER)),
        At("another agency's contact", POST_ONLY, post=only(DIRECTORY_MANAGERS, OTHER_PARTNER)),
    ],
    # Cases: an officer only on their own; a case someone may not see is a 404 -----------------
    "sharing:case-list": [At(None, only(SEES_EVERY_CASE, refused="403"))],
    "sharing:case-mine": [At(None, only(CASE_WORKERS, refused="403"))],
    "sharing:case-create": [At(None, only(CASE_WORKERS, refused="403"))],
    "sharing:case-without-officer-list": [At(None, only(MANAGER, refused="403"))],
    "sharing:case-detail": [
        At("assigned case", only(SEES_EVERY_CASE, OFFICER)),
        At("unassigned case", only(SEES_EVERY_CASE)),
    ],
    "sharing:case-update": [
        At("assigned case", only(CASE_WORKERS)),
        At("unassigned case", only(MANAGER)),
    ],
    "sharing:case-sight": [
        At("assigned case", only(MANAGER)),
        At("unassigned case", only(MANAGER)),
    ],
    "sharing:case-close": [
        At("assigned case", only(CASE_WORKERS)),
        At("unassigned case", only(MANAGER)),
    ],
    "sharing:case-reopen": [At("assigned closed case", POST_ONLY, post=only(CASE_WORKERS))],
    "sharing:case-note-create": [
        At("assigned case", only(CASE_WORKERS)),
        At("unassigned case", only(MANAGER)),
    ],
    "sharing:case-indicator-create": [
        At("assigned case", only(CASE_WORKERS)),
        At("unassigned case", only(MANAGER)),
    ],
    "sharing:case-indicator-end": [At("assigned case indicator", only(CASE_WORKERS))],
    "sharing:escalation-create": [
        At("assigned case", only(CASE_WORKERS)),
        At("unassigned case", only(MANAGER)),
    ],
    "sharing:escalation-decide": [At("undecided escalation", only(MANAGER))],
    "sharing:referral-create": [
        At("assigned case", only(CASE_WORKERS)),
        At("unassigned case", only(MANAGER)),
    ],
    "sharing:referral-overdue-list": [At(None, only(CASE_WORKERS, SEES_EVERY_CASE, refused="403"))],
    "sharing:referral-to-chase-list": [At(None, only(CASE_WORKERS, refused="403"))],
    "sharing:referral-awaiting-response-list": [At(None, only(PARTNERS, refused="403"))],
    "sharing:referral-send": [At("draft referral", only(CASE_WORKERS))],
    "sharing:referral-withdraw": [At("draft referral", only(CASE_WORKERS))],
    "sharing:referral-status-update": [At("sent referral", only(CASE_WORKERS))],
    # The receiving agency answers; the team records answers given elsewhere on its own page.
    "sharing:referral-answer": [At("referral to the partner's agency", only(PARTNER))],
    # Exactly what was released, as a document: the team that released it and the agency
    # that received it.
    "sharing:referral-document": [
        At("referral to the partner's agency", only(CASE_WORKERS, PARTNER))
    ],
    "sharing:referral-document-sent": [At("referral sent as a document", only(CASE_WORKERS))],
    "sharing:referral-new-link": [
        At("referral sent by secure link", POST_ONLY, post=only(CASE_WORKERS))
    ],
    # Token-addressed, for people outside Partnerhub: the link asks everyone alike for the code
    # sent to its own address, and an unknown link is not found.
    "sharing:secure-link": [
        At("secure link", only(SIGNED_IN, ANONYMOUS)),
        At("unknown secure link", FEED_NOT_FOUND),
    ],
    "sharing:secure-link-document": [
        At("secure link", only(SIGNED_IN, ANONYMOUS)),
        At("unknown secure link", FEED_NOT_FOUND),
    ],
    # Consent: asked for by those working on the case, decided by the Authority alone ----------
    "sharing:consent-request-create": [
        At("assigned case", only(CASE_WORKERS)),
        At("unassigned case", only(MANAGER)),
    ],
    "sharing:consent-record": [
        At("assigned case", only(CASE_WORKERS)),
        At("unassigned case", only(MANAGER)),
    ],
    "sharing:disclosure-create": [
        At("assigned case", only(CASE_WORKERS)),
        At("unassigned case", only(MANAGER)),
    ],
    "sharing:case-recipients": [
        At("assigned case", only(SEES_EVERY_CASE, OFFICER)),
        At("unassigned case", only(SEES_EVERY_CASE)),
    ],
    "sharing:case-referrals": [
        At("assigned case", only(SEES_EVERY_CASE, OFFICER)),
        At("unassigned case", only(SEES_EVERY_CASE)),
    ],
    # A subject access copy: for those who may see "who received what" about the case.
    "sharing:case-subject-access": [
        At("assigned case", only(SEES_EVERY_CASE, OFFICER)),
        At("unassigned case", only(SEES_EVERY_CASE)),
    ],
    # Legal holds are the safeguarding managers' (sharing.permissions.can_hold_case).
    "sharing:legal-hold-place": [
        At("assigned case", only(MANAGER)),
        At("unassigned case", only(MANAGER)),
    ],
    "sharing:legal-hold-lift": [
        At("assigned case", only(MANAGER)),
        At("unassigned case", only(MANAGER)),
    ],
    "sharing:case-corrections": [
        At("assigned case", only(CASE_WORKERS)),
        At("unassigned case", only(MANAGER)),
    ],
    "sharing:decision-not-to-share-create": [
        At("assigned case", only(CASE_WORKERS)),
        At("unassigned case", only(MANAGER)),
    ],
    "sharing:consent-request-mine": [At(None, only(CASE_WORKERS, refused="403"))],
    "sharing:consent-expiring-mine": [At(None, only(CASE_WORKERS, refused="403"))],
    "sharing:escalation-mine": [At(None, only(CASE_WORKERS, refused="403"))],
    # The escalations queue is the deciding managers' alone.
    "sharing:escalation-queue": [At(None, only(MANAGER, refused="403"))],
    # The queue is the Authority's alone, refused before any request is looked up.
    "sharing:consent-queue": [At(None, only(AUTHORITY, refused="403"))],
    # Compliance lists: those who review sharing across every case.
    "sharing:compliance-consents": [At(None, only(SHARING_REVIEWERS, refused="403"))],
    "sharing:compliance-refused-requests": [At(None, only(SHARING_REVIEWERS, refused="403"))],
    "sharing:compliance-decisions-not-to-share": [At(None, only(SHARING_REVIEWERS, refused="403"))],
    "sharing:compliance-disclosures-without-agreement": [
        At(None, only(SHARING_REVIEWERS, refused="403"))
    ],
    "sharing:consent-request-decide": [
        At("pending consent request", only(AUTHORITY, refused="403"))
    ],
    # Those who may see the case are told they may not act (403); the rest learn nothing (404).
    "sharing:consent-revoke": [
        At(
            "current consent",
            only(AUTHORITY, but=dict.fromkeys(CASE_WORKERS | {COMPLIANCE}, "403")),
        )
    ],
    "sharing:consent-amend": [
        At(
            "current consent",
            only(AUTHORITY, but=dict.fromkeys(CASE_WORKERS | {COMPLIANCE}, "403")),
        )
    ],
    "sharing:consent-evidence": [At("consent with a letter", only(SEES_EVERY_CASE, OFFICER))],
    # A partner sees what was disclosed to their own agency and nothing else.
    "sharing:disclosure-log": [At(None, only(SEES_EVERY_CASE, OFFICER, PARTNERS, refused="403"))],
    "sharing:disclosure-detail": [
        At("disclosure to the partner's agency", only(SEES_EVERY_CASE, OFFICER, PARTNER)),
        At("disclosure to another agency", only(SEES_EVERY_CASE, OFFICER, OTHER_PARTNER)),
    ],
    # Forums and meetings: staff see every one, a partner only those they are invited to ------
    "meetings:forum-list": [At(None, only(SIGNED_IN))],
    "meetings:forum-create": [At(None, only(MEETING_MANAGERS))],
    "meetings:forum-detail": [
        At("partner's forum", only(SEES_EVERY_MEETING, PARTNER)),
        At("internal forum", only(SEES_EVERY_MEETING)),
    ],
    "meetings:forum-edit": [
        At("partner's forum", only(MEETING_MANAGERS)),
    ],
    "meetings:forum-overdue-actions": [
        At("partner's forum", only(SEES_EVERY_MEETING, PARTNER)),
        At("internal forum", only(SEES_EVERY_MEETING)),
    ],
    "meetings:meeting-generate": [
        At("partner's forum", only(MEETING_MANAGERS)),
    ],
    "meetings:meeting-create": [
        At("partner's forum", only(MEETING_MANAGERS)),
    ],
    "meetings:series-cancel": [
        At("partner's forum", only(MEETING_MANAGERS)),
    ],
    "meetings:calendar-messages": [
        At("partner's forum", only(MEETING_MANAGERS)),
    ],
    "meetings:forum-calendar": [
        At("partner's forum", only(SEES_EVERY_MEETING, PARTNER), post=NOT_ALLOWED),
        At("internal forum", only(SEES_EVERY_MEETING), post=NOT_ALLOWED),
    ],
    "meetings:meeting-mine": [At(None, only(SIGNED_IN))],
    "meetings:meeting-detail": [
        At("case meeting", only(SEES_EVERY_MEETING, PARTNER)),
        At("internal meeting", only(SEES_EVERY_MEETING)),
    ],
    "meetings:meeting-calendar": [
        At("case meeting", only(SEES_EVERY_MEETING, PARTNER), post=NOT_ALLOWED),
        At("internal meeting", only(SEES_EVERY_MEETING), post=NOT_ALLOWED),
    ],
    "meetings:meeting-edit": [
        At("case meeting", only(MEETING_MANAGERS)),
    ],
    "meetings:meeting-cancel": [
        At("case meeting", only(MEETING_MANAGERS)),
    ],
    "meetings:attendance-invite": [
        At("case meeting", only(MEETING_MANAGERS)),
    ],
    "meetings:attendance-record": [
        At("case meeting", only(MEETING_MANAGERS)),
    ],
    # Only the people invited answer an invitation: the partner and the officer to the MARAC,
    # the team's members to their own board.
    "meetings:attendance-respond": [
        At("partner's upcoming meeting", only(OFFICER, PARTNER)),
        At("internal upcoming meeting", only(PARTNERSHIPS, OFFICER, MANAGER)),
    ],
    "meetings:attendance-fill-seat": [At("empty seat", only(MEETING_MANAGERS))],
    "meetings:attendance-remove": [
        At("partner's attendance", only(MEETING_MANAGERS)),
    ],
    # Someone who cannot come sends a deputy in their own place, nobody else's.
    "meetings:attendance-deputy": [
        At("partner's attendance", only(MEETING_MANAGERS, PARTNER)),
        At("another's attendance", only(MEETING_MANAGERS, OFFICER)),
    ],
    "meetings:agenda-item-create": [
        At("case meeting", only(MEETING_MANAGERS)),
    ],
    "meetings:agenda-item-edit": [
        At("agenda item", only(MEETING_MANAGERS)),
    ],
    "meetings:agenda-item-move": [
        At("agenda item", POST_ONLY, post=only(MEETING_MANAGERS)),
    ],
    "meetings:paper-upload": [
        At("agenda item", only(MEETING_MANAGERS)),
    ],
    # A case item's paper only for someone shown the item: the case's officer, who affirmed
    # the meeting's confidentiality statement. Anyone who may see the meeting has its others.
    "meetings:paper-download": [
        At("paper", only(SEES_EVERY_MEETING, PARTNER)),
        At("case item paper", only(OFFICER)),
    ],
    # Listing a case is the team's officers' and managers' disclosure, never the organisers'.
    "meetings:case-item-create": [
        At("case meeting", only(CASE_WORKERS)),
        At("internal meeting", only(CASE_WORKERS)),
    ],
    "meetings:case-item-share": [At("case item", only(CASE_WORKERS))],
    # A MARAC case's outcome is recorded by those who work on the case item or keep the
    # minutes, and shown it: at the demo's MARAC, the case's officer, who affirmed.
    "meetings:case-hearing-record": [At("case item", only(OFFICER))],
    "meetings:meeting-affirm": [
        At("case meeting", POST_ONLY, post=only(SEES_EVERY_MEETING, PARTNER)),
        At("internal meeting", POST_ONLY, post=only(SEES_EVERY_MEETING)),
    ],
    # Minutes that carry a case are kept only by someone shown every case item: at the MARAC,
    # its officer; the organisers keep the minutes of meetings without cases.
    "meetings:minutes-edit": [
        At("case meeting", only(OFFICER)),
        At("internal meeting", only(MEETING_MANAGERS)),
    ],
    "meetings:minutes-correct": [
        At("case meeting", only(OFFICER)),
        At("internal meeting", only(MEETING_MANAGERS)),
    ],
    "meetings:minutes-transition": [
        At("case meeting, approve", POST_ONLY, post=only(OFFICER)),
        At("internal meeting, approve", POST_ONLY, post=only(MEETING_MANAGERS)),
    ],
    # Comments on circulated minutes: those invited who read them, and those who keep them;
    # each comment is resolved by those who keep the minutes.
    "meetings:minutes-comment": [
        # The partner came to the case meeting and reads its minutes' general part.
        At("case meeting", only(OFFICER, PARTNER)),
        # The internal board invites the officer and the manager.
        At("internal meeting", only(MEETING_MANAGERS, OFFICER, MANAGER)),
    ],
    # The agenda and minutes as a document: anyone who may see the meeting, holding what
    # they may read of it.
    "meetings:meeting-document": [
        At("case meeting", only(SEES_EVERY_MEETING, PARTNER)),
        At("internal meeting", only(SEES_EVERY_MEETING)),
    ],
    "meetings:minutes-comment-resolve": [
        At("comment on internal minutes", only(MEETING_MANAGERS)),
    ],
    "meetings:action-create": [
        At("case meeting", only(MEETING_MANAGERS, OFFICER)),
        At("internal meeting", only(MEETING_MANAGERS)),
    ],
    "meetings:action-review": [At("carried-over action", only(MEETING_MANAGERS))],
    "meetings:action-mine": [At(None, only(SIGNED_IN))],
    "meetings:action-overdue-list": [At(None, only(MEETING_MANAGERS, refused="403"))],
    "meetings:action-agency-list": [At(None, only(PARTNERS, refused="403"))],
    "meetings:minutes-waiting-list": [At(None, only(MEETING_MANAGERS, refused="403"))],
    "meetings:meeting-without-agenda-list": [At(None, only(MEETING_MANAGERS, refused="403"))],
    "meetings:action-detail": [
        At("partner's action", only(SEES_EVERY_MEETING, PARTNER)),
        At("internal action", only(SEES_EVERY_MEETING)),
        # An update to an action on a case item is written only by someone shown the item (its
        # owner here); the organisers, who were not shown it, see the page but cannot write.
        At(
            "case item action",
            only(SEES_EVERY_MEETING, PARTNER),
            post=only(
                OFFICER,
                but=dict.fromkeys({ADMIN, PARTNERSHIPS, MANAGER, AUTHORITY, PARTNER}, SHOWN),
            ),
            data={"note": "Safety plan shared"},
        ),
    ],
    # Calendars: a personal feed is addressed by its token alone; forum feeds are the
    # organisers'.
    "meetings:calendar-mine": [At(None, only(SIGNED_IN))],
    "meetings:calendar-reset": [At(None, POST_ONLY, post=only(SIGNED_IN))],
    "meetings:calendar-feed": [
        At("partner's calendar", FEED_OPEN, post=FEED_NOT_ALLOWED),
        At("unknown calendar", FEED_NOT_FOUND, post=FEED_NOT_ALLOWED),
    ],
    "meetings:forum-feed": [
        At("organiser's calendar, a forum", FEED_OPEN, post=FEED_NOT_ALLOWED),
        At("partner's calendar, partner's forum", FEED_NOT_FOUND, post=FEED_NOT_ALLOWED),
    ],
    # Signed links for directory contacts, who have no account: the signature is the guard, so
    # everyone holding the link alike is shown the page; an altered link opens nothing, and a
    # case item's paper never comes through a link.
    "meetings:contact-invitation": [
        At(
            "contact's invitation",
            LINK_OPEN,
            post=LINK_OPEN,
            data={"answer-response": "accepted"},
        ),
        At("altered contact link", LINK_REFUSED),
    ],
    "meetings:contact-paper": [
        At("contact's paper", LINK_OPEN),
        At("case item paper, contact's link", FEED_NOT_FOUND),
    ],
    "meetings:contact-minutes": [
        At("contact's minutes", LINK_OPEN, post=LINK_OPEN, data={"text": "Item 2 is wrong"}),
        At("altered contact link", LINK_REFUSED),
    ],
    # Reports: the Authority and compliance the monthly and consent reports, safeguarding
    # managers all three, partnership managers the partnership report.
    "reports:index": [At(None, only(MONTHLY_READERS | PARTNERSHIP_READERS, refused="403"))],
    "reports:monthly": [At(None, only(MONTHLY_READERS, refused="403"))],
    "reports:consent": [At(None, only(MONTHLY_READERS, refused="403"))],
    "reports:partnership": [At(None, only(PARTNERSHIP_READERS, refused="403"))],
    # The record ------------------------------------------------------------------------------
    "audit:event-list": [At(None, only(AUDITORS, refused="403"))],
    # Exporting the log and checking its chain on demand are the compliance reviewer's.
    "audit:event-export": [At(None, only(COMPLIANCE, refused="403"))],
    "audit:chain-verify": [At(None, POST_ONLY, post=only(COMPLIANCE, refused="403"))],
    "audit:object-trail": [At("case audit trail", only(AUDITORS, refused="403"))],
}


def _quick_refusal(status_class):
    def view(request, exception):
        return status_class()

    return view


def test_every_url_pattern_has_a_row_in_the_matrix():
    served = {pattern.name for pattern in url_patterns(SKIPPED)}
    undeclared = sorted(served - MATRIX.keys())
    assert not undeclared, f"URL patterns with no row in the permission matrix: {undeclared}"
    assert sorted(MATRIX.keys() - served) == [], "rows for URL patterns that no longer exist"
    for name, rows in MATRIX.items():
        for at in rows:
            for method in METHODS:
                assert at.answers(method).keys() == set(PERSONAS), (name, at.sample, method)


@pytest.mark.site_crawl
@pytest.mark.django_db
def test_every_url_answers_every_persona_as_the_matrix_declares(
    settings, tmp_path, monkeypatch, caplog, capsys
):
    settings.MEDIA_ROOT = tmp_path
    # Thousands of expected refusals would each log a warning with its traceback; a server
    # error is still logged.
    caplog.set_level(logging.ERROR, logger="django.request")
    # Only the status of a refusal matters here; the styled error pages, which cost a full
    # layout each, are tested in test_error_pages.py.
    monkeypatch.setattr(config.urls, "handler403", _quick_refusal(HttpResponseForbidden))
    monkeypatch.setattr(config.urls, "handler404", _quick_refusal(HttpResponseNotFound))
    demo = seed_demo()
    undeclared, unfilled, mismatches, writes = [], [], [], []
    checked = 0
    for pattern in url_patterns(SKIPPED):
        if pattern.name not in MATRIX:
            undeclared.append(pattern.name)
            continue
        for at in MATRIX[pattern.name]:
            try:
                path = reverse(pattern.name, kwargs=demo.samples[at.sample] if at.sample else None)
            except (KeyError, NoReverseMatch):
                unfilled.append((pattern.name, at.sample))
                continue
            for method in METHODS:
                for persona, expected in at.answers(method).items():
                    got, written = ask(demo.clients[persona], method, path, at.data)
                    checked += 1
                    if not matches(expected, got, written):
                        got += f", wrote {written}" if written else ""
                        mismatches.append((path, at.sample, persona, method, expected, got))
                    if expected not in (OK, SHOWN) and written:
                        writes.append((path, persona, method, got, written))
    with capsys.disabled():
        print(f"\npermission matrix: {checked} requests checked")
    assert undeclared == [], f"URL patterns with no row in the permission matrix: {undeclared}"
    assert unfilled == [], "rows whose sample does not fill the URL's parameters"
    assert not mismatches, "\n".join(
        [f"{len(mismatches)} answers differ (url, sample, persona, method, expected, got):"]
        + [repr(mismatch) for mismatch in mismatches]
    )
    assert not writes, "\n".join(
        ["refused requests that wrote to the record (url, persona, method, got, verbs):"]
        + [repr(write) for write in writes]
    )
