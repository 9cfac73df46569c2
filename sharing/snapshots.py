"""What a referral tells the agency, built from the case for the categories the officer picks.

The snapshot is plain text in sections: a heading line, then `Label: value` lines or `- ` items,
sections apart by a blank line. The officer checks and may edit it, and exactly that text is
released: it is the stored `ReleasedContent`, the page the recipient reads and the PDF document.
A category the officer did not pick adds nothing, and only categories a current consent names
for the agency are offered (`consented_categories`).
"""

from django.db.models import Q
from django.utils import timezone

from sharing.models import (
    Consent,
    DataCategory,
    IndicatorCategory,
    Referral,
    ReferralStatus,
)

# Indicators about health are health information, released only with the health category;
# every other indicator is a vulnerability.
HEALTH_INDICATORS = frozenset(
    {IndicatorCategory.HEALTH, IndicatorCategory.MENTAL_HEALTH, IndicatorCategory.DISABILITY}
)


def consented_categories(*, case, agency, at=None) -> list[str]:
    """The categories some current consent on the case names for this agency, in the order
    DataCategory lists them: what a referral to it may offer to release."""
    at = at or timezone.now()
    named = set()
    for categories in (
        Consent.objects.filter(case=case, recipients=agency, valid_from__lte=at, valid_until__gt=at)
        .filter(Q(revoked_at__isnull=True) | Q(revoked_at__gt=at))
        .values_list("categories", flat=True)
    ):
        named.update(categories)
    return [category for category in DataCategory.values if category in named]


def _date(value) -> str:
    return f"{value:%-d %B %Y}"


def _section(heading: str, lines) -> list[str]:
    lines = [line for line in lines if line]
    return [heading, *lines] if lines else []


def _indicator_lines(indicators, *, health: bool) -> list[str]:
    return [
        f"- {item.indicator.name} (identified {_date(item.identified_on)})"
        for item in indicators
        if (item.indicator.category in HEALTH_INDICATORS) == health
    ]


def _concerned_indicators(referral: Referral) -> list:
    """The case's current indicators the referral is about (all of them if it names none)."""
    concerned = {indicator.pk for indicator in referral.indicators.all()}
    current = (
        referral.case.indicators.filter(ended_on__isnull=True)
        .select_related("indicator")
        .order_by("identified_on", "pk")
    )
    return [item for item in current if not concerned or item.indicator_id in concerned]


def compose(referral: Referral, categories) -> str:
    """The snapshot of `referral`'s case for these categories, ready for the officer to check."""
    case = referral.case
    wanted = set(categories)
    indicators = (
        _concerned_indicators(referral)
        if wanted & {DataCategory.HEALTH, DataCategory.VULNERABILITIES}
        else []
    )
    sections = [
        [
            "Referral from the safeguarding team",
            f"Kind: {referral.kind.name}",
            f"Urgency: {referral.get_urgency_display()}",
            f"Case reference: {case.reference}",
        ]
    ]
    if referral.is_marac and DataCategory.VULNERABILITIES in wanted:
        # The DASH score is an assessment of the risk the person faces: a vulnerability.
        sections.append(
            _section(
                "Risk assessment for MARAC",
                [
                    f"DASH risk checklist score: {referral.dash_score} out of 24"
                    + (", high risk" if referral.is_high_risk else ""),
                    "Professional judgement: "
                    + ("used" if referral.professional_judgement else "not used"),
                    *(
                        line
                        for line in referral.professional_judgement_reason.splitlines()
                        if line.strip()
                    ),
                    f"Criterion: {referral.get_escalation_criterion_display()}",
                    "Repeat referral: yes, within 12 months of the last MARAC hearing"
                    if referral.repeats_marac_hearing_on(timezone.localdate())
                    else "Repeat referral: no",
                ],
            )
        )
    if DataCategory.IDENTITY in wanted:
        sections.append(
            _section(
                "Identity",
                [
                    f"Name: {case.full_name}",
                    case.date_of_birth
                    and f"Date of birth: {_date(case.date_of_birth)} (age {case.age})",
                    case.sex_or_gender and f"Sex or gender: {case.sex_or_gender}",
                    case.nationality and f"Nationality: {case.nationality_name}",
                    case.language
                    and f"Main language: {case.language_name}"
                    + (", needs an interpreter" if case.interpreter_needed else ""),
                    case.authority_reference
                    and f"The Authority's reference: {case.authority_reference}",
                ],
            )
        )
    if DataCategory.CONTACT_AND_ADDRESS in wanted:
        sections.append(
            _section(
                "Contact and address",
                [
                    case.address and f"Address: {' '.join(case.address.split())}",
                    case.postcode and f"Postcode: {case.postcode}",
                    f"Local authority: {case.local_authority.name}",
                ],
            )
        )
    if DataCategory.IMMIGRATION_AND_SUPPORT in wanted:
        sections.append(
            _section(
                "Immigration and support status",
                [
                    f"Support: {case.get_support_type_display()}",
                    f"Accommodation: {case.get_accommodation_type_display()}",
                ],
            )
        )
    if DataCategory.HEALTH in wanted:
        sections.append(_section("Health", _indicator_lines(indicators, health=True)))
    if DataCategory.VULNERABILITIES in wanted:
        sections.append(
            _section(
                "Vulnerabilities",
                [
                    *_indicator_lines(indicators, health=False),
                    f"Risk level: {case.get_risk_level_display()}",
                ],
            )
        )
    if DataCategory.HOUSEHOLD in wanted:
        sections.append(
            _section(
                "Household",
                [
                    f"Household: {case.get_household_type_display()}",
                    *(
                        f"- {member.full_name}, {member.relationship}"
                        + (f", born {_date(member.date_of_birth)}" if member.date_of_birth else "")
                        for member in case.household_members.order_by("date_of_birth", "pk")
                    ),
                ],
            )
        )
    if DataCategory.CASE_HISTORY in wanted:
        earlier = (
            case.referrals.exclude(pk=referral.pk)
            .exclude(status=ReferralStatus.DRAFT)
            .select_related("kind", "agency")
            .order_by("sent_at", "pk")
        )
        sections.append(
            _section(
                "Case history",
                [
                    f"Concern received: {_date(case.concern_received_on)}, from "
                    f"{case.concern_source.name}",
                    *(
                        f"- {_date(timezone.localdate(earlier_referral.sent_at))}: "
                        f"{earlier_referral.kind.name} referral to {earlier_referral.agency.name}, "
                        f"{earlier_referral.get_status_display().lower()}"
                        for earlier_referral in earlier
                        if earlier_referral.sent_at
                    ),
                ],
            )
        )
    # A blank line starts a section, so the reason's paragraphs are kept apart by lines alone.
    sections.append(
        ["Reason for referral", *(line for line in referral.reason.splitlines() if line.strip())]
    )
    return "\n\n".join("\n".join(section) for section in sections if section)
