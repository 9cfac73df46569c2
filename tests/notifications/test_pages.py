"""The notifications pages: the unread count in the header, the list, opening one, and the
settings form refusing what cannot be had at the field."""

import pytest
from django.urls import reverse

from notifications import services
from notifications.models import Delivery, Notification, NotificationKind, NotificationPreference


def tell(person, message="Minutes of the board circulated", url="/forums/"):
    [notification] = services.notify(
        NotificationKind.MINUTES_CIRCULATED, [person], message=message, url=url
    )
    return notification


@pytest.mark.django_db
def test_the_header_counts_the_unread_and_the_list_shows_only_ones_own(
    officer, officer_client, manager
):
    tell(officer, "First news")
    tell(officer, "Second news")
    tell(manager, "Somebody else's news")
    home = officer_client.get(reverse("home")).content.decode()
    assert 'class="partnerhub-header__count">2<span class="govuk-visually-hidden"> unread' in home
    page = officer_client.get(reverse("notifications:list")).content.decode()
    assert page.index("Second news") < page.index("First news")
    assert "Somebody else" not in page


@pytest.mark.django_db
def test_opening_a_notification_marks_it_read_and_goes_to_the_thing(officer, officer_client):
    notification = tell(officer, url=reverse("meetings:forum-list"))
    response = officer_client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:forum-list")
    notification.refresh_from_db()
    assert not notification.is_unread
    home = officer_client.get(reverse("home")).content.decode()
    assert "partnerhub-header__count" not in home


@pytest.mark.django_db
def test_another_persons_notification_is_not_found_and_stays_unread(officer_client, manager):
    notification = tell(manager)
    response = officer_client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.is_unread


@pytest.mark.django_db
def test_a_notification_about_a_case_no_longer_yours_opens_a_404_that_names_nothing(
    officer, officer_client, make_case, manager
):
    case = make_case()
    notification = tell(
        officer,
        message=f"A manager decided your escalation of case {case.reference}",
        url=reverse("sharing:case-detail", args=[case.pk]),
    )
    case.assigned_officers.set([manager])
    response = officer_client.get(
        reverse("notifications:open", args=[notification.pk]), follow=True
    )
    assert response.status_code == 404
    assert case.family_name not in response.content.decode()


@pytest.mark.django_db
def test_mark_all_as_read(officer, officer_client):
    tell(officer)
    tell(officer)
    response = officer_client.post(reverse("notifications:mark-all-read"), follow=True)
    assert "2 notifications marked as read" in response.content.decode()
    assert not Notification.objects.filter(read_at__isnull=True).exists()


@pytest.mark.django_db
def test_a_setting_is_saved_and_shown(officer, officer_client):
    response = officer_client.post(
        reverse("notifications:preference-change"),
        {"kind": NotificationKind.MINUTES_APPROVED, "delivery": Delivery.DIGEST},
        follow=True,
    )
    assert "Your notification setting is saved" in response.content.decode()
    assert NotificationPreference.objects.get(person=officer).delivery == Delivery.DIGEST


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("posted", "field", "message"),
    [
        (
            {"kind": "minutes_shredded", "delivery": Delivery.OFF},
            "kind",
            "Choose a kind of notification from the list",
        ),
        (
            {"kind": NotificationKind.MINUTES_APPROVED, "delivery": "hourly"},
            "delivery",
            "Choose immediately, a daily digest or off",
        ),
        (
            {"kind": NotificationKind.ESCALATION_RAISED, "delivery": Delivery.OFF},
            "delivery",
            "cannot be switched off",
        ),
    ],
)
def test_a_setting_that_cannot_be_had_is_refused_at_its_field(
    officer_client, posted, field, message
):
    response = officer_client.post(reverse("notifications:preference-change"), posted)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert f'href="#id_{field}' in response.content.decode()
    assert not NotificationPreference.objects.exists()
