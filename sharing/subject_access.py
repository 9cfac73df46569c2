"""A subject access copy (UK GDPR Art. 15): everything Partnerhub holds about one person, and
every release of it, as sections of labelled values that print as a page and download as JSON.

Apps above sharing (meetings: the case items the person appeared in) add their own sections
through `register`, as they add sections to the agency page, so sharing imports nothing above it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from sharing.models import Case, ReleasedContent


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    items: list[dict[str, str]] = field(default_factory=list)


_contributors: list[Callable[[Case], list[Section]]] = []


def register(contributor: Callable[[Case], list[Section]]) -> None:
    if contributor not in _contributors:
        _contributors.append(contributor)


def _text(value) -> str:
    if value is None or value == "":
        return ""
    if hasattr(value, "isoformat"):
        if hasattr(value, "hour"):
            value = timezone.localtime(value)
            return value.strftime("%Y-%m-%d %H:%M")
        return value.isoformat()
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | tuple):
        return ", ".join(str(each) for each in value)
    return str(value)


def _item(**values) -> dict[str, str]:
    return {label.replace("_", " ").capitalize(): _text(value) for label, value in values.items()}


def _person(case: Case) -> Section:
    return Section(
        "person",
        "The person and the case",
        [
            _item(
                reference=case.reference,
                given_names=case.given_names,
                family_name=case.family_name,
                date_of_birth=case.date_of_birth,
                sex_or_gender=case.sex_or_gender,
                nationality=case.nationality_name,
                main_language=case.language_name,
                needs_an_interpreter=case.interpreter_needed,
                address=case.address,
                postcode=case.postcode,
                local_authority=case.local_authority.name,
                support=case.get_support_type_display(),
                accommodation=case.get_accommodation_type_display(),
                household=case.get_household_type_display(),
                the_authoritys_reference=case.authority_reference,
                where_the_concern_came_from=case.concern_source.name,
                concern_received_on=case.concern_received_on,
                agreement_to_referral=case.get_user_agreement_display(),
                risk_level=case.get_risk_level_display(),
                status=case.get_status_display(),
                closed_at=case.closed_at,
                opened_at=case.created_at,
                personal_details_erased_on=case.personal_details_erased_on,
            )
        ],
    )


def _sections(case: Case) -> list[Section]:
    sections = [
        _person(case),
        Section(
            "household",
            "Household members",
            [
                _item(
                    full_name=member.full_name,
                    relationship=member.relationship,
                    date_of_birth=member.date_of_birth,
                )
                for member in case.household_members.all()
            ],
        ),
        Section(
            "indicators",
            "Vulnerabilities identified",
            [
                _item(
                    indicator=current.indicator.name,
                    identified_on=current.identified_on,
                    stopped_applying_on=current.ended_on,
                    notes=current.notes,
                )
                for current in case.indicators.select_related("indicator")
            ],
        ),
        Section(
            "notes",
            "Notes",
            [
                _item(written_at=note.written_at, by=note.author.full_name, note=note.text)
                for note in case.notes.select_related("author")
            ],
        ),
        Section(
            "referrals",
            "Referrals",
            [
                _item(
                    to=referral.agency.name,
                    kind=referral.kind.name,
                    reason=referral.reason,
                    urgency=referral.get_urgency_display(),
                    status=referral.get_status_display(),
                    created_at=referral.created_at,
                    sent_at=referral.sent_at,
                )
                for referral in case.referrals.select_related("agency", "kind").order_by(
                    "created_at", "pk"
                )
            ],
        ),
        Section(
            "consent_requests",
            "Requests for the Authority's consent",
            [
                _item(
                    requested_at=asked.requested_at,
                    to_share_with=[agency.name for agency in asked.recipients.all()],
                    why=asked.necessity,
                    status=asked.get_status_display(),
                )
                for asked in case.consent_requests.prefetch_related("recipients").order_by("pk")
            ],
        ),
        Section(
            "consents",
            "The Authority's consents",
            [
                _item(
                    consent=granted.pk,
                    granted_by=granted.granted_by,
                    granted_at=granted.granted_at,
                    recipients=[agency.name for agency in granted.recipients.all()],
                    purposes=granted.purposes,
                    categories=granted.categories,
                    valid_from=granted.valid_from,
                    valid_until=granted.valid_until,
                    revoked_at=granted.revoked_at,
                    evidence_file_digest=granted.evidence_digest,
                )
                for granted in case.consents.prefetch_related("recipients").order_by("pk")
            ],
        ),
        Section(
            "escalations",
            "Escalations",
            [
                _item(
                    raised_at=raised.raised_at,
                    reason=raised.reason,
                    decision=raised.get_decision_display(),
                    decision_notes=raised.decision_notes,
                    decided_at=raised.decided_at,
                )
                for raised in case.escalations.all()
            ],
        ),
        _disclosures(case),
        Section(
            "decisions_not_to_share",
            "Decisions not to share",
            [
                _item(
                    decided_at=decided.decided_at,
                    agency_that_asked=decided.requested_by_agency.name,
                    what_was_asked_for=decided.what_was_asked_for,
                    reason=decided.reason,
                )
                for decided in case.decisions_not_to_share.select_related("requested_by_agency")
            ],
        ),
        Section(
            "legal_holds",
            "Legal holds",
            [
                _item(placed_at=hold.placed_at, reason=hold.reason, lifted_at=hold.lifted_at)
                for hold in case.legal_holds.all()
            ],
        ),
    ]
    for contributor in _contributors:
        sections.extend(contributor(case))
    return sections


def _disclosures(case: Case) -> Section:
    """Every release, with exactly what was released while retention keeps it."""
    disclosures = (
        case.disclosures.select_related("recipient", "consent")
        .order_by("disclosed_at", "pk")
        .only(
            "pk",
            "disclosed_at",
            "recipient__name",
            "purpose",
            "categories",
            "method",
            "lawful_basis",
            "consent_id",
            "content_digest",
        )
    )
    texts = dict(
        ReleasedContent.objects.filter(disclosure__case=case).values_list("disclosure_id", "text")
    )
    return Section(
        "disclosures",
        "Who received what",
        [
            _item(
                disclosure=released.pk,
                disclosed_at=released.disclosed_at,
                to=released.recipient.name,
                purpose=released.get_purpose_display(),
                categories=released.categories,
                how=released.get_method_display(),
                lawful_basis=released.get_lawful_basis_display(),
                under_consent=released.consent_id,
                what_was_released=texts.get(released.pk, "[erased under retention]"),
                sha_256_of_what_was_released=released.content_digest,
            )
            for released in disclosures
        ],
    )


def subject_access_copy(case: Case) -> dict:
    """The copy as plain data: the page renders it and the JSON download is it."""
    return {
        "case": case.reference,
        "produced_at": _text(timezone.now()),
        "sections": _sections(case),
    }


def as_json(copy: dict) -> dict:
    return {
        **copy,
        "sections": {section.key: section.items for section in copy["sections"]},
    }


__all__ = ["Section", "as_json", "register", "subject_access_copy"]
