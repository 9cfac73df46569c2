"""The directory as a streamed CSV file: memory stays flat however many agencies there are."""

from collections.abc import Iterable, Iterator

from agencies.csv_format import (
    AGENCY_COLUMNS,
    AGENCY_EXPORT_ONLY_COLUMNS,
    LIST_SEPARATOR,
)
from agencies.models import Agency
from core.exports import csv_lines

EXPORT_COLUMNS = [
    column for column in AGENCY_COLUMNS if column != "notes"
] + AGENCY_EXPORT_ONLY_COLUMNS


def _joined(items) -> str:
    return f"{LIST_SEPARATOR} ".join(item.name for item in items)


def agency_row(agency: Agency) -> list[str]:
    date_format = "%Y-%m-%d"
    signed = agency.information_sharing_agreement_signed_on
    review_due = agency.information_sharing_agreement_review_due_on
    values = {
        "name": agency.name,
        "kind": agency.get_kind_display(),
        "parent": agency.parent.name if agency.parent_id else "",
        "local_authorities": _joined(agency.local_authorities.all()),
        "regions": _joined(agency.regions.all()),
        "address": agency.address,
        "phone": agency.phone,
        "email": agency.email,
        "secure_email": agency.secure_email,
        "referral_route": agency.referral_route,
        "website": agency.website,
        "services": agency.services,
        "how_to_refer": agency.how_to_refer,
        "referral_criteria": agency.referral_criteria,
        "out_of_hours": agency.out_of_hours,
        "information_sharing_agreement_signed_on": signed.strftime(date_format) if signed else "",
        "information_sharing_agreement_review_due_on": (
            review_due.strftime(date_format) if review_due else ""
        ),
        "sector": agency.get_sector_display(),
        "information_sharing_agreement": agency.information_sharing_agreement_status().label,
        "active": "yes" if agency.is_active else "no",
    }
    return [values[column] for column in EXPORT_COLUMNS]


def agency_csv_lines(agencies: Iterable[Agency]) -> Iterator[str]:
    return csv_lines(EXPORT_COLUMNS, (agency_row(agency) for agency in agencies))
