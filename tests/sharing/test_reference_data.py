"""The indicators, concern sources and referral kinds arrive by migration and are retired, not
deleted, once used."""

import pytest
from django.contrib import admin
from django.db.models import ProtectedError

from sharing import services
from sharing.models import (
    AppliesTo,
    ConcernSource,
    ReferralKind,
    VulnerabilityIndicator,
)


@pytest.mark.django_db
def test_every_indicator_in_the_domain_brief_is_loaded_with_who_it_applies_to():
    indicators = {i.code: i for i in VulnerabilityIndicator.objects.all()}
    assert len(indicators) == 30
    assert indicators["PREG"].applies_to == AppliesTo.ADULTS
    assert indicators["MSHT"].applies_to == AppliesTo.BOTH
    assert indicators["UASC-AGE"].applies_to == AppliesTo.CHILDREN
    assert indicators["MSHT"].category == "exploitation"
    assert "NRM" in indicators["MSHT"].description
    assert all(indicator.is_active for indicator in indicators.values())


@pytest.mark.django_db
def test_concern_sources_and_referral_kinds_are_loaded():
    assert ConcernSource.objects.count() == 13
    assert ConcernSource.objects.filter(name="AIRE provider").exists()
    assert ReferralKind.objects.count() == 13
    assert ReferralKind.objects.filter(name="Modern slavery / NRM first responder").exists()


@pytest.mark.django_db
def test_an_indicator_in_use_cannot_be_deleted(case, indicator, officer):
    services.add_indicator(
        case=case, indicator=indicator, identified_on=case.concern_received_on, actor=officer
    )
    with pytest.raises(ProtectedError):
        indicator.delete()


@pytest.mark.parametrize("model", [VulnerabilityIndicator, ConcernSource, ReferralKind])
def test_the_admin_retires_reference_data_instead_of_deleting_it(model, rf):
    model_admin = admin.site._registry[model]
    assert model_admin.has_delete_permission(rf.get("/")) is False


@pytest.mark.django_db
def test_a_retired_indicator_is_no_longer_offered_but_stays_on_old_cases(
    case, indicator, officer, officer_client
):
    services.add_indicator(
        case=case, indicator=indicator, identified_on=case.concern_received_on, actor=officer
    )
    indicator.is_active = False
    indicator.save()
    form_page = officer_client.get(f"/cases/{case.pk}/indicators/new/").content.decode()
    assert f'value="{indicator.pk}"' not in form_page
    assert indicator.name in officer_client.get(f"/cases/{case.pk}/").content.decode()
