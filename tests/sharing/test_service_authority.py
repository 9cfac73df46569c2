"""Every sharing write service checks who acts, whoever calls it (a page, a command, a task, a
shell): each persona × each service is either allowed or refused with NotPermitted, and a
refusal writes nothing — no row, no change, no audit event."""

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agencies.models import AgencyKind, ReferralRoute
from audit.models import AuditEvent
from core.authority import NotPermitted
from core.roles import Role
from sharing import services
from sharing.models import (
    Case,
    CaseIndicator,
    Consent,
    DataCategory,
    DisclosureMethod,
    Escalation,
    EscalationDecision,
    LawfulBasis,
    PersonTold,
    Purpose,
    Referral,
    ReferralKind,
    ReferralStatus,
    VulnerabilityIndicator,
)
from tests.factories import ANOTHER_PERSON, ConsentFactory
from tests.sample_files import PDF

CATEGORIES = [DataCategory.IDENTITY]
NECESSITY = "They need to know to keep her safe."

PERSONAS = [
    "administrator",
    "partnership manager",
    "officer assigned",
    "officer not assigned",
    "officer given sight",
    "safeguarding manager",
    "authority",
    "compliance reviewer",
    "partner of the recipient",
    "partner of another agency",
]
CASE_WORK = {"officer assigned", "safeguarding manager"}
MANAGER = {"safeguarding manager"}
AUTHORITY = {"authority"}
RECEIVING_AGENCY = {"partner of the recipient"}
MAY_OPEN_CASES = {"officer assigned", "officer not assigned", "officer given sight"} | MANAGER


class World:
    """A case assigned to one officer, an agency with an information sharing agreement to
    release to, and the people who set things up before the persona acts."""

    def __init__(self, *, case, owner, manager, authority, recipient, case_fields, make_user):
        self.case = case
        self.owner = owner
        self.manager = manager
        self.authority = authority
        self.recipient = recipient
        self.case_fields = case_fields
        self.make_user = make_user

    def consent(self) -> Consent:
        return ConsentFactory(
            case=self.case,
            recipients=[self.recipient],
            categories=CATEGORIES,
            granted_at=None,
            actor=self.authority,
        )

    def release(self) -> dict:
        return {
            "purpose": Purpose.SAFEGUARDING_REFERRAL,
            "categories": CATEGORIES,
            "content": "Name and date of birth.",
            "method": DisclosureMethod.SECURE_EMAIL,
            "record_of_decision": services.DecisionRecord(
                necessity=NECESSITY,
                lawful_basis=LawfulBasis.PUBLIC_TASK,
                special_category_condition="",
                person_told=PersonTold.TOLD,
                categories=tuple(CATEGORIES),
            ),
        }

    def send_release(self) -> dict:
        """The release as sending a referral takes it: its route decides how it goes."""
        release = self.release()
        del release["method"]
        return {**release, "route": ReferralRoute.OWN_CHANNEL}

    def draft_referral(self) -> Referral:
        referral = Referral(
            case=self.case,
            agency=self.recipient,
            kind=ReferralKind.objects.get(code="idva"),
            reason="Disclosed domestic abuse by a former partner.",
        )
        return services.create_referral(referral=referral, actor=self.owner)

    def sent_referral(self) -> Referral:
        referral = self.draft_referral()
        self.consent()
        return services.send_referral(referral=referral, actor=self.owner, **self.send_release())

    def colleague(self):
        return self.make_user(Role.SAFEGUARDING_OFFICER)


# Each service: who may call it, and how to set it up; setting up returns the call to make.


def _open_case(world):
    # The world's own case has these details: this one is another person's.
    return lambda actor: services.open_case(
        case=Case(**world.case_fields),
        officers=[actor],
        why_new_case=ANOTHER_PERSON,
        actor=actor,
    )


def _update_case(world):
    def act(actor):
        world.case.risk_level = "low"
        services.update_case(case=world.case, changed_fields=["risk_level"], actor=actor)

    return act


def _close_case(world):
    return lambda actor: services.close_case(case=world.case, reason="needs_met", actor=actor)


