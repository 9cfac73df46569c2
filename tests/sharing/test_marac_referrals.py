"""A MARAC referral, as SafeLives describes it: the DASH score (0 to 24, 14 or more high risk),
professional judgement and the criterion, required for MARAC and for nothing else; and the
repeat flag, within twelve months of the case's last MARAC hearing."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from core.authority import NotPermitted
from sharing import services
from sharing.models import Case, Referral, ReferralKind
from tests.sharing.referrals import send_with_consent

LONDON = ZoneInfo("Europe/London")

MARAC_DETAILS = {
    "dash_score": 16,
    "professional_judgement": False,
    "escalation_criterion": "visible_high_risk",
}


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=LONDON)


def _marac():
    return ReferralKind.objects.get(code="marac")


def _draft_data(agency, **overrides):
    return {
        "agency": agency.pk,
        "kind": _marac().pk,
        "dash_score": "16",
        "professional_judgement": "False",
        "escalation_criterion": "visible_high_risk",
        "reason": "Disclosed abuse by a former partner.",
        "urgency": "urgent",
        **overrides,
    }


def _post(client, case, data):
    return client.post(f"/cases/{case.pk}/referrals/new/", data)


@pytest.mark.django_db
@pytest.mark.parametrize("score", ["25", "-1", "14.5", "fourteen", "99999999999999999999"])
def test_a_dash_score_outside_0_to_24_is_refused_at_the_field(
    officer_client, case, idva_service, score
):
    response = _post(officer_client, case, _draft_data(idva_service, dash_score=score))
    assert response.status_code == 200
    assert response.context["form"].errors["dash_score"] == [
        "DASH risk checklist score must be a whole number from 0 to 24"
    ]
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_a_marac_referral_without_its_details_is_refused_at_each_field(
    officer_client, case, idva_service
):
    response = _post(
        officer_client,
        case,
        _draft_data(
            idva_service, dash_score="", professional_judgement="", escalation_criterion=""
        ),
    )
    errors = response.context["form"].errors
    assert errors["dash_score"] == ["Enter the DASH risk checklist score, from 0 to 24"]
    assert errors["professional_judgement"] == [
        "Say whether professional judgement was used to refer the case"
    ]
    assert errors["escalation_criterion"] == ["Choose the criterion for referral to MARAC"]
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_visible_high_risk_with_a_score_under_14_is_refused(officer_client, case, idva_service):
    response = _post(officer_client, case, _draft_data(idva_service, dash_score="13"))
    assert response.context["form"].errors["escalation_criterion"] == [
        "Visible high risk needs a DASH score of 14 or more, and this one is 13. Choose "
        "professional judgement or potential escalation, or check the score"
    ]
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_professional_judgement_needs_its_reason_and_can_then_be_the_criterion(
    officer_client, case, idva_service
):
    data = _draft_data(
        idva_service,
        dash_score="9",
        professional_judgement="True",
        escalation_criterion="professional_judgement",
    )
    refused = _post(officer_client, case, data)
    assert refused.context["form"].errors["professional_judgement_reason"] == [
        "Enter why, in your professional judgement, the case should go to MARAC"
    ]
    assert not Referral.objects.exists()

    data["professional_judgement_reason"] = "Threats to kill since the checklist was done."
    assert _post(officer_client, case, data).status_code == 302
    referral = Referral.objects.get()
    assert (referral.dash_score, referral.professional_judgement) == (9, True)
    assert referral.escalation_criterion == "professional_judgement"
    assert not referral.is_high_risk


@pytest.mark.django_db
def test_another_kind_keeps_none_of_the_answers_typed_beneath_marac(
    officer_client, case, idva_service
):
    data = _draft_data(idva_service, kind=ReferralKind.objects.get(code="idva").pk, dash_score="40")
    assert _post(officer_client, case, data).status_code == 302
    referral = Referral.objects.get()
    assert referral.dash_score is None
    assert referral.professional_judgement is None
    assert referral.escalation_criterion == ""


@pytest.mark.django_db
def test_the_service_refuses_marac_details_on_another_kind_of_referral(officer, case, idva_service):
    referral = Referral(
        case=case,
        agency=idva_service,
        kind=ReferralKind.objects.get(code="idva"),
        reason="Support",
        **MARAC_DETAILS,
    )
    with pytest.raises(ValidationError) as refusal:
        services.create_referral(referral=referral, actor=officer)
    assert set(refusal.value.message_dict) == {
        "dash_score",
        "professional_judgement",
        "escalation_criterion",
    }
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_the_service_refuses_a_marac_referral_without_its_details(officer, case, idva_service):
    referral = Referral(case=case, agency=idva_service, kind=_marac(), reason="Support")
    with pytest.raises(ValidationError):
        services.create_referral(referral=referral, actor=officer)
    assert not Referral.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"dash_score": 25},
        {"dash_score": 13},  # with visible high risk
        {"professional_judgement": True},  # without a reason
        {"escalation_criterion": "professional_judgement"},  # judgement not used
        {"escalation_criterion": ""},  # details half recorded
    ],
)
def test_the_database_refuses_marac_details_that_do_not_hold_together(
    officer, case, idva_service, change
):
    referral = services.create_referral(
        referral=Referral(
            case=case, agency=idva_service, kind=_marac(), reason="Support", **MARAC_DETAILS
        ),
        actor=officer,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(**change)


@pytest.fixture
def heard_on_15_december_2025(case, officer):
    with time_machine.travel(_noon(date(2025, 12, 15)), tick=False):
        return services.record_marac_hearing(case=case, heard_on=date(2025, 12, 15), actor=officer)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sent_on", "is_repeat"),
    [
        (date(2026, 1, 2), True),  # across the turn of the year
        (date(2026, 12, 14), True),
        (date(2026, 12, 15), True),  # exactly twelve months on
        (date(2026, 12, 16), False),
    ],
)
def test_a_marac_referral_sent_within_12_months_of_the_last_hearing_is_a_repeat(
    heard_on_15_december_2025, officer, idva_service, sent_on, is_repeat
):
    case = heard_on_15_december_2025
    with time_machine.travel(_noon(sent_on), tick=False):
        referral = services.create_referral(
            referral=Referral(
                case=case, agency=idva_service, kind=_marac(), reason="Support", **MARAC_DETAILS
            ),
            actor=officer,
        )
        assert referral.is_repeat_marac is is_repeat
        send_with_consent(referral=referral, actor=officer)
    referral.refresh_from_db()
    assert referral.is_repeat_marac is is_repeat


@pytest.mark.django_db
def test_the_flag_is_worked_out_again_when_a_draft_is_sent(
    heard_on_15_december_2025, officer, idva_service
):
    case = heard_on_15_december_2025
    with time_machine.travel(_noon(date(2026, 12, 10)), tick=False):
        referral = services.create_referral(
            referral=Referral(
                case=case, agency=idva_service, kind=_marac(), reason="Support", **MARAC_DETAILS
            ),
            actor=officer,
        )
    assert referral.is_repeat_marac
    with time_machine.travel(_noon(date(2027, 1, 5)), tick=False):
        send_with_consent(referral=referral, actor=officer)
    referral.refresh_from_db()
    assert not referral.is_repeat_marac


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("drafted_on", "is_repeat"), [(date(2025, 2, 28), True), (date(2025, 3, 1), False)]
)
def test_twelve_months_after_29_february_ends_on_28_february(
    case, officer, idva_service, drafted_on, is_repeat
):
    with time_machine.travel(_noon(date(2024, 3, 1)), tick=False):
        services.record_marac_hearing(case=case, heard_on=date(2024, 2, 29), actor=officer)
    with time_machine.travel(_noon(drafted_on), tick=False):
        referral = services.create_referral(
            referral=Referral(
                case=case, agency=idva_service, kind=_marac(), reason="Support", **MARAC_DETAILS
            ),
            actor=officer,
        )
    assert referral.is_repeat_marac is is_repeat


@pytest.mark.django_db
def test_only_a_marac_referral_is_ever_a_repeat(heard_on_15_december_2025, officer, make_referral):
    with time_machine.travel(_noon(date(2026, 1, 5)), tick=False):
        referral = make_referral(heard_on_15_december_2025)
    assert not referral.is_repeat_marac


@pytest.mark.django_db
def test_a_hearing_recorded_after_a_draft_flags_the_draft(case, officer, idva_service):
    with time_machine.travel(_noon(date(2026, 3, 2)), tick=False):
        referral = services.create_referral(
            referral=Referral(
                case=case, agency=idva_service, kind=_marac(), reason="Support", **MARAC_DETAILS
            ),
            actor=officer,
        )
        assert not referral.is_repeat_marac
        services.record_marac_hearing(case=case, heard_on=date(2026, 3, 1), actor=officer)
    referral.refresh_from_db()
    assert referral.is_repeat_marac


@pytest.mark.django_db
def test_recording_a_hearing_keeps_the_latest_date_and_repeats_change_nothing(case, officer):
    def events():
        return AuditEvent.objects.filter(
            object_type="sharing.case", object_id=str(case.pk), verb="changed"
        ).count()

    with time_machine.travel(_noon(date(2026, 6, 1)), tick=False):
        before = events()
        services.record_marac_hearing(case=case, heard_on=date(2026, 3, 10), actor=officer)
        assert events() == before + 1
        # A backfill in any order, and the same hearing again, leave the latest date alone.
        for heard_on in (date(2025, 11, 4), date(2026, 3, 10), date(2026, 1, 13)):
            returned = services.record_marac_hearing(case=case, heard_on=heard_on, actor=officer)
            assert returned.last_heard_at_marac_on == date(2026, 3, 10)
        assert events() == before + 1
        services.record_marac_hearing(case=case, heard_on=date(2026, 5, 12), actor=officer)
    case.refresh_from_db()
    assert case.last_heard_at_marac_on == date(2026, 5, 12)
    assert events() == before + 2


@pytest.mark.django_db
def test_a_hearing_in_the_future_is_refused(case, officer):
    with time_machine.travel(_noon(date(2026, 6, 1)), tick=False), pytest.raises(ValidationError):
        services.record_marac_hearing(case=case, heard_on=date(2026, 6, 2), actor=officer)
    assert Case.objects.get(pk=case.pk).last_heard_at_marac_on is None


@pytest.mark.django_db
def test_only_someone_who_may_change_the_case_records_a_hearing(
    case, partnership_manager, partner_user, compliance_reviewer
):
    for person in (partnership_manager, partner_user, compliance_reviewer):
        with pytest.raises(NotPermitted):
            services.record_marac_hearing(case=case, heard_on=date(2025, 1, 7), actor=person)
    assert Case.objects.get(pk=case.pk).last_heard_at_marac_on is None


@pytest.mark.django_db
def test_the_case_and_referral_pages_say_high_risk_and_repeat(
    heard_on_15_december_2025, officer, officer_client, idva_service
):
    case = heard_on_15_december_2025
    with time_machine.travel(_noon(date(2026, 2, 3)), tick=False):
        referral = services.create_referral(
            referral=Referral(
                case=case, agency=idva_service, kind=_marac(), reason="Support", **MARAC_DETAILS
            ),
            actor=officer,
        )
        case_page = officer_client.get(f"/cases/{case.pk}/").content.decode()
        send_page = officer_client.get(f"/referrals/{referral.pk}/send/").content.decode()
    assert "DASH score 16, high risk" in case_page
    assert "Repeat MARAC referral" in case_page
    assert "15 December 2025" in case_page
    assert "16 out of 24" in send_page
    assert "High risk" in send_page
    assert "Repeat MARAC referral" in send_page
    assert "Visible high risk (a DASH score of 14 or more)" in send_page


@pytest.mark.django_db
def test_the_marac_questions_are_revealed_beneath_the_marac_choice(officer_client, case):
    page = officer_client.get(f"/cases/{case.pk}/referrals/new/").content.decode()
    marac = _marac()
    choice = page.index(f'value="{marac.pk}"')
    revealed = page.index('class="govuk-radios__conditional', choice)
    assert 'data-aria-controls="conditional-' in page[choice - 300 : revealed]
    beneath = page[revealed : page.index('name="reason"')]
    for name in ("dash_score", "professional_judgement", "escalation_criterion"):
        assert f'name="{name}"' in beneath
    assert page.count('name="dash_score"') == 1
