"""Retention runs under the application's own PostgreSQL role, which may delete released
content (its table's RETENTION privileges) but never rewrite a disclosure."""

from datetime import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from audit.selectors import check_chain
from sharing.models import Disclosure, ReleasedContent
from tests.retention.conftest import LONDON

pytestmark = pytest.mark.postgres_only


def test_apply_retention_erases_a_due_case_as_the_application_role(make_full_case):
    if connection.vendor != "postgresql":
        pytest.skip("database roles are PostgreSQL's")
    case = make_full_case()
    role = f"{connection.settings_dict['NAME']}_retention"[:63]
    call_command("create_app_role", "--role", role, "--password", "retention", stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute(f'SET LOCAL ROLE "{role}"')

    with time_machine.travel(datetime(2032, 3, 2, 9, 0, tzinfo=LONDON)):
        call_command("apply_retention", stdout=StringIO())

    case.refresh_from_db()
    assert case.personal_details_erased_on is not None
    assert not ReleasedContent.objects.filter(disclosure__case=case).exists()
    assert check_chain().intact
    with pytest.raises(DatabaseError), transaction.atomic():
        Disclosure.objects.filter(case=case).delete()
