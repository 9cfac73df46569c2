"""The demo directory: every kind in every region, agreements in each state, safe to run twice."""

import pytest

from agencies import demo
from agencies.models import (
    Agency,
    AgencyKind,
    Contact,
    InformationSharingAgreementStatus,
    Region,
    User,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("seeded_demo"),
]


def test_demo_directory_covers_every_kind_and_region_and_runs_twice_unchanged():
    counts = (Agency.objects.count(), Contact.objects.count(), User.objects.count())
    demo.seed()
    assert (Agency.objects.count(), Contact.objects.count(), User.objects.count()) == counts

    for region in Region.objects.all():
        kinds = Agency.objects.covering(regions=[region]).values_list("kind", flat=True)
        assert set(kinds) == set(AgencyKind.values), region
    assert not Agency.objects.filter(contacts__isnull=True).exists()
    statuses = [agency.information_sharing_agreement_status() for agency in Agency.objects.all()]
    assert statuses.count(InformationSharingAgreementStatus.REVIEW_OVERDUE) == 1
    assert InformationSharingAgreementStatus.NONE in statuses
    assert statuses.count(InformationSharingAgreementStatus.CURRENT) > len(statuses) // 2


def test_demo_people_still_sign_in_and_the_partnership_manager_has_areas():
    people = dict(demo.seed())
    assert "partner@demo.partnerhub.test" in people
    partner = User.objects.get(email="partner@demo.partnerhub.test")
    assert partner.check_password(demo.DEMO_PASSWORD)
    assert partner.agency.name == "Refugee Action Network"
    assert partner.directory_entries.get().agency == partner.agency
    manager = User.objects.get(email="partnerships@demo.partnerhub.test")
    assert set(manager.assigned_local_authorities.values_list("name", flat=True)) == {
        "Manchester",
        "Salford",
        "Bolton",
        "Trafford",
    }
