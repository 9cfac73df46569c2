"""Writing to the consent gate's tables as a database user would, bypassing the application."""

import hashlib
import json

from django.db import connection
from django.utils import timezone

DISCLOSURE_COLUMNS = (
    "case_id, consent_id, recipient_id, purpose, categories, method, necessity, lawful_basis, "
    "special_category_condition, person_told, person_not_told_reason, disclosed_by_id, "
    "decided_by_id, disclosed_at, agreement_status, content_digest, source_type, source_id"
)


def insert_disclosure(
    *,
    case,
    consent,
    recipient,
    person,
    purpose,
    categories,
    at=None,
    using=None,
    lawful_basis="public_task",
    special_category_condition="sch1_para18",
    person_told="told",
    source_type="",
    source_id="",
):
    """INSERT a disclosure row directly; returns nothing, raises whatever the database raises."""
    db = using or connection
    json_cast = "::jsonb" if db.vendor == "postgresql" else ""
    at = db.ops.adapt_datetimefield_value(at or timezone.now())
    with db.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO sharing_disclosure ({DISCLOSURE_COLUMNS}) VALUES "
            f"(%s, %s, %s, %s, %s{json_cast}, 'phone', 'raw insert', %s, %s, %s, '', %s, %s, %s, "
            "'current', %s, %s, %s)",
            [
                case.pk,
                consent.pk,
                recipient.pk,
                purpose,
                json.dumps(list(categories)),
                lawful_basis,
                special_category_condition,
                person_told,
                person.pk,
                person.pk,
                at,
                hashlib.sha256(b"raw").hexdigest(),
                source_type,
                source_id,
            ],
        )