def _record_marac_hearing(world):
    return lambda actor: services.record_marac_hearing(
        case=world.case, heard_on=timezone.localdate() - timedelta(days=1), actor=actor
    )


def _reopen_case(world):
    services.close_case(case=world.case, reason="needs_met", actor=world.owner)
    return lambda actor: services.reopen_case(case=world.case, actor=actor)


def _add_case_note(world):
    return lambda actor: services.add_case_note(case=world.case, text="Called her.", actor=actor)


def _add_indicator(world):
    return lambda actor: services.add_indicator(
        case=world.case,
        indicator=VulnerabilityIndicator.objects.get(code="DA"),
        identified_on=world.case.concern_received_on,
        actor=actor,
    )


def _end_indicator(world):
    added = _add_indicator(world)(world.owner)
    return lambda actor: services.end_indicator(
        case_indicator=added, ended_on=timezone.localdate(), actor=actor
    )


def _escalate_case(world):
    return lambda actor: services.escalate_case(case=world.case, reason="Risk rising.", actor=actor)


def _decide_escalation(world):
    escalation = _escalate_case(world)(world.owner)
    return lambda actor: services.decide_escalation(
        escalation=escalation, decision=EscalationDecision.ADVICE_GIVEN, notes="", actor=actor
    )


def _create_referral(world):
    def act(actor):
        referral = Referral(
            case=world.case,
            agency=world.recipient,
            kind=ReferralKind.objects.get(code="idva"),
            reason="Disclosed domestic abuse by a former partner.",
        )
        services.create_referral(referral=referral, actor=actor)

    return act


def _send_referral(world):
    referral = world.draft_referral()
    world.consent()
    return lambda actor: services.send_referral(
        referral=referral, actor=actor, **world.send_release()
    )


def _update_referral_status(world):
    referral = world.sent_referral()
    return lambda actor: services.update_referral_status(
        referral=referral, status=ReferralStatus.ACKNOWLEDGED, actor=actor
    )


def _answer_referral(world):
    referral = world.sent_referral()
    return lambda actor: services.answer_referral(
        referral=referral, status=ReferralStatus.ACKNOWLEDGED, actor=actor
    )


def _record_document_sent(world):
    referral = world.sent_referral()
    return lambda actor: services.record_document_sent(
        referral=referral, how="CJSM to the police referral desk", sent_at=timezone.now(),
        actor=actor,
    )  # fmt: skip


def _reissue_link(world):
    type(world.recipient).objects.filter(pk=world.recipient.pk).update(
        secure_email="referrals@police.example"
    )
    world.recipient.refresh_from_db()
    referral = world.draft_referral()
    world.consent()
    services.send_referral(
        referral=referral,
        actor=world.owner,
        **{**world.send_release(), "route": ReferralRoute.SECURE_LINK},
    )
    return lambda actor: services.reissue_link(referral=referral, actor=actor)


def _withdraw_draft_referral(world):
    referral = world.draft_referral()
    return lambda actor: services.withdraw_draft_referral(
        referral=referral, reason="The service closed.", actor=actor
    )


def _give_sight_of_case(world):
    colleague = world.colleague()
    return lambda actor: services.give_sight_of_case(case=world.case, person=colleague, actor=actor)


def _withdraw_sight_of_case(world):
    colleague = world.colleague()
    services.give_sight_of_case(case=world.case, person=colleague, actor=world.manager)
    return lambda actor: services.withdraw_sight_of_case(
        case=world.case, person=colleague, actor=actor
    )


def _request_consent(world):
    return lambda actor: services.request_consent(
        case=world.case,
        recipients=[world.recipient],
        purposes=[Purpose.SAFEGUARDING_REFERRAL],
        categories=CATEGORIES,
        necessity=NECESSITY,
        actor=actor,
    )


def _grant_consent(world):
    now = timezone.now()
    return lambda actor: services.grant_consent(
        case=world.case,
        recipients=[world.recipient],
        purposes=[Purpose.SAFEGUARDING_REFERRAL],
        categories=CATEGORIES,
        valid_from=now,
        valid_until=now + timedelta(days=30),
        actor=actor,
    )


