"""How a sent referral reaches its agency, by the route chosen when it is sent, and the secure
link through which an agency without Partnerhub users reads and answers it.

- In Partnerhub: the referral is in the agency's "Referrals to answer"; its people are told,
  without case data.
- Secure link: the addressee (the named contact, or the agency's secure address) gets an e-mail
  with a link only. Opening it asks for a one-time code, sent to the same address, so a
  forwarded link shows nothing. The link expires, locks after five wrong codes, stops when the
  consent is revoked, and every view is audited with the address and IP address.
- Own channel: the officer downloads the document (sharing/documents.py) and records how and
  when it was sent.

Delivery happens inside send_referral's transaction: a link e-mail that cannot be sent or a
document that cannot be produced undoes the release, so nothing is recorded as released unless
it went out.
"""

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from agencies.models import ReferralRoute
from audit.models import Verb
from audit.services import record
from notifications.delivery import KIND_HEADER, absolute
from sharing import notices, permissions
from sharing.documents import DocumentFailed, release_document
from sharing.models import Disclosure, DisclosureMethod, Referral, SecureLink

logger = logging.getLogger(__name__)

ROUTE_METHOD = {
    ReferralRoute.PARTNERHUB: DisclosureMethod.PORTAL,
    ReferralRoute.SECURE_LINK: DisclosureMethod.SECURE_LINK,
    ReferralRoute.OWN_CHANNEL: DisclosureMethod.DOCUMENT,
}
CODE_VALID_FOR = timedelta(minutes=15)
WRONG_CODES_BEFORE_LOCK = 5
# A second code within a minute is refused, so a link cannot be used to flood an inbox.
RESEND_AFTER = timedelta(minutes=1)
# How long a correct code opens the link in that browser before another is needed.
OPEN_FOR = timedelta(minutes=30)


class DeliveryFailed(Exception):
    """The referral could not be delivered by the chosen route; nothing was released."""


class LinkRefused(Exception):
    """The secure link cannot be used now; `code` says why and the message says what to do."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class RouteOption:
    route: str
    label: str
    available: bool
    to: str = ""
    why_not: str = ""


def link_addressee(referral: Referral):
    """Who a secure link goes to: the named contact if they are active and have an address,
    otherwise the agency's secure address; None if neither."""
    contact = referral.contact
    if contact is not None and contact.is_active and contact.email:
        return contact, contact.email
    if referral.agency.secure_email:
        return None, referral.agency.secure_email
    return None


def route_options(referral: Referral) -> list[RouteOption]:
    """Every route, each available or saying why not; a document is always possible."""
    agency = referral.agency
    people = permissions.people_who_answer_referrals_for(agency)
    addressee = link_addressee(referral)
    labels = dict(ReferralRoute.choices)
    return [
        RouteOption(
            ReferralRoute.PARTNERHUB,
            labels[ReferralRoute.PARTNERHUB],
            available=bool(people),
            to=f"{len(people)} {'person' if len(people) == 1 else 'people'} at {agency.name}",
            why_not=f"{agency.name} has nobody using Partnerhub",
        ),
        RouteOption(
            ReferralRoute.SECURE_LINK,
            labels[ReferralRoute.SECURE_LINK],
            available=addressee is not None,
            to=addressee[1] if addressee else "",
            why_not="No active named contact with an e-mail address and no secure e-mail "
            f"address for {agency.name}",
        ),
        RouteOption(ReferralRoute.OWN_CHANNEL, labels[ReferralRoute.OWN_CHANNEL], available=True),
    ]


def proposed_route(options: list[RouteOption], agency) -> str:
    """The agency's preferred route when it can be used, otherwise the first that can."""
    available = [option.route for option in options if option.available]
    return agency.referral_route if agency.referral_route in available else available[0]


