"""When a case's facts are corrected, the officer is shown who received the old version and
records that each was told (UK GDPR Art. 19)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from sharing.models import CorrectionNotice, DataCategory, DisclosureMethod, Purpose
from sharing.services import disclose


@pytest.mark.django_db
def test_correcting_a_shared_case_offers_its_recipients_and_records_who_was_told(
    officer_client, officer, case, police, make_recipient, make_consent, decision
):
    make_consent(case, [police])
    disclose(
        case=case, recipient=police, purpose=Purpose.SAFEGUARDING_REFERRAL,
        categories=[DataCategory.IDENTITY], content="Name and date of birth",
        method=DisclosureMethod.PHONE, record_of_decision=decision(), actor=officer,
    )  # fmt: skip
    corrections = reverse("sharing:case-corrections", args=[case.pk])
    page = officer_client.get(corrections + "?field=date_of_birth")
    assert page.status_code == 200
    assert "Greater Manchester Police" in page.content.decode()
    stranger = make_recipient("Never Told Anything")
    assert stranger not in page.context["form"].fields["recipients"].queryset

    missing = officer_client.post(corrections + "?field=date_of_birth", {"recipients": [police.pk]})
    assert "Say how the agencies were told" in missing.content.decode()
    officer_client.post(
        corrections + "?field=date_of_birth",
        {
            "recipients": [police.pk],
            "how_told": "Secure e-mail to the PPU",
            "told_on": timezone.localdate().isoformat(),
        },
    )
    notice = CorrectionNotice.objects.get()
    assert notice.recipient == police
    assert notice.corrected_fields == ["date_of_birth"]


@pytest.mark.django_db
def test_a_correction_notice_keeps_only_the_case_fields_named_in_its_address(
    officer_client, officer, case, police, make_consent, decision
):
    make_consent(case, [police])
    disclose(
        case=case, recipient=police, purpose=Purpose.SAFEGUARDING_REFERRAL,
        categories=[DataCategory.IDENTITY], content="Name and date of birth",
        method=DisclosureMethod.PHONE, record_of_decision=decision(), actor=officer,
    )  # fmt: skip
    corrections = reverse("sharing:case-corrections", args=[case.pk])
    officer_client.post(
        corrections + "?field=date_of_birth&field=%3Cscript%3E&field=x%0D%0Ay&field=" + "z" * 5000,
        {
            "recipients": [police.pk],
            "how_told": "Secure e-mail to the PPU",
            "told_on": timezone.localdate().isoformat(),
        },
    )
    assert CorrectionNotice.objects.get().corrected_fields == ["date_of_birth"]
