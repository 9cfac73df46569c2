"""CSV import: every problem listed before anything is written, then all rows or none."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies import imports
from agencies.models import Agency, AgencyKind, Contact
from audit.models import AuditEvent, Verb

IMPORT = reverse("agencies:directory-import")
CONFIRM = reverse("agencies:directory-import-confirm")

AGENCIES_CSV = (
    "name,kind,parent,local_authorities,regions,phone,secure_email,services,"
    "information_sharing_agreement_signed_on,information_sharing_agreement_review_due_on\n"
    "Salford City Council,Local authority children's services,,E08000006,,0161 794 4711,"
    "childrens@salford.gov.uk,Children's social care,2026-01-05,2027-01-05\n"
    "Salford MASH,childrens_services,Salford City Council,Salford,,,mash@salford.gov.uk,"
    "Multi-agency front door,,\n"
    "Welcome North West,NGO / voluntary,,,North West,'+44 161 000 0000,,Befriending,,\n"
)


def upload(client, content: bytes | str, what="agencies", name="directory.csv"):
    if isinstance(content, str):
        content = content.encode()
    return client.post(
        IMPORT, {"what": what, "file": SimpleUploadedFile(name, content, "text/csv")}
    )


def body(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_valid_file_is_previewed_then_imported_on_confirmation(
    partnership_manager, partnership_manager_client, salford, north_west
):
    preview = upload(partnership_manager_client, AGENCIES_CSV)
    assert preview.status_code == 200
    assert "The file is ready to import" in body(preview)
    assert not Agency.objects.filter(name__startswith="Salford").exists()

    response = partnership_manager_client.post(CONFIRM, {"digest": preview.context["plan"].digest})
    assert response.status_code == 302
    council = Agency.objects.get(name="Salford City Council")
    mash = Agency.objects.get(name="Salford MASH")
    welcome = Agency.objects.get(name="Welcome North West")
    assert council.kind == AgencyKind.CHILDRENS_SERVICES
    assert list(council.local_authorities.all()) == [salford]
    assert council.has_current_information_sharing_agreement(
        on=council.information_sharing_agreement_signed_on
    )
    assert mash.parent == council
    assert list(welcome.regions.all()) == [north_west]
    assert welcome.phone == "+44 161 000 0000"
    created = AuditEvent.objects.filter(
        verb=Verb.CREATED, object_type="agencies.agency", actor=partnership_manager
    )
    assert created.count() == 3
    assert AuditEvent.objects.get(verb=Verb.IMPORTED).detail["rows"] == 3


@pytest.mark.django_db
def test_file_with_bad_rows_writes_nothing_and_lists_every_error(
    partnership_manager_client, make_agency
):
    make_agency("Existing Charity")
    content = (
        "name,kind,local_authorities,website,information_sharing_agreement_signed_on,information_sharing_agreement_review_due_on\n"
        "Good Agency,ngo,,,,\n"
        ",police,,,,\n"
        "Spaceship Agency,spaceship,Atlantis,,,\n"
        "Bad Website,ngo,,not a website,,\n"
        "Half Agreement,ngo,,,2026-01-01,\n"
        "existing charity,ngo,,,,\n"
        "Good Agency,ngo,,,,\n"
    )
    response = upload(partnership_manager_client, content)
    errors = {(error.row, error.column) for error in response.context["plan"].errors}
    assert errors == {
        (3, "name"),
        (4, "kind"),
        (4, "local_authorities"),
        (5, "website"),
        (6, "information_sharing_agreement_review_due_on"),
        (7, "name"),
        (8, "name"),
    }
    page = body(response)
    assert "The file has 7 problems. Nothing has been imported" in page
    assert "No local authority with the name or ONS code Atlantis" in page
    assert "Row 2 already has an agency with this name" in page
    assert "An agency with this name is already in the directory" in page
    assert "Import 1 agencies" not in page
    assert (
        partnership_manager_client.post(CONFIRM, {"digest": imports.digest_of(content)}).status_code
        == 302
    )
    assert not Agency.objects.filter(name="Good Agency").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "naam,kind\nX,ngo\n",
            "it is missing the column name; Partnerhub does not recognise the column naam",
        ),
        ("name,kind,colour\nX,ngo,blue\n", "Partnerhub does not recognise the column colour"),
        ("name,kind,name\nX,ngo,Y\n", "The file has the column name more than once"),
        ("name,kind\n", "The file has column headings but no rows"),
        ("", "The selected file is empty"),
        ("\n\n  \n", "The selected file is empty"),
        ("name,kind\nX,ngo,extra\n", "Row 2 has more cells than there are column headings"),
    ],
)
def test_files_that_cannot_be_read_are_refused_with_a_clear_reason(
    partnership_manager_client, content, message
):
    response = upload(partnership_manager_client, content)
    assert response.status_code == 200
    assert message in body(response).replace("&#x27;", "'")
    assert 'href="#id_file"' in body(response) or "The selected file is empty" in body(response)
    assert Agency.objects.count() == 1


@pytest.mark.django_db
def test_file_not_saved_as_utf8_is_refused(partnership_manager_client):
    content = "name,kind\nCafé Solidarité,ngo\n".encode("latin-1")
    response = upload(partnership_manager_client, content)
    assert "must be saved as UTF-8" in body(response)
    assert not Agency.objects.filter(name__startswith="Caf").exists()


@pytest.mark.django_db
def test_utf8_with_a_byte_order_mark_from_excel_is_accepted(partnership_manager_client):
    response = upload(partnership_manager_client, "\ufeffname,kind\nCafé Solidarité,ngo\n".encode())
    assert response.context["plan"].can_be_imported


@pytest.mark.django_db
def test_a_file_that_is_not_text_is_refused(partnership_manager_client):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    response = upload(partnership_manager_client, png, name="directory.csv")
    assert "must be a CSV file" in body(response)


@pytest.mark.django_db
def test_an_oversized_file_is_refused_before_it_is_read(partnership_manager_client):
    content = "name,kind\n" + "x" * (2 * 1024 * 1024) + ",ngo\n"
    response = upload(partnership_manager_client, content)
    assert "must be smaller than 2 MB" in body(response)


@pytest.mark.django_db
def test_likely_duplicates_are_reported_before_import(partnership_manager_client, make_agency):
    make_agency("The Refugee Action Network Ltd")
    content = "name,kind\nRefugee Action Network,ngo\nSt Anne's & Friends,faith_community\nSt Annes and Friends,faith_community\n"
    response = upload(partnership_manager_client, content)
    plan = response.context["plan"]
    assert plan.can_be_imported
    assert [duplicate.row for duplicate in plan.duplicates] == [2, 4]
    page = body(response)
    assert "Likely duplicates" in page
    assert "looks like The Refugee Action Network Ltd, already in the directory" in page


@pytest.mark.django_db
def test_contacts_are_imported_to_existing_agencies(
    partnership_manager_client, manchester_police, make_contact
):
    make_contact(manchester_police, "Detective Sergeant Lee", email="ds.lee@gmp.example")
    content = (
        "agency,full_name,job_title,email,phone,single_point_of_contact\n"
        "greater manchester police public protection,Sam Patel,MARAC coordinator,sam.patel@gmp.example,,yes\n"
        "Greater Manchester Police Public Protection,D S Lee,,DS.Lee@gmp.example,,no\n"
    )
    preview = upload(partnership_manager_client, content, what="contacts")
    plan = preview.context["plan"]
    assert plan.can_be_imported
    assert [duplicate.row for duplicate in plan.duplicates] == [3]
    partnership_manager_client.post(CONFIRM, {"digest": plan.digest})
    sam = Contact.objects.get(full_name="Sam Patel")
    assert sam.agency == manchester_police
    assert sam.is_single_point_of_contact
    assert Contact.objects.filter(agency=manchester_police).count() == 3


@pytest.mark.django_db
def test_contact_rows_with_errors_are_all_listed(partnership_manager_client, manchester_police):
    content = (
        "agency,full_name,email,phone,single_point_of_contact\n"
        "No Such Agency,Someone,someone@example.org,,no\n"
        "Greater Manchester Police Public Protection,,,,maybe\n"
    )
    plan = upload(partnership_manager_client, content, what="contacts").context["plan"]
    assert {(error.row, error.column) for error in plan.errors} == {
        (2, "agency"),
        (3, "full_name"),
        (3, "email"),
        (3, "single_point_of_contact"),
    }
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_confirming_refuses_a_file_other_than_the_one_checked(partnership_manager_client):
    upload(partnership_manager_client, "name,kind\nChecked Agency,ngo\n")
    response = partnership_manager_client.post(
        CONFIRM, {"digest": "not-the-checked-file"}, follow=True
    )
    assert "Upload it again" in body(response)
    assert not Agency.objects.filter(name="Checked Agency").exists()


@pytest.mark.django_db
def test_confirmation_rechecks_the_directory_and_writes_nothing_if_a_row_became_wrong(
    partnership_manager_client, make_agency
):
    preview = upload(partnership_manager_client, "name,kind\nFirst New,ngo\nSecond New,ngo\n")
    make_agency("Second New")
    response = partnership_manager_client.post(CONFIRM, {"digest": preview.context["plan"].digest})
    assert response.status_code == 200
    assert "An agency with this name is already in the directory" in body(response)
    assert not Agency.objects.filter(name="First New").exists()


@pytest.mark.django_db
def test_an_export_can_be_imported_into_another_directory(
    officer_client, partnership_manager_client, manchester_police
):
    exported = b"".join(officer_client.get(reverse("agencies:agency-export")).streaming_content)
    Agency.objects.filter(pk=manchester_police.pk).update(name="Renamed meanwhile")
    plan = upload(
        partnership_manager_client, exported.replace(b"Test Housing Provider", b"Another Provider")
    ).context["plan"]
    assert plan.errors == []
    assert len(plan.rows) == 2


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer_client", "partner_client"])
def test_only_directory_managers_import(request, persona):
    client = request.getfixturevalue(persona)
    assert client.get(IMPORT).status_code == 403
    assert upload(client, "name,kind\nSneaky,ngo\n").status_code == 403
    assert client.post(CONFIRM, {"digest": "x"}).status_code == 403


@pytest.mark.django_db
def test_templates_hold_the_expected_headings(partnership_manager_client):
    response = partnership_manager_client.get(
        reverse("agencies:import-template", args=["contacts"])
    )
    assert (
        response.content.decode().strip()
        == "agency,full_name,job_title,email,phone,single_point_of_contact"
    )
    assert (
        partnership_manager_client.get(
            reverse("agencies:import-template", args=["other"])
        ).status_code
        == 404
    )