def _digest(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def _send_external(*, to_name: str, to_email: str, subject: str, template: str, context: dict):
    """An e-mail to someone outside Partnerhub. It never carries case data: the header lets the
    test suite check every one."""
    message = EmailMessage(
        subject=f"Partnerhub: {subject}",
        body=render_to_string(template, context),
        to=[formataddr((to_name, to_email)) if to_name else to_email],
        headers={KIND_HEADER: "secure_link", "Auto-Submitted": "auto-generated"},
    )
    try:
        message.send()
    except OSError as error:
        raise DeliveryFailed(
            f"The e-mail to {to_email} could not be sent ({error.__class__.__name__})"
        ) from error


def deliver(referral: Referral, disclosure, route: str, *, actor, ip_address=None) -> None:
    """Deliver a referral just released by `disclosure`. Called inside send_referral's
    transaction; raises DeliveryFailed (and the release rolls back) if it cannot."""
    if route == ReferralRoute.PARTNERHUB:
        notices.referral_received(referral, actor=actor)
    elif route == ReferralRoute.SECURE_LINK:
        _issue_link(referral, disclosure, actor=actor, ip_address=ip_address)
    else:
        try:
            release_document(
                disclosure_number=disclosure.pk,
                recipient=referral.agency.name,
                released_at=disclosure.disclosed_at,
                snapshot=disclosure.content.text,
            )
        except DocumentFailed as error:
            raise DeliveryFailed(
                "The document could not be produced, so nothing was released. Try again, or "
                "choose another route"
            ) from error


def _issue_link(referral: Referral, disclosure, *, actor, ip_address) -> SecureLink:
    addressee = link_addressee(referral)
    if addressee is None:
        raise DeliveryFailed(
            f"{referral.agency.name} has no active named contact with an e-mail address and no "
            "secure e-mail address, so a secure link cannot be sent"
        )
    contact, email = addressee
    now = timezone.now()
    token = secrets.token_urlsafe(32)
    link = SecureLink.objects.create(
        referral=referral,
        disclosure=disclosure,
        contact=contact,
        email=email,
        token_digest=_digest(token),
        created_at=now,
        expires_at=now + timedelta(days=settings.PARTNERHUB_SECURE_LINK_VALID_DAYS),
    )
    record(
        verb=Verb.CREATED,
        actor=actor,
        target=link,
        detail={"referral_id": referral.pk, "disclosure_id": disclosure.pk, "to": email},
        ip_address=ip_address,
    )
    _send_external(
        to_name=contact.full_name if contact else "",
        to_email=email,
        subject=f"A referral for {referral.agency.name}",
        template="sharing/email/secure_link.txt",
        context={
            "link": link,
            "agency": referral.agency,
            "url": absolute(reverse("sharing:secure-link", args=[token])),
            "case_reference": referral.case.reference,
        },
    )
    return link


def reissue_link(*, referral: Referral, actor, ip_address=None) -> SecureLink:
    """A new link for a referral whose link expired or locked; the old one stops working."""
    permissions.require_change_referral(actor, referral)
    with transaction.atomic():
        current = (
            referral.secure_links.select_for_update()
            .filter(replaced_at__isnull=True)
            .select_related("disclosure__consent")
            .first()
        )
        if current is None:
            raise DeliveryFailed("This referral was not sent by secure link")
        if current.disclosure.withdrawn_at is not None:
            raise DeliveryFailed(
                "The Authority withdrew the consent this referral was released under, so no "
                "new link can be sent"
            )
        SecureLink.objects.filter(pk=current.pk).update(replaced_at=timezone.now())
        return _issue_link(referral, current.disclosure, actor=actor, ip_address=ip_address)


def link_for_token(token: str) -> SecureLink | None:
    return (
        SecureLink.objects.filter(token_digest=_digest(token))
        .select_related(
            "referral__agency",
            "referral__kind",
            "referral__case",
            "disclosure__consent",
            "disclosure__content",
            "contact",
        )
        .first()
    )


def check_usable(link: SecureLink, *, now=None) -> None:
    """Refuse, saying why, a link that no longer opens."""
    now = now or timezone.now()
    revoked_at = link.disclosure.withdrawn_at
    if revoked_at is not None:
        raise LinkRefused(
            "withdrawn",
            f"This referral was withdrawn on {timezone.localtime(revoked_at):%-d %B %Y}: the "
            "Authority withdrew its consent to share it. Do not use any copy you kept.",
        )
    if link.replaced_at is not None:
        raise LinkRefused(
            "replaced",
            "This link was replaced by a newer one. Use the link in the latest e-mail.",
        )
    if link.locked_at is not None:
        raise LinkRefused(
            "locked",
            "This link is locked after too many wrong codes. Ask the safeguarding team to send "
            "a new one.",
        )
    if link.expires_at <= now:
        raise LinkRefused(
            "expired",
            f"This link expired on {timezone.localtime(link.expires_at):%-d %B %Y}. Ask the "
            "safeguarding team to send a new one.",
        )
    if link.contact_id is not None and not link.contact.is_active:
        raise LinkRefused(
            "contact_inactive",
            "The person this link was sent to no longer works with the agency. Ask the "
            "safeguarding team to send the referral to someone else.",
        )


def send_code(link: SecureLink, *, ip_address=None) -> None:
    """A new one-time code to the link's own address; any earlier code stops working."""
    check_usable(link)
    now = timezone.now()
    if link.code_expires_at is not None and link.code_expires_at - CODE_VALID_FOR > now - (
        RESEND_AFTER
    ):
        raise LinkRefused(
            "too_soon", f"We sent a code to {link.email} less than a minute ago: check your e-mail"
        )
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        SecureLink.objects.filter(pk=link.pk).update(
            code_digest=_digest(f"{link.pk}:{code}"),
            code_expires_at=now + CODE_VALID_FOR,
        )
        record(
            verb=Verb.CODE_SENT,
            target=link,
            actor_label=link.email,
            detail={"referral_id": link.referral_id},
            ip_address=ip_address,
        )
        _send_external(
            to_name=link.contact.full_name if link.contact_id else "",
            to_email=link.email,
            subject="Your one-time code",
            template="sharing/email/secure_link_code.txt",
            context={"code": code, "minutes": int(CODE_VALID_FOR.total_seconds() // 60)},
        )


def check_code(link: SecureLink, code: str, *, ip_address=None):
    """Accept the code (used once) and return when the link was opened, or refuse it: the
    fifth wrong code locks the link."""
    check_usable(link)
    now = timezone.now()
    with transaction.atomic():
        link = SecureLink.objects.select_for_update().get(pk=link.pk)
        wanted = link.code_digest
        right = (
            bool(wanted)
            and link.code_expires_at > now
            and hmac.compare_digest(wanted, _digest(f"{link.pk}:{code.strip()}"))
        )
        if right:
            link.code_digest, link.code_expires_at = "", None
            link.save(update_fields=["code_digest", "code_expires_at"])
            return now
        link.failed_codes += 1
        locked = link.failed_codes >= WRONG_CODES_BEFORE_LOCK
        if locked:
            link.locked_at = now
        link.save(update_fields=["failed_codes", "locked_at"])
        record(
            verb=Verb.LOCKED if locked else Verb.CODE_REFUSED,
            target=link,
            actor_label=link.email,
            detail={"referral_id": link.referral_id, "wrong_codes": link.failed_codes},
            ip_address=ip_address,
        )
    if locked:
        raise LinkRefused(
            "locked",
            "That code is wrong, and this link is now locked. Ask the safeguarding team to send "
            "a new one.",
        )
    if wanted and link.code_expires_at and link.code_expires_at <= now:
        raise LinkRefused("wrong_code", "That code has expired. Send yourself a new one")
    left = WRONG_CODES_BEFORE_LOCK - link.failed_codes
    raise LinkRefused(
        "wrong_code",
        f"That code is wrong. Check the latest e-mail; {left} more wrong "
        f"{'try locks' if left == 1 else 'tries lock'} the link",
    )


def require_opened(link: SecureLink, opened_at) -> None:
    """The link holder proved the code to this address within OPEN_FOR."""
    check_usable(link)
    if opened_at is None or opened_at + OPEN_FOR <= timezone.now():
        raise LinkRefused("not_verified", "Enter the code we e-mail you to open the referral")


def record_link_view(link: SecureLink, *, what: str, ip_address=None) -> None:
    record(
        verb=Verb.DOWNLOADED if what == "document" else Verb.VIEWED,
        target=link.referral,
        actor_label=link.email,
        detail={
            "case_id": link.referral.case_id,
            "secure_link_id": link.pk,
            "disclosure_id": link.disclosure_id,
            "page": what,
        },
        ip_address=ip_address,
    )


def tell_link_holder(link: SecureLink, *, subject: str, message: str) -> None:
    """Tell a secure link's addressee, once the change is committed and without case data, that
    something about the referral needs their attention; the link's page says what. Only the
    link's digest is kept, so the e-mail points to the first one. A failure is logged, never
    raised: the change it tells of stands."""

    def send():
        try:
            _send_external(
                to_name=link.contact.full_name if link.contact_id else "",
                to_email=link.email,
                subject=subject,
                template="sharing/email/secure_link_notice.txt",
                context={"link": link, "message": message},
            )
        except DeliveryFailed:
            logger.exception("Could not tell secure link %s's addressee", link.pk)

    transaction.on_commit(send)


def _referral_links_released_under(consent=None, *, case=None, recipients=()):
    links = SecureLink.objects.filter(replaced_at__isnull=True).select_related(
        "contact", "referral__case", "referral__agency"
    )
    if consent is not None:
        return links.filter(disclosure__consent=consent)
    return links.filter(referral__case=case, referral__agency__in=recipients)


def tell_recipients_of_withdrawal(consent, *, actor) -> None:
    """The Authority withdrew a consent: every agency that received a referral under it is told
    that what it was given is withdrawn (its pages stop showing it), by the route it came."""
    released_from = consent.disclosures.filter(
        source_type=Disclosure.source_type_of(Referral)
    ).values_list("source_id", flat=True)
    referrals = Referral.objects.filter(pk__in=[int(pk) for pk in released_from]).select_related(
        "agency", "case"
    )
    for referral in referrals:
        if referral.route == ReferralRoute.PARTNERHUB:
            notices.referral_withdrawn(referral, actor=actor)
    for link in _referral_links_released_under(consent):
        tell_link_holder(
            link,
            subject=f"A referral to {link.referral.agency.name} was withdrawn",
            message=(
                f"The Authority withdrew its consent for the referral of case "
                f"{link.referral.case.reference}. Do not use any copy you kept; the link no "
                "longer opens it."
            ),
        )


def tell_recipients_of_correction(case, recipients, *, actor) -> None:
    """A correction to a case reaches the agencies that received it the way their referrals
    did: a notification in Partnerhub, or an e-mail to the secure link's addressee. An agency
    that got a document is told by the officer, who records how."""
    # Once per agency, pointing to its latest referral, however many it received.
    latest = {}
    for referral in (
        case.referrals.filter(agency__in=recipients, route=ReferralRoute.PARTNERHUB)
        .select_related("agency", "case")
        .order_by("sent_at", "pk")
    ):
        latest[referral.agency_id] = referral
    for referral in latest.values():
        notices.referral_corrected(referral, actor=actor)
    for link in _referral_links_released_under(case=case, recipients=recipients):
        tell_link_holder(
            link,
            subject=f"A correction to a referral to {link.referral.agency.name}",
            message=(
                f"The safeguarding team corrected information it shared about case "
                f"{case.reference}. The referral's page says what changed."
            ),
        )


ROUTE_WORDS = {
    ReferralRoute.PARTNERHUB: "It is waiting in Partnerhub, under “Referrals to answer”.",
    ReferralRoute.SECURE_LINK: "It was sent by secure link; ask the safeguarding team for a new "
    "link if yours has expired.",
    ReferralRoute.OWN_CHANNEL: "It was sent as a document through your agency's own secure "
    "channel.",
}


def send_chase_to_contact(referral: Referral, contact) -> None:
    """Remind an agency's single point of contact, outside Partnerhub, that a referral waits
    for acknowledgement. Raises DeliveryFailed if the e-mail cannot be sent."""
    _send_external(
        to_name=contact.full_name,
        to_email=contact.email,
        subject=f"A referral to {referral.agency.name} is waiting",
        template="sharing/email/referral_chase.txt",
        context={
            "contact": contact,
            "referral": referral,
            "route_words": ROUTE_WORDS.get(referral.route, ""),
        },
    )
