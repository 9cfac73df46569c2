"""The directory's CSV columns, shared by import and export so an export can be imported again."""

AGENCY_COLUMNS = [
    "name",
    "kind",
    "parent",
    "local_authorities",
    "regions",
    "address",
    "phone",
    "email",
    "secure_email",
    "referral_route",
    "website",
    "services",
    "how_to_refer",
    "referral_criteria",
    "out_of_hours",
    "information_sharing_agreement_signed_on",
    "information_sharing_agreement_review_due_on",
    "notes",
]
AGENCY_REQUIRED_COLUMNS = ["name", "kind"]
# Written by the export for people reading it; an import ignores them.
AGENCY_EXPORT_ONLY_COLUMNS = ["sector", "information_sharing_agreement", "active"]

CONTACT_COLUMNS = [
    "agency",
    "full_name",
    "job_title",
    "email",
    "phone",
    "single_point_of_contact",
]
CONTACT_REQUIRED_COLUMNS = ["agency", "full_name"]

LIST_SEPARATOR = ";"
