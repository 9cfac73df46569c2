"""A case with something of everything retention erases, made at a fixed moment so the tests
can travel to just before and just after each period ends."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from sharing.models import (
    ClosureReason,
    DataCategory,
    DisclosureMethod,
    HouseholdMember,
    HouseholdType,
    Purpose,
    VulnerabilityIndicator,
)
from sharing.services import (
    add_case_note,
    add_indicator,
    close_case,
    disclose,
    escalate_case,
    record_written_consent,
)
from tests.consent.conftest import decision, make_recipient, police  # noqa: F401
from tests.factories import CaseFactory
from tests.sample_files import PDF

LONDON = ZoneInfo("Europe/London")
# Every case in these tests is opened, shared and closed on this day.
OPENED = datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _evidence_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def make_full_case(officer, manager, police, decision):  # noqa: F811
    """A case with a household member, a note, an indicator's notes, an escalation, and one
    release under a written consent whose letter was uploaded; closed the same day if asked."""

    def make(*, closed=True, date_of_birth=date(1990, 5, 17), family_name="Haddad", **fields):
        household = HouseholdType.SINGLE
        if date_of_birth > date(2008, 3, 2):
            household = HouseholdType.FAMILY
        with time_machine.travel(OPENED, tick=False):
            case = CaseFactory(
                actor=officer,
                date_of_birth=date_of_birth,
                family_name=family_name,
                household_type=household,
                **fields,
            )
            HouseholdMember.objects.create(
                case=case,
                full_name="Omar Haddad",
                relationship="Son",
                date_of_birth=date(2019, 1, 4),
            )
            add_case_note(case=case, text="Told me about her former partner.", actor=officer)
            add_indicator(
                case=case,
                indicator=VulnerabilityIndicator.objects.exclude(applies_to="children")
                .order_by("pk")
                .first(),
                identified_on=date(2026, 3, 1),
                notes="Bruising seen on her arms.",
                actor=officer,
            )
            escalate_case(case=case, reason="Partner has found her address.", actor=officer)
            consent = record_written_consent(
                case=case,
                recipients=[police],
                purposes=[Purpose.SAFEGUARDING_REFERRAL],
                categories=[DataCategory.IDENTITY],
                valid_from=OPENED - timedelta(hours=1),
                valid_until=OPENED + timedelta(days=30),
                granted_by_official="Jo Official, Safeguarding Hub lead",
                granted_at=OPENED - timedelta(hours=1),
                evidence=SimpleUploadedFile("letter.pdf", PDF),
                actor=officer,
            )
            disclose(
                case=case,
                recipient=police,
                purpose=Purpose.SAFEGUARDING_REFERRAL,
                categories=[DataCategory.IDENTITY],
                content=f"{case.full_name}, born {case.date_of_birth:%d %B %Y}",
                method=DisclosureMethod.PHONE,
                record_of_decision=decision(),
                actor=officer,
            )
            if closed:
                case = close_case(case=case, reason=ClosureReason.NEEDS_MET, actor=officer)
        case.consent_with_letter = consent
        return case

    return make