def _decide_consent_request(world):
    request = _request_consent(world)(world.owner)
    return lambda actor: services.decide_consent_request(
        request=request, decision="grant", actor=actor
    )


def _revoke_consent(world):
    consent = world.consent()
    return lambda actor: services.revoke_consent(
        consent=consent, reason="The person objected.", actor=actor
    )


def _amend_consent(world):
    consent = world.consent()
    return lambda actor: services.amend_consent(
        consent=consent,
        recipients=[world.recipient],
        purposes=[Purpose.SAFEGUARDING_REFERRAL],
        categories=CATEGORIES,
        valid_until=timezone.now() + timedelta(days=10),
        reason="Shorter, as the Authority asked.",
        actor=actor,
    )


def _record_written_consent(world):
    now = timezone.now()
    return lambda actor: services.record_written_consent(
        case=world.case,
        recipients=[world.recipient],
        purposes=[Purpose.SAFEGUARDING_REFERRAL],
        categories=CATEGORIES,
        valid_from=now,
        valid_until=now + timedelta(days=30),
        granted_by_official="J. Official",
        granted_at=now,
        evidence=SimpleUploadedFile("letter.pdf", PDF),
        actor=actor,
    )


def _disclose(world):
    world.consent()
    return lambda actor: services.disclose(
        case=world.case, recipient=world.recipient, actor=actor, **world.release()
    )


def _release_to_agencies(world):
    world.consent()
    return lambda actor: services.release_to_agencies(
        case=world.case, recipients=[world.recipient], actor=actor, **world.release()
    )


def _release_together(world):
    world.consent()
    terms = world.release()
    release = services.Release(
        case=world.case,
        recipients=(world.recipient,),
        purpose=terms.pop("purpose"),
        categories=tuple(terms.pop("categories")),
        record_of_decision=terms.pop("record_of_decision"),
    )
    return lambda actor: services.release_together(releases=[release], actor=actor, **terms)


def _record_decision_not_to_share(world):
    return lambda actor: services.record_decision_not_to_share(
        case=world.case,
        requested_by_agency=world.recipient,
        what_was_asked_for="Her address",
        reason="Not necessary for what they asked to do.",
        actor=actor,
    )


def _record_correction_notices(world):
    _disclose(world)(world.owner)
    return lambda actor: services.record_correction_notices(
        case=world.case,
        recipients=[world.recipient],
        corrected_fields=["address"],
        how_told="Secure e-mail",
        told_on=timezone.localdate(),
        actor=actor,
    )


SERVICES = {
    "open_case": (MAY_OPEN_CASES, _open_case),
    "update_case": (CASE_WORK, _update_case),
    "close_case": (CASE_WORK, _close_case),
    "reopen_case": (CASE_WORK, _reopen_case),
    "record_marac_hearing": (CASE_WORK, _record_marac_hearing),
    "add_case_note": (CASE_WORK, _add_case_note),
    "add_indicator": (CASE_WORK, _add_indicator),
    "end_indicator": (CASE_WORK, _end_indicator),
    "escalate_case": (CASE_WORK, _escalate_case),
    "decide_escalation": (MANAGER, _decide_escalation),
    "create_referral": (CASE_WORK, _create_referral),
    "send_referral": (CASE_WORK, _send_referral),
    "update_referral_status": (CASE_WORK, _update_referral_status),
    "withdraw_draft_referral": (CASE_WORK, _withdraw_draft_referral),
    "answer_referral": (RECEIVING_AGENCY, _answer_referral),
    "record_document_sent": (CASE_WORK, _record_document_sent),
    "reissue_link": (CASE_WORK, _reissue_link),
    "give_sight_of_case": (MANAGER, _give_sight_of_case),
    "withdraw_sight_of_case": (MANAGER, _withdraw_sight_of_case),
    "request_consent": (CASE_WORK, _request_consent),
    "grant_consent": (AUTHORITY, _grant_consent),
    "decide_consent_request": (AUTHORITY, _decide_consent_request),
    "revoke_consent": (AUTHORITY, _revoke_consent),
    "amend_consent": (AUTHORITY, _amend_consent),
    "record_written_consent": (CASE_WORK, _record_written_consent),
    "disclose": (CASE_WORK, _disclose),
    "release_to_agencies": (CASE_WORK, _release_to_agencies),
    "release_together": (CASE_WORK, _release_together),
    "record_decision_not_to_share": (CASE_WORK, _record_decision_not_to_share),
    "record_correction_notices": (CASE_WORK, _record_correction_notices),
}


