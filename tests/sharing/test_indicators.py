"""Indicators are added to a case with who and when, and ended rather than removed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sharing.models import CaseIndicator, VulnerabilityIndicator


@pytest.mark.django_db
def test_an_officer_adds_an_indicator(officer_client, officer, case, indicator):
    response = officer_client.post(
        f"/cases/{case.pk}/indicators/new/",
        {"indicator": indicator.pk, "identified_on": "2026-02-01", "notes": "Disclosed at visit"},
    )
    assert response.status_code == 302
    added = CaseIndicator.objects.get()
    assert (added.indicator, added.identified_by, added.ended_on) == (indicator, officer, None)


@pytest.mark.django_db
def test_the_same_current_indicator_cannot_be_added_twice(officer_client, case, indicator):
    data = {"indicator": indicator.pk, "identified_on": "2026-02-01"}
    officer_client.post(f"/cases/{case.pk}/indicators/new/", data)
    response = officer_client.post(f"/cases/{case.pk}/indicators/new/", data)
    assert response.context["form"].errors["indicator"] == [
        "This indicator is already recorded on the case"
    ]
    assert CaseIndicator.objects.count() == 1


@pytest.mark.django_db
def test_an_indicator_identified_in_the_future_is_refused(officer_client, case, indicator):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = officer_client.post(
        f"/cases/{case.pk}/indicators/new/",
        {"indicator": indicator.pk, "identified_on": tomorrow.isoformat()},
    )
    assert response.context["form"].errors["identified_on"] == [
        "Date identified must be today or in the past"
    ]


@pytest.mark.django_db
def test_an_indicator_is_ended_not_deleted_and_may_be_identified_again(
    officer_client, case, indicator
):
    officer_client.post(
        f"/cases/{case.pk}/indicators/new/",
        {"indicator": indicator.pk, "identified_on": "2026-02-01"},
    )
    first = CaseIndicator.objects.get()
    too_early = officer_client.post(
        f"/cases/{case.pk}/indicators/{first.pk}/end/", {"ended_on": "2026-01-01"}
    )
    assert too_early.context["form"].errors["ended_on"] == [
        "Date it stopped applying must be on or after the date it was identified"
    ]
    officer_client.post(f"/cases/{case.pk}/indicators/{first.pk}/end/", {"ended_on": "2026-03-01"})
    first.refresh_from_db()
    assert str(first.ended_on) == "2026-03-01"
    officer_client.post(
        f"/cases/{case.pk}/indicators/new/",
        {"indicator": indicator.pk, "identified_on": "2026-04-01"},
    )
    assert CaseIndicator.objects.filter(indicator=indicator).count() == 2


@pytest.mark.django_db
def test_the_indicator_list_offers_every_active_indicator(officer_client, case):
    html = officer_client.get(f"/cases/{case.pk}/indicators/new/").content.decode()
    for indicator in VulnerabilityIndicator.objects.filter(is_active=True):
        assert f'value="{indicator.pk}"' in html
