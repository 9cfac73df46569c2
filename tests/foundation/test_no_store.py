"""Nothing shown to a signed-in person, page or download, is kept by a browser or a proxy."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    "path",
    [
        reverse("home"),
        reverse("agencies:agency-list"),
        reverse("sharing:case-list"),
        reverse("meetings:calendar-mine"),
        reverse("account_change_password"),
        "/directory/99999/",  # the not-found page, signed in
    ],
)
def test_every_page_for_a_signed_in_person_says_no_store(manager_client, path):
    response = manager_client.get(path)
    assert response.status_code in (200, 404), path
    assert _no_store(response), path


def test_the_audit_log_and_the_administration_site_say_no_store(client, make_user):
    client.force_login(make_user("administrator", is_staff=True))
    for path in (reverse("audit:event-list"), reverse("admin:index")):
        response = client.get(path)
        assert response.status_code == 200, path
        assert _no_store(response), path


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("partnership_manager_client", reverse("agencies:agency-export")),
        ("compliance_client", reverse("sharing:disclosure-log") + "?format=csv"),
        ("partnership_manager_client", reverse("agencies:import-template", args=["agencies"])),
    ],
)
def test_every_export_and_download_says_no_store(request, persona, path):
    response = request.getfixturevalue(persona).get(path)
    assert response.status_code == 200, path
    assert "attachment" in response["Content-Disposition"], path
    assert _no_store(response), path


def test_signing_out_is_not_stored_either(manager_client):
    response = manager_client.post(reverse("account_logout"))
    assert _no_store(response)


def test_static_files_stay_cacheable_for_a_signed_in_person(manager_client):
    response = manager_client.get("/static/build/partnerhub.css")
    assert response.status_code == 200
    assert not _no_store(response)