@pytest.fixture
def world(make_case, make_user, make_agency, officer, manager, authority_user, case_fields):
    recipient = make_agency(
        "Greater Manchester Police",
        kind=AgencyKind.POLICE,
        information_sharing_agreement_signed_on=date(2025, 1, 1),
        information_sharing_agreement_review_due_on=date(2030, 1, 1),
    )
    return World(
        case=make_case(officers=[officer], actor=officer),
        owner=officer,
        manager=manager,
        authority=authority_user,
        recipient=recipient,
        case_fields=case_fields,
        make_user=make_user,
    )


def _persona(name, world, make_agency):
    make_user = world.make_user
    if name == "officer assigned":
        return world.owner
    if name == "safeguarding manager":
        return world.manager
    if name == "authority":
        return world.authority
    if name == "officer given sight":
        person = make_user(Role.SAFEGUARDING_OFFICER)
        services.give_sight_of_case(case=world.case, person=person, actor=world.manager)
        return person
    if name == "partner of the recipient":
        return make_user(Role.PARTNER, agency=world.recipient)
    if name == "partner of another agency":
        return make_user(Role.PARTNER, agency=make_agency())
    role = {
        "administrator": Role.ADMINISTRATOR,
        "partnership manager": Role.PARTNERSHIP_MANAGER,
        "officer not assigned": Role.SAFEGUARDING_OFFICER,
        "compliance reviewer": Role.COMPLIANCE_REVIEWER,
    }[name]
    return make_user(role)


def _everything_written():
    """Every sharing row (and link row) and every audit event, as they stand."""
    models = apps.get_app_config("sharing").get_models(include_auto_created=True)
    return (
        {model._meta.label: model._default_manager.count() for model in models},
        AuditEvent.objects.count(),
        list(Case.objects.values_list("pk", "status", "risk_level").order_by("pk")),
        list(Referral.objects.values_list("pk", "status").order_by("pk")),
        list(Consent.objects.values_list("pk", "revoked_at").order_by("pk")),
        list(Escalation.objects.values_list("pk", "decided_at").order_by("pk")),
        list(CaseIndicator.objects.values_list("pk", "ended_on").order_by("pk")),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("service", list(SERVICES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_may_call_each_sharing_write_service_only_as_its_role_allows(
    world, make_agency, settings, tmp_path, persona, service
):
    settings.MEDIA_ROOT = tmp_path
    allowed, set_up = SERVICES[service]
    actor = _persona(persona, world, make_agency)
    act = set_up(world)
    before = _everything_written()
    if persona in allowed:
        act(actor)
        assert _everything_written() != before
    else:
        with pytest.raises(NotPermitted):
            act(actor)
        assert _everything_written() == before


def test_the_table_names_every_write_service_the_sharing_package_offers():
    offered = {
        name
        for name in services.__all__
        if callable(getattr(services, name))
        and not isinstance(getattr(services, name), type)
        and name not in READS_AND_HELPERS
        and name not in LINK_HOLDER_SERVICES
    }
    assert offered == set(SERVICES)


# What the holder of a secure link does, without a Partnerhub account: their authority is the
# link and the one-time code sent to its address, which these services check themselves
# (tests/sharing/test_secure_links.py).
LINK_HOLDER_SERVICES = {"answer_referral_by_link", "check_code", "record_link_view", "send_code"}


# Functions the package exports that change nothing: checks and reads.
READS_AND_HELPERS = {
    "agreement_refusal",
    "agreements_only_warn",
    "check_referral_can_be_sent",
    "check_release",
    "consent_cover",
    "covering_consent",
    "link_for_token",
    "next_case_reference",
    "proposed_route",
    "referral_consent_cover",
    "require_opened",
    "route_options",
}
