"""The administration site's "view on site" shortcut answers 404, never a server error, for an
address that names no record."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django_tasks_db.models import DBTaskResult

from agencies.models import Agency

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "object_id",
    ["abc", "1.5", "99999999999999999999", "-1", "%00", "1%0A", "\u0661", "1/2", "x" * 300],
)
@pytest.mark.parametrize("model", [Agency, DBTaskResult], ids=["number id", "uuid id"])
def test_view_on_site_for_a_malformed_record_id_is_not_found(admin_site_client, model, object_id):
    record_type = ContentType.objects.get_for_model(model)
    response = admin_site_client.get(f"/admin/r/{record_type.pk}/{object_id}/")
    assert response.status_code == 404


@pytest.mark.parametrize("content_type_id", ["abc", "99999999999999999999", "\u0661", "0"])
def test_view_on_site_for_a_malformed_record_type_is_not_found(admin_site_client, content_type_id):
    response = admin_site_client.get(f"/admin/r/{content_type_id}/1/")
    assert response.status_code == 404


def test_view_on_site_is_for_the_administration_site_only(officer_client):
    agency_type = ContentType.objects.get_for_model(Agency)
    response = officer_client.get(f"/admin/r/{agency_type.pk}/abc/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
