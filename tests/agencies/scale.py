"""A directory at production scale, for query-budget tests and `make bench`."""

from datetime import timedelta

from django.utils import timezone

from agencies.models import SECTOR_OF_KIND, Agency, AgencyKind, Contact, LocalAuthority, Region


def fill_directory(
    *, agencies: int = 500, contacts_per_agency: int = 4, prefix: str = "Agency"
) -> list[Agency]:
    """Agencies of every kind with areas, parents, agreements and contacts (one of them former)."""
    today = timezone.localdate()
    kinds = list(AgencyKind)
    local_authorities = list(LocalAuthority.objects.all())
    regions = list(Region.objects.all())
    agreement = {
        "information_sharing_agreement_signed_on": today - timedelta(days=100),
        "information_sharing_agreement_review_due_on": today + timedelta(days=265),
    }
    created = Agency.objects.bulk_create(
        Agency(
            name=f"{prefix} {number:04}",
            kind=kinds[number % len(kinds)],
            sector=SECTOR_OF_KIND[kinds[number % len(kinds)]],
            services="Advice, advocacy and casework",
            **(agreement if number % 3 else {}),
        )
        for number in range(agencies)
    )
    for number, agency in enumerate(created):
        agency.parent = created[number - 1] if number and number % 10 == 0 else None
    Agency.objects.bulk_update(created, ["parent"])
    Agency.local_authorities.through.objects.bulk_create(
        Agency.local_authorities.through(
            agency=agency,
            localauthority=local_authorities[(number + step) % len(local_authorities)],
        )
        for number, agency in enumerate(created)
        for step in range(3)
    )
    Agency.regions.through.objects.bulk_create(
        Agency.regions.through(agency=agency, region=regions[number % len(regions)])
        for number, agency in enumerate(created)
        if number % 5 == 0
    )
    Contact.objects.bulk_create(
        Contact(
            agency=agency,
            full_name=f"Contact {number}-{index}",
            email=f"contact{number}-{index}@example.org",
            is_single_point_of_contact=index == 0,
            is_active=index != 3,
        )
        for number, agency in enumerate(created)
        for index in range(contacts_per_agency)
    )
    return created
