"""Named contacts: who may add and change them, and removing one without losing its history."""

import pytest
from django.urls import reverse

from agencies.models import Contact
from audit.models import AuditEvent, Verb


def contact_events(contact) -> list[str]:
    return list(
        AuditEvent.objects.filter(
            object_type="agencies.contact", object_id=str(contact.pk)
        ).values_list("verb", flat=True)
    )


NEW_CONTACT = {
    "full_name": "Grace Okafor",
    "job_title": "IDVA",
    "email": "grace.okafor@example.org",
    "phone": "",
    "is_single_point_of_contact": "on",
}


@pytest.mark.django_db
def test_partner_adds_a_contact_to_their_own_agency(partner_user, partner_client):
    agency = partner_user.agency
    response = partner_client.post(
        reverse("agencies:contact-create", args=[agency.pk]), NEW_CONTACT
    )
    assert response.status_code == 302
    contact = Contact.objects.get(agency=agency)
    assert contact.is_single_point_of_contact
    assert contact_events(contact) == [Verb.CREATED]
    page = partner_client.get(reverse("agencies:agency-detail", args=[agency.pk])).content.decode()
    assert "Grace Okafor" in page
    assert "Single point of contact" in page


@pytest.mark.django_db
def test_partner_cannot_add_or_change_contacts_of_another_agency(
    partner_client, manchester_police, make_contact
):
    contact = make_contact(manchester_police, "Detective Sergeant Lee")
    assert (
        partner_client.post(
            reverse("agencies:contact-create", args=[manchester_police.pk]), NEW_CONTACT
        ).status_code
        == 404
    )
    edit = reverse("agencies:contact-edit", args=[manchester_police.pk, contact.pk])
    assert partner_client.get(edit).status_code == 404
    assert partner_client.post(edit, {**NEW_CONTACT, "full_name": "Changed"}).status_code == 404
    remove = reverse("agencies:contact-deactivate", args=[manchester_police.pk, contact.pk])
    assert partner_client.post(remove).status_code == 404
    contact.refresh_from_db()
    assert contact.full_name == "Detective Sergeant Lee" and contact.is_active


@pytest.mark.django_db
def test_a_contact_is_only_reachable_through_its_own_agency(
    partner_user, partner_client, manchester_police, make_contact
):
    other = make_contact(manchester_police, "Someone Else")
    edit = reverse("agencies:contact-edit", args=[partner_user.agency.pk, other.pk])
    assert partner_client.get(edit).status_code == 404


@pytest.mark.django_db
def test_officers_cannot_add_contacts(officer_client, manchester_police):
    response = officer_client.post(
        reverse("agencies:contact-create", args=[manchester_police.pk]), NEW_CONTACT
    )
    assert response.status_code == 404
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_a_contact_needs_a_name_and_an_e_mail_address_or_phone_number(
    partnership_manager_client, manchester_police
):
    response = partnership_manager_client.post(
        reverse("agencies:contact-create", args=[manchester_police.pk]),
        {"full_name": "", "email": "", "phone": ""},
    )
    body = response.content.decode()
    assert "Enter the contact&#x27;s full name" in body
    assert "Enter an e-mail address or a phone number" in body
    assert 'href="#id_email"' in body
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_changing_a_contact_records_the_fields_changed(
    partnership_manager_client, manchester_police, make_contact
):
    contact = make_contact(manchester_police, "Detective Sergeant Lee", job_title="DS")
    partnership_manager_client.post(
        reverse("agencies:contact-edit", args=[manchester_police.pk, contact.pk]),
        {
            "full_name": "Detective Sergeant Lee",
            "job_title": "Detective Inspector",
            "email": contact.email,
        },
    )
    contact.refresh_from_db()
    assert contact.job_title == "Detective Inspector"
    event = AuditEvent.objects.get(object_type="agencies.contact", object_id=str(contact.pk))
    assert event.verb == Verb.CHANGED
    assert event.changed_fields == ["job_title"]


@pytest.mark.django_db
def test_removing_a_contact_keeps_it_as_a_former_contact_that_can_be_restored(
    partner_user, partner_client, make_contact
):
    agency = partner_user.agency
    contact = make_contact(agency, "Former Colleague")
    partner_client.post(reverse("agencies:contact-deactivate", args=[agency.pk, contact.pk]))
    contact.refresh_from_db()
    assert not contact.is_active
    page = partner_client.get(reverse("agencies:agency-detail", args=[agency.pk])).content.decode()
    assert "Former contacts (1)" in page
    partner_client.post(reverse("agencies:contact-reactivate", args=[agency.pk, contact.pk]))
    contact.refresh_from_db()
    assert contact.is_active
    assert contact_events(contact) == [Verb.DEACTIVATED, Verb.REACTIVATED]


@pytest.mark.django_db
def test_deactivating_needs_a_post(partner_user, partner_client, make_contact):
    contact = make_contact(partner_user.agency)
    response = partner_client.get(
        reverse("agencies:contact-deactivate", args=[partner_user.agency.pk, contact.pk])
    )
    assert response.status_code == 405
